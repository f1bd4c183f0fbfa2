package autodiff

import (
	"fmt"

	"github.com/modistill/modistill/tensor"
)

// Concat joins nodes along their last axis. All must have the same number of
// rows (as matrices); the result has that many rows and the sum of the
// columns, with the leading shape of the first node.
func (tp *Tape) Concat(xs ...*Node) *Node {
	if len(xs) == 0 {
		panic("autodiff.Concat: no inputs")
	}
	rows, cols := xs[0].Value.Rows(), 0
	for _, x := range xs {
		if x.Value.Rows() != rows {
			panic(fmt.Sprintf("autodiff.Concat: %s and %s have different row counts", tensor.ShapeString(xs[0].Shape()), tensor.ShapeString(x.Shape())))
		}
		cols += x.Value.Cols()
	}
	out := tp.NewOutput(outShape(xs[0].Shape(), cols), xs...)
	off := 0
	for _, x := range xs {
		c := x.Value.Cols()
		for r := range rows {
			copy(out.Value.Data[r*cols+off:r*cols+off+c], x.Value.Data[r*c:(r+1)*c])
		}
		off += c
	}
	tp.AddBackward(out, func() {
		off := 0
		for _, x := range xs {
			c := x.Value.Cols()
			if x.requiresGrad {
				gx := x.AccumGrad().Data
				for r := range rows {
					tensor.Accumulate(gx[r*c:(r+1)*c], out.grad.Data[r*cols+off:r*cols+off+c])
				}
			}
			off += c
		}
	})
	return out
}

// SliceCols returns columns [from, to) of x (as a matrix).
func (tp *Tape) SliceCols(x *Node, from, to int) *Node {
	cols := x.Value.Cols()
	if from < 0 || to > cols || from >= to {
		panic(fmt.Sprintf("autodiff.SliceCols: columns [%d, %d) of %s", from, to, tensor.ShapeString(x.Shape())))
	}
	rows, c := x.Value.Rows(), to-from
	out := tp.NewOutput(outShape(x.Shape(), c), x)
	for r := range rows {
		copy(out.Value.Data[r*c:(r+1)*c], x.Value.Data[r*cols+from:r*cols+to])
	}
	tp.AddBackward(out, func() {
		gx := x.AccumGrad().Data
		for r := range rows {
			tensor.Accumulate(gx[r*cols+from:r*cols+to], out.grad.Data[r*c:(r+1)*c])
		}
	})
	return out
}

// Reshape returns x's values under a new shape of the same size.
func (tp *Tape) Reshape(x *Node, shape ...int) *Node {
	if tensor.Size(shape) != x.Value.Len() {
		panic(fmt.Sprintf("autodiff.Reshape: %s to %s", tensor.ShapeString(x.Shape()), tensor.ShapeString(shape)))
	}
	out := tp.NewOutput(shape, x)
	copy(out.Value.Data, x.Value.Data)
	tp.AddBackward(out, func() { tensor.Accumulate(x.AccumGrad().Data, out.grad.Data) })
	return out
}

// GatherRows returns the rows idx of x (as a matrix), (len(idx), cols); an
// index of -1 gives a row of zeros (padding). The backward pass adds each
// output row's gradient into the row it came from.
func (tp *Tape) GatherRows(x *Node, idx []int) *Node {
	rows, c := x.Value.Rows(), x.Value.Cols()
	for _, r := range idx {
		if r < -1 || r >= rows {
			panic(fmt.Sprintf("autodiff.GatherRows: row %d of %s", r, tensor.ShapeString(x.Shape())))
		}
	}
	out := tp.NewOutput([]int{len(idx), c}, x)
	for i, r := range idx {
		if r >= 0 {
			copy(out.Value.Data[i*c:(i+1)*c], x.Value.Data[r*c:(r+1)*c])
		}
	}
	tp.AddBackward(out, func() {
		gx := x.AccumGrad().Data
		for i, r := range idx {
			if r >= 0 {
				tensor.Accumulate(gx[r*c:(r+1)*c], out.grad.Data[i*c:(i+1)*c])
			}
		}
	})
	return out
}
