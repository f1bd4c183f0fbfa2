package autodiff

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/modistill/modistill/tensor"
)

// randParam returns a parameter of the given shape with values in
// [-scale, scale], avoiding a band around 0 when away is set (for ReLU's kink).
func randParam(rng *rand.Rand, away bool, shape ...int) *Node {
	t := tensor.New(shape...)
	for i := range t.Data {
		v := float32(rng.Float64()*2 - 1)
		if away && v > -0.1 && v < 0.1 {
			v += 0.3
		}
		t.Data[i] = v
	}
	return NewParam(t)
}

const gradTol = 5e-3

func check(t *testing.T, name string, f func(tp *Tape) *Node, inputs ...*Node) {
	t.Helper()
	if err, where := GradCheck(f, inputs, 1e-2); err > gradTol {
		t.Errorf("%s: gradient error %.3g at %s", name, err, where)
	}
}

func TestGradients(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	a := randParam(rng, true, 4, 3)
	b := randParam(rng, true, 4, 3)
	w := randParam(rng, false, 5, 3)
	bias := randParam(rng, false, 5)
	m := randParam(rng, false, 3, 2)
	s := randParam(rng, false, 4, 1)
	s.Value.Data[0], s.Value.Data[1], s.Value.Data[2], s.Value.Data[3] = 1.5, 2, 0.7, 3 // away from 0
	seq := randParam(rng, false, 2, 3, 3)                                               // (B, T, D)
	core := randParam(rng, false, 1, 3, 2, 4)
	batched := randParam(rng, false, 4, 3, 2, 4)
	p3 := randParam(rng, false, 4, 3)
	p2 := randParam(rng, false, 4, 2)
	p4 := randParam(rng, false, 4, 4)
	w1 := randParam(rng, false, 1, 2)

	check(t, "MatMul", func(tp *Tape) *Node { return tp.MatMul(a, m) }, a, m)
	check(t, "MatMul of a sequence batch", func(tp *Tape) *Node { return tp.MatMul(seq, m) }, seq, m)
	check(t, "Linear", func(tp *Tape) *Node { return tp.Linear(a, w, bias) }, a, w, bias)
	check(t, "Linear without bias", func(tp *Tape) *Node { return tp.Linear(a, w, nil) }, a, w)
	check(t, "Add", func(tp *Tape) *Node { return tp.Add(a, b) }, a, b)
	check(t, "Sub", func(tp *Tape) *Node { return tp.Sub(a, b) }, a, b)
	check(t, "Mul", func(tp *Tape) *Node { return tp.Mul(a, b) }, a, b)
	check(t, "AddBias", func(tp *Tape) *Node { return tp.AddBias(tp.Linear(a, w, nil), bias) }, a, bias)
	check(t, "Scale", func(tp *Tape) *Node { return tp.Scale(a, -1.7) }, a)
	check(t, "AddConst", func(tp *Tape) *Node { return tp.Mul(tp.AddConst(a, 2), a) }, a)
	check(t, "MulRows", func(tp *Tape) *Node { return tp.MulRows(a, s) }, a, s)
	check(t, "DivRows", func(tp *Tape) *Node { return tp.DivRows(a, s) }, a, s)
	check(t, "ReLU", func(tp *Tape) *Node { return tp.ReLU(a) }, a)
	check(t, "Sigmoid", func(tp *Tape) *Node { return tp.Sigmoid(tp.Scale(a, 3)) }, a)
	check(t, "Tanh", func(tp *Tape) *Node { return tp.Tanh(tp.Scale(a, 2)) }, a)
	check(t, "Softplus", func(tp *Tape) *Node { return tp.Softplus(tp.Scale(a, 4)) }, a)
	check(t, "Concat", func(tp *Tape) *Node { return tp.Concat(a, tp.Scale(b, 2), s) }, a, b, s)
	check(t, "SliceCols", func(tp *Tape) *Node { return tp.SliceCols(a, 1, 3) }, a)
	check(t, "Reshape", func(tp *Tape) *Node { return tp.Mul(tp.Reshape(a, 3, 4), tp.Reshape(b, 3, 4)) }, a, b)
	check(t, "Sum", func(tp *Tape) *Node { return tp.Sum(tp.Mul(a, b)) }, a, b)
	check(t, "Mean", func(tp *Tape) *Node { return tp.Mean(tp.Mul(a, a)) }, a)
	check(t, "ModeProduct shared core, mode 0", func(tp *Tape) *Node { return tp.ModeProduct(core, p3, 0) }, core, p3)
	check(t, "ModeProduct shared core, mode 1", func(tp *Tape) *Node { return tp.ModeProduct(core, p2, 1) }, core, p2)
	check(t, "ModeProduct shared core, last mode", func(tp *Tape) *Node { return tp.ModeProduct(core, p4, 2) }, core, p4)
	check(t, "ModeProduct batched", func(tp *Tape) *Node { return tp.ModeProduct(batched, p2, 1) }, batched, p2)
	check(t, "ModeProduct broadcast vector", func(tp *Tape) *Node { return tp.ModeProduct(batched, w1, 1) }, batched, w1)
	check(t, "Tucker chain", func(tp *Tape) *Node {
		x := tp.ModeProduct(core, p3, 0) // (4, 2, 4)
		x = tp.ModeProduct(x, p2, 0)     // (4, 4)
		return tp.Tanh(x)
	}, core, p3, p2)
	check(t, "Dropout", func(tp *Tape) *Node {
		return tp.Dropout(a, 0.3, uint32s(rand.New(rand.NewPCG(3, 4))))
	}, a)
	check(t, "Detach", func(tp *Tape) *Node { return tp.Mul(a, tp.Detach(b)) }, a)
	// Reversal is deliberately not the true gradient; reversed twice it is.
	check(t, "Outer", func(tp *Tape) *Node { return tp.Outer(a, tp.SliceCols(b, 0, 2)) }, a, b)
	check(t, "Softmax", func(tp *Tape) *Node { return tp.Softmax(tp.Scale(a, 2)) }, a)
	check(t, "GatherRows", func(tp *Tape) *Node { return tp.GatherRows(a, []int{2, -1, 0, 2, 3}) }, a)
	check(t, "GradReverse twice", func(tp *Tape) *Node { return tp.Tanh(tp.GradReverse(tp.GradReverse(a, 1), 1)) }, a)
}

