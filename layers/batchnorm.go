package layers

import (
	"fmt"
	"math"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/tensor"
)

// BatchNorm1d normalises each feature of an (N, C) input, as
// torch.nn.BatchNorm1d (LMF's encoders use it):
//
//	y = (x - μ) / sqrt(σ² + eps) · γ + β
//
// In training μ and σ² are the batch's mean and biased variance, and the
// running estimates move by Momentum towards the batch mean and the unbiased
// batch variance; in evaluation the running estimates are used.
type BatchNorm1d struct {
	Weight, Bias            *nn.Param  // γ (init 1) and β (init 0), (C)
	RunningMean, RunningVar *nn.Buffer // (C), init 0 and 1
	Eps, Momentum           float32
}

// NewBatchNorm1d returns a BatchNorm1d over c features with PyTorch's
// defaults (eps 1e-5, momentum 0.1).
func NewBatchNorm1d(name string, c int) *BatchNorm1d {
	bn := &BatchNorm1d{
		Weight:      nn.NewParam(name+".weight", c),
		Bias:        nn.NewParam(name+".bias", c),
		RunningMean: &nn.Buffer{Name: name + ".running_mean", Value: tensor.New(c)},
		RunningVar:  &nn.Buffer{Name: name + ".running_var", Value: tensor.New(c)},
		Eps:         1e-5,
		Momentum:    0.1,
	}
	bn.Weight.Value.Fill(1)
	bn.RunningVar.Value.Fill(1)
	return bn
}

// Params returns γ and β.
func (bn *BatchNorm1d) Params() []*nn.Param { return []*nn.Param{bn.Weight, bn.Bias} }

// Buffers returns the running mean and variance.
func (bn *BatchNorm1d) Buffers() []*nn.Buffer { return []*nn.Buffer{bn.RunningMean, bn.RunningVar} }

// Forward normalises x of shape (N, C). In training N must exceed 1.
func (bn *BatchNorm1d) Forward(tp *autodiff.Tape, mode nn.Mode, x *autodiff.Node) *autodiff.Node {
	C := bn.Weight.Value.Len()
	if len(x.Shape()) != 2 || x.Shape()[1] != C {
		panic(fmt.Sprintf("layers.BatchNorm1d: input %s, want (N, %d)", tensor.ShapeString(x.Shape()), C))
	}
	N := x.Shape()[0]
	gamma, beta := bn.Weight.Node, bn.Bias.Node
	out := tp.NewOutput(x.Shape(), x, gamma, beta)
	mean := make([]float32, C)
	invStd := make([]float32, C)
	if mode.Train {
		if N < 2 {
			panic(fmt.Sprintf("layers.BatchNorm1d: training needs more than one sample per batch, got %d", N))
		}
		mu, v := make([]float64, C), make([]float64, C)
		for r := range N {
			for j, xv := range x.Value.Data[r*C : (r+1)*C] {
				mu[j] += float64(xv)
			}
		}
		for j := range mu {
			mu[j] /= float64(N)
		}
		for r := range N {
			for j, xv := range x.Value.Data[r*C : (r+1)*C] {
				d := float64(xv) - mu[j]
				v[j] += d * d
			}
		}
		m := float64(bn.Momentum)
		for j := range C {
			biased := v[j] / float64(N)
			mean[j] = float32(mu[j])
			invStd[j] = float32(1 / math.Sqrt(biased+float64(bn.Eps)))
			rm, rv := &bn.RunningMean.Value.Data[j], &bn.RunningVar.Value.Data[j]
			*rm = float32((1-m)*float64(*rm) + m*mu[j])
			*rv = float32((1-m)*float64(*rv) + m*v[j]/float64(N-1))
		}
	} else {
		for j := range C {
			mean[j] = bn.RunningMean.Value.Data[j]
			invStd[j] = float32(1 / math.Sqrt(float64(bn.RunningVar.Value.Data[j])+float64(bn.Eps)))
		}
	}
	xhat := tp.Alloc(N, C)
	for r := range N {
		for j := range C {
			k := r*C + j
			xhat.Data[k] = (x.Value.Data[k] - mean[j]) * invStd[j]
			out.Value.Data[k] = xhat.Data[k]*gamma.Value.Data[j] + beta.Value.Data[j]
		}
	}
	train := mode.Train
	tp.AddBackward(out, func() {
		g := out.Grad().Data
		sumG, sumGX := make([]float32, C), make([]float32, C)
		for r := range N {
			for j := range C {
				k := r*C + j
				sumG[j] += g[k]
				sumGX[j] += g[k] * xhat.Data[k]
			}
		}
		if gamma.RequiresGrad() {
			tensor.Accumulate(gamma.AccumGrad().Data, sumGX)
		}
		if beta.RequiresGrad() {
			tensor.Accumulate(beta.AccumGrad().Data, sumG)
		}
		if !x.RequiresGrad() {
			return
		}
		gx := x.AccumGrad().Data
		n := float32(N)
		for r := range N {
			for j := range C {
				k := r*C + j
				s := gamma.Value.Data[j] * invStd[j]
				if train { // dx = γ/σ · (g - mean(g) - x̂·mean(g·x̂))
					gx[k] += s * (g[k] - sumG[j]/n - xhat.Data[k]*sumGX[j]/n)
				} else {
					gx[k] += s * g[k]
				}
			}
		}
	})
	return out
}
