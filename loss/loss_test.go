package loss

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/tensor"
)

func param(rng *rand.Rand, lo, hi float64, shape ...int) *autodiff.Node {
	t := tensor.New(shape...)
	for i := range t.Data {
		t.Data[i] = float32(lo + (hi-lo)*rng.Float64())
	}
	return autodiff.NewParam(t)
}

func TestGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	pred := param(rng, -2, 2, 6, 3)
	target := param(rng, -2, 2, 6, 3)
	for i := range pred.Value.Data { // keep L1 away from its kink
		if d := pred.Value.Data[i] - target.Value.Data[i]; d > -0.1 && d < 0.1 {
			pred.Value.Data[i] += 0.5
		}
	}
	T := param(rng, 1, 4, 6, 1)
	labels := []int{0, 2, 1, 1, 0, 2}
	cases := []struct {
		name   string
		f      func(tp *autodiff.Tape) *autodiff.Node
		inputs []*autodiff.Node
	}{
		{"L1", func(tp *autodiff.Tape) *autodiff.Node { return L1(tp, pred, target) }, []*autodiff.Node{pred, target}},
		{"MSE", func(tp *autodiff.Tape) *autodiff.Node { return MSE(tp, pred, target) }, []*autodiff.Node{pred, target}},
		{"SoftmaxCrossEntropy", func(tp *autodiff.Tape) *autodiff.Node { return SoftmaxCrossEntropy(tp, pred, labels) }, []*autodiff.Node{pred}},
		{"KLTemperature", func(tp *autodiff.Tape) *autodiff.Node { return KLTemperature(tp, target, pred, T) }, []*autodiff.Node{target, pred, T}},
		{"WeightedL1", func(tp *autodiff.Tape) *autodiff.Node { return WeightedL1(tp, pred, target, T) }, []*autodiff.Node{pred, target, T}},
		{"WeightedMSE", func(tp *autodiff.Tape) *autodiff.Node { return WeightedMSE(tp, pred, target, T) }, []*autodiff.Node{pred, target, T}},
	}
	for _, c := range cases {
		if err, where := autodiff.GradCheck(c.f, c.inputs, 1e-2); err > 5e-3 {
			t.Errorf("%s: gradient error %.3g at %s", c.name, err, where)
		}
	}
}

func value(t *testing.T, n *autodiff.Node) float64 {
	t.Helper()
	return float64(n.Value.Data[0])
}

func TestValuesByHand(t *testing.T) {
	tp := autodiff.NewTape()
	p := tp.Const(tensor.From([]float32{1, -1, 3}, 3, 1))
	y := tp.Const(tensor.From([]float32{0, 1, 3}, 3, 1))
	if v := value(t, L1(tp, p, y)); math.Abs(v-1) > 1e-6 { // (1+2+0)/3
		t.Errorf("L1 = %v, want 1", v)
	}
	if v := value(t, MSE(tp, p, y)); math.Abs(v-5.0/3) > 1e-6 { // (1+4+0)/3
		t.Errorf("MSE = %v, want 5/3", v)
	}
	// Weights 1, 1, 1 give L1 and MSE; 3, 1, 0.5 give (3·1 + 1·2 + 0)/4.5 and
	// (3·1 + 1·4 + 0)/4.5; weights 10× as large give the same.
	for _, scale := range []float32{1, 10} {
		ones := tp.Const(tensor.From([]float32{scale, scale, scale}, 3, 1))
		w := tp.Const(tensor.From([]float32{3 * scale, scale, 0.5 * scale}, 3, 1))
		for _, c := range []struct {
			name string
			got  *autodiff.Node
			want float64
		}{
			{"WeightedL1, equal weights", WeightedL1(tp, p, y, ones), 1},
			{"WeightedMSE, equal weights", WeightedMSE(tp, p, y, ones), 5.0 / 3},
			{"WeightedL1", WeightedL1(tp, p, y, w), 5 / 4.5},
			{"WeightedMSE", WeightedMSE(tp, p, y, w), 7 / 4.5},
		} {
			if v := value(t, c.got); math.Abs(v-c.want) > 1e-6 {
				t.Errorf("%s (weights ×%g) = %v, want %v", c.name, scale, v, c.want)
			}
		}
	}
	logits := tp.Const(tensor.From([]float32{0, 0, math.Float32frombits(0x3f317218)}, 1, 3)) // ln 2
	// softmax = (1/4, 1/4, 1/2): -log(1/2) for label 2, -log(1/4) for label 0.
	if v := value(t, SoftmaxCrossEntropy(tp, logits, []int{2})); math.Abs(v-math.Ln2) > 1e-6 {
		t.Errorf("CE = %v, want ln 2", v)
	}
	// KL with identical distributions at T=1 is 0; at T=2 the student is softened.
	one := tp.Const(tensor.From([]float32{1}, 1, 1))
	if v := value(t, KLTemperature(tp, logits, logits, one)); math.Abs(v) > 1e-7 {
		t.Errorf("KL(p‖p) = %v, want 0", v)
	}
	two := tp.Const(tensor.From([]float32{2}, 1, 1))
	teacher := tp.Const(tensor.From([]float32{0, 0}, 1, 2))                        // P = (1/2, 1/2)
	student := tp.Const(tensor.From([]float32{0, 2 * float32(math.Log(3))}, 1, 2)) // s/T = (0, ln 3): Q = (1/4, 3/4)
	want := 4 * (0.5*math.Log(0.5/0.25) + 0.5*math.Log(0.5/0.75))                  // T² KL
	if v := value(t, KLTemperature(tp, teacher, student, two)); math.Abs(v-want) > 1e-6 {
		t.Errorf("T²·KL = %v, want %v", v, want)
	}
}
