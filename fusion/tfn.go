package fusion

import (
	"math/rand/v2"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/layers"
	"github.com/modistill/modistill/nn"
)

// TFN is the tensor fusion network's fusion (Zadeh et al. 2017): the full
// outer product [1; z^a] ⊗ [1; z^v] ⊗ [1; z^t], flattened, then a
// post-fusion network (Linear, ReLU, dropout, Linear, ReLU) to h units. It
// needs all three modalities and is not separable.
type TFN struct {
	Post    *layers.MLP
	Dropout layers.Dropout
}

// NewTFN returns TFN fusion of inputs of sizes dims into h units through a
// post-fusion hidden layer of the same size.
func NewTFN(prefix string, dims [3]int, h int, dropout float32, rng *rand.Rand) *TFN {
	in := (dims[0] + 1) * (dims[1] + 1) * (dims[2] + 1)
	return &TFN{Post: layers.NewMLP(prefix+".post", []int{in, h, h}, dropout, rng), Dropout: layers.Dropout{Rate: dropout}}
}

// Params returns the post-fusion network's parameters.
func (f *TFN) Params() []*nn.Param { return f.Post.Params() }

// Tensor returns the flattened outer product of [1; z^m], (B, Π(d_m+1)).
func (f *TFN) Tensor(tp *autodiff.Tape, z [3]*autodiff.Node) *autodiff.Node {
	return tp.Outer(tp.Outer(WithOne(tp, z[0]), WithOne(tp, z[1])), WithOne(tp, z[2]))
}

// Forward returns z_h (B, h).
func (f *TFN) Forward(tp *autodiff.Tape, mode nn.Mode, z [3]*autodiff.Node) *autodiff.Node {
	return f.Post.Forward(tp, mode, f.Dropout.Forward(tp, mode, f.Tensor(tp, z)))
}
