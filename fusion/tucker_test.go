package fusion

import (
	"math"
	"testing"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/tensor"
	"gonum.org/v1/gonum/mat"
)

func inputs(seed uint64, n int, dims [3]int) [3]*autodiff.Node {
	rng := nn.NewRNG(seed)
	var z [3]*autodiff.Node
	for m, d := range dims {
		z[m] = randNode(rng, n, d)
	}
	return z
}

// METHOD.md item 2: LMF(rank R, h) is Tucker with t_m = R·h, t_h = h,
// W_h = I, b_h = LMF's bias, W_m = LMF's factors (column i·h+k) and a core
// non-zero only at [(i,k), (i,k), (i,k), k] = w_i.
func TestTuckerSpecialCaseIsLMF(t *testing.T) {
	const R, h, n = 3, 4, 50
	dims := [3]int{5, 4, 6}
	rng := nn.NewRNG(1)
	lmf := NewLMF("lmf", dims, R, h, rng)
	nn.Normal(lmf.Bias.Value, 1, rng)
	tk := NewTucker("tucker", dims, [3]int{R * h, R * h, R * h}, h, h, rng)
	tk.Core.Value.Zero()
	tk.Wh.Value.Zero()
	for k := range h {
		tk.Wh.Value.Data[k*h+k] = 1
	}
	tk.Bh.Value.CopyFrom(lmf.Bias.Value)
	for m := range 3 {
		tk.W[m].Value.CopyFrom(lmf.W[m].Value)
	}
	t3 := R * h
	for i := range R {
		for k := range h {
			c := i*h + k
			tk.Core.Value.Data[((c*t3+c)*t3+c)*h+k] = lmf.Weight.Value.Data[i]
		}
	}
	z := inputs(2, n, dims)
	tp := autodiff.NewTape()
	a, b := lmf.Forward(tp, z), tk.Forward(tp, z)
	worst := 0.0
	for i := range a.Value.Data {
		worst = math.Max(worst, math.Abs(float64(a.Value.Data[i]-b.Value.Data[i])))
	}
	if worst > 1e-4 {
		t.Errorf("LMF and its Tucker form differ by up to %g", worst)
	}
	// Counter-case: t_m = R with a super-diagonal core is not LMF once h > R:
	// its z_h spans at most R directions, LMF's h.
	sd := NewTucker("sd", dims, [3]int{R, R, R}, R, h, rng)
	sd.Core.Value.Zero()
	for i := range R {
		sd.Core.Value.Data[((i*R+i)*R+i)*R+i] = 1
	}
	if ra, rs := centredRank(a.Value), centredRank(sd.Forward(tp, z).Value); ra != h || rs != R {
		t.Errorf("ranks of z_h over %d samples: LMF %d (want %d), super-diagonal Tucker %d (want %d)", n, ra, h, rs, R)
	}
}

// centredRank is the numerical rank of the rows of x minus their mean.
func centredRank(x *tensor.Tensor) int {
	n, c := x.Rows(), x.Cols()
	m := mat.NewDense(n, c, nil)
	for j := range c {
		var mean float64
		for i := range n {
			mean += float64(x.Data[i*c+j]) / float64(n)
		}
		for i := range n {
			m.Set(i, j, float64(x.Data[i*c+j])-mean)
		}
	}
	var svd mat.SVD
	svd.Factorize(m, mat.SVDNone)
	vals := svd.Values(nil)
	rank := 0
	for _, v := range vals {
		if v > 1e-4*vals[0] {
			rank++
		}
	}
	return rank
}

