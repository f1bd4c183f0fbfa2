package fusion

import (
	"fmt"
	"math/rand/v2"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/nn"
)

// Separable is a fusion whose modality-specific part can run on any subset
// of modalities: Project gives each present modality's p_m, and Fuse, which
// needs all three, maps them to z_h.
type Separable interface {
	nn.Module
	// Project returns p_m for every present modality (nil for the others).
	Project(tp *autodiff.Tape, z [3]*autodiff.Node) [3]*autodiff.Node
	// Fuse returns z_h (B, OutDim) from the three projections.
	Fuse(tp *autodiff.Tape, p [3]*autodiff.Node) *autodiff.Node
	// ProjDims are the sizes of p_a, p_v, p_t.
	ProjDims() [3]int
	// OutDim is the size h of z_h.
	OutDim() int
	// FactorParams are the modality-specific factors W_m (shared by the
	// teacher and the students).
	FactorParams() []*nn.Param
	// CoreParams are the parameters only the fused path uses.
	CoreParams() []*nn.Param
}

// Projection is a set of modality-specific factors W_m on their own:
// p_m = [1; z^m]ᵀ W_m, for students that do not share the teacher's factors.
type Projection struct {
	W [3]*nn.Param // (d_m+1, t_m)
}

// NewProjection returns Xavier-normal factors from inputs of sizes dims to
// projections of sizes t.
func NewProjection(prefix string, dims, t [3]int, rng *rand.Rand) *Projection {
	p := &Projection{}
	for m, d := range dims {
		p.W[m] = nn.NewParam(fmt.Sprintf("%s.W_%s", prefix, "avt"[m:m+1]), d+1, t[m])
		nn.XavierNormal(p.W[m].Value, d+1, t[m], rng)
	}
	return p
}

// Params returns W_a, W_v, W_t.
func (p *Projection) Params() []*nn.Param { return p.W[:] }

// Project returns p_m for every present modality.
func (p *Projection) Project(tp *autodiff.Tape, z [3]*autodiff.Node) [3]*autodiff.Node {
	return project(tp, p.W, z)
}
