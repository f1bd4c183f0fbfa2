package fusion

import (
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
