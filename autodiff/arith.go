package autodiff

import (
	"fmt"

	"github.com/modistill/modistill/tensor"
)

// Add returns a + b elementwise; the shapes must be equal.
func (tp *Tape) Add(a, b *Node) *Node {
	mustSameShape("Add", a, b)
	out := tp.NewOutput(a.Shape(), a, b)
	for i, v := range a.Value.Data {
		out.Value.Data[i] = v + b.Value.Data[i]
	}
	tp.AddBackward(out, func() {
		if a.requiresGrad {
			tensor.Accumulate(a.AccumGrad().Data, out.grad.Data)
		}
		if b.requiresGrad {
			tensor.Accumulate(b.AccumGrad().Data, out.grad.Data)
		}
	})
	return out
}

// Sub returns a - b elementwise; the shapes must be equal.
func (tp *Tape) Sub(a, b *Node) *Node {
	mustSameShape("Sub", a, b)
	out := tp.NewOutput(a.Shape(), a, b)
	for i, v := range a.Value.Data {
		out.Value.Data[i] = v - b.Value.Data[i]
	}
	tp.AddBackward(out, func() {
		if a.requiresGrad {
			tensor.Accumulate(a.AccumGrad().Data, out.grad.Data)
		}
		if b.requiresGrad {
			gb := b.AccumGrad().Data
			for i, g := range out.grad.Data {
				gb[i] -= g
			}
		}
	})
	return out
}

// Mul returns the elementwise (Hadamard) product a ∘ b; the shapes must be equal.
func (tp *Tape) Mul(a, b *Node) *Node {
	mustSameShape("Mul", a, b)
	out := tp.NewOutput(a.Shape(), a, b)
	for i, v := range a.Value.Data {
		out.Value.Data[i] = v * b.Value.Data[i]
	}
	tp.AddBackward(out, func() {
		if a.requiresGrad {
			ga := a.AccumGrad().Data
			for i, g := range out.grad.Data {
				ga[i] += g * b.Value.Data[i]
			}
		}
		if b.requiresGrad {
			gb := b.AccumGrad().Data
			for i, g := range out.grad.Data {
				gb[i] += g * a.Value.Data[i]
			}
		}
	})
	return out
}

// AddBias returns x + bias with bias (of x's last dimension) added to every
// row of x.
func (tp *Tape) AddBias(x, bias *Node) *Node {
	if bias.Value.Len() != x.Value.Cols() {
		panic(fmt.Sprintf("autodiff.AddBias: input %s, bias %s", tensor.ShapeString(x.Shape()), tensor.ShapeString(bias.Shape())))
	}
	out := tp.NewOutput(x.Shape(), x, bias)
	c := bias.Value.Len()
	for i, v := range x.Value.Data {
		out.Value.Data[i] = v + bias.Value.Data[i%c]
	}
	tp.AddBackward(out, func() {
		if x.requiresGrad {
			tensor.Accumulate(x.AccumGrad().Data, out.grad.Data)
		}
		if bias.requiresGrad {
			sumRowsInto(bias.AccumGrad().Data, out.grad)
		}
	})
	return out
}

// Scale returns c·x for a constant c.
func (tp *Tape) Scale(x *Node, c float32) *Node {
	out := tp.NewOutput(x.Shape(), x)
	for i, v := range x.Value.Data {
		out.Value.Data[i] = c * v
	}
	tp.AddBackward(out, func() {
		gx := x.AccumGrad().Data
		for i, g := range out.grad.Data {
			gx[i] += c * g
		}
	})
	return out
}

// AddConst returns x + c for a constant c.
func (tp *Tape) AddConst(x *Node, c float32) *Node {
	out := tp.NewOutput(x.Shape(), x)
	for i, v := range x.Value.Data {
		out.Value.Data[i] = v + c
	}
	tp.AddBackward(out, func() { tensor.Accumulate(x.AccumGrad().Data, out.grad.Data) })
	return out
}

// rowScaleCheck panics unless s holds one value per row of x.
func rowScaleCheck(op string, x, s *Node) {
	if s.Value.Len() != x.Value.Rows() || s.Value.Cols() != 1 {
		panic(fmt.Sprintf("autodiff.%s: input %s, per-row factor %s (want one value per row)", op, tensor.ShapeString(x.Shape()), tensor.ShapeString(s.Shape())))
	}
}

// MulRows returns x with each row r multiplied by s[r]; s has shape (rows, 1).
func (tp *Tape) MulRows(x, s *Node) *Node {
	rowScaleCheck("MulRows", x, s)
	out := tp.NewOutput(x.Shape(), x, s)
	c := x.Value.Cols()
	for i, v := range x.Value.Data {
		out.Value.Data[i] = v * s.Value.Data[i/c]
	}
	tp.AddBackward(out, func() {
		if x.requiresGrad {
			gx := x.AccumGrad().Data
			for i, g := range out.grad.Data {
				gx[i] += g * s.Value.Data[i/c]
			}
		}
		if s.requiresGrad {
			gs := s.AccumGrad().Data
			for i, g := range out.grad.Data {
				gs[i/c] += g * x.Value.Data[i]
			}
		}
	})
	return out
}

// DivRows returns x with each row r divided by s[r]; s has shape (rows, 1)
// (the temperature scaling z/T of distillation).
func (tp *Tape) DivRows(x, s *Node) *Node {
	rowScaleCheck("DivRows", x, s)
	out := tp.NewOutput(x.Shape(), x, s)
	c := x.Value.Cols()
	for i, v := range x.Value.Data {
		out.Value.Data[i] = v / s.Value.Data[i/c]
	}
	tp.AddBackward(out, func() {
		if x.requiresGrad { // d(x/s)/dx = 1/s
			gx := x.AccumGrad().Data
			for i, g := range out.grad.Data {
				gx[i] += g / s.Value.Data[i/c]
			}
		}
		if s.requiresGrad { // d(x/s)/ds = -x/s² = -out/s
			gs := s.AccumGrad().Data
			for i, g := range out.grad.Data {
				r := i / c
				gs[r] -= g * out.Value.Data[i] / s.Value.Data[r]
			}
		}
	})
	return out
}
