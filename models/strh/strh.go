// Package strh is sparse Tikhonov-regularised hashing (STRH; Tian et al.,
// "Sparse Tikhonov-Regularized Hashing for Multi-Modal Learning", ICIP
// 2018), the paper's hashing baseline: binary codes per modality learned to
// maximise cross-modal correlation, then a predictor on the codes of the
// available modalities.
//
// Only the paper's abstract was available here. What it says, and is
// followed: the codes come from solution vectors that maximise cross-modal
// correlation, under an ℓ0-norm sparsity constraint and Tikhonov
// regularisation; training sees all modalities, prediction one or more
// ("multi-modal learning, single-modal prediction"). What had to be
// interpreted, and how:
//
//   - The solution vectors are read as multi-view CCA directions w^k_m (one
//     per modality m and bit k) maximising Σ_{m≠n} w_mᵀ C_mn w_n subject to
//     w_mᵀ (C_mm + λI) w_m = 1: the Tikhonov term is λI added to each
//     modality's covariance (regularised CCA).
//   - The ℓ0 constraint keeps at most s nonzero entries in each w^k_m,
//     enforced by truncated power iteration (after each update, keep the s
//     largest magnitudes).
//   - Bits are found one after another; each w^k_m is kept orthogonal to the
//     earlier bits' vectors in the (C_mm + λI) metric before truncation.
//   - The binary code of modality m is sign(X_m W_m) (features standardised
//     on the training split, so 0 is the threshold).
//   - The predictor, per subset of available modalities, is ridge regression
//     on the concatenated ±1 codes (for classification, on ±1 targets, the
//     sign giving the class); its regularisation is chosen on validation.
package strh

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/mathf"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/tensor"
	"gonum.org/v1/gonum/mat"
)

// Config holds STRH's hyperparameters.
type Config struct {
	Bits     int       `json:"bits"`             // code length K per modality
	Sparsity float64   `json:"sparsity"`         // fraction of each modality's features a solution vector may use (s = ⌈fraction·d⌉)
	Tikhonov float64   `json:"tikhonov"`         // λ added to each covariance
	Iters    int       `json:"iters"`            // power iterations per bit
	Ridge    []float64 `json:"ridge"`            // predictor regularisation tried on validation
	Chosen   []float64 `json:"chosen,omitempty"` // the chosen one per subset, after Fit
}

// DefaultConfig: 32 bits, a quarter of the features, λ = 1, 100 iterations,
// ridge in {0.1, 1, 10, 100}.
func DefaultConfig() Config {
	return Config{Bits: 32, Sparsity: 0.25, Tikhonov: 1, Iters: 100, Ridge: []float64{0.1, 1, 10, 100}}
}

// Model is STRH: per modality the standardisation and the projections, per
// subset a ridge predictor on the codes.
type Model struct {
	Config Config
	Task   data.Task
	// Mean, Std (d_m) and W (d_m, K) per modality.
	Mean, Std, W [3]*nn.Param
	// Pred per subset: weights (targets, 1 + K·modalities), intercept first.
	Pred []*nn.Param
}

// New returns an STRH model shaped for data of the given dimensions.
func New(dims data.Dims, task data.Task, c Config) (*Model, error) {
	if dims.Vocab > 0 || dims.Audio == 0 || dims.Visual == 0 || dims.Text == 0 {
		return nil, fmt.Errorf("strh: needs feature vectors of all three modalities")
	}
	if task.Kind == data.Classification && task.Classes != 2 {
		return nil, fmt.Errorf("strh: classification with %d classes; the predictor here is binary", task.Classes)
	}
	if c.Bits < 1 || c.Sparsity <= 0 || c.Sparsity > 1 || c.Tikhonov < 0 || c.Iters < 1 || len(c.Ridge) == 0 {
		return nil, fmt.Errorf("strh: bad configuration %+v", c)
	}
	m := &Model{Config: c, Task: task}
	for i, d := range []int{dims.Audio, dims.Visual, dims.Text} {
		l := data.Modality(i).Letter()
		m.Mean[i] = nn.NewParam("strh."+l+".mean", d)
		m.Std[i] = nn.NewParam("strh."+l+".std", d)
		m.W[i] = nn.NewParam("strh."+l+".W", d, c.Bits)
	}
	for _, use := range data.Subsets {
		n := 0
		for _, u := range use {
			if u {
				n++
			}
		}
		m.Pred = append(m.Pred, nn.NewParam("strh.pred."+use.String(), len(task.Targets), 1+n*c.Bits))
	}
	return m, nil
}

// Params returns every parameter.
func (m *Model) Params() []*nn.Param {
	var ps []*nn.Param
	for i := range 3 {
		ps = append(ps, m.Mean[i], m.Std[i], m.W[i])
	}
	return append(ps, m.Pred...)
}

// Subsets answers for all seven subsets.
func (m *Model) Subsets() []data.Subset { return data.Subsets }

// FittedConfig is the configuration with the chosen ridge penalties.
func (m *Model) FittedConfig() any { return m.Config }

