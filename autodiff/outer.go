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
			row := or[i*n : (i+1)*n]
			for j, bj := range br {
				row[j] = ai * bj
			}
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
			for i := range m {
				gr := g[r*m*n+i*n : r*m*n+(i+1)*n]
				if ga != nil { // ∂/∂a[r,i] = Σ_j g·b[r,j]
					ga[r*m+i] += dot(gr, br)
				}
				if gb != nil { // ∂/∂b[r,j] += g·a[r,i]
					axpy(ar[i], gr, gb[r*n:(r+1)*n])
				}
			}
		}
	})
	return out
}