func TestDetachStopsGradient(t *testing.T) {
	a := NewParam(tensor.From([]float32{1, 2}, 2))
	b := NewParam(tensor.From([]float32{3, 4}, 2))
	tp := NewTape()
	tp.Backward(tp.Sum(tp.Mul(a, tp.Detach(b))))
	if g := b.Grad().Data; g[0] != 0 || g[1] != 0 {
		t.Fatalf("gradient leaked through Detach: %v", g)
	}
	if g := a.Grad().Data; g[0] != 3 || g[1] != 4 {
		t.Fatalf("a's gradient = %v, want [3 4]", g)
	}
}

func TestGradReverseScalesByMinusLambda(t *testing.T) {
	a := NewParam(tensor.From([]float32{1, 2}, 2))
	tp := NewTape()
	tp.Backward(tp.Sum(tp.GradReverse(a, 0.5)))
	if g := a.Grad().Data; g[0] != -0.5 || g[1] != -0.5 {
		t.Fatalf("gradient = %v, want [-0.5 -0.5]", g)
	}
}

// uint32s draws for Dropout from rng one value at a time, as
// nn.Training's mode does.
func uint32s(rng *rand.Rand) func([]uint32) {
	return func(dst []uint32) {
		for i := range dst {
			dst[i] = rng.Uint32()
		}
	}
}