// modality returns one modality's standardised features as a matrix.
func (m *Model) modality(b *data.Batch, i int) *mat.Dense {
	rows := data.UtteranceFeatures(b, nil, data.Only(data.Modality(i)))
	d := len(rows[0])
	x := mat.NewDense(len(rows), d, nil)
	mean, std := m.Mean[i].Value.Data, m.Std[i].Value.Data
	for r, row := range rows {
		for j, v := range row {
			x.Set(r, j, (v-float64(mean[j]))/float64(std[j]))
		}
	}
	return x
}

// codes returns the ±1 codes of the modalities in use, concatenated, with a
// leading 1 for the intercept.
func (m *Model) codes(b *data.Batch, use data.Subset) *mat.Dense {
	K := m.Config.Bits
	n := b.N()
	parts := 0
	for _, u := range use {
		if u {
			parts++
		}
	}
	out := mat.NewDense(n, 1+parts*K, nil)
	for r := range n {
		out.Set(r, 0, 1)
	}
	col := 1
	for i, u := range use {
		if !u {
			continue
		}
		x := m.modality(b, i)
		W := m.W[i].Value
		var p mat.Dense
		p.Mul(x, mat.NewDense(W.Shape[0], K, float32To64(W.Data)))
		for r := range n {
			for k := range K {
				v := 1.0
				if p.At(r, k) < 0 {
					v = -1
				}
				out.Set(r, col+k, v)
			}
		}
		col += K
	}
	return out
}

func float32To64(x []float32) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

// Fit learns the projections on ds.Train (all modalities) and a predictor
// per subset, choosing each predictor's ridge penalty on ds.Valid.
func (m *Model) Fit(ctx context.Context, ds *data.Dataset) error {
	train := ds.Train.All()
	var X [3]*mat.Dense
	for i := range 3 { // standardise each modality on the training split
		mean, std := data.Moments(data.UtteranceFeatures(train, nil, data.Only(data.Modality(i))))
		for j := range mean {
			m.Mean[i].Value.Data[j], m.Std[i].Value.Data[j] = float32(mean[j]), float32(std[j])
		}
		X[i] = m.modality(train, i)
	}
	if err := m.learnProjections(ctx, X); err != nil {
		return err
	}
	m.Config.Chosen = nil
	for si, use := range data.Subsets {
		if err := ctx.Err(); err != nil {
			return err
		}
		Z := m.codes(train, use)
		Zv := m.codes(ds.Valid.All(), use)
		best, bestScore := -1.0, math.Inf(1)
		var bestW *mat.Dense
		for _, lam := range m.Config.Ridge {
			W, err := ridge(Z, m.targets(ds.Train.Labels), lam)
			if err != nil {
				return fmt.Errorf("strh %s: %w", use.String(), err)
			}
			if score := m.validationScore(Zv, W, ds.Valid.Labels); score < bestScore {
				best, bestScore, bestW = lam, score, W
			}
		}
		r, c := bestW.Dims() // (features, targets) -> stored (targets, features)
		for t := range c {
			for f := range r {
				m.Pred[si].Value.Data[t*r+f] = float32(bestW.At(f, t))
			}
		}
		m.Config.Chosen = append(m.Config.Chosen, best)
	}
	return nil
}

// learnProjections finds the sparse regularised multi-view CCA directions,
// bit by bit.
func (m *Model) learnProjections(ctx context.Context, X [3]*mat.Dense) error {
	c := m.Config
	n, _ := X[0].Dims()
	var C [3][3]mat.Dense // covariances
	for a := range 3 {
		for b := range 3 {
			C[a][b].Mul(X[a].T(), X[b])
			C[a][b].Scale(1/float64(n), &C[a][b])
		}
	}
	var reg [3]*mat.Cholesky // C_mm + λI
	var regDense [3]*mat.SymDense
	for a := range 3 {
		d, _ := C[a][a].Dims()
		s := mat.NewSymDense(d, nil)
		for i := range d {
			for j := range d {
				s.SetSym(i, j, C[a][a].At(i, j))
			}
			s.SetSym(i, i, s.At(i, i)+c.Tikhonov+1e-9)
		}
		var ch mat.Cholesky
		if !ch.Factorize(s) {
			return fmt.Errorf("strh: the regularised covariance of %s is not positive definite", data.Modality(a))
		}
		reg[a], regDense[a] = &ch, s
	}
	var prev [3][]*mat.VecDense
	for k := range c.Bits {
		if err := ctx.Err(); err != nil {
			return err
		}
		var w [3]*mat.VecDense
		for a := range 3 {
			d, _ := C[a][a].Dims()
			w[a] = mat.NewVecDense(d, nil)
			for i := range d { // a deterministic start, different per bit
				w[a].SetVec(i, math.Sin(float64(1+i+7*k)))
			}
			normalise(w[a], regDense[a])
		}
		for range c.Iters {
			for a := range 3 { // w_a ← (C_aa + λI)^{-1} Σ_{b≠a} C_ab w_b, then orthogonalise, truncate, normalise
				d, _ := C[a][a].Dims()
				sum := mat.NewVecDense(d, nil)
				for b := range 3 {
					if b != a {
						var t mat.VecDense
						t.MulVec(&C[a][b], w[b])
						sum.AddVec(sum, &t)
					}
				}
				next := mat.NewVecDense(d, nil)
				if err := reg[a].SolveVecTo(next, sum); err != nil {
					return fmt.Errorf("strh: %w", err)
				}
				for _, p := range prev[a] { // orthogonal to earlier bits in the (C_aa + λI) metric
					var mp mat.VecDense
					mp.MulVec(regDense[a], p)
					next.AddScaledVec(next, -mat.Dot(next, &mp), p)
				}
				truncate(next, int(math.Ceil(c.Sparsity*float64(d))))
				if mat.Norm(next, 2) == 0 {
					break
				}
				normalise(next, regDense[a])
				w[a] = next
			}
		}
		for a := range 3 {
			d, _ := C[a][a].Dims()
			for i := range d {
				m.W[a].Value.Data[i*c.Bits+k] = float32(w[a].AtVec(i))
			}
			prev[a] = append(prev[a], w[a])
		}
	}
	return nil
}

