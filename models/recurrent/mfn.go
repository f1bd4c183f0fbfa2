// Package recurrent holds the sequence fusion models of the paper's tables,
// which read the modalities as aligned sequences: the memory fusion network
// (MFN), the multi-attention recurrent network (MARN) and the multi-view
// LSTM (MV-LSTM).
//
// MFN (Zadeh et al., "Memory Fusion Network for Multi-view Sequential
// Learning", AAAI 2018) is a system of
// LSTMs, one per modality, over aligned sequences; at every step a
// delta-memory attention network (DMAN) weighs the concatenated cell states
// of steps t-1 and t, and a multi-view gated memory keeps what crosses the
// modalities:
//
//	ĉ = [c_{t-1}; c_t] ⊙ softmax(D_a([c_{t-1}; c_t]))     (DMAN)
//	û_t = tanh(D_u(ĉ)),  γ1 = σ(D_γ1(ĉ)),  γ2 = σ(D_γ2(ĉ))
//	u_t = γ1 ⊙ u_{t-1} + γ2 ⊙ û_t                          (gated memory)
//
// and the output network reads [h_T^a; h_T^v; h_T^t; u_T]. Each D is a
// two-layer network (Linear, ReLU, dropout, Linear).
//
// Audio and visual are read as sequences aligned with the text when the data
// has them (the synthetic benchmark's frames, MMSA's aligned pickles); LMF's
// pickles hold utterance averages, which are then repeated at every text
// step, and the model says so (Note).
package recurrent

import (
	"math/rand/v2"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/layers"
	"github.com/modistill/modistill/nn"
)

// Config holds the sizes and training hyperparameters of MFN and MARN.
type Config struct {
	Hidden      [3]int  `json:"hidden"`       // LSTM (MARN: LSTHM) sizes for audio, visual, text
	Memory      int     `json:"memory"`       // size of MFN's u, MARN's z
	Attentions  int     `json:"attentions"`   // MARN's number of attentions K
	Attention   int     `json:"attention"`    // hidden size of the attention and memory networks
	Output      int     `json:"output"`       // hidden size of the output network
	Dropout     float32 `json:"dropout"`      //
	EmbedDim    int     `json:"embed_dim"`    // word embedding when text is token ids
	LR          float64 `json:"lr"`           //
	WeightDecay float64 `json:"weight_decay"` //
}

// DefaultConfig uses METHOD.md's encoder sizes (32, 32, 64), a memory of
// 32 and, for MARN, K = 4 attentions.
func DefaultConfig() Config {
	return Config{Hidden: [3]int{32, 32, 64}, Memory: 32, Attentions: 4, Attention: 32, Output: 32, Dropout: 0.2, EmbedDim: 100, LR: 1e-3}
}

// MFN is the memory fusion network with its optimizer.
type MFN struct {
	base
	LSTMs             [3]*layers.LSTM
	Attn, Mem, G1, G2 twoLayer
	Out, Head         *layers.Linear
}

// NewMFN builds MFN for data of the given dimensions.
func NewMFN(dims data.Dims, task data.Task, c Config, rng *rand.Rand) (*MFN, error) {
	b, in, err := newBase("mfn", dims, task, c, rng)
	if err != nil {
		return nil, err
	}
	m := &MFN{base: b}
	D := 0
	for i := range 3 {
		m.LSTMs[i] = layers.NewLSTM("lstm_"+data.Modality(i).Letter(), in[i], c.Hidden[i], rng)
		D += c.Hidden[i]
	}
	m.Attn = newTwoLayer("dman", 2*D, c.Attention, 2*D, rng)
	m.Mem = newTwoLayer("mem", 2*D, c.Attention, c.Memory, rng)
	m.G1 = newTwoLayer("gamma1", 2*D, c.Attention, c.Memory, rng)
	m.G2 = newTwoLayer("gamma2", 2*D, c.Attention, c.Memory, rng)
	m.Out = layers.NewLinear("out", D+c.Memory, c.Output, true, rng)
	m.Head = layers.NewLinear("head", c.Output, task.Outputs(), true, rng)
	m.finish(m.Forward, m.LSTMs[0], m.LSTMs[1], m.LSTMs[2], m.Attn, m.Mem, m.G1, m.G2, m.Out, m.Head)
	return m, nil
}

// Forward returns the outputs (B, Outputs) for a batch.
func (m *MFN) Forward(tp *autodiff.Tape, mode nn.Mode, b *data.Batch) *autodiff.Node {
	x := m.sequences(tp, b)
	var hs, cs [3]*autodiff.Node
	for i := range 3 {
		hs[i], cs[i] = m.LSTMs[i].Sequence(tp, x[i], b.Lengths[i])
	}
	B, T := b.N(), x[data.Text].Shape()[1]
	D := 0
	for _, h := range m.Config.Hidden {
		D += h
	}
	u := tp.Const(tp.Alloc(B, m.Config.Memory))
	prev := tp.Const(tp.Alloc(B, D)) // c_{-1} = 0
	mask := b.Lengths[data.Text]
	for t := range T {
		cur := tp.Concat(step(tp, cs[0], t), step(tp, cs[1], t), step(tp, cs[2], t))
		both := tp.Concat(prev, cur)
		att := tp.Mul(both, tp.Softmax(m.Attn.forward(tp, mode, m.drop, both))) // ĉ
		uhat := tp.Tanh(m.Mem.forward(tp, mode, m.drop, att))
		g1 := tp.Sigmoid(m.G1.forward(tp, mode, m.drop, att))
		g2 := tp.Sigmoid(m.G2.forward(tp, mode, m.drop, att))
		next := tp.Add(tp.Mul(g1, u), tp.Mul(g2, uhat))
		if hold := holdPast(tp, mask, t); hold != nil { // past its end a sample keeps its memory
			next = hold(u, next)
		}
		u, prev = next, cur
	}
	final := tp.Concat(step(tp, hs[0], T-1), step(tp, hs[1], T-1), step(tp, hs[2], T-1), u)
	return m.Head.Forward(tp, m.drop.Forward(tp, mode, tp.ReLU(m.Out.Forward(tp, final))))
}
