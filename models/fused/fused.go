// Package fused holds the whole-modality systems of the paper's tables,
// which need all three modalities: LMF (Liu et al. 2018, "Efficient low-rank
// multimodal fusion with modality-specific factors"; low-rank fusion to h
// units), TFN (Zadeh et al. 2017, the full outer-product tensor and a
// post-fusion network) and DF (Nojavanasghari et al. 2016, the modality
// networks' outputs concatenated into a joint network), each on METHOD.md's
// modality encoders with a linear head, trained on the task loss.
package fused

import (
	"fmt"
	"math/rand/v2"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/encoder"
	"github.com/modistill/modistill/fusion"
	"github.com/modistill/modistill/layers"
	"github.com/modistill/modistill/models/supervised"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/optim"
	"github.com/modistill/modistill/tensor"
)

// Config holds the hyperparameters.
type Config struct {
	Encoder encoder.Config `json:"encoder"`
	Fusion  string         `json:"fusion"` // "lmf", "tfn" or "df"
	Rank    int            `json:"rank"`   // LMF's R
	Hidden  int            `json:"hidden"` // h, the size of z_h
	LR      float64        `json:"lr"`
	// FactorLR is the learning rate of the fusion factors and rank weights
	// (LMF gives them their own); 0 means LR.
	FactorLR    float64 `json:"factor_lr"`
	WeightDecay float64 `json:"weight_decay"`
}

// DefaultConfig is LMF with METHOD.md's defaults, rank 4 and h = 32, the
// workload of torch_ref.py's bench.
func DefaultConfig() Config {
	return Config{Encoder: encoder.DefaultConfig(), Fusion: "lmf", Rank: 4, Hidden: 32, LR: 1e-3}
}

// Layer is the fusion of a whole-modality system.
type Layer interface {
	nn.Module
	Forward(tp *autodiff.Tape, mode nn.Mode, z [3]*autodiff.Node) *autodiff.Node
}

// lmfLayer adapts LMF, which has no dropout, to Layer.
type lmfLayer struct{ *fusion.LMF }

// Forward fuses z, ignoring the mode (LMF has no dropout).
func (l lmfLayer) Forward(tp *autodiff.Tape, _ nn.Mode, z [3]*autodiff.Node) *autodiff.Node {
	return l.LMF.Forward(tp, z)
}

// Model is a whole-modality system with its optimizer.
type Model struct {
	supervised.Trainer
	Enc    *encoder.Encoders
	Fusion Layer
	Head   *layers.Linear
	Config Config
}

// New builds a system for data of the given dimensions and task,
// initialised from rng.
func New(dims data.Dims, task data.Task, c Config, rng *rand.Rand) (*Model, error) {
	enc := encoder.New("enc", dims, c.Encoder, rng)
	for i, d := range enc.OutDims() {
		if d == 0 {
			return nil, fmt.Errorf("%s needs all three modalities; the data has no %s input", c.Fusion, data.Modality(i))
		}
	}
	m := &Model{Enc: enc, Head: layers.NewLinear("head", c.Hidden, task.Outputs(), true, rng), Config: c}
	factorLR := c.FactorLR
	if factorLR == 0 {
		factorLR = c.LR
	}
	switch c.Fusion {
	case "lmf":
		m.Fusion = lmfLayer{fusion.NewLMF("fusion", enc.OutDims(), c.Rank, c.Hidden, rng)}
	case "tfn":
		m.Fusion = fusion.NewTFN("fusion", enc.OutDims(), c.Hidden, c.Encoder.Dropout, rng)
	case "df":
		m.Fusion = fusion.NewConcat("fusion", enc.OutDims(), c.Hidden, c.Encoder.Dropout, rng)
	default:
		return nil, fmt.Errorf("fusion %q: want lmf, tfn or df", c.Fusion)
	}
	m.Trainer = supervised.Trainer{Task: task, Forward: m.forward, Opt: optim.NewAdam(
		optim.Group{Params: nn.Join(m.Enc, m.Head), LR: c.LR, WeightDecay: c.WeightDecay},
		optim.Group{Params: m.Fusion.Params(), LR: factorLR, WeightDecay: c.WeightDecay},
	)}
	return m, nil
}

// Params returns every parameter: encoders, fusion, head.
func (m *Model) Params() []*nn.Param { return nn.Join(m.Enc, m.Fusion, m.Head) }

// forward returns the outputs (B, Outputs) for a batch of all three modalities.
func (m *Model) forward(tp *autodiff.Tape, mode nn.Mode, b *data.Batch) *autodiff.Node {
	z := m.Enc.Encode(tp, mode, encoder.FromBatch(tp, b, data.All))
	return m.Head.Forward(tp, m.Fusion.Forward(tp, mode, z))
}

// Subsets: a whole-modality system needs all three modalities.
func (m *Model) Subsets() []data.Subset { return []data.Subset{data.All} }

// Predict returns predictions for a batch (values, or class probabilities
// for classification) in evaluation mode, as a new tensor; use must be
// data.All.
func (m *Model) Predict(tp *autodiff.Tape, b *data.Batch, use data.Subset) *tensor.Tensor {
	data.MustTake("a whole-modality system", use, m.Subsets())
	return m.Predictions(tp, b)
}
