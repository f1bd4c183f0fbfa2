package svm

import (
	"fmt"
	"math"
)

// Kernel names a kernel: "linear" (K = x·z) or "rbf" (K = exp(-γ‖x-z‖²)).
type Kernel struct {
	Name  string  `json:"name"`
	Gamma float64 `json:"gamma,omitempty"`
}

// String describes the kernel.
func (k Kernel) String() string {
	if k.Name == "rbf" {
		return fmt.Sprintf("rbf(γ=%g)", k.Gamma)
	}
	return k.Name
}

// eval computes K(x, z).
func (k Kernel) eval(x, z []float64) float64 {
	switch k.Name {
	case "rbf":
		var d float64
		for i, v := range x {
			e := v - z[i]
			d += e * e
		}
		return math.Exp(-k.Gamma * d)
	default:
		var d float64
		for i, v := range x {
			d += v * z[i]
		}
		return d
	}
}

// gram computes kernel rows over a sample set on demand, keeping up to
// maxRows of them.
type gram struct {
	k       Kernel
	x       [][]float64
	rows    map[int][]float64
	order   []int
	maxRows int
}

func newGram(k Kernel, x [][]float64, maxRows int) *gram {
	return &gram{k: k, x: x, rows: map[int][]float64{}, maxRows: max(maxRows, 2)}
}

// row returns K(x_s, x_t) for all t.
func (g *gram) row(s int) []float64 {
	if r, ok := g.rows[s]; ok {
		return r
	}
	if len(g.order) >= g.maxRows { // evict the oldest
		old := g.order[0]
		g.order = g.order[1:]
		delete(g.rows, old)
	}
	r := make([]float64, len(g.x))
	for t, xt := range g.x {
		r[t] = g.k.eval(g.x[s], xt)
	}
	g.rows[s] = r
	g.order = append(g.order, s)
	return r
}

// signedQ is Q_st = y_s y_t K(x_{s mod n}, x_{t mod n}) over m = len(y)
// variables (m = n for classification, 2n for regression).
type signedQ struct {
	g    *gram
	n    int
	buf  []float64
	kd   []float64 // K(x_{s mod n}, x_{s mod n}) for each of the m variables
	sign []uint64  // y_t's sign as a float64 sign bit: 0 for +1, 1<<63 for -1
}

func newSignedQ(g *gram, y []int8) *signedQ {
	n := len(g.x)
	q := &signedQ{g: g, n: n, buf: make([]float64, len(y)), kd: make([]float64, len(y)), sign: make([]uint64, len(y))}
	for s := range n {
		q.kd[s] = g.k.eval(g.x[s], g.x[s])
	}
	for s := n; s < len(y); s++ {
		q.kd[s] = q.kd[s%n]
	}
	for t, v := range y {
		if v < 0 {
			q.sign[t] = 1 << 63
		}
	}
	return q
}

// row returns Q's row s, valid until the next call. y_s y_t is ±1, so each
// value is K's with its sign flipped or not, exactly the product's bits;
// the m values are K's row once or twice over, so no index is reduced
// modulo n.
func (q *signedQ) row(s int) []float64 {
	k := q.g.row(s % q.n)
	flip := q.sign[s]
	for t0 := 0; t0 < len(q.sign); t0 += q.n {
		dst, sg := q.buf[t0:t0+q.n], q.sign[t0:t0+q.n]
		for t, v := range k {
			dst[t] = math.Float64frombits(math.Float64bits(v) ^ sg[t] ^ flip)
		}
	}
	return q.buf
}

func (q *signedQ) diag(s int) float64 { return q.kd[s] }
