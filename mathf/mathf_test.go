package mathf

import (
	"math"
	"testing"
)

func TestExpAccuracy(t *testing.T) {
	worst := 0.0
	for x := float32(-87); x < 88; x += 0.0137 {
		got := float64(Exp(x))
		want := math.Exp(float64(x))
		if rel := math.Abs(got-want) / want; rel > worst {
			worst = rel
		}
	}
	if worst > 3e-7 { // about 2.5 ulp of float32
		t.Errorf("Exp relative error up to %.3g", worst)
	}
	if Exp(100) != float32(math.Inf(1)) || Exp(-100) != 0 || Exp(0) != 1 {
		t.Errorf("Exp(100), Exp(-100), Exp(0) = %v, %v, %v", Exp(100), Exp(-100), Exp(0))
	}
	if nan := Exp(float32(math.NaN())); nan == nan {
		t.Error("Exp(NaN) is not NaN")
	}
}

func TestSigmoidTanhAccuracy(t *testing.T) {
	var ws, wt float64
	for x := float32(-30); x < 30; x += 0.0031 {
		ws = math.Max(ws, math.Abs(float64(Sigmoid(x))-1/(1+math.Exp(-float64(x)))))
		wt = math.Max(wt, math.Abs(float64(Tanh(x))-math.Tanh(float64(x))))
	}
	if ws > 1.5e-7 || wt > 2.5e-7 {
		t.Errorf("absolute errors: sigmoid %.3g, tanh %.3g", ws, wt)
	}
}

var sink float32

func BenchmarkExp(b *testing.B) {
	x := float32(-3)
	for b.Loop() {
		sink += Exp(x)
		x += 1e-6
	}
}

func BenchmarkMathExp(b *testing.B) {
	x := float32(-3)
	for b.Loop() {
		sink += float32(math.Exp(float64(x)))
		x += 1e-6
	}
}
