// Package mfn is the memory fusion network (Zadeh et al., "Memory Fusion
// Network for Multi-view Sequential Learning", AAAI 2018): a system of
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
package mfn

import (
	"fmt"
	"math/rand/v2"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/layers"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/objective"
	"github.com/modistill/modistill/optim"
	"github.com/modistill/modistill/tensor"
)

// Config holds MFN's sizes and training hyperparameters.
type Config struct {
	Hidden      [3]int  `json:"hidden"`       // LSTM sizes for audio, visual, text
	Memory      int     `json:"memory"`       // size of u
	Attention   int     `json:"attention"`    // hidden size of D_a, D_u, D_γ
	Output      int     `json:"output"`       // hidden size of the output network
	Dropout     float32 `json:"dropout"`      //
	EmbedDim    int     `json:"embed_dim"`    // word embedding when text is token ids
	LR          float64 `json:"lr"`           //
	WeightDecay float64 `json:"weight_decay"` //
}

// DefaultConfig uses METHOD.md's encoder sizes (32, 32, 64), a memory of 32.
func DefaultConfig() Config {
	return Config{Hidden: [3]int{32, 32, 64}, Memory: 32, Attention: 32, Output: 32, Dropout: 0.2, EmbedDim: 100, LR: 1e-3}
}

// twoLayer is one of MFN's D networks: Linear, ReLU, dropout, Linear.
type twoLayer struct{ a, b *layers.Linear }

func newTwoLayer(name string, in, hid, out int, rng *rand.Rand) twoLayer {
	return twoLayer{layers.NewLinear(name+".0", in, hid, true, rng), layers.NewLinear(name+".1", hid, out, true, rng)}
}

func (n twoLayer) forward(tp *autodiff.Tape, mode nn.Mode, drop layers.Dropout, x *autodiff.Node) *autodiff.Node {
	return n.b.Forward(tp, drop.Forward(tp, mode, tp.ReLU(n.a.Forward(tp, x))))
}

func (n twoLayer) Params() []*nn.Param { return nn.Join(n.a, n.b) }

// Model is MFN with its optimizer.
type Model struct {
	Config Config
	Task   data.Task
	// Note says how the data was read (for example, utterance averages
	// repeated at every step); empty when the data has aligned sequences.
	Note string

	Embed             *layers.Embedding // text as token ids
	LSTMs             [3]*layers.LSTM
	Attn, Mem, G1, G2 twoLayer
	Out, Head         *layers.Linear
	drop              layers.Dropout
	opt               *optim.Adam
}

// New builds MFN for data of the given dimensions.
func New(dims data.Dims, task data.Task, c Config, rng *rand.Rand) (*Model, error) {
	if dims.Audio == 0 || dims.Visual == 0 || (dims.Text == 0 && dims.Vocab == 0) {
		return nil, fmt.Errorf("mfn: needs all three modalities")
	}
	if dims.TextLen == 0 {
		return nil, fmt.Errorf("mfn: the text is not a sequence")
	}
	for m, L := range []int{dims.AudioLen, dims.VisualLen} {
		if L != 0 && L != dims.TextLen {
			return nil, fmt.Errorf("mfn: %s has %d steps, text %d; MFN needs aligned sequences of one length (use aligned data)", data.Modality(m), L, dims.TextLen)
		}
	}
	m := &Model{Config: c, Task: task, drop: layers.Dropout{Rate: c.Dropout}}
	if dims.AudioLen == 0 || dims.VisualLen == 0 {
		m.Note = "mfn: audio and visual are utterance averages here; each is repeated at every text step"
	}
	in := [3]int{dims.Audio, dims.Visual, dims.Text}
	if dims.Vocab > 0 {
		m.Embed = layers.NewEmbedding("embed", dims.Vocab, c.EmbedDim, rng)
		in[2] = c.EmbedDim
	}
	D := 0
	for i := range 3 {
		m.LSTMs[i] = layers.NewLSTM("lstm_"+"avt"[i:i+1], in[i], c.Hidden[i], rng)
		D += c.Hidden[i]
	}
	m.Attn = newTwoLayer("dman", 2*D, c.Attention, 2*D, rng)
	m.Mem = newTwoLayer("mem", 2*D, c.Attention, c.Memory, rng)
	m.G1 = newTwoLayer("gamma1", 2*D, c.Attention, c.Memory, rng)
	m.G2 = newTwoLayer("gamma2", 2*D, c.Attention, c.Memory, rng)
	m.Out = layers.NewLinear("out", D+c.Memory, c.Output, true, rng)
	m.Head = layers.NewLinear("head", c.Output, objective.Outputs(task), true, rng)
	m.opt = optim.NewAdam(optim.Group{Params: m.Params(), LR: c.LR, WeightDecay: c.WeightDecay})
	return m, nil
}

