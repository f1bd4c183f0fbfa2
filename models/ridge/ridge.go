// Package ridge is a linear baseline for text given as token ids: ridge
// regression on word presence (a bag of words: feature j is 1 if the
// training vocabulary's word j occurs in the sample), with an unpenalised
// intercept and the regularisation chosen on the validation split by MAE.
//
// It is solved in its dual form: with n training samples and p words,
// w = X̃ᵀ(X̃X̃ᵀ + λI)⁻¹ỹ for centred X̃ and ỹ, so one eigendecomposition of
// the n x n Gram matrix serves every λ.
package ridge

import (
	"fmt"
	"math"

	"github.com/modistill/modistill/data"
	"gonum.org/v1/gonum/mat"
)

// DefaultLambdas is the regularisation grid searched on the validation split.
var DefaultLambdas = []float64{0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000}

// Model is a fitted bag-of-words ridge regression.
type Model struct {
	W      []float64 // one weight per vocabulary id (ids 0 and 1, padding and unknown, stay 0)
	B      float64   // intercept
	Lambda float64
	// ValidMAE is the validation MAE of each λ tried.
	ValidMAE map[float64]float64
}

// presence returns the bag-of-words matrix of a split (n x vocab).
func presence(s *data.Split, vocab int) *mat.Dense {
	n, L := s.N(), s.Tokens.L
	x := mat.NewDense(n, vocab, nil)
	for i := range n {
		for _, id := range s.Tokens.IDs[i*L : (i+1)*L] {
			if id > 1 { // not padding, not unknown
				x.Set(i, int(id), 1)
			}
		}
	}
	return x
}

// FitBoW fits the model on ds's training split, choosing λ among lambdas by
// validation MAE. The dataset must have token-id text and one regression
// target.
func FitBoW(ds *data.Dataset, lambdas []float64) (*Model, error) {
	if ds.Vocab == nil || ds.Train.Tokens == nil {
		return nil, fmt.Errorf("ridge: the dataset's text is not token ids (a bag of words needs a vocabulary)")
	}
	if ds.Task.Kind != data.Regression || len(ds.Task.Targets) != 1 {
		return nil, fmt.Errorf("ridge: want one regression target, the task has %d %s targets", len(ds.Task.Targets), ds.Task.Kind)
	}
	if len(lambdas) == 0 {
		return nil, fmt.Errorf("ridge: no λ to try")
	}
	V := len(ds.Vocab)
	X := presence(ds.Train, V)
	y := ds.Train.Column(0)
	n := len(y)
	// Centre features and labels; the intercept is then the label mean.
	means := make([]float64, V)
	for j := range V {
		means[j] = mat.Sum(X.ColView(j)) / float64(n)
	}
	var ym float64
	for _, v := range y {
		ym += v / float64(n)
	}
	Xc := mat.NewDense(n, V, nil)
	Xc.Apply(func(i, j int, v float64) float64 { return v - means[j] }, X)
	yc := mat.NewVecDense(n, nil)
	for i, v := range y {
		yc.SetVec(i, v-ym)
	}
	var K mat.SymDense
	K.SymOuterK(1, Xc) // X̃X̃ᵀ
	var eig mat.EigenSym
	if !eig.Factorize(&K, true) {
		return nil, fmt.Errorf("ridge: eigendecomposition of the Gram matrix failed")
	}
	vals := eig.Values(nil)
	var Q mat.Dense
	eig.VectorsTo(&Q)
	var qy mat.VecDense
	qy.MulVec(Q.T(), yc)
	Xv := presence(ds.Valid, V)
	yv := ds.Valid.Column(0)
	best := &Model{ValidMAE: map[float64]float64{}, Lambda: math.NaN()}
	bestMAE := math.Inf(1)
	for _, lam := range lambdas {
		if lam <= 0 {
			return nil, fmt.Errorf("ridge: λ %g must be positive", lam)
		}
		scaled := mat.NewVecDense(n, nil)
		for i := range n {
			scaled.SetVec(i, qy.AtVec(i)/(vals[i]+lam))
		}
		var alpha, w mat.VecDense
		alpha.MulVec(&Q, scaled)
		w.MulVec(Xc.T(), &alpha) // w = X̃ᵀα
		m := &Model{W: make([]float64, V), Lambda: lam}
		for j := range V {
			m.W[j] = w.AtVec(j)
			m.B -= means[j] * m.W[j]
		}
		m.B += ym
		mae := 0.0
		for i, p := range m.predict(Xv) {
			mae += math.Abs(p-yv[i]) / float64(len(yv))
		}
		best.ValidMAE[lam] = mae
		if mae < bestMAE {
			bestMAE = mae
			best.W, best.B, best.Lambda = m.W, m.B, lam
		}
	}
	return best, nil
}

func (m *Model) predict(x *mat.Dense) []float64 {
	var p mat.VecDense
	p.MulVec(x, mat.NewVecDense(len(m.W), m.W))
	out := make([]float64, p.Len())
	for i := range out {
		out[i] = p.AtVec(i) + m.B
	}
	return out
}

// Predict returns the predictions for a split with the same vocabulary.
func (m *Model) Predict(s *data.Split) []float64 { return m.predict(presence(s, len(m.W))) }
