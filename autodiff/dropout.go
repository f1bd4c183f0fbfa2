package autodiff

import "math"

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
	dst := out.Value.Data[:len(src)]
	// The mask, a bit per element (kept: 1), for the backward pass.
	mask := make([]uint32, (len(src)+31)/32)
	keep := 1 / (1 - rate)
	keepBits := math.Float32bits(keep)
	// rng.Float32() is u/2²⁴ for the low 24 bits u of rng.Uint32(), so
	// Float32() >= rate exactly when u >= ⌈rate·2²⁴⌉: the same draws and the
	// same elements kept, compared without a branch (a kept element's bits
	// are and-ed with all ones, a dropped one's with zero).
	threshold := int32(math.Ceil(float64(rate) * (1 << 24)))
	var draws [dropoutBlock]uint32 // a multiple of 32: blocks start on a word of the mask
	for b0 := 0; b0 < len(src); b0 += dropoutBlock {
		block := draws[:min(dropoutBlock, len(src)-b0)]
		draw(block)
		for w0 := 0; w0 < len(block); w0 += 32 {
			var word uint32
			for k, d := range block[w0:min(w0+32, len(block))] {
				i := b0 + w0 + k
				kept := ^uint32((int32(d&(1<<24-1)) - threshold) >> 31) // all ones when kept
				word |= kept & 1 << k
				dst[i] = math.Float32frombits(math.Float32bits(src[i]*keep) & kept)
			}
			mask[(b0+w0)/32] = word
		}
	}
	tp.AddBackward(out, func() {
		gx, g := x.AccumGrad().Data[:len(src)], out.grad.Data[:len(src)]
		for w, word := range mask {
			for k := range min(32, len(src)-32*w) {
				kept := -(word >> k & 1) // all ones when kept
				gx[32*w+k] += g[32*w+k] * math.Float32frombits(keepBits&kept)
			}
		}
	})
	return out
}

// dropoutBlock is how many random values Dropout draws at a time (on the
// stack).
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
