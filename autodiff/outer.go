package autodiff

import (
	"fmt"

	"github.com/modistill/modistill/tensor"
)

// Outer returns the per-row outer product of a (B, m) and b (B, n),
// flattened to (B, m·n): out[r, i·n+j] = a[r, i]·b[r, j]. Chained, it builds
// TFN's fused tensor.
func (tp *Tape) Outer(a, b *Node) *Node {
	if len(a.Shape()) != 2 || len(b.Shape()) != 2 || a.Shape()[0] != b.Shape()[0] {
		panic(fmt.Sprintf("autodiff.Outer: %s and %s", tensor.ShapeString(a.Shape()), tensor.ShapeString(b.Shape())))
	}
	B, m, n := a.Shape()[0], a.Shape()[1], b.Shape()[1]
	out := tp.NewOutput([]int{B, m * n}, a, b)
	for r := range B {
		ar, br := a.Value.Data[r*m:(r+1)*m], b.Value.Data[r*n:(r+1)*n]
		or := out.Value.Data[r*m*n : (r+1)*m*n]
		for i, ai := range ar {
			tensor.ScaleTo(or[i*n:(i+1)*n], ai, br)
		}
	}
	tp.AddBackward(out, func() {
		g := out.grad.Data
		var ga, gb []float32
		if a.requiresGrad {
			ga = a.AccumGrad().Data
		}
		if b.requiresGrad {
			gb = b.AccumGrad().Data
		}
		for r := range B {
			ar, br := a.Value.Data[r*m:(r+1)*m], b.Value.Data[r*n:(r+1)*n]
			gr := g[r*m*n : (r+1)*m*n]
			if ga != nil { // ∂/∂a[r,i] = Σ_j g[r,i,j]·b[r,j]
				tensor.AccumulateDots(ga[r*m:(r+1)*m], gr, br)
			}
			if gb != nil { // ∂/∂b[r,j] += Σ_i g[r,i,j]·a[r,i], in order of i
				for i, ai := range ar {
					tensor.AccumulateScaled(gb[r*n:(r+1)*n], ai, gr[i*n:(i+1)*n])
				}
			}
		}
	})
	return out
}