// Params returns every parameter.
func (m *Model) Params() []*nn.Param {
	ms := []nn.Module{m.LSTMs[0], m.LSTMs[1], m.LSTMs[2], m.Attn, m.Mem, m.G1, m.G2, m.Out, m.Head}
	if m.Embed != nil {
		ms = append([]nn.Module{m.Embed}, ms...)
	}
	return nn.Join(ms...)
}

// sequences returns the three aligned input sequences (B, T, d_m).
func (m *Model) sequences(tp *autodiff.Tape, b *data.Batch) [3]*autodiff.Node {
	var x [3]*autodiff.Node
	var T int
	if m.Embed != nil {
		ids := make([]int, len(b.Tokens.IDs))
		for i, id := range b.Tokens.IDs {
			ids[i] = int(id)
		}
		T = b.Tokens.L
		x[data.Text] = m.Embed.Forward(tp, ids, b.N(), T)
	} else {
		x[data.Text] = tp.Const(b.Inputs[data.Text])
		T = b.Inputs[data.Text].Shape[1]
	}
	for _, mod := range []data.Modality{data.Audio, data.Visual} {
		v := b.Inputs[mod]
		if len(v.Shape) == 3 {
			x[mod] = tp.Const(v)
			continue
		}
		B, d := v.Shape[0], v.Shape[1] // repeat the utterance vector at every step
		rep := tp.Alloc(B, T, d)
		for i := range B {
			for t := range T {
				copy(rep.Data[(i*T+t)*d:(i*T+t+1)*d], v.Data[i*d:(i+1)*d])
			}
		}
		x[mod] = tp.Const(rep)
	}
	return x
}

// step returns columns [t·h, (t+1)·h) of a (B, T, h) sequence: step t.
func step(tp *autodiff.Tape, seq *autodiff.Node, t int) *autodiff.Node {
	s := seq.Shape()
	B, T, h := s[0], s[1], s[2]
	return tp.SliceCols(tp.Reshape(seq, B, T*h), t*h, (t+1)*h)
}

// Forward returns the outputs (B, Outputs) for a batch.
func (m *Model) Forward(tp *autodiff.Tape, mode nn.Mode, b *data.Batch) *autodiff.Node {
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
		if mask != nil { // past its end a sample keeps its memory
			keep := tp.Alloc(B, 1)
			for i, n := range mask {
				if t < n {
					keep.Data[i] = 1
				}
			}
			next = tp.Add(u, tp.MulRows(tp.Sub(next, u), tp.Const(keep)))
		}
		u, prev = next, cur
	}
	final := tp.Concat(step(tp, hs[0], T-1), step(tp, hs[1], T-1), step(tp, hs[2], T-1), u)
	return m.Head.Forward(tp, m.drop.Forward(tp, mode, tp.ReLU(m.Out.Forward(tp, final))))
}

// Step runs one training step and returns the task loss.
func (m *Model) Step(tp *autodiff.Tape, mode nn.Mode, b *data.Batch) float64 {
	defer tp.Reset()
	m.opt.ZeroGrad()
	l := objective.Loss(tp, m.Task, m.Forward(tp, mode, b), b.Labels)
	tp.Backward(l)
	m.opt.Step()
	return float64(l.Value.Data[0])
}

// ValidationLoss is the task loss on a split in evaluation mode.
func (m *Model) ValidationLoss(tp *autodiff.Tape, s *data.Split) float64 {
	defer tp.Reset()
	tp.NoGrad = true
	defer func() { tp.NoGrad = false }()
	return float64(objective.Loss(tp, m.Task, m.Forward(tp, nn.Eval, s.All()), s.Labels).Value.Data[0])
}

// Predict returns predictions (class probabilities for classification) for a
// batch; MFN needs all three modalities.
func (m *Model) Predict(tp *autodiff.Tape, b *data.Batch) *tensor.Tensor {
	defer tp.Reset()
	tp.NoGrad = true
	defer func() { tp.NoGrad = false }()
	return objective.Predictions(m.Task, m.Forward(tp, nn.Eval, b).Value)
}
