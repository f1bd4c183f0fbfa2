package autodiff

import (
	"math"

	"github.com/modistill/modistill/tensor"
)

// Dropout zeroes each element of x with probability rate and scales the
// survivors by 1/(1-rate) (inverted dropout). draw fills a slice with the
// random values rand.Rand.Uint32 would give, in order (nn.Mode.Uint32s);
// element i is kept when the low 24 bits of its value, over 2²⁴, are at
// least rate, as it is when rand.Rand.Float32 is. Callers apply it only in
// training; a rate of 0 returns x itself.
func (tp *Tape) Dropout(x *Node, rate float32, draw func(dst []uint32)) *Node {
	if rate <= 0 {
		return x
	}
	if rate >= 1 {
		panic("autodiff.Dropout: rate must be below 1")
	}
	out := tp.NewOutput(x.Shape(), x)
	src := x.Value.Data
	kept := make([]uint32, (len(src)+31)/32) // the mask, a bit per element, for the backward pass
	keep := 1 / (1 - rate)
	// rng.Float32() is u/2²⁴ for the low 24 bits u of rng.Uint32(), so
	// Float32() >= rate exactly when u >= ⌈rate·2²⁴⌉: the same draws and the
	// same elements kept as a loop over Float32 would give.
	threshold := uint32(math.Ceil(float64(rate) * (1 << 24)))
	var draws [dropoutBlock]uint32 // a multiple of 32: blocks start on a word of the mask
	for b0 := 0; b0 < len(src); b0 += dropoutBlock {
		b1 := min(b0+dropoutBlock, len(src))
		block := draws[:b1-b0]
		draw(block)
		tensor.Drop(out.Value.Data[b0:b1], src[b0:b1], block, threshold, keep, kept[b0/32:])
	}
	tp.AddBackward(out, func() {
		tensor.AccumulateKept(x.AccumGrad().Data, out.grad.Data[:len(src)], kept, keep)
	})
	return out
}

// dropoutBlock is how many random values Dropout draws at a time, into one
// buffer per call.
const dropoutBlock = 1024

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
