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
	xs = append(xs, 0, float32(math.Copysign(0, -1)), -1e-9, 1e-9, -3e-8, 9, -9, 9.0000005, -9.0000005, 88.37626, 88.3763, -87.33654, -87.3366, -103,
		float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), math.SmallestNonzeroFloat32, math.MaxFloat32, -math.MaxFloat32)
	for _, f := range []struct {
		name   string
		slice  func([]float32)
		scalar func(float32) float32
	}{{"Exp", ExpSlice, Exp}, {"Sigmoid", SigmoidSlice, Sigmoid}, {"Tanh", TanhSlice, Tanh}} {
		for _, n := range []int{len(xs), 7, 8, 13, 40, 104} {
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

// cellInputs returns B·4H pre-activations and B·H previous cells, normal
// with scale 3, salted with the functions' edge values.
func cellInputs(rng *rand.Rand, B, H int) (a, cPrev []float32) {
	edges := []float32{0, float32(math.Copysign(0, -1)), -1e-9, 1e-9, -3e-8, 9, -9, 9.0000005, -9.0000005, 44.2, -44.2, 87.4, -87.4, 88.4, -88.4, 1e30, -1e30,
		float32(math.Inf(1)), float32(math.Inf(-1))}
	a, cPrev = make([]float32, 4*B*H), make([]float32, B*H)
	for i := range a {
		a[i] = float32(rng.NormFloat64() * 3)
		if rng.IntN(8) == 0 {
			a[i] = edges[rng.IntN(len(edges))]
		}
	}
	for i := range cPrev {
		cPrev[i] = float32(rng.NormFloat64() * 3)
	}
	return a, cPrev
}

// sameBits reports whether got and want are the same float32s, any NaN
// matching any NaN.
func sameBits(got, want float32) bool {
	return math.Float32bits(got) == math.Float32bits(want) || (got != got && want != want)
}

// LSTMCell and LSTMCellGrad give the bits of the cell written out with the
// scalar functions, one unit at a time, for widths with and without a
// vector body, a remainder of blocks of eight, and a scalar tail.
func TestLSTMCellMatchesTheScalarCell(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, H := range []int{1, 7, 8, 9, 16, 24, 32, 40, 64, 67, 100} {
		for _, B := range []int{0, 1, 3} {
			a, cPrev := cellInputs(rng, B, H)
			gates := append([]float32(nil), a...)
			c, tc, h := make([]float32, B*H), make([]float32, B*H), make([]float32, B*H)
			LSTMCell(gates, cPrev, c, tc, h, B, H)
			dh, dc := make([]float32, B*H), make([]float32, B*H)
			for k := range dh {
				dh[k], dc[k] = float32(rng.NormFloat64()), float32(rng.NormFloat64())
			}
			dcIn := append([]float32(nil), dc...)
			da := make([]float32, 4*B*H)
			LSTMCellGrad(gates, cPrev, tc, dh, dc, da, B, H)
			for b := range B {
				for j := range H {
					k, r := b*H+j, 4*b*H
					i, f, g, o := Sigmoid(a[r+j]), Sigmoid(a[r+H+j]), Tanh(a[r+2*H+j]), Sigmoid(a[r+3*H+j])
					fc, ig := float32(f*cPrev[k]), float32(i*g) // rounded one at a time (no fusing)
					wc := fc + ig
					wtc := Tanh(wc)
					for _, v := range []struct {
						name      string
						got, want float32
					}{{"i", gates[r+j], i}, {"f", gates[r+H+j], f}, {"g", gates[r+2*H+j], g}, {"o", gates[r+3*H+j], o},
						{"c", c[k], wc}, {"tanh c", tc[k], wtc}, {"h", h[k], o * wtc}} {
						if !sameBits(v.got, v.want) {
							t.Fatalf("H=%d B=%d row %d unit %d: %s = %g, want %g (a_i..a_o %v)", H, B, b, j, v.name, v.got, v.want,
								[]float32{a[r+j], a[r+H+j], a[r+2*H+j], a[r+3*H+j]})
						}
					}
					dho, tt := dh[k]*o, float32(tc[k]*tc[k])
					dct := dcIn[k] + float32(dho*(1-tt))
					di, dcp, dht, gg := dct*g, dct*cPrev[k], dh[k]*tc[k], float32(g*g)
					di, dcp, dht = di*i, dcp*f, dht*o
					for _, v := range []struct {
						name      string
						got, want float32
					}{{"da_i", da[r+j], di * (1 - i)}, {"da_f", da[r+H+j], dcp * (1 - f)}, {"da_g", da[r+2*H+j], (dct * i) * (1 - gg)},
						{"da_o", da[r+3*H+j], dht * (1 - o)}, {"dc", dc[k], dct * f}} {
						if !sameBits(v.got, v.want) {
							t.Fatalf("H=%d B=%d row %d unit %d: %s = %g, want %g", H, B, b, j, v.name, v.got, v.want)
						}
					}
				}
			}
		}
	}
}

func TestLSTMCellPanicsOnShortSlices(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("LSTMCell with a short cell slice did not panic")
		}
	}()
	LSTMCell(make([]float32, 32), make([]float32, 8), make([]float32, 7), make([]float32, 8), make([]float32, 8), 1, 8)
}

func BenchmarkLSTMCell(b *testing.B) {
	const B, H = 32, 64
	rng := rand.New(rand.NewPCG(1, 2))
	a, cPrev := cellInputs(rng, B, H)
	gates := make([]float32, len(a))
	c, tc, h := make([]float32, B*H), make([]float32, B*H), make([]float32, B*H)
	da, dh, dc := make([]float32, len(a)), make([]float32, B*H), make([]float32, B*H)
	b.Run("forward", func(b *testing.B) {
		for b.Loop() {
			copy(gates, a)
			LSTMCell(gates, cPrev, c, tc, h, B, H)
		}
		b.SetBytes(4 * B * H)
	})
	b.Run("backward", func(b *testing.B) {
		for b.Loop() {
			LSTMCellGrad(gates, cPrev, tc, dh, dc, da, B, H)
		}
		b.SetBytes(4 * B * H)
	})
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
