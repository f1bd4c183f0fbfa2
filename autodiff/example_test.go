package autodiff_test

import (
	"fmt"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/tensor"
)

// The gradient of Σ tanh(x·w) with respect to w, recorded on a tape. By hand:
// x·w = (-1.5, -1); dw = (1-tanh²(-1.5))·(1, 2) + (1-tanh²(-1))·(0, 1).
func Example() {
	w := autodiff.NewParam(tensor.From([]float32{0.5, -1}, 2, 1))
	tp := autodiff.NewTape()
	x := tp.Const(tensor.From([]float32{1, 2, 0, 1}, 2, 2))
	loss := tp.Sum(tp.Tanh(tp.MatMul(x, w)))
	tp.Backward(loss)
	fmt.Printf("loss %.4f, dloss/dw %.4f\n", loss.Value.Data[0], w.Grad().Data)
	// Output: loss -1.6667, dloss/dw [0.1807 0.7814]
}