// normalise scales w to wᵀ S w = 1.
func normalise(w *mat.VecDense, S *mat.SymDense) {
	var sw mat.VecDense
	sw.MulVec(S, w)
	if q := mat.Dot(w, &sw); q > 0 {
		w.ScaleVec(1/math.Sqrt(q), w)
	}
}

// truncate keeps the s entries of largest magnitude (the ℓ0 constraint).
func truncate(w *mat.VecDense, s int) {
	n := w.Len()
	if s >= n {
		return
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return math.Abs(w.AtVec(idx[a])) > math.Abs(w.AtVec(idx[b])) })
	for _, i := range idx[s:] {
		w.SetVec(i, 0)
	}
}

// targets are the labels as ridge targets: values, or ±1 for classes.
func (m *Model) targets(labels *tensor.Tensor) *mat.Dense {
	n, K := labels.Shape[0], labels.Shape[1]
	y := mat.NewDense(n, K, nil)
	for i := range n {
		for k := range K {
			v := float64(labels.Data[i*K+k])
			if m.Task.Kind == data.Classification {
				v = 2*v - 1
			}
			y.Set(i, k, v)
		}
	}
	return y
}

// ridge solves (ZᵀZ + λI')W = Zᵀy with the intercept (column 0) unpenalised.
func ridge(Z, y *mat.Dense, lam float64) (*mat.Dense, error) {
	_, f := Z.Dims()
	var A mat.Dense
	A.Mul(Z.T(), Z)
	for i := 1; i < f; i++ {
		A.Set(i, i, A.At(i, i)+lam)
	}
	A.Set(0, 0, A.At(0, 0)+1e-9)
	var rhs, W mat.Dense
	rhs.Mul(Z.T(), y)
	if err := W.Solve(&A, &rhs); err != nil {
		return nil, err
	}
	return &W, nil
}

// outputs turns linear scores into predictions: values, or [1-σ(s), σ(s)].
func (m *Model) outputs(scores *mat.Dense) *tensor.Tensor {
	n, K := scores.Dims()
	if m.Task.Kind != data.Classification {
		out := tensor.New(n, K)
		for i := range n {
			for k := range K {
				out.Data[i*K+k] = float32(scores.At(i, k))
			}
		}
		return out
	}
	out := tensor.New(n, 2*K)
	for i := range n {
		for k := range K {
			p := mathf.Sigmoid(float32(2 * scores.At(i, k)))
			out.Data[(i*K+k)*2], out.Data[(i*K+k)*2+1] = 1-p, p
		}
	}
	return out
}

// validationScore is lower-is-better: MAE, or the error rate.
func (m *Model) validationScore(Z, W *mat.Dense, labels *tensor.Tensor) float64 {
	var s mat.Dense
	s.Mul(Z, W)
	pred := m.outputs(&s)
	var e float64
	n, K := labels.Shape[0], labels.Shape[1]
	for i := range n {
		for k := range K {
			y := float64(labels.Data[i*K+k])
			if m.Task.Kind == data.Classification {
				c := 0.0
				if pred.Data[(i*K+k)*2+1] > 0.5 {
					c = 1
				}
				if c != y {
					e++
				}
				continue
			}
			e += math.Abs(float64(pred.Data[i*K+k]) - y)
		}
	}
	return e / float64(n*K)
}

// Predict returns predictions for a batch from the modalities in use.
func (m *Model) Predict(_ *autodiff.Tape, b *data.Batch, use data.Subset) *tensor.Tensor {
	for si, u := range data.Subsets {
		if u != use {
			continue
		}
		Z := m.codes(b, use)
		P := m.Pred[si].Value // (targets, features)
		_, f := Z.Dims()
		W := mat.NewDense(f, P.Shape[0], nil)
		for t := range P.Shape[0] {
			for j := range f {
				W.Set(j, t, float64(P.Data[t*f+j]))
			}
		}
		var s mat.Dense
		s.Mul(Z, W)
		return m.outputs(&s)
	}
	panic(fmt.Sprintf("strh.Predict: subset %v", use))
}
