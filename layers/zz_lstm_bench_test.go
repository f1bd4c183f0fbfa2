package layers

import (
	"testing"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/tensor"
)

func BenchmarkZZLSTMInfer(b *testing.B) {
	rng := nn.NewRNG(1)
	l := NewLSTM("t", 300, 64, rng)
	x := tensor.New(686, 20, 300)
	for i := range x.Data {
		x.Data[i] = float32(rng.NormFloat64())
	}
	tp := autodiff.NewTape()
	tp.NoGrad = true
	for b.Loop() {
		l.Forward(tp, tp.Const(x))
		tp.Reset()
	}
}
