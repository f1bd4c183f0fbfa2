package autodiff

import (
	"fmt"

	"github.com/modistill/modistill/tensor"
)

// ModeProduct returns the mode-n product of a batch of tensors with a batch
// of vectors: x has shape (B, d_0, ..., d_{K-1}) and p has shape (B, d_n);
// the result has shape (B, d_0, ..., d_{n-1}, d_{n+1}, ..., d_{K-1}) with
//
//	out[b, ..., ...] = Σ_j x[b, ..., j, ...] · p[b, j]
//
// (mode n counts from 0 over the non-batch axes; the paper counts from 1).
// Either x or p may have a leading dimension of 1, which is broadcast over
// the batch: a shared core tensor T_c of shape (1, t_1, ..., t_K) contracted
// with per-sample projections p_m is Tucker fusion's x_m product (Eq. 8).
func (tp *Tape) ModeProduct(x, p *Node, n int) *Node {
	xs, ps := x.Shape(), p.Shape()
	if len(xs) < 2 || n < 0 || n >= len(xs)-1 || len(ps) != 2 || ps[1] != xs[n+1] ||
		(xs[0] != ps[0] && xs[0] != 1 && ps[0] != 1) {
		panic(fmt.Sprintf("autodiff.ModeProduct: tensor %s, vectors %s, mode %d", tensor.ShapeString(xs), tensor.ShapeString(ps), n))
	}
	B := max(xs[0], ps[0])
	outer := tensor.Size(xs[1 : n+1])
	J := xs[n+1]
	inner := tensor.Size(xs[n+2:])
	shape := append([]int{B}, xs[1:n+1]...)
	shape = append(shape, xs[n+2:]...)
	out := tp.NewOutput(shape, x, p)
	xStride, pStride := outer*J*inner, J
	if xs[0] == 1 {
		xStride = 0
	}
	if ps[0] == 1 {
		pStride = 0
	}
	if outer == 1 && xStride == 0 && pStride != 0 { // shared tensor, leading mode: one matrix product
		tensor.MatMul(false, false, 1, p.Value, x.Value.Reshape(J, inner), 0, out.Value.Reshape(B, inner))
	} else {
		for b := range B {
			xb := x.Value.Data[b*xStride : b*xStride+outer*J*inner]
			pb := p.Value.Data[b*pStride : b*pStride+J]
			ob := out.Value.Data[b*outer*inner : (b+1)*outer*inner]
			for o := range outer {
				dst := ob[o*inner : (o+1)*inner]
				for j, pj := range pb {
					tensor.AccumulateScaled(dst, pj, xb[(o*J+j)*inner:(o*J+j+1)*inner])
				}
			}
		}
	}
	tp.AddBackward(out, func() {
		g := out.grad
		if outer == 1 && xStride == 0 && pStride != 0 {
			if p.requiresGrad { // gp += g·xᵀ
				tensor.MatMul(false, true, 1, g.Reshape(B, inner), x.Value.Reshape(J, inner), 1, p.AccumGrad())
			}
			if x.requiresGrad { // gx += pᵀ·g
				tensor.MatMul(true, false, 1, p.Value, g.Reshape(B, inner), 1, x.AccumGrad().Reshape(J, inner))
			}
			return
		}
		var gx, gp []float32
		if x.requiresGrad {
			gx = x.AccumGrad().Data
		}
		if p.requiresGrad {
			gp = p.AccumGrad().Data
		}
		for b := range B {
			xb := x.Value.Data[b*xStride : b*xStride+outer*J*inner]
			pb := p.Value.Data[b*pStride : b*pStride+J]
			gb := g.Data[b*outer*inner : (b+1)*outer*inner]
			for o := range outer {
				go_ := gb[o*inner : (o+1)*inner]
				if gx != nil { // gx[b,o,j,:] += g[b,o,:]·p[b,j]
					for j := range J {
						row := b*xStride + (o*J+j)*inner
						tensor.AccumulateScaled(gx[row:row+inner], pb[j], go_)
					}
				}
				if gp != nil { // gp[b,j] += <g[b,o,:], x[b,o,j,:]>
					tensor.AccumulateDots(gp[b*pStride:b*pStride+J], xb[o*J*inner:(o+1)*J*inner], go_)
				}
			}
		}
	})
	return out
}
