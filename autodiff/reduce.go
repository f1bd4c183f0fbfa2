package autodiff

// Sum returns the sum of all elements of x as a node of shape (1).
func (tp *Tape) Sum(x *Node) *Node {
	return tp.scaledSum(x, 1)
}

// Mean returns the mean of all elements of x as a node of shape (1).
func (tp *Tape) Mean(x *Node) *Node {
	return tp.scaledSum(x, 1/float32(x.Value.Len()))
}

// scaledSum returns c·Σx.
func (tp *Tape) scaledSum(x *Node, c float32) *Node {
	out := tp.NewOutput([]int{1}, x)
	var s float64
	for _, v := range x.Value.Data {
		s += float64(v)
	}
	out.Value.Data[0] = float32(s) * c
	tp.AddBackward(out, func() {
		g := out.grad.Data[0] * c
		gx := x.AccumGrad().Data
		for i := range gx {
			gx[i] += g
		}
	})
	return out
}
