// Package data is modistill's dataset model: per sample an audio input, a
// visual input and a text input, the labels, and the task they define, in
// train / valid / test splits. Loaders for the field's file formats and the
// synthetic benchmark produce a Dataset; models consume Batches.
//
// Audio and visual inputs are vectors (N, d) or sequences (N, L, d); text is
// a sequence (N, L, d). Every modality of a split has the same sample count.
package data

import (
	"fmt"

	"github.com/modistill/modistill/tensor"
)

// TaskKind is regression or classification.
type TaskKind int

const (
	// Regression predicts real-valued targets (MOSI's sentiment, POM's traits).
	Regression TaskKind = iota
	// Classification predicts one class per target (IEMOCAP's emotions).
	Classification
)

func (k TaskKind) String() string {
	if k == Classification {
		return "classification"
	}
	return "regression"
}

// Task says what the labels mean.
type Task struct {
	Kind TaskKind
	// Targets names the label columns: one for MOSI, 16 traits for POM, one
	// binary task per emotion for IEMOCAP.
	Targets []string
	// Classes is the number of classes per target (classification only).
	Classes int
	// Range, when Lo < Hi, is the interval regression labels lie in.
	Lo, Hi float64
}

// Modality names one input stream.
type Modality int

// The three modalities, in the order the paper writes them (a, v, t).
const (
	Audio Modality = iota
	Visual
	Text
)

// Modalities lists the three modalities in order.
var Modalities = []Modality{Audio, Visual, Text}

func (m Modality) String() string { return [...]string{"audio", "visual", "text"}[m] }

// Letter is the modality's one-letter code: a, v or t.
func (m Modality) Letter() string { return [...]string{"a", "v", "t"}[m] }

// Split is one partition of a dataset.
type Split struct {
	// Inputs holds one tensor per modality, indexed by Modality: (N, d) or
	// (N, L, d).
	Inputs [3]*tensor.Tensor
	// Labels is (N, len(Task.Targets)): regression values, or class indices
	// stored as floats for classification.
	Labels *tensor.Tensor
}

// N is the number of samples.
func (s *Split) N() int { return s.Labels.Shape[0] }

// Validate returns an error naming the first inconsistency: a missing
// modality, sample counts that disagree, or an empty split.
func (s *Split) Validate(name string) error {
	if s.Labels == nil || len(s.Labels.Shape) != 2 {
		return fmt.Errorf("split %s: labels must be (N, targets)", name)
	}
	n := s.N()
	if n == 0 {
		return fmt.Errorf("split %s: no samples", name)
	}
	for _, m := range Modalities {
		x := s.Inputs[m]
		if x == nil {
			return fmt.Errorf("split %s: no %s input", name, m)
		}
		if x.Shape[0] != n {
			return fmt.Errorf("split %s: %s has %d samples, labels have %d", name, m, x.Shape[0], n)
		}
	}
	return nil
}

// Dataset is a named, split dataset with its task.
type Dataset struct {
	Name               string
	Task               Task
	Train, Valid, Test *Split
}

// Splits returns the splits with their names, in order.
func (d *Dataset) Splits() []NamedSplit {
	return []NamedSplit{{"train", d.Train}, {"valid", d.Valid}, {"test", d.Test}}
}

// NamedSplit pairs a split with its name.
type NamedSplit struct {
	Name string
	*Split
}

// Validate checks every split and that the splits agree on input shapes.
func (d *Dataset) Validate() error {
	for _, s := range d.Splits() {
		if s.Split == nil {
			return fmt.Errorf("dataset %s: no %s split", d.Name, s.Name)
		}
		if err := s.Validate(s.Name); err != nil {
			return fmt.Errorf("dataset %s: %w", d.Name, err)
		}
		for _, m := range Modalities {
			want := d.Train.Inputs[m].Shape[1:]
			if got := s.Inputs[m].Shape[1:]; !tensor.EqualShapes(got, want) {
				return fmt.Errorf("dataset %s: split %s: %s is %s per sample, train has %s", d.Name, s.Name, m, tensor.ShapeString(got), tensor.ShapeString(want))
			}
		}
		if got, want := s.Labels.Shape[1], len(d.Task.Targets); got != want {
			return fmt.Errorf("dataset %s: split %s: %d label columns, task has %d targets", d.Name, s.Name, got, want)
		}
	}
	return nil
}

// Dims are the per-sample input shapes of a dataset, which size a model.
type Dims struct {
	Audio, Visual int // feature sizes
	TextLen, Text int // sequence length and word-vector size
	Outputs       int // label columns
}

// Dims returns the per-sample shapes of d's inputs.
func (d *Dataset) Dims() Dims {
	in := d.Train.Inputs
	return Dims{Audio: in[Audio].Cols(), Visual: in[Visual].Cols(),
		TextLen: in[Text].Shape[1], Text: in[Text].Cols(), Outputs: len(d.Task.Targets)}
}

// Batch is a set of samples gathered from a split.
type Batch struct {
	Inputs [3]*tensor.Tensor
	Labels *tensor.Tensor
}

// Gather copies the samples at idx into b, reusing b's memory when the batch
// size is unchanged, and returns b (a new Batch if b is nil).
func (s *Split) Gather(idx []int, b *Batch) *Batch {
	if b == nil {
		b = &Batch{}
	}
	for _, m := range Modalities {
		b.Inputs[m] = gatherRows(s.Inputs[m], idx, b.Inputs[m])
	}
	b.Labels = gatherRows(s.Labels, idx, b.Labels)
	return b
}

// gatherRows copies the leading-axis rows idx of src into dst (reallocated
// if its size is wrong).
func gatherRows(src *tensor.Tensor, idx []int, dst *tensor.Tensor) *tensor.Tensor {
	shape := append([]int{len(idx)}, src.Shape[1:]...)
	if dst == nil || !tensor.EqualShapes(dst.Shape, shape) {
		dst = tensor.New(shape...)
	}
	row := tensor.Size(src.Shape[1:])
	for i, r := range idx {
		copy(dst.Data[i*row:(i+1)*row], src.Data[r*row:(r+1)*row])
	}
	return dst
}

// Column returns label column j of a split as float64 values.
func (s *Split) Column(j int) []float64 {
	n, k := s.N(), s.Labels.Shape[1]
	out := make([]float64, n)
	for i := range out {
		out[i] = float64(s.Labels.Data[i*k+j])
	}
	return out
}
