package fusion

import (
	"math/rand/v2"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/layers"
	"github.com/modistill/modistill/nn"
)

// Concat is deep fusion's joint network (DF; Nojavanasghari et al. 2016,
// "Deep multimodal fusion for persuasiveness prediction"): the modality
// networks' outputs concatenated, then a fully connected network (Linear,
// ReLU, dropout, Linear, ReLU) to h units. It needs all three modalities.
type Concat struct {
	Joint *layers.MLP
}

// NewConcat returns the joint network over inputs of sizes dims.
func NewConcat(prefix string, dims [3]int, h int, dropout float32, rng *rand.Rand) *Concat {
	return &Concat{Joint: layers.NewMLP(prefix+".joint", []int{dims[0] + dims[1] + dims[2], h, h}, dropout, rng)}
}

// Params returns the joint network's parameters.
func (f *Concat) Params() []*nn.Param { return f.Joint.Params() }

// Forward returns z_h (B, h) from the three modality outputs.
func (f *Concat) Forward(tp *autodiff.Tape, mode nn.Mode, z [3]*autodiff.Node) *autodiff.Node {
	mustHaveAll("Concat.Forward", z)
	return f.Joint.Forward(tp, mode, tp.Concat(z[0], z[1], z[2]))
}
