// Package unimodal is a model of one modality: that modality's encoder
// (METHOD.md item 1) and a linear head, trained on the labels alone. It is
// what a separable model's student is without a teacher, the per-modality
// network of Deep-S, and the text-only model of the real-transcripts check.
package unimodal

import (
	"fmt"
	"math/rand/v2"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/encoder"
	"github.com/modistill/modistill/layers"
	"github.com/modistill/modistill/models/supervised"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/optim"
	"github.com/modistill/modistill/tensor"
)

// Config holds the hyperparameters.
type Config struct {
	Encoder     encoder.Config `json:"encoder"`
	LR          float64        `json:"lr"`
	WeightDecay float64        `json:"weight_decay"`
}

// DefaultConfig is METHOD.md's defaults.
func DefaultConfig() Config { return Config{Encoder: encoder.DefaultConfig(), LR: 1e-3} }

// Model is one modality's encoder and head, with its optimizer.
type Model struct {
	supervised.Trainer
	Modality data.Modality
	Enc      *encoder.Encoders // only Modality's encoder is set
	Head     *layers.Linear
}

// New builds a model of modality m for data of the given dimensions, its
// parameters named enc.* and head.*.
func New(m data.Modality, dims data.Dims, task data.Task, c Config, rng *rand.Rand) (*Model, error) {
	return NewNamed("", m, dims, task, c, rng)
}

// NewNamed is New with parameter names under prefix (prefix.enc.*,
// prefix.head.*), so that several models can be saved together.
func NewNamed(prefix string, m data.Modality, dims data.Dims, task data.Task, c Config, rng *rand.Rand) (*Model, error) {
	if prefix != "" {
		prefix += "."
	}
	only := data.Dims{Outputs: dims.Outputs}
	switch m {
	case data.Audio:
		only.Audio = dims.Audio
	case data.Visual:
		only.Visual = dims.Visual
	case data.Text:
		only.Text, only.TextLen, only.Vocab, only.TextBag = dims.Text, dims.TextLen, dims.Vocab, dims.TextBag
	}
	enc := encoder.New(prefix+"enc", only, c.Encoder, rng)
	out := enc.OutDims()[m]
	if out == 0 {
		return nil, fmt.Errorf("unimodal: the data has no %s input", m)
	}
	mod := &Model{Modality: m, Enc: enc, Head: layers.NewLinear(prefix+"head", out, task.Outputs(), true, rng)}
	mod.Trainer = supervised.Trainer{Task: task, Forward: mod.Forward,
		Opt: optim.NewAdam(optim.Group{Params: mod.Params(), LR: c.LR, WeightDecay: c.WeightDecay})}
	return mod, nil
}

// Params returns the encoder's and the head's parameters.
func (m *Model) Params() []*nn.Param { return nn.Join(m.Enc, m.Head) }

// Forward returns the outputs for a batch.
func (m *Model) Forward(tp *autodiff.Tape, mode nn.Mode, b *data.Batch) *autodiff.Node {
	z := m.Enc.Encode(tp, mode, encoder.FromBatch(tp, b, data.Only(m.Modality)))
	return m.Head.Forward(tp, z[m.Modality])
}

// Subsets: a unimodal model answers from its own modality.
func (m *Model) Subsets() []data.Subset { return []data.Subset{data.Only(m.Modality)} }

// Predict returns predictions for a batch (values, or class probabilities
// for classification) in evaluation mode, as a new tensor; use must be the
// model's modality alone.
func (m *Model) Predict(tp *autodiff.Tape, b *data.Batch, use data.Subset) *tensor.Tensor {
	data.MustTake("a unimodal model of "+m.Modality.String(), use, m.Subsets())
	return m.Predictions(tp, b)
}
