package layers

import (
	"fmt"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/mathf"
	"github.com/modistill/modistill/tensor"
)

// LSTMStep is one step of an LSTM cell from given gate pre-activations, for
// recurrent models whose gates take more than x_t and h_{t-1} (MARN's
// LSTHM adds its hybrid memory): a is (B, 4H) in the order i, f, g, o and
// cPrev is (B, H); it returns h_t and c_t, each (B, H), as LSTM computes them.
func LSTMStep(tp *autodiff.Tape, a, cPrev *autodiff.Node) (h, c *autodiff.Node) {
	B, G := a.Shape()[0], a.Value.Cols()
	H := G / 4
	if G%4 != 0 || cPrev.Value.Rows() != B || cPrev.Value.Cols() != H {
		panic(fmt.Sprintf("layers.LSTMStep: pre-activations %s, cell %s", tensor.ShapeString(a.Shape()), tensor.ShapeString(cPrev.Shape())))
	}
	gates := tp.Alloc(B, G)
	copy(gates.Data, a.Value.Data)
	h = tp.NewOutput([]int{B, H}, a, cPrev)
	c = tp.NewOutput([]int{B, H}, a, cPrev)
	tanhC := tp.AllocUnset(B, H) // written in full by the cell
	mathf.LSTMCell(gates.Data, cPrev.Value.Data, c.Value.Data, tanhC.Data, h.Value.Data, B, H)
	tp.AddBackwardMulti([]*autodiff.Node{h, c}, func() {
		dh := make([]float32, B*H)
		dc := make([]float32, B*H)
		if g := h.Grad(); g != nil {
			copy(dh, g.Data)
		}
		if g := c.Grad(); g != nil {
			copy(dc, g.Data)
		}
		da := make([]float32, B*G)
		mathf.LSTMCellGrad(gates.Data, cPrev.Value.Data, tanhC.Data, dh, dc, da, B, H) // dc becomes ∂/∂c_{t-1}
		if a.RequiresGrad() {
			tensor.Accumulate(a.AccumGrad().Data, da)
		}
		if cPrev.RequiresGrad() {
			tensor.Accumulate(cPrev.AccumGrad().Data, dc)
		}
	})
	return h, c
}
