// Package lmf is the LMF system (Liu et al. 2018, "Efficient low-rank
// multimodal fusion with modality-specific factors") as METHOD.md uses it:
// the three modality encoders, low-rank fusion to h units, and a linear head,
// trained on the task loss with all modalities present.
package lmf

import (
	"math/rand/v2"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/encoder"
	"github.com/modistill/modistill/fusion"
	"github.com/modistill/modistill/layers"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/objective"
	"github.com/modistill/modistill/optim"
	"github.com/modistill/modistill/tensor"
)

// Config holds LMF's hyperparameters.
type Config struct {
	Encoder encoder.Config `json:"encoder"`
	Rank    int            `json:"rank"`   // R
	Hidden  int            `json:"hidden"` // h, the size of z_h
	LR      float64        `json:"lr"`
	// FactorLR is the learning rate of the fusion factors and rank weights
	// (LMF gives them their own); 0 means LR.
	FactorLR    float64 `json:"factor_lr"`
	WeightDecay float64 `json:"weight_decay"`
}

// DefaultConfig is METHOD.md's defaults with LMF rank 4 and h = 32, the
// workload of torch_ref.py's bench.
func DefaultConfig() Config {
	return Config{Encoder: encoder.DefaultConfig(), Rank: 4, Hidden: 32, LR: 1e-3}
}

// Model is an LMF system with its optimizer.
type Model struct {
	Enc    *encoder.Encoders
	Fusion *fusion.LMF
	Head   *layers.Linear
	Task   data.Task
	Config Config

	opt *optim.Adam
}

// New builds an LMF model for data of the given dimensions and task,
// initialised from rng.
func New(dims data.Dims, task data.Task, c Config, rng *rand.Rand) *Model {
	enc := encoder.New("enc", dims, c.Encoder, rng)
	m := &Model{
		Enc:    enc,
		Fusion: fusion.NewLMF("fusion", enc.OutDims(), c.Rank, c.Hidden, rng),
		Head:   layers.NewLinear("head", c.Hidden, objective.Outputs(task), true, rng),
		Task:   task,
		Config: c,
	}
	factorLR := c.FactorLR
	if factorLR == 0 {
		factorLR = c.LR
	}
	m.opt = optim.NewAdam(
		optim.Group{Params: nn.Join(m.Enc, m.Head), LR: c.LR, WeightDecay: c.WeightDecay},
		optim.Group{Params: m.Fusion.Params(), LR: factorLR, WeightDecay: c.WeightDecay},
	)
	return m
}

// Params returns every parameter: encoders, fusion, head.
func (m *Model) Params() []*nn.Param { return nn.Join(m.Enc, m.Fusion, m.Head) }

// Forward returns the outputs (B, Outputs) for inputs of all three modalities.
func (m *Model) Forward(tp *autodiff.Tape, mode nn.Mode, in encoder.Input) *autodiff.Node {
	z := m.Enc.Encode(tp, mode, in)
	return m.Head.Forward(tp, m.Fusion.Forward(tp, z))
}

// Step runs one training step (forward, backward, Adam) on a batch and
// returns the task loss.
func (m *Model) Step(tp *autodiff.Tape, mode nn.Mode, b *data.Batch) float64 {
	defer tp.Reset()
	m.opt.ZeroGrad()
	l := objective.Loss(tp, m.Task, m.Forward(tp, mode, encoder.FromBatch(tp, b, encoder.All)), b.Labels)
	tp.Backward(l)
	m.opt.Step()
	return float64(l.Value.Data[0])
}

// ValidationLoss is the task loss on a whole split in evaluation mode.
func (m *Model) ValidationLoss(tp *autodiff.Tape, s *data.Split) float64 {
	defer tp.Reset()
	tp.NoGrad = true
	defer func() { tp.NoGrad = false }()
	out := m.Forward(tp, nn.Eval, encoder.FromBatch(tp, s.All(), encoder.All))
	return float64(objective.Loss(tp, m.Task, out, s.Labels).Value.Data[0])
}

// Predict returns the model's outputs for a batch (all three modalities) in
// evaluation mode, as a new tensor.
func (m *Model) Predict(tp *autodiff.Tape, b *data.Batch) *tensor.Tensor {
	defer tp.Reset()
	tp.NoGrad = true
	defer func() { tp.NoGrad = false }()
	return m.Forward(tp, nn.Eval, encoder.FromBatch(tp, b, encoder.All)).Value.Clone()
}
