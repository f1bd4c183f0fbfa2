package fusion

import (
	"math/rand/v2"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/nn"
)

// LMF is low-rank multimodal fusion (Liu et al. 2018; the paper's Eq. 9):
//
//	z_h = Σ_{i=1..R} w_i · ∏_m ([1; z^m]ᵀ W_m^(i)) + b
//
// with W_m^(i) of size (d_m+1) x h. The factors of modality m are stored as
// one matrix W_m of shape (d_m+1, R·h) whose column i·h+k is W_m^(i)[:, k],
// so p_m = [1; z^m]ᵀ W_m is one matrix product and LMF is the Tucker special
// case of METHOD.md item 2.
type LMF struct {
	W      [3]*nn.Param // (d_m+1, R·h) per modality
	Weight *nn.Param    // (1, R): w_i
	Bias   *nn.Param    // (h)
	R, H   int
}

// NewLMF returns LMF fusion of inputs of sizes dims to h units at rank r,
// with Xavier-normal factors and rank weights (as LMF's code) and zero bias.
func NewLMF(prefix string, dims [3]int, r, h int, rng *rand.Rand) *LMF {
	f := &LMF{R: r, H: h, Weight: nn.NewParam(prefix+".rank_weight", 1, r), Bias: nn.NewParam(prefix+".bias", h)}
	f.W = newFactors(prefix, dims, [3]int{r * h, r * h, r * h})
	for m, d := range dims {
		// fan-in and fan-out of PyTorch's xavier_normal_ on LMF's (R, d+1, h) factor
		nn.XavierNormal(f.W[m].Value, (d+1)*h, r*h, rng)
	}
	nn.XavierNormal(f.Weight.Value, r, 1, rng)
	return f
}

var _ Separable = (*LMF)(nil)

// Params returns the factors, then the rank weights and bias.
func (f *LMF) Params() []*nn.Param { return append(f.FactorParams(), f.CoreParams()...) }

// ProjDims are the sizes of p_m: R·h each.
func (f *LMF) ProjDims() [3]int { return [3]int{f.R * f.H, f.R * f.H, f.R * f.H} }

// OutDim is h.
func (f *LMF) OutDim() int { return f.H }

// FactorParams returns the modality-specific factors W_m.
func (f *LMF) FactorParams() []*nn.Param { return f.W[:] }

// CoreParams returns the parameters only the fused path uses.
func (f *LMF) CoreParams() []*nn.Param { return []*nn.Param{f.Weight, f.Bias} }

// Project returns p_m = [1; z^m]ᵀ W_m, (B, R·h), for every present modality.
func (f *LMF) Project(tp *autodiff.Tape, z [3]*autodiff.Node) [3]*autodiff.Node {
	return project(tp, f.W, z)
}

// Fuse returns z_h (B, h) from the three projections: the elementwise product
// over modalities, then the weighted sum over the R ranks.
func (f *LMF) Fuse(tp *autodiff.Tape, p [3]*autodiff.Node) *autodiff.Node {
	mustHaveAll("LMF.Fuse", p)
	prod := tp.Mul(tp.Mul(p[0], p[1]), p[2])
	B := prod.Shape()[0]
	ranks := tp.Reshape(prod, B, f.R, f.H)        // (B, R, h)
	zh := tp.ModeProduct(ranks, f.Weight.Node, 0) // Σ_i w_i · prod_i: (B, h)
	return tp.AddBias(zh, f.Bias.Node)
}

// Forward is Fuse(Project(z)).
func (f *LMF) Forward(tp *autodiff.Tape, z [3]*autodiff.Node) *autodiff.Node {
	return f.Fuse(tp, f.Project(tp, z))
}
