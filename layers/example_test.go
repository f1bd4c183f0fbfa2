package layers_test

import (
	"fmt"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/layers"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/tensor"
)

// An LSTM reads a batch of sequences (B, T, in) and returns each one's last
// valid hidden state (B, hidden); the backward pass gives every weight its
// gradient.
func ExampleLSTM() {
	lstm := layers.NewLSTM("lstm", 3, 4, nn.NewRNG(1))
	tp := autodiff.NewTape()
	x := tensor.New(2, 5, 3) // 2 sequences of 5 steps of 3 features
	for i := range x.Data {
		x.Data[i] = float32(i%7) / 7
	}
	h := lstm.ForwardLengths(tp, tp.Const(x), []int{5, 2}) // the second has 2 valid steps
	tp.Backward(tp.Mean(h))
	fmt.Println(h.Shape(), len(lstm.Params()), lstm.WeightHH.Grad().Shape)
	// Output:
	// [2 4] 4 [16 4]
}
