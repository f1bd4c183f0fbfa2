package fusion

import (
	"math/rand/v2"
	"testing"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/tensor"
)

func randNode(rng *rand.Rand, shape ...int) *autodiff.Node {
	t := tensor.New(shape...)
	nn.Normal(t, 1, rng)
	return autodiff.NewParam(t)
}

// naiveLMF evaluates Eq. 9 directly: z_h[b,k] = Σ_i w_i ∏_m ([1; z^m_b]ᵀ W_m^(i)[:, k]) + bias[k].
func naiveLMF(f *LMF, z [3]*tensor.Tensor) []float64 {
	B := z[0].Shape[0]
	out := make([]float64, B*f.H)
	for b := range B {
		for k := range f.H {
			s := float64(f.Bias.Value.Data[k])
			for i := range f.R {
				prod := 1.0
				for m := range 3 {
					d := z[m].Shape[1]
					col := i*f.H + k
					v := float64(f.W[m].Value.Data[col]) // the row of the appended 1
					for j := range d {
						v += float64(z[m].Data[b*d+j]) * float64(f.W[m].Value.Data[(j+1)*f.R*f.H+col])
					}
					prod *= v
				}
				s += float64(f.Weight.Value.Data[i]) * prod
			}
			out[b*f.H+k] = s
		}
	}
	return out
}

func TestLMFMatchesEquation9(t *testing.T) {
	rng := nn.NewRNG(1)
	f := NewLMF("fusion", [3]int{3, 4, 5}, 3, 2, rng)
	nn.Normal(f.Bias.Value, 1, rng)
	z := [3]*autodiff.Node{randNode(rng, 6, 3), randNode(rng, 6, 4), randNode(rng, 6, 5)}
	tp := autodiff.NewTape()
	got := f.Forward(tp, z)
	want := naiveLMF(f, [3]*tensor.Tensor{z[0].Value, z[1].Value, z[2].Value})
	for i, w := range want {
		if d := float64(got.Value.Data[i]) - w; d > 1e-4 || d < -1e-4 {
			t.Fatalf("z_h[%d] = %v, want %v", i, got.Value.Data[i], w)
		}
	}
}

func TestLMFGradients(t *testing.T) {
	rng := nn.NewRNG(2)
	f := NewLMF("fusion", [3]int{2, 3, 2}, 2, 3, rng)
	z := [3]*autodiff.Node{randNode(rng, 4, 2), randNode(rng, 4, 3), randNode(rng, 4, 2)}
	inputs := append([]*autodiff.Node{z[0], z[1], z[2]}, f.Weight.Node, f.Bias.Node, f.W[0].Node, f.W[1].Node, f.W[2].Node)
	err, where := autodiff.GradCheck(func(tp *autodiff.Tape) *autodiff.Node { return f.Forward(tp, z) }, inputs, 1e-2)
	if err > 5e-3 {
		t.Errorf("LMF gradient error %.3g at %s", err, where)
	}
}

func TestLMFNeedsAllModalities(t *testing.T) {
	rng := nn.NewRNG(3)
	f := NewLMF("fusion", [3]int{2, 2, 2}, 1, 1, rng)
	tp := autodiff.NewTape()
	p := f.Project(tp, [3]*autodiff.Node{randNode(rng, 2, 2), nil, randNode(rng, 2, 2)})
	if p[1] != nil || p[0] == nil || p[2] == nil {
		t.Fatal("Project should project exactly the present modalities")
	}
	defer func() {
		if recover() == nil {
			t.Error("Fuse with a missing modality did not panic")
		}
	}()
	f.Fuse(tp, p)
}