func TestDropoutStatistics(t *testing.T) {
	tp := NewTape()
	x := tp.Const(tensor.New(10000))
	x.Value.Fill(1)
	y := tp.Dropout(x, 0.25, uint32s(rand.New(rand.NewPCG(1, 1))))
	zeros, sum := 0, float32(0)
	for _, v := range y.Value.Data {
		if v == 0 {
			zeros++
		}
		sum += v
	}
	if zeros < 2300 || zeros > 2700 {
		t.Errorf("dropped %d of 10000 at rate 0.25", zeros)
	}
	if mean := sum / 10000; mean < 0.95 || mean > 1.05 {
		t.Errorf("mean after inverted dropout %.3f, want about 1", mean)
	}
}

// Dropout keeps exactly the elements for which rng.Float32() >= rate, the
// rule it is written to follow, with +0 (not -0) where it drops.
func TestDropoutKeepsWhereFloat32ReachesTheRate(t *testing.T) {
	for _, rate := range []float32{1e-7, 0.1, 0.2, 0.25, 1.0 / 3, 0.5, 0.999999} {
		tp := NewTape()
		x := NewParam(tensor.New(5000)) // more than one block of draws
		for i := range x.Value.Data {
			x.Value.Data[i] = float32(i%7) - 3
		}
		y := tp.Dropout(x, rate, uint32s(rand.New(rand.NewPCG(7, 8))))
		ref := rand.New(rand.NewPCG(7, 8))
		kept := make([]bool, len(x.Value.Data))
		for i, v := range x.Value.Data {
			want := float32(0)
			if kept[i] = ref.Float32() >= rate; kept[i] {
				want = v * (1 / (1 - rate))
			}
			if got := y.Value.Data[i]; math.Float32bits(got) != math.Float32bits(want) {
				t.Fatalf("rate %v: element %d = %v, want %v", rate, i, got, want)
			}
		}
		// The gradient passes where the element was kept, scaled, and is
		// +0 where it was dropped.
		tp.Backward(tp.Sum(y))
		for i, g := range x.Grad().Data {
			want := float32(0)
			if kept[i] {
				want = 1 / (1 - rate)
			}
			if math.Float32bits(g) != math.Float32bits(want) {
				t.Fatalf("rate %v: gradient %d = %v, want %v", rate, i, g, want)
			}
		}
	}
}

func TestNoGradRecordsNothing(t *testing.T) {
	a := NewParam(tensor.From([]float32{1, 2}, 1, 2))
	tp := NewTape()
	tp.NoGrad = true
	y := tp.Linear(a, a, nil)
	if y.RequiresGrad() || len(tp.backward) != 0 {
		t.Fatal("NoGrad tape recorded an operation")
	}
}

func TestInferenceAndWithoutGrad(t *testing.T) {
	a := NewParam(tensor.From([]float32{1, 2}, 1, 2))
	tp := NewTape()
	var inside *Node
	tp.WithoutGrad(func() { inside = tp.Linear(a, a, nil) })
	if inside.RequiresGrad() || tp.NoGrad || len(tp.backward) != 0 {
		t.Fatal("WithoutGrad recorded an operation or left NoGrad set")
	}
	if y := tp.Linear(a, a, nil); !y.RequiresGrad() {
		t.Fatal("after WithoutGrad the tape does not record")
	}
	end := tp.Inference()
	if y := tp.Linear(a, a, nil); y.RequiresGrad() || !tp.NoGrad {
		t.Fatal("Inference records")
	}
	end()
	if tp.NoGrad || len(tp.backward) != 0 || len(tp.used) != 0 {
		t.Fatal("the end of Inference did not restore NoGrad and reset the tape")
	}
}

func TestResetReusesMemory(t *testing.T) {
	tp := NewTape()
	x := tp.Alloc(64)
	x.Data[0] = 5
	tp.Reset()
	y := tp.Alloc(64)
	if &x.Data[0] != &y.Data[0] {
		t.Fatal("pool did not reuse the buffer")
	}
	if y.Data[0] != 0 {
		t.Fatal("reused buffer not zeroed")
	}
}

