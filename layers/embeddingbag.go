package layers

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/tensor"
)

// EmbeddingBag pools the trainable vectors of a bag of ids into one vector
// per sample, without the (B, L, dim) tensor of the looked-up rows: their
// mean, as torch.nn.EmbeddingBag(mode="mean") and fastText's input layer
// (Joulin et al. 2017), or their sum divided by the L2 norm of the bag's
// counts (Pooling L2), which is the product of the L2-normalised
// term-frequency vector with the table, the features a linear text model
// reads best.
type EmbeddingBag struct {
	Weight *nn.Param // (vocabulary, dim)
	// Skip: ids below it (padding, an unknown feature) are not in the bag.
	Skip int32
	// Pooling is Mean or L2.
	Pooling Pooling
}

// Pooling says how EmbeddingBag scales the sum of a bag's vectors.
type Pooling int

// The poolings: by the bag's size, or by the L2 norm of its counts.
const (
	Mean Pooling = iota
	L2
)

// NewEmbeddingBag returns a table with rows drawn from U(-1/dim, 1/dim),
// fastText's initialisation, skipping ids below skip.
func NewEmbeddingBag(name string, vocab, dim int, skip int32, pooling Pooling, rng *rand.Rand) *EmbeddingBag {
	e := &EmbeddingBag{Weight: nn.NewParam(name+".weight", vocab, dim), Skip: skip, Pooling: pooling}
	for i := range e.Weight.Value.Data {
		e.Weight.Value.Data[i] = float32((2*rng.Float64() - 1) / float64(dim))
	}
	return e
}

// Params returns the table.
func (e *EmbeddingBag) Params() []*nn.Param { return []*nn.Param{e.Weight} }

// Forward returns (B, dim): row b pools the vectors of the ids in
// ids[b*L : b*L+n_b] that are not skipped, n_b = lengths[b] (nil: L): their
// sum divided by their count (Mean) or by sqrt(Σ_f c_f²), c_f the count of
// id f in the bag (L2); a bag with none is a zero vector. An id outside the vocabulary panics:
// ids are checked when a dataset is built.
func (e *EmbeddingBag) Forward(tp *autodiff.Tape, ids []int32, L int, lengths []int) *autodiff.Node {
	V, D := e.Weight.Value.Shape[0], e.Weight.Value.Shape[1]
	if L <= 0 || len(ids)%L != 0 {
		panic(fmt.Sprintf("layers.EmbeddingBag: %d ids in bags of %d", len(ids), L))
	}
	B := len(ids) / L
	w := e.Weight.Node
	out := tp.NewOutput([]int{B, D}, w)
	scale := make([]float32, B) // each bag's divisor's inverse, kept for the backward pass
	var count map[int32]int
	if e.Pooling == L2 {
		count = map[int32]int{}
	}
	for b := range B {
		dst := out.Value.Data[b*D : (b+1)*D]
		n := 0
		clear(count)
		for _, id := range e.bag(ids, L, lengths, b) {
			if id < 0 || int(id) >= V {
				panic(fmt.Sprintf("layers.EmbeddingBag: id %d outside a vocabulary of %d", id, V))
			}
			if id >= e.Skip {
				tensor.Accumulate(dst, w.Value.Data[int(id)*D:(int(id)+1)*D])
				n++
				if count != nil {
					count[id]++
				}
			}
		}
		if n == 0 {
			continue
		}
		div := float64(n)
		if e.Pooling == L2 {
			sq := 0
			for _, c := range count {
				sq += c * c
			}
			div = math.Sqrt(float64(sq))
		}
		scale[b] = float32(1 / div)
		for j := range dst {
			dst[j] *= scale[b]
		}
	}
	tp.AddBackward(out, func() {
		gw := w.AccumGrad().Data
		g := out.Grad().Data
		for b := range B {
			if scale[b] == 0 {
				continue
			}
			gb := g[b*D : (b+1)*D]
			inv := scale[b]
			for _, id := range e.bag(ids, L, lengths, b) {
				if id < e.Skip {
					continue
				}
				row := gw[int(id)*D : (int(id)+1)*D]
				for j, v := range gb {
					row[j] += v * inv
				}
			}
		}
	})
	return out
}

// bag is sample b's ids.
func (e *EmbeddingBag) bag(ids []int32, L int, lengths []int, b int) []int32 {
	n := L
	if lengths != nil {
		n = lengths[b]
	}
	return ids[b*L : b*L+n]
}
