package recurrent

import (
	"fmt"
	"math/rand/v2"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/layers"
	"github.com/modistill/modistill/nn"
)

// MARN is the multi-attention recurrent network (Zadeh et al.,
// "Multi-attention Recurrent Network for Human Communication
// Comprehension", AAAI 2018): one long-short term hybrid memory (LSTHM)
// per modality, an LSTM whose gates also read the hybrid memory z_{t-1},
//
//	a^m_t = W_m x^m_t + U_m h^m_{t-1} + V_m z_{t-1} + b_m,   (h^m_t, c^m_t) = LSTM cell(a^m_t, c^m_{t-1})
//
// and a multi-attention block (MAB) that makes z_t from the concatenated
// hidden states h_t = [h^a_t; h^v_t; h^t_t]: K attentions
// h̃_k = h_t ⊙ softmax(A_k(h_t)); for each modality, its part of the K
// attended vectors reduced by a network C_m to s^m; then
// z_t = tanh(G([s^a; s^v; s^t])). The output network reads
// [h^a_T; h^v_T; h^t_T; z_T]. A_k and G are two-layer networks (Linear,
// ReLU, dropout, Linear); C_m is Linear then ReLU.
type MARN struct {
	base
	W, U, V   [3]*layers.Linear
	Attn      []twoLayer
	Reduce    [3]*layers.Linear
	Z         twoLayer
	Out, Head *layers.Linear
}

// NewMARN builds MARN for data of the given dimensions.
func NewMARN(dims data.Dims, task data.Task, c Config, rng *rand.Rand) (*MARN, error) {
	b, in, err := newBase("marn", dims, task, c, rng)
	if err != nil {
		return nil, err
	}
	if c.Attentions < 1 {
		return nil, fmt.Errorf("marn: %d attentions; want at least 1", c.Attentions)
	}
	m := &MARN{base: b}
	D := 0
	var modules []nn.Module
	for i := range 3 {
		l, H := data.Modality(i).Letter(), c.Hidden[i]
		m.W[i] = layers.NewLinear("lsthm_"+l+".W", in[i], 4*H, true, rng)
		m.U[i] = layers.NewLinear("lsthm_"+l+".U", H, 4*H, false, rng)
		m.V[i] = layers.NewLinear("lsthm_"+l+".V", c.Memory, 4*H, false, rng)
		m.Reduce[i] = layers.NewLinear("reduce_"+l, c.Attentions*H, c.Attention, true, rng)
		modules = append(modules, m.W[i], m.U[i], m.V[i], m.Reduce[i])
		D += H
	}
	for k := range c.Attentions {
		m.Attn = append(m.Attn, newTwoLayer(fmt.Sprintf("attention_%d", k), D, c.Attention, D, rng))
		modules = append(modules, m.Attn[k])
	}
	m.Z = newTwoLayer("z", 3*c.Attention, c.Attention, c.Memory, rng)
	m.Out = layers.NewLinear("out", D+c.Memory, c.Output, true, rng)
	m.Head = layers.NewLinear("head", c.Output, task.Outputs(), true, rng)
	m.finish(m.Forward, append(modules, m.Z, m.Out, m.Head)...)
	return m, nil
}

// Forward returns the outputs (B, Outputs) for a batch.
func (m *MARN) Forward(tp *autodiff.Tape, mode nn.Mode, b *data.Batch) *autodiff.Node {
	x := m.sequences(tp, b)
	c := m.Config
	B, T := b.N(), x[data.Text].Shape()[1]
	var xp, h, cell [3]*autodiff.Node
	for i := range 3 {
		xp[i] = m.W[i].Forward(tp, x[i]) // W_m x^m_t + b_m for every step at once: (B, T, 4H)
		h[i] = tp.Const(tp.Alloc(B, c.Hidden[i]))
		cell[i] = tp.Const(tp.Alloc(B, c.Hidden[i]))
	}
	z := tp.Const(tp.Alloc(B, c.Memory))
	lengths := b.Lengths[data.Text]
	for t := range T {
		var nh, nc [3]*autodiff.Node
		for i := range 3 { // LSTHM
			a := tp.Add(tp.Add(step(tp, xp[i], t), m.U[i].Forward(tp, h[i])), m.V[i].Forward(tp, z))
			nh[i], nc[i] = layers.LSTMStep(tp, a, cell[i])
		}
		hcat := tp.Concat(nh[0], nh[1], nh[2])
		attended := make([]*autodiff.Node, len(m.Attn)) // MAB: K attentions
		for k, A := range m.Attn {
			attended[k] = tp.Mul(hcat, tp.Softmax(A.forward(tp, mode, m.drop, hcat)))
		}
		var s [3]*autodiff.Node
		off := 0
		for i := range 3 { // each modality's share of the K attended vectors, reduced
			H := c.Hidden[i]
			parts := make([]*autodiff.Node, len(attended))
			for k, av := range attended {
				parts[k] = tp.SliceCols(av, off, off+H)
			}
			s[i] = tp.ReLU(m.Reduce[i].Forward(tp, tp.Concat(parts...)))
			off += H
		}
		nz := tp.Tanh(m.Z.forward(tp, mode, m.drop, tp.Concat(s[0], s[1], s[2])))
		if hold := holdPast(tp, lengths, t); hold != nil { // past its end a sample keeps its state
			for i := range 3 {
				nh[i], nc[i] = hold(h[i], nh[i]), hold(cell[i], nc[i])
			}
			nz = hold(z, nz)
		}
		h, cell, z = nh, nc, nz
	}
	final := tp.Concat(h[0], h[1], h[2], z)
	return m.Head.Forward(tp, m.drop.Forward(tp, mode, tp.ReLU(m.Out.Forward(tp, final))))
}
