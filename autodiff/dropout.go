package autodiff

import "math/rand/v2"

// Dropout zeroes each element of x with probability rate and scales the
// survivors by 1/(1-rate) (inverted dropout), drawing from rng. Callers apply
// it only in training; a rate of 0 returns x itself.
func (tp *Tape) Dropout(x *Node, rate float32, rng *rand.Rand) *Node {
	if rate <= 0 {
		return x
	}
	if rate >= 1 {
		panic("autodiff.Dropout: rate must be below 1")
	}
	out := tp.NewOutput(x.Shape(), x)
	mask := tp.Alloc(x.Shape()...).Data
	keep := 1 / (1 - rate)
	for i, v := range x.Value.Data {
		if rng.Float32() >= rate {
			mask[i] = keep
			out.Value.Data[i] = v * keep
		}
	}
	tp.AddBackward(out, func() {
		gx := x.AccumGrad().Data
		for i, g := range out.grad.Data {
			gx[i] += g * mask[i]
		}
	})
	return out
}

// Detach returns a node with x's value through which no gradient flows
// (stop-gradient): distillation targets are detached teacher outputs.
func (tp *Tape) Detach(x *Node) *Node {
	return &Node{Value: x.Value, tape: tp}
}

// GradReverse is the identity in the forward pass and multiplies the gradient
// by -lambda in the backward pass (a gradient-reversal layer, Ganin and
// Lempitsky 2015).
func (tp *Tape) GradReverse(x *Node, lambda float32) *Node {
	out := tp.NewOutput(x.Shape(), x)
	copy(out.Value.Data, x.Value.Data)
	tp.AddBackward(out, func() {
		gx := x.AccumGrad().Data
		for i, g := range out.grad.Data {
			gx[i] -= lambda * g
		}
	})
	return out
}
