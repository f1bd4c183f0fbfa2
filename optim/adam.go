// Package optim holds modistill's optimizers. Adam follows torch.optim.Adam
// exactly (bias corrections, eps added after the square root, weight decay
// as an L2 term added to the gradient), with parameter groups so that one
// part of a model can have its own learning rate or weight decay, as LMF
// gives its fusion factors. The update runs eight values at a time in AVX2
// assembly where the CPU has it, with the scalar loop's bits.
package optim

import (
	"fmt"
	"math"

	"github.com/modistill/modistill/nn"
)

// Group is a set of parameters sharing a learning rate and weight decay.
type Group struct {
	Params      []*nn.Param
	LR          float64
	WeightDecay float64
}

// Adam is the optimizer of Kingma and Ba (2015).
type Adam struct {
	Groups       []Group
	Beta1, Beta2 float64
	Eps          float64

	step int
	m, v map[*nn.Param][]float32
}

// NewAdam returns Adam with PyTorch's defaults (betas 0.9, 0.999, eps 1e-8)
// over the given groups. It panics if a parameter appears twice.
func NewAdam(groups ...Group) *Adam {
	a := &Adam{Groups: groups, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8,
		m: map[*nn.Param][]float32{}, v: map[*nn.Param][]float32{}}
	for _, g := range groups {
		for _, p := range g.Params {
			if _, dup := a.m[p]; dup {
				panic(fmt.Sprintf("optim.NewAdam: parameter %s is in two groups", p.Name))
			}
			a.m[p] = make([]float32, p.Value.Len())
			a.v[p] = make([]float32, p.Value.Len())
		}
	}
	return a
}

// Params returns every parameter the optimizer updates.
func (a *Adam) Params() []*nn.Param {
	var ps []*nn.Param
	for _, g := range a.Groups {
		ps = append(ps, g.Params...)
	}
	return ps
}

// ZeroGrad clears the gradients of every parameter the optimizer updates.
func (a *Adam) ZeroGrad() {
	for _, g := range a.Groups {
		nn.ZeroGrads(g.Params)
	}
}

// Step updates every parameter from its gradient:
//
//	g ← ∇ + λ·θ;  m ← β1·m + (1-β1)·g;  v ← β2·v + (1-β2)·g²
//	θ ← θ - lr/(1-β1ᵗ) · m / (sqrt(v)/sqrt(1-β2ᵗ) + ε)
func (a *Adam) Step() {
	a.step++
	bc1 := 1 - math.Pow(a.Beta1, float64(a.step))
	bc2 := math.Sqrt(1 - math.Pow(a.Beta2, float64(a.step)))
	b1, b2 := float32(a.Beta1), float32(a.Beta2)
	for _, g := range a.Groups {
		k := constants{b1: b1, omb1: 1 - b1, b2: b2, omb2: 1 - b2, bc2: float32(bc2), eps: float32(a.Eps),
			stepSize: float32(g.LR / bc1), wd: float32(g.WeightDecay)}
		for _, p := range g.Params {
			if grad := p.Grad(); grad != nil {
				update(p.Value.Data, grad.Data, a.m[p], a.v[p], &k)
			}
		}
	}
}

// constants are one group's figures for a step, laid out as adamAVX2
// reads them.
type constants struct {
	b1, omb1, b2, omb2 float32 // β1, 1-β1, β2, 1-β2
	bc2, eps, stepSize float32 // sqrt(1-β2ᵗ), ε, lr/(1-β1ᵗ)
	wd                 float32 // λ, applied when not zero
}

// update applies the step to theta from grad, with the moments m and v:
// eight values at a time where the CPU has AVX2 (the same bits), the rest
// one by one.
func update(theta, grad, m, v []float32, k *constants) {
	n := 0
	if vector {
		if n = len(grad) &^ 7; n > 0 {
			adamAVX2(&theta[0], &grad[0], &m[0], &v[0], n, k)
		}
	}
	for i := n; i < len(grad); i++ {
		gi := grad[i]
		if k.wd != 0 {
			gi += k.wd * theta[i]
		}
		m[i] = k.b1*m[i] + k.omb1*gi
		v[i] = k.b2*v[i] + k.omb2*gi*gi
		denom := float32(math.Sqrt(float64(v[i])))/k.bc2 + k.eps
		theta[i] -= k.stepSize * m[i] / denom
	}
}

// Steps is the number of steps taken.
func (a *Adam) Steps() int { return a.step }
