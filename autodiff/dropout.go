package autodiff

import (
	"math"
	"math/rand/v2"
)

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
	mask := tp.AllocUnset(x.Shape()...).Data // every element written below
	keep := 1 / (1 - rate)
	keepBits := math.Float32bits(keep)
	// rng.Float32() is u/2²⁴ for the low 24 bits u of rng.Uint32(), so
	// Float32() >= rate exactly when u >= ⌈rate·2²⁴⌉: the same draws and the
	// same elements kept, compared without a branch (a kept element's bits
	// are and-ed with all ones, a dropped one's with zero).
	threshold := int32(math.Ceil(float64(rate) * (1 << 24)))
	dst := out.Value.Data[:len(x.Value.Data)]
	mask = mask[:len(x.Value.Data)]
	for i, v := range x.Value.Data {
		u := int32(rng.Uint32() & (1<<24 - 1))
		kept := ^uint32((u - threshold) >> 31) // all ones when u >= threshold
		mask[i] = math.Float32frombits(keepBits & kept)
		dst[i] = math.Float32frombits(math.Float32bits(v*keep) & kept)
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
