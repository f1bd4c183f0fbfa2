package autodiff

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// GradCheck compares the gradients that Backward computes for each of inputs
// with central finite differences. f builds a computation from the inputs on
// the tape it is given and returns its output node; GradCheck reduces that
// output to a scalar with fixed pseudo-random weights, so every output element
// is checked. f must be deterministic (seed any randomness inside it).
//
// Inputs are typically made with NewParam so that they keep their gradients
// across tapes. GradCheck returns the largest error found,
// |analytic - numeric| / max(1, |analytic|, |numeric|), and where it was found.
//
// Central differences are wrong where f is not smooth within ±eps (a ReLU's
// kink, a clipped loss). Such elements are recognised and skipped: the
// second differences centred at x-eps and x+eps, which agree to O(eps³)
// where f is smooth, differ by about eps times the jump in slope when a kink
// lies between them. That is a property of f alone, so it cannot hide a
// wrong analytic gradient. If more than a tenth of all elements are skipped,
// GradCheck reports an infinite error: the point checked is no good.
func GradCheck(f func(tp *Tape) *Node, inputs []*Node, eps float32) (maxErr float64, where string) {
	var weights []float32
	eval := func(backward bool) float64 {
		tp := NewTape()
		out := f(tp)
		if weights == nil {
			rng := rand.New(rand.NewPCG(7, 11))
			weights = make([]float32, out.Value.Len())
			for i := range weights {
				weights[i] = float32(rng.NormFloat64())
			}
		}
		var s float64
		for i, v := range out.Value.Data {
			s += float64(v) * float64(weights[i])
		}
		if backward && out.requiresGrad {
			g := out.AccumGrad().Data
			copy(g, weights)
			tp.BackwardFrom()
		}
		return s
	}
	for _, in := range inputs {
		in.ZeroGrad()
	}
	base := eval(true)
	skipped, total := 0, 0
	analytic := make([][]float32, len(inputs))
	for k, in := range inputs {
		if in.grad == nil {
			analytic[k] = make([]float32, in.Value.Len())
		} else {
			analytic[k] = append([]float32(nil), in.grad.Data...)
		}
	}
	for k, in := range inputs {
		for i := range in.Value.Data {
			old := in.Value.Data[i]
			at := func(d float32) float64 {
				in.Value.Data[i] = old + d
				v := eval(false)
				in.Value.Data[i] = old
				return v
			}
			plus, minus := at(eps), at(-eps)
			numeric := (plus - minus) / (2 * float64(eps))
			total++
			dUp := at(2*eps) - 2*plus + base     // second difference at x+eps
			dDown := base - 2*minus + at(-2*eps) // and at x-eps
			if math.Abs(dUp-dDown)/float64(eps) > 1e-3*math.Max(1, math.Abs(numeric)) {
				skipped++ // a kink within ±eps
				continue
			}
			a := float64(analytic[k][i])
			e := math.Abs(a-numeric) / math.Max(1, math.Max(math.Abs(a), math.Abs(numeric)))
			if e > maxErr || math.IsNaN(e) {
				maxErr = e
				where = fmt.Sprintf("input %d element %d: analytic %.6g, numeric %.6g", k, i, a, numeric)
			}
		}
	}
	if skipped*10 > total {
		return math.Inf(1), fmt.Sprintf("%d of %d elements sit within eps of a kink; check at another point", skipped, total)
	}
	return maxErr, where
}