// TFN's fused layer W·vec([1;z_a]⊗[1;z_v]⊗[1;z_t]) is an LMF of rank
// (d_v+1)(d_t+1): term (j,l) uses W[:, j, l, k] as the audio factor and unit
// vectors e_j, e_l as the visual and text factors.
func TestLMFOfFullRankRepresentsTFN(t *testing.T) {
	dims := [3]int{2, 3, 2}
	D := [3]int{3, 4, 3}
	const h = 2
	rng := nn.NewRNG(3)
	W := tensor.New(D[0], D[1], D[2], h) // TFN's linear fused layer as a tensor
	nn.Normal(W, 1, rng)
	R := D[1] * D[2]
	lmf := NewLMF("lmf", dims, R, h, rng)
	lmf.Bias.Value.Zero()
	for m := range 3 {
		lmf.W[m].Value.Zero()
	}
	for j := range D[1] {
		for l := range D[2] {
			i := j*D[2] + l
			lmf.Weight.Value.Data[i] = 1
			for k := range h {
				col := i*h + k
				for r := range D[0] {
					lmf.W[0].Value.Data[r*R*h+col] = W.Data[((r*D[1]+j)*D[2]+l)*h+k]
				}
				lmf.W[1].Value.Data[j*R*h+col] = 1
				lmf.W[2].Value.Data[l*R*h+col] = 1
			}
		}
	}
	z := inputs(4, 7, dims)
	tp := autodiff.NewTape()
	tensorFused := (&TFN{}).Tensor(tp, z) // (7, 36)
	want := tp.MatMul(tensorFused, tp.Const(W.Reshape(D[0]*D[1]*D[2], h)))
	got := lmf.Forward(tp, z)
	for i, w := range want.Value.Data {
		if math.Abs(float64(got.Value.Data[i]-w)) > 1e-4 {
			t.Fatalf("LMF %v, TFN %v", got.Value.Data, want.Value.Data)
		}
	}
}

func TestTuckerTFNAndDFGradients(t *testing.T) {
	rng := nn.NewRNG(5)
	dims := [3]int{2, 3, 2}
	tk := NewTucker("tucker", dims, [3]int{2, 3, 2}, 2, 3, rng)
	nn.Normal(tk.Bh.Value, 1, rng)
	z := inputs(6, 4, dims)
	in := []*autodiff.Node{z[0], z[1], z[2]}
	for _, p := range tk.Params() {
		in = append(in, p.Node)
	}
	if err, where := autodiff.GradCheck(func(tp *autodiff.Tape) *autodiff.Node { return tk.Forward(tp, z) }, in, 1e-2); err > 5e-3 {
		t.Errorf("Tucker gradient error %.3g at %s", err, where)
	}
	tfn := NewTFN("tfn", dims, 3, 0.2, rng)
	in = []*autodiff.Node{z[0], z[1], z[2]}
	for _, p := range tfn.Params() {
		nn.Normal(p.Value, 0.5, rng) // random biases keep ReLU off its kink
		in = append(in, p.Node)
	}
	f := func(tp *autodiff.Tape) *autodiff.Node { return tfn.Forward(tp, nn.Training(nn.NewRNG(8)), z) }
	if err, where := autodiff.GradCheck(f, in, 1e-2); err > 5e-3 {
		t.Errorf("TFN gradient error %.3g at %s", err, where)
	}
	df := NewConcat("df", dims, 3, 0.2, rng)
	in = []*autodiff.Node{z[0], z[1], z[2]}
	for _, p := range df.Params() {
		nn.Normal(p.Value, 0.5, rng)
		if len(p.Value.Shape) == 1 { // biases away from 0: a dropped row leaves only the bias before ReLU
			for i, v := range p.Value.Data {
				p.Value.Data[i] = float32(math.Copysign(0.3+math.Abs(float64(v)), float64(v)))
			}
		}
		in = append(in, p.Node)
	}
	// Evaluation mode: with dropout (checked inside the MLP's own test) one
	// sample's pre-activation here lands 1e-4 from ReLU's kink, where finite
	// differences are wrong.
	g := func(tp *autodiff.Tape) *autodiff.Node { return df.Forward(tp, nn.Eval, z) }
	if err, where := autodiff.GradCheck(g, in, 1e-2); err > 5e-3 {
		t.Errorf("DF gradient error %.3g at %s", err, where)
	}
}