func TestShapePanicsNameOpAndShapes(t *testing.T) {
	cases := map[string]func(tp *Tape){
		"autodiff.Add: shapes (2, 3) and (3, 2)": func(tp *Tape) { tp.Add(tp.Const(tensor.New(2, 3)), tp.Const(tensor.New(3, 2))) },
		"autodiff.MatMul: (2, 3) x (2, 3)":       func(tp *Tape) { tp.MatMul(tp.Const(tensor.New(2, 3)), tp.Const(tensor.New(2, 3))) },
		"autodiff.Linear: input (2, 3), weight (4, 2)": func(tp *Tape) {
			tp.Linear(tp.Const(tensor.New(2, 3)), tp.Const(tensor.New(4, 2)), nil)
		},
		"autodiff.ModeProduct: tensor (1, 3, 2), vectors (4, 2), mode 0": func(tp *Tape) {
			tp.ModeProduct(tp.Const(tensor.New(1, 3, 2)), tp.Const(tensor.New(4, 2)), 0)
		},
	}
	for want, f := range cases {
		func() {
			defer func() {
				msg, _ := recover().(string)
				if !strings.Contains(msg, want) {
					t.Errorf("panic %q, want it to contain %q", msg, want)
				}
			}()
			f(NewTape())
		}()
	}
}

func TestModeProductValues(t *testing.T) {
	// core (1, 2, 2): x[0,j,i]; p (1, 2): out[i] = Σ_j x[j,i] p[j]
	tp := NewTape()
	core := tp.Const(tensor.From([]float32{1, 2, 3, 4}, 1, 2, 2))
	p := tp.Const(tensor.From([]float32{10, 1}, 1, 2))
	out0 := tp.ModeProduct(core, p, 0) // Σ_j x[j,i] p[j] = [10+3, 20+4]
	out1 := tp.ModeProduct(core, p, 1) // Σ_i x[j,i] p[i] = [10+2, 30+4]
	if d := out0.Value.Data; d[0] != 13 || d[1] != 24 {
		t.Errorf("mode 0: %v, want [13 24]", d)
	}
	if d := out1.Value.Data; d[0] != 12 || d[1] != 34 {
		t.Errorf("mode 1: %v, want [12 34]", d)
	}
}

// GradCheck itself: it catches a wrong gradient, tolerates a kink within
// eps, and refuses a point where most elements sit at kinks.
func TestGradCheckCatchesWrongGradients(t *testing.T) {
	x := NewParam(tensor.From([]float32{0.7, -1.3, 2.1}, 3))
	wrong := func(tp *Tape) *Node { // y = x², with a backward of 3x instead of 2x
		out := tp.NewOutput(x.Shape(), x)
		for i, v := range x.Value.Data {
			out.Value.Data[i] = v * v
		}
		tp.AddBackward(out, func() {
			g := x.AccumGrad().Data
			for i, v := range x.Value.Data {
				g[i] += 3 * v * out.Grad().Data[i]
			}
		})
		return out
	}
	if err, _ := GradCheck(wrong, []*Node{x}, 1e-2); err < 0.1 {
		t.Errorf("a wrong backward passed with error %v", err)
	}
	// One element 0.001 from ReLU's kink among many smooth ones: skipped.
	vals := make([]float32, 40)
	for i := range vals {
		vals[i] = 0.5 + float32(i)*0.1
	}
	vals[7] = 0.001
	y := NewParam(tensor.From(vals, 40))
	if err, where := GradCheck(func(tp *Tape) *Node { return tp.ReLU(y) }, []*Node{y}, 1e-2); err > 1e-3 {
		t.Errorf("a kink within eps failed the check: %v at %s", err, where)
	}
	// Every element at a kink: no verdict, an infinite error.
	z := NewParam(tensor.From([]float32{0.001, -0.002, 0.003}, 3))
	if err, _ := GradCheck(func(tp *Tape) *Node { return tp.ReLU(z) }, []*Node{z}, 1e-2); !math.IsInf(err, 1) {
		t.Errorf("all kinks gave error %v, want +Inf", err)
	}
}
