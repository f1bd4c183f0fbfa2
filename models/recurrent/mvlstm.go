package recurrent

import (
	"fmt"
	"math/rand/v2"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/layers"
	"github.com/modistill/modistill/nn"
)

// MVLSTM is the multi-view LSTM (Rajagopalan, Morency, Baltrušaitis and
// Goecke, "Extending Long Short-Term Memory for Multi-View Structured
// Learning", ECCV 2016): one LSTM per view whose memory is partitioned into
// a view-specific region, whose gates read only that view's previous hidden
// state, and a cross-view region, whose gates read every view's (the
// paper's hybrid topology):
//
//	a^m_spec = W^m_s x^m_t + U^m_s h^m_{t-1}
//	a^m_cross = W^m_c x^m_t + U^m_c [h^a_{t-1}; h^v_{t-1}; h^t_{t-1}]
//
// each gate of view m taking its first half of units from a^m_spec and the
// rest from a^m_cross. The output network reads [h^a_T; h^v_T; h^t_T].
// Interpretation: the paper leaves the split free; here each view's units
// are split in half.
type MVLSTM struct {
	base
	Ws, Wc, Us, Uc [3]*layers.Linear
	spec, cross    [3]int // units per region
	Out, Head      *layers.Linear
}

// NewMVLSTM builds MV-LSTM for data of the given dimensions.
func NewMVLSTM(dims data.Dims, task data.Task, c Config, rng *rand.Rand) (*MVLSTM, error) {
	b, in, err := newBase("mv-lstm", dims, task, c, rng)
	if err != nil {
		return nil, err
	}
	m := &MVLSTM{base: b}
	D := 0
	for _, H := range c.Hidden {
		D += H
	}
	var modules []nn.Module
	for i := range 3 {
		H := c.Hidden[i]
		if H < 2 {
			return nil, fmt.Errorf("mv-lstm: hidden size %d cannot be split into two regions", H)
		}
		l := data.Modality(i).Letter()
		m.spec[i], m.cross[i] = H/2, H-H/2
		m.Ws[i] = layers.NewLinear("mvlstm_"+l+".W_spec", in[i], 4*m.spec[i], true, rng)
		m.Wc[i] = layers.NewLinear("mvlstm_"+l+".W_cross", in[i], 4*m.cross[i], true, rng)
		m.Us[i] = layers.NewLinear("mvlstm_"+l+".U_spec", H, 4*m.spec[i], false, rng)
		m.Uc[i] = layers.NewLinear("mvlstm_"+l+".U_cross", D, 4*m.cross[i], false, rng)
		modules = append(modules, m.Ws[i], m.Wc[i], m.Us[i], m.Uc[i])
	}
	m.Out = layers.NewLinear("out", D, c.Output, true, rng)
	m.Head = layers.NewLinear("head", c.Output, task.Outputs(), true, rng)
	m.finish(m.Forward, append(modules, m.Out, m.Head)...)
	return m, nil
}

// Forward returns the outputs (B, Outputs) for a batch.
func (m *MVLSTM) Forward(tp *autodiff.Tape, mode nn.Mode, b *data.Batch) *autodiff.Node {
	x := m.sequences(tp, b)
	B, T := b.N(), x[data.Text].Shape()[1]
	var xs, xc, h, cell [3]*autodiff.Node
	for i := range 3 {
		xs[i], xc[i] = m.Ws[i].Forward(tp, x[i]), m.Wc[i].Forward(tp, x[i]) // every step at once
		h[i] = tp.Const(tp.Alloc(B, m.Config.Hidden[i]))
		cell[i] = tp.Const(tp.Alloc(B, m.Config.Hidden[i]))
	}
	lengths := b.Lengths[data.Text]
	for t := range T {
		all := tp.Concat(h[0], h[1], h[2])
		var nh, nc [3]*autodiff.Node
		for i := range 3 {
			spec := tp.Add(step(tp, xs[i], t), m.Us[i].Forward(tp, h[i]))
			cross := tp.Add(step(tp, xc[i], t), m.Uc[i].Forward(tp, all))
			S, C := m.spec[i], m.cross[i]
			parts := make([]*autodiff.Node, 0, 8) // gate by gate: its view-specific units, then its cross-view units
			for g := range 4 {
				parts = append(parts, tp.SliceCols(spec, g*S, (g+1)*S), tp.SliceCols(cross, g*C, (g+1)*C))
			}
			nh[i], nc[i] = layers.LSTMStep(tp, tp.Concat(parts...), cell[i])
		}
		if hold := holdPast(tp, lengths, t); hold != nil {
			for i := range 3 {
				nh[i], nc[i] = hold(h[i], nh[i]), hold(cell[i], nc[i])
			}
		}
		h, cell = nh, nc
	}
	return m.Head.Forward(tp, m.drop.Forward(tp, mode, tp.ReLU(m.Out.Forward(tp, tp.Concat(h[0], h[1], h[2])))))
}
