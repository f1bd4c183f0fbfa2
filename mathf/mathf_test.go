package mathf

import (
	"math"
	"math/rand/v2"
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

// The slice functions give the scalar functions' bits, on a dense sweep
// and on the edges (saturation, zeros of both signs, infinities, NaN),
// whatever the length (the vector body and the scalar tail).
func TestSliceFunctionsMatchTheScalarBits(t *testing.T) {
	var xs []float32
	for x := float32(-100); x < 100; x += 0.00731 {
		xs = append(xs, x)
	}
	xs = append(xs, 0, float32(math.Copysign(0, -1)), 9, -9, 9.0000005, -9.0000005, 88.37626, 88.3763, -87.33654, -87.3366, -103,
		float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), math.SmallestNonzeroFloat32, math.MaxFloat32, -math.MaxFloat32)
	for _, f := range []struct {
		name   string
		slice  func([]float32)
		scalar func(float32) float32
	}{{"Exp", ExpSlice, Exp}, {"Sigmoid", SigmoidSlice, Sigmoid}, {"Tanh", TanhSlice, Tanh}} {
		for _, n := range []int{len(xs), 7, 8, 13} {
			got := append([]float32(nil), xs[len(xs)-n:]...)
			f.slice(got)
			for i, x := range xs[len(xs)-n:] {
				want := f.scalar(x)
				if math.Float32bits(got[i]) != math.Float32bits(want) && !(want != want && got[i] != got[i]) {
					t.Fatalf("%sSlice(%g) = %g (%#x), %s gives %g (%#x)", f.name, x, got[i], math.Float32bits(got[i]), f.name, want, math.Float32bits(want))
				}
			}
		}
	}
}

// ProductSum and Product give the scalar loop's bits (two rounded
// products, then their sum), whatever the length.
func TestProductsMatchTheScalarLoop(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{0, 1, 7, 8, 9, 64, 67} {
		op := make([][]float32, 4)
		for k := range op {
			op[k] = make([]float32, n+2) // longer than dst: only dst's length is used
			for i := range op[k] {
				op[k][i] = float32(rng.NormFloat64() * 3)
			}
		}
		sum, prod := make([]float32, n), make([]float32, n)
		ProductSum(sum, op[0], op[1], op[2], op[3])
		Product(prod, op[0], op[1])
		for i := range n {
			a, b, c, d := op[0][i], op[1][i], op[2][i], op[3][i]
			p, q := float32(a*b), float32(c*d) // rounded one at a time (no fusing)
			if want := p + q; math.Float32bits(sum[i]) != math.Float32bits(want) {
				t.Fatalf("n=%d: ProductSum[%d] = %g, want %g", n, i, sum[i], want)
			}
			if math.Float32bits(prod[i]) != math.Float32bits(p) {
				t.Fatalf("n=%d: Product[%d] = %g, want %g", n, i, prod[i], p)
			}
		}
	}
}

func BenchmarkSlice(b *testing.B) {
	x := make([]float32, 4096)
	for i := range x {
		x[i] = float32(i%200)/20 - 5
	}
	y := make([]float32, len(x))
	for _, f := range []struct {
		name string
		run  func()
	}{
		{"Sigmoid/scalar", func() {
			for i, v := range x {
				y[i] = Sigmoid(v)
			}
		}},
		{"Sigmoid/slice", func() { copy(y, x); SigmoidSlice(y) }},
		{"Tanh/scalar", func() {
			for i, v := range x {
				y[i] = Tanh(v)
			}
		}},
		{"Tanh/slice", func() { copy(y, x); TanhSlice(y) }},
	} {
		b.Run(f.name, func(b *testing.B) {
			for b.Loop() {
				f.run()
			}
			b.SetBytes(int64(4 * len(x)))
		})
	}
}
