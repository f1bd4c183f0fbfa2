package fusion

import (
	"math"
	"math/rand/v2"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/nn"
)

// Tucker is Tucker fusion, the paper's teacher (Eq. 7-8, METHOD.md item 2):
//
//	p_m = [1; z^m]ᵀ W_m                                   (W_m: (d_m+1) x t_m)
//	z_h = ((T_c ×1 p_a) ×2 p_v ×3 p_t) ×4 W_h + b_h        (T_c: t_a x t_v x t_t x t_h)
//
// contracted mode by mode with per-sample vectors: neither the outer product
// of the z^m nor the full weight W of Eq. 6 is ever built.
type Tucker struct {
	W    [3]*nn.Param // (d_m+1, t_m)
	Core *nn.Param    // (t_a, t_v, t_t, t_h)
	Wh   *nn.Param    // (t_h, h)
	Bh   *nn.Param    // (h)
}

var _ Separable = (*Tucker)(nil)

// NewTucker returns Tucker fusion of inputs of sizes dims with factor ranks
// t (t_a, t_v, t_t), core output rank th and h units. Factors and W_h are
// Xavier-normal, the core N(0, 1/(t_a·t_v·t_t)) (keeping z_h's scale at
// initialisation, as torch_ref.py does), b_h zero.
func NewTucker(prefix string, dims [3]int, t [3]int, th, h int, rng *rand.Rand) *Tucker {
	f := &Tucker{
		Core: nn.NewParam(prefix+".core", t[0], t[1], t[2], th),
		Wh:   nn.NewParam(prefix+".W_h", th, h),
		Bh:   nn.NewParam(prefix+".b_h", h),
	}
	f.W = newFactors(prefix, dims, t)
	for m, d := range dims {
		nn.XavierNormal(f.W[m].Value, d+1, t[m], rng)
	}
	nn.Normal(f.Core.Value, 1/math.Sqrt(float64(t[0]*t[1]*t[2])), rng)
	nn.XavierNormal(f.Wh.Value, th, h, rng)
	return f
}

// Params returns the factors, then the core, W_h and b_h.
func (f *Tucker) Params() []*nn.Param { return append(f.FactorParams(), f.CoreParams()...) }

// FactorParams returns the modality-specific factors W_m.
func (f *Tucker) FactorParams() []*nn.Param { return f.W[:] }

// CoreParams returns T_c, W_h and b_h.
func (f *Tucker) CoreParams() []*nn.Param { return []*nn.Param{f.Core, f.Wh, f.Bh} }

// ProjDims are t_a, t_v, t_t.
func (f *Tucker) ProjDims() [3]int {
	s := f.Core.Value.Shape
	return [3]int{s[0], s[1], s[2]}
}

// OutDim is h.
func (f *Tucker) OutDim() int { return f.Wh.Value.Shape[1] }

// Project returns p_m = [1; z^m]ᵀ W_m for every present modality.
func (f *Tucker) Project(tp *autodiff.Tape, z [3]*autodiff.Node) [3]*autodiff.Node {
	return project(tp, f.W, z)
}

// Fuse returns z_h from p_a, p_v, p_t (Eq. 8).
func (f *Tucker) Fuse(tp *autodiff.Tape, p [3]*autodiff.Node) *autodiff.Node {
	mustHaveAll("Tucker.Fuse", p)
	s := f.Core.Value.Shape
	core := tp.Reshape(f.Core.Node, 1, s[0], s[1], s[2], s[3])
	x := tp.ModeProduct(core, p[0], 0)                    // T_c ×1 p_a: (B, t_v, t_t, t_h)
	x = tp.ModeProduct(x, p[1], 0)                        // ×2 p_v:      (B, t_t, t_h)
	x = tp.ModeProduct(x, p[2], 0)                        // ×3 p_t:      (B, t_h)
	return tp.AddBias(tp.MatMul(x, f.Wh.Node), f.Bh.Node) // ×4 W_h: (B, h)
}

// Forward is Fuse(Project(z)).
func (f *Tucker) Forward(tp *autodiff.Tape, z [3]*autodiff.Node) *autodiff.Node {
	return f.Fuse(tp, f.Project(tp, z))
}
