// Package fusion holds the multimodal fusion layers: Tucker fusion (the
// paper's Eq. 7-8), low-rank multimodal fusion (LMF, Liu et al. 2018; Eq. 9)
// and the tensor fusion network's outer product (TFN, Zadeh et al. 2017).
// Tucker and LMF split into Project, the modality-specific factors that give
// p_m (the students' representation in the paper's framework), and Fuse,
// the part that needs every modality; both satisfy Separable.
package fusion

import (
	"fmt"
	"math/rand/v2"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
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
	p := &Projection{W: newFactors(prefix, dims, t)}
	for m, d := range dims {
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

// newFactors returns the modality-specific factors W_m of shapes
// (d_m+1, widths[m]), named prefix.W_a, prefix.W_v and prefix.W_t, for the
// caller to initialise.
func newFactors(prefix string, dims, widths [3]int) [3]*nn.Param {
	var W [3]*nn.Param
	for m, d := range dims {
		W[m] = nn.NewParam(fmt.Sprintf("%s.W_%s", prefix, data.Modality(m).Letter()), d+1, widths[m])
	}
	return W
}

// project returns p_m = [1; z^m]ᵀ W_m for every present modality m.
func project(tp *autodiff.Tape, W [3]*nn.Param, z [3]*autodiff.Node) [3]*autodiff.Node {
	var p [3]*autodiff.Node
	for m, zm := range z {
		if zm != nil {
			p[m] = tp.MatMul(WithOne(tp, zm), W[m].Node)
		}
	}
	return p
}

// mustHaveAll panics unless every projection is present.
func mustHaveAll(op string, p [3]*autodiff.Node) {
	for m, pm := range p {
		if pm == nil {
			panic(fmt.Sprintf("fusion.%s: modality %d missing; fusion needs all three", op, m))
		}
	}
}

// WithOne returns [1; z]: z with a column of ones prepended, so that the
// product over modalities keeps unimodal and bimodal terms (TFN, LMF).
func WithOne(tp *autodiff.Tape, z *autodiff.Node) *autodiff.Node {
	ones := tp.Alloc(z.Value.Rows(), 1)
	ones.Fill(1)
	return tp.Concat(tp.Const(ones), z)
}
