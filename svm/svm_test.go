package svm

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestTwoPointsClosedForm(t *testing.T) {
	// Hard margin on x = -1 (class 0) and x = +1 (class 1): w = 1, b = 0,
	// α = 1/2 each, so f(x) = x.
	x := [][]float64{{-1}, {1}}
	m, err := TrainSVC(x, []int{0, 1}, Params{Kernel: Kernel{Name: "linear"}, C: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range m.Coef {
		if math.Abs(math.Abs(c)-0.5) > 1e-9 {
			t.Errorf("coefficients %v, want ±0.5", m.Coef)
		}
	}
	if f := m.Decision([]float64{0.3}); math.Abs(f-0.3) > 1e-9 {
		t.Errorf("f(0.3) = %v, want 0.3", f)
	}
	// ε-SVR on (0, 0) and (1, 2) with ε = 0.5: the flattest function in the
	// tube is f(x) = x + 0.5.
	r, err := TrainSVR(x[:0:0], nil, Params{Kernel: Kernel{Name: "linear"}, C: 100})
	if err == nil || r != nil {
		t.Error("no samples accepted")
	}
	r, err = TrainSVR([][]float64{{0}, {1}}, []float64{0, 2}, Params{Kernel: Kernel{Name: "linear"}, C: 100, Epsilon: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range [][2]float64{{0, 0.5}, {1, 1.5}, {3, 3.5}} {
		if f := r.Decision([]float64{c[0]}); math.Abs(f-c[1]) > 1e-6 {
			t.Errorf("SVR f(%v) = %v, want %v", c[0], f, c[1])
		}
	}
}

func randomData(rng *rand.Rand, n, d int) ([][]float64, []int, []float64) {
	x := make([][]float64, n)
	cls := make([]int, n)
	reg := make([]float64, n)
	for i := range x {
		x[i] = make([]float64, d)
		for j := range x[i] {
			x[i][j] = rng.NormFloat64()
		}
		s := x[i][0] - 0.5*x[i][1] + 0.3*x[i][0]*x[i][2] + 0.4*rng.NormFloat64()
		if s > 0 {
			cls[i] = 1
		}
		reg[i] = math.Sin(x[i][0]) + 0.5*x[i][1] + 0.1*rng.NormFloat64()
	}
	return x, cls, reg
}

// alphaOf recovers each sample's coefficient (0 if not a support vector)
// by the identity of the sample's slice.
func alphaOf(m *Model, x [][]float64) []float64 {
	coef := make([]float64, len(x))
	for k, sv := range m.SV {
		for i := range x {
			if &x[i][0] == &sv[0] {
				coef[i] = m.Coef[k]
			}
		}
	}
	return coef
}

// The KKT conditions prove optimality of the convex dual.
func TestSVCSatisfiesKKT(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	x, cls, _ := randomData(rng, 200, 4)
	for _, k := range []Kernel{{Name: "linear"}, {Name: "rbf", Gamma: 0.3}} {
		const C = 1.0
		m, err := TrainSVC(x, cls, Params{Kernel: k, C: C})
		if err != nil {
			t.Fatal(err)
		}
		if !m.Converged {
			t.Fatalf("%v: not converged in %d iterations", k, m.Iters)
		}
		coef := alphaOf(m, x)
		var sum float64
		for i := range x {
			y := float64(2*cls[i] - 1)
			a := coef[i] * y // α_i >= 0
			sum += coef[i]
			yf := y * m.Decision(x[i])
			switch {
			case a < -1e-9 || a > C+1e-9:
				t.Fatalf("%v: α_%d = %v outside [0, C]", k, i, a)
			case a <= 1e-9 && yf < 1-1e-2:
				t.Errorf("%v: α_%d = 0 but y f = %v < 1", k, i, yf)
			case a >= C-1e-9 && yf > 1+1e-2:
				t.Errorf("%v: α_%d = C but y f = %v > 1", k, i, yf)
			case a > 1e-9 && a < C-1e-9 && math.Abs(yf-1) > 1e-2:
				t.Errorf("%v: free α_%d but y f = %v != 1", k, i, yf)
			}
		}
		if math.Abs(sum) > 1e-9 {
			t.Errorf("%v: Σ y α = %v, want 0", k, sum)
		}
	}
}

func TestSVRSatisfiesKKT(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	x, _, target := randomData(rng, 150, 3)
	for _, k := range []Kernel{{Name: "linear"}, {Name: "rbf", Gamma: 0.5}} {
		const C, eps = 2.0, 0.1
		m, err := TrainSVR(x, target, Params{Kernel: k, C: C, Epsilon: eps})
		if err != nil {
			t.Fatal(err)
		}
		if !m.Converged {
			t.Fatalf("%v: not converged in %d iterations", k, m.Iters)
		}
		coef := alphaOf(m, x)
		var sum float64
		for i := range x {
			c := coef[i] // α_i - α*_i in [-C, C]
			sum += c
			r := m.Decision(x[i]) - target[i]
			switch {
			case c < -C-1e-9 || c > C+1e-9:
				t.Fatalf("%v: coefficient %v outside [-C, C]", k, c)
			case math.Abs(c) <= 1e-9 && math.Abs(r) > eps+1e-2:
				t.Errorf("%v: sample %d outside the tube (residual %v) with a zero coefficient", k, i, r)
			case c > 1e-9 && c < C-1e-9 && math.Abs(r+eps) > 1e-2:
				t.Errorf("%v: free positive coefficient but residual %v != -ε", k, r)
			case c < -1e-9 && c > -C+1e-9 && math.Abs(r-eps) > 1e-2:
				t.Errorf("%v: free negative coefficient but residual %v != ε", k, r)
			}
		}
		if math.Abs(sum) > 1e-9 {
			t.Errorf("%v: Σ coefficients = %v, want 0", k, sum)
		}
	}
}

func TestBadParams(t *testing.T) {
	x := [][]float64{{0}, {1}}
	for _, p := range []Params{{Kernel: Kernel{Name: "linear"}}, {Kernel: Kernel{Name: "poly"}, C: 1}, {Kernel: Kernel{Name: "rbf"}, C: 1}} {
		if _, err := TrainSVC(x, []int{0, 1}, p); err == nil {
			t.Errorf("%+v accepted", p)
		}
	}
	if _, err := TrainSVC(x, []int{0, 2}, Params{Kernel: Kernel{Name: "linear"}, C: 1}); err == nil {
		t.Error("label 2 accepted")
	}
}

func BenchmarkSVR1284(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	x, _, target := randomData(rng, 1284, 40)
	for b.Loop() {
		if _, err := TrainSVR(x, target, Params{Kernel: Kernel{Name: "rbf", Gamma: 1.0 / 40}, C: 1, Epsilon: 0.1}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestIterationCapReturnsLastIterate(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	x, _, target := randomData(rng, 100, 3)
	m, err := TrainSVR(x, target, Params{Kernel: Kernel{Name: "rbf", Gamma: 0.5}, C: 10, Epsilon: 0.01, MaxIter: 5})
	if err != nil || m.Converged || m.Iters != 5 {
		t.Fatalf("err %v, converged %v after %d iterations", err, m.Converged, m.Iters)
	}
}

// Trainings that share one KernelRows across a grid of C values and both
// tasks give the models each would train alone, bit for bit; a cache for
// another kernel or other samples is refused.
func TestSharedKernelRowsGiveTheSameModels(t *testing.T) {
	x, cls, reg := randomData(rand.New(rand.NewPCG(11, 12)), 120, 4)
	k := Kernel{Name: "rbf", Gamma: 0.3}
	rows := NewKernelRows(k, x, 0)
	same := func(a, b *Model) bool {
		if a.Rho != b.Rho || a.Iters != b.Iters || len(a.Coef) != len(b.Coef) {
			return false
		}
		for i := range a.Coef {
			if a.Coef[i] != b.Coef[i] {
				return false
			}
		}
		return true
	}
	for _, C := range []float64{0.1, 1, 10} {
		alone, err := TrainSVR(x, reg, Params{Kernel: k, C: C, Epsilon: 0.1})
		if err != nil {
			t.Fatal(err)
		}
		shared, err := TrainSVR(x, reg, Params{Kernel: k, C: C, Epsilon: 0.1, Rows: rows})
		if err != nil {
			t.Fatal(err)
		}
		if !same(alone, shared) {
			t.Errorf("SVR, C %g: the model with shared rows differs", C)
		}
		aloneC, err := TrainSVC(x, cls, Params{Kernel: k, C: C})
		if err != nil {
			t.Fatal(err)
		}
		sharedC, err := TrainSVC(x, cls, Params{Kernel: k, C: C, Rows: rows})
		if err != nil {
			t.Fatal(err)
		}
		if !same(aloneC, sharedC) {
			t.Errorf("SVC, C %g: the model with shared rows differs", C)
		}
	}
	if _, err := TrainSVR(x, reg, Params{Kernel: Kernel{Name: "rbf", Gamma: 0.5}, C: 1, Rows: rows}); err == nil {
		t.Error("rows of another kernel accepted")
	}
	other := append([][]float64(nil), x...)
	if _, err := TrainSVR(other, reg, Params{Kernel: k, C: 1, Rows: rows}); err == nil {
		t.Error("rows over other samples accepted")
	}
}
