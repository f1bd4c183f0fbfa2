package svm

import "fmt"

// Params are the training parameters.
type Params struct {
	Kernel  Kernel  `json:"kernel"`
	C       float64 `json:"c"`
	Epsilon float64 `json:"epsilon,omitempty"` // regression: the tube's half-width
	Tol     float64 `json:"tol"`               // stopping tolerance (libsvm's eps, default 1e-3)
	MaxIter int     `json:"max_iter"`          // iteration cap (default 50 per dual variable, at least 10,000)
	Cache   int     `json:"cache"`             // kernel rows kept (default all, up to 4000)
	// Rows, when set, is a cache of Kernel's rows over the same samples
	// that other trainings share (another C of a grid, another target):
	// a row one computes, the next reuses. It replaces Cache.
	Rows *KernelRows `json:"-"`
}

// maxCache is the most kernel rows kept by default.
const maxCache = 4000

// KernelRows caches the kernel rows K(x_s, ·) over one set of samples for
// one kernel, for several trainings on those samples. The values are those
// each training would compute itself. Not safe for concurrent use.
type KernelRows struct{ g *gram }

// NewKernelRows returns an empty cache of kernel k's rows over x, keeping
// up to keep rows (keep < 1: every row, up to 4000).
func NewKernelRows(k Kernel, x [][]float64, keep int) *KernelRows {
	return &KernelRows{g: newGram(k, x, Params{Cache: keep}.defaults(len(x)).Cache)}
}

// gram returns the kernel rows a training on x with p uses: p.Rows's,
// checked against the kernel and the samples, or a new cache.
func (p Params) gram(x [][]float64) (*gram, error) {
	if p.Rows == nil {
		return newGram(p.Kernel, x, p.Cache), nil
	}
	if rx := p.Rows.g.x; p.Rows.g.k != p.Kernel || len(rx) != len(x) || (len(x) > 0 && &rx[0] != &x[0]) {
		return nil, fmt.Errorf("svm: Params.Rows holds %v over %d samples, not %v over these %d", p.Rows.g.k, len(rx), p.Kernel, len(x))
	}
	return p.Rows.g, nil
}

// Model is a trained machine: f(x) = Σ_i Coef_i K(SV_i, x) - Rho; for
// classification the predicted class is 1 when f(x) > 0.
type Model struct {
	Kernel Kernel
	SV     [][]float64
	Coef   []float64
	Rho    float64
	Iters  int
	// Converged is false when the iteration cap stopped the solver first;
	// the model is then the last iterate (as libsvm returns it).
	Converged bool
}

// Decision returns f(x).
func (m *Model) Decision(x []float64) float64 {
	f := -m.Rho
	for i, sv := range m.SV {
		f += m.Coef[i] * m.Kernel.eval(sv, x)
	}
	return f
}

func (p Params) defaults(n int) Params {
	if p.Tol <= 0 {
		p.Tol = 1e-3
	}
	if p.MaxIter <= 0 {
		p.MaxIter = max(50*n, 10_000)
	}
	if p.Cache <= 0 {
		p.Cache = min(n, maxCache)
	}
	return p
}

func check(x [][]float64, n int, p Params) error {
	if len(x) == 0 || len(x) != n {
		return fmt.Errorf("svm: %d samples for %d targets", len(x), n)
	}
	for i, r := range x {
		if len(r) != len(x[0]) {
			return fmt.Errorf("svm: sample %d has %d features, sample 0 has %d", i, len(r), len(x[0]))
		}
	}
	if p.C <= 0 {
		return fmt.Errorf("svm: C must be positive, got %g", p.C)
	}
	if p.Kernel.Name != "linear" && (p.Kernel.Name != "rbf" || p.Kernel.Gamma <= 0) {
		return fmt.Errorf("svm: kernel %v: want linear, or rbf with a positive gamma", p.Kernel)
	}
	return nil
}

// TrainSVC trains a C-SVC on labels in {0, 1}.
func TrainSVC(x [][]float64, labels []int, p Params) (*Model, error) {
	if err := check(x, len(labels), p); err != nil {
		return nil, err
	}
	p = p.defaults(len(labels))
	y := make([]int8, len(labels))
	pl := make([]float64, len(labels))
	for i, l := range labels {
		switch l {
		case 0:
			y[i] = -1
		case 1:
			y[i] = 1
		default:
			return nil, fmt.Errorf("svm: label %d of sample %d: want 0 or 1", l, i)
		}
		pl[i] = -1
	}
	g, err := p.gram(x)
	if err != nil {
		return nil, err
	}
	sol, err := solve(newSignedQ(g, y), pl, y, p.C, p.Tol, p.MaxIter)
	if err != nil {
		return nil, err
	}
	m := &Model{Kernel: p.Kernel, Rho: sol.rho, Iters: sol.iters, Converged: sol.converged}
	for i, a := range sol.alpha {
		if a > 0 {
			m.SV = append(m.SV, x[i])
			m.Coef = append(m.Coef, float64(y[i])*a)
		}
	}
	return m, nil
}

// TrainSVR trains an ε-SVR.
func TrainSVR(x [][]float64, target []float64, p Params) (*Model, error) {
	if err := check(x, len(target), p); err != nil {
		return nil, err
	}
	if p.Epsilon < 0 {
		return nil, fmt.Errorf("svm: epsilon must not be negative, got %g", p.Epsilon)
	}
	p = p.defaults(2 * len(x))
	n := len(x)
	y := make([]int8, 2*n)
	pl := make([]float64, 2*n)
	for i, t := range target {
		y[i], pl[i] = 1, p.Epsilon-t
		y[n+i], pl[n+i] = -1, p.Epsilon+t
	}
	g, err := p.gram(x)
	if err != nil {
		return nil, err
	}
	sol, err := solve(newSignedQ(g, y), pl, y, p.C, p.Tol, p.MaxIter)
	if err != nil {
		return nil, err
	}
	m := &Model{Kernel: p.Kernel, Rho: sol.rho, Iters: sol.iters, Converged: sol.converged}
	for i := range n {
		if c := sol.alpha[i] - sol.alpha[n+i]; c != 0 {
			m.SV = append(m.SV, x[i])
			m.Coef = append(m.Coef, c)
		}
	}
	return m, nil
}
