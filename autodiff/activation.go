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
	copy(out.Value.Data, x.Value.Data)
	mathf.SigmoidSlice(out.Value.Data)
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
	copy(out.Value.Data, x.Value.Data)
	mathf.TanhSlice(out.Value.Data)
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

// Softmax returns the softmax of each row of x (as a matrix).
func (tp *Tape) Softmax(x *Node) *Node {
	out := tp.NewOutput(x.Shape(), x)
	c := x.Value.Cols()
	for r := 0; r < len(x.Value.Data); r += c {
		row, dst := x.Value.Data[r:r+c], out.Value.Data[r:r+c]
		m := row[0]
		for _, v := range row {
			m = max(m, v)
		}
		for i, v := range row {
			dst[i] = v - m
		}
		mathf.ExpSlice(dst)
		var z float32
		for _, e := range dst {
			z += e
		}
		for i := range dst {
			dst[i] /= z
		}
	}
	tp.AddBackward(out, func() { // ∂/∂x_i = y_i (g_i - Σ_j g_j y_j)
		gx := x.AccumGrad().Data
		g := out.grad.Data
		for r := 0; r < len(g); r += c {
			y := out.Value.Data[r : r+c]
			var s float32
			for i, v := range y {
				s += g[r+i] * v
			}
			for i, v := range y {
				gx[r+i] += v * (g[r+i] - s)
			}
		}
	})
	return out
}
