package layers

import (
	"fmt"
	"math/rand/v2"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/tensor"
)

// Embedding maps token ids to trainable vectors, as torch.nn.Embedding.
type Embedding struct {
	Weight *nn.Param // (vocabulary, dim)
}

// NewEmbedding returns an embedding table with N(0, 1) rows, PyTorch's
// default.
func NewEmbedding(name string, vocab, dim int, rng *rand.Rand) *Embedding {
	e := &Embedding{Weight: nn.NewParam(name+".weight", vocab, dim)}
	nn.Normal(e.Weight.Value, 1, rng)
	return e
}

// Params returns the table.
func (e *Embedding) Params() []*nn.Param { return []*nn.Param{e.Weight} }

// Forward looks up ids, laid out with the given shape (for example (B, T)),
// and returns their vectors with shape (shape..., dim). An id outside the
// vocabulary panics: ids are checked when a dataset is built.
func (e *Embedding) Forward(tp *autodiff.Tape, ids []int, shape ...int) *autodiff.Node {
	V, D := e.Weight.Value.Shape[0], e.Weight.Value.Shape[1]
	n := 1
	for _, d := range shape {
		n *= d
	}
	if n != len(ids) {
		panic(fmt.Sprintf("layers.Embedding: %d ids for shape %v", len(ids), shape))
	}
	w := e.Weight.Node
	out := tp.NewOutput(append(append([]int(nil), shape...), D), w)
	for r, id := range ids {
		if id < 0 || id >= V {
			panic(fmt.Sprintf("layers.Embedding: id %d outside a vocabulary of %d", id, V))
		}
		copy(out.Value.Data[r*D:(r+1)*D], w.Value.Data[id*D:(id+1)*D])
	}
	tp.AddBackward(out, func() {
		gw := w.AccumGrad().Data
		g := out.Grad().Data
		for r, id := range ids {
			tensor.Accumulate(gw[id*D:(id+1)*D], g[r*D:(r+1)*D])
		}
	})
	return out
}
