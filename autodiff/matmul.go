package autodiff

import (
	"fmt"

	"github.com/modistill/modistill/tensor"
)

// outShape is x's shape with its last dimension replaced by cols.
func outShape(x []int, cols int) []int {
	s := append([]int(nil), x...)
	if len(s) == 0 {
		return []int{cols}
	}
	s[len(s)-1] = cols
	return s
}

// MatMul returns a·b, where a is seen as a matrix (its last axis the columns)
// and b is a matrix (k, n). The result keeps a's leading dimensions: (..., n).
func (tp *Tape) MatMul(a, b *Node) *Node {
	if len(b.Shape()) != 2 || a.Value.Cols() != b.Shape()[0] {
		panic(fmt.Sprintf("autodiff.MatMul: %s x %s", tensor.ShapeString(a.Shape()), tensor.ShapeString(b.Shape())))
	}
	out := tp.NewOutput(outShape(a.Shape(), b.Shape()[1]), a, b)
	tensor.MatMul(false, false, 1, a.Value, b.Value, 0, out.Value)
	tp.AddBackward(out, func() {
		if a.requiresGrad { // ga += g·bᵀ
			tensor.MatMul(false, true, 1, out.grad, b.Value, 1, a.AccumGrad())
		}
		if b.requiresGrad { // gb += aᵀ·g
			tensor.MatMul(true, false, 1, a.Value, out.grad, 1, b.AccumGrad())
		}
	})
	return out
}

// Linear returns x·wᵀ + bias, with w of shape (out, in) as in PyTorch and
// bias of shape (out) or nil. x is (..., in); the result is (..., out).
func (tp *Tape) Linear(x, w, bias *Node) *Node {
	ws := w.Shape()
	if len(ws) != 2 || x.Value.Cols() != ws[1] || (bias != nil && bias.Value.Len() != ws[0]) {
		bs := "none"
		if bias != nil {
			bs = tensor.ShapeString(bias.Shape())
		}
		panic(fmt.Sprintf("autodiff.Linear: input %s, weight %s, bias %s", tensor.ShapeString(x.Shape()), tensor.ShapeString(ws), bs))
	}
	inputs := []*Node{x, w}
	if bias != nil {
		inputs = append(inputs, bias)
	}
	out := tp.NewOutput(outShape(x.Shape(), ws[0]), inputs...)
	if bias != nil {
		out.Value.FillRows(bias.Value.Data)
		tensor.MatMul(false, true, 1, x.Value, w.Value, 1, out.Value)
	} else {
		tensor.MatMul(false, true, 1, x.Value, w.Value, 0, out.Value)
	}
	tp.AddBackward(out, func() {
		if x.requiresGrad { // gx += g·w
			tensor.MatMul(false, false, 1, out.grad, w.Value, 1, x.AccumGrad())
		}
		if w.requiresGrad { // gw += gᵀ·x
			tensor.MatMul(true, false, 1, out.grad, x.Value, 1, w.AccumGrad())
		}
		if bias != nil && bias.requiresGrad { // gb += column sums of g
			sumRowsInto(bias.AccumGrad().Data, out.grad)
		}
	})
	return out
}

// sumRowsInto adds the column sums of g (as a matrix) into dst.
func sumRowsInto(dst []float32, g *tensor.Tensor) {
	c := len(dst)
	for i := 0; i < len(g.Data); i += c {
		row := g.Data[i : i+c]
		for j, v := range row {
			dst[j] += v
		}
	}
}
