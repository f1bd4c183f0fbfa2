// Package deeps is Deep-S, the paper's "deep separate" baseline: one
// independent network per modality (the same encoders as Ours and a head,
// nothing shared, trained on the labels alone), with score-level fusion (the
// average of the available modalities' predictions; class probabilities for
// classification) when two or more modalities are present.
package deeps

import (
	"math/rand/v2"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/models/unimodal"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/tensor"
)

// Model is the three independent networks.
type Model struct {
	Nets [3]*unimodal.Model
	Task data.Task
}

// New builds one network per modality, each named under its own prefix.
func New(dims data.Dims, task data.Task, c unimodal.Config, rng *rand.Rand) (*Model, error) {
	m := &Model{Task: task}
	for i := range 3 {
		net, err := unimodal.NewNamed("deeps_"+data.Modality(i).Letter(), data.Modality(i), dims, task, c, rng)
		if err != nil {
			return nil, err
		}
		m.Nets[i] = net
	}
	return m, nil
}

// Params returns the three networks' parameters.
func (m *Model) Params() []*nn.Param { return nn.Join(m.Nets[0], m.Nets[1], m.Nets[2]) }

// Step trains each network on the batch with its own optimizer and returns
// the sum of their losses.
func (m *Model) Step(tp *autodiff.Tape, mode nn.Mode, b *data.Batch) float64 {
	var s float64
	for _, n := range m.Nets {
		s += n.Step(tp, mode, b)
	}
	return s
}

// ValidationLoss is the mean of the networks' task losses, the criterion of
// the one early stopping shared by the three.
func (m *Model) ValidationLoss(tp *autodiff.Tape, s *data.Split) float64 {
	var v float64
	for _, n := range m.Nets {
		v += n.ValidationLoss(tp, s) / 3
	}
	return v
}

// Subsets: Deep-S answers from any non-empty subset.
func (m *Model) Subsets() []data.Subset { return data.Subsets }

// Predict averages the predictions of the networks of the modalities in use.
func (m *Model) Predict(tp *autodiff.Tape, b *data.Batch, use data.Subset) *tensor.Tensor {
	var sum *tensor.Tensor
	n := 0
	for i, net := range m.Nets {
		if !use[i] {
			continue
		}
		p := net.Predict(tp, b, data.Only(data.Modality(i)))
		if sum == nil {
			sum = p
		} else {
			tensor.Accumulate(sum.Data, p.Data)
		}
		n++
	}
	if sum == nil {
		panic("deeps.Predict: no modality in use")
	}
	for j := range sum.Data {
		sum.Data[j] /= float32(n)
	}
	return sum
}
