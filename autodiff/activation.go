package autodiff

import (
	"math"

	"github.com/modistill/modistill/mathf"
)

// ReLU returns max(x, 0) elementwise. Its derivative at 0 is taken as 0.
func (tp *Tape) ReLU(x *Node) *Node {
	out := tp.NewOutput(x.Shape(), x)
	for i, v := range x.Value.Data {
		if v > 0 {
			out.Value.Data[i] = v
		}
	}
	tp.AddBackward(out, func() {
		gx := x.AccumGrad().Data
		for i, g := range out.grad.Data {
			if x.Value.Data[i] > 0 {
				gx[i] += g
			}
		}
	})
	return out
}

// Sigmoid returns 1/(1+exp(-x)) elementwise.
func (tp *Tape) Sigmoid(x *Node) *Node {
	out := tp.NewOutput(x.Shape(), x)
	for i, v := range x.Value.Data {
		out.Value.Data[i] = mathf.Sigmoid(v)
	}
	tp.AddBackward(out, func() { // σ' = σ(1-σ)
		gx := x.AccumGrad().Data
		for i, g := range out.grad.Data {
			y := out.Value.Data[i]
			gx[i] += g * y * (1 - y)
		}
	})
	return out
}

// Tanh returns tanh(x) elementwise.
func (tp *Tape) Tanh(x *Node) *Node {
	out := tp.NewOutput(x.Shape(), x)
	for i, v := range x.Value.Data {
		out.Value.Data[i] = mathf.Tanh(v)
	}
	tp.AddBackward(out, func() { // tanh' = 1 - tanh²
		gx := x.AccumGrad().Data
		for i, g := range out.grad.Data {
			y := out.Value.Data[i]
			gx[i] += g * (1 - y*y)
		}
	})
	return out
}

// Softplus returns log(1+exp(x)) elementwise, computed stably.
func (tp *Tape) Softplus(x *Node) *Node {
	out := tp.NewOutput(x.Shape(), x)
	for i, v := range x.Value.Data {
		f := float64(v) // max(v,0) + log1p(exp(-|v|))
		out.Value.Data[i] = float32(math.Max(f, 0) + math.Log1p(math.Exp(-math.Abs(f))))
	}
	tp.AddBackward(out, func() { // softplus' = σ(x)
		gx := x.AccumGrad().Data
		for i, g := range out.grad.Data {
			gx[i] += g * mathf.Sigmoid(x.Value.Data[i])
		}
	})
	return out
}
