package ridge

import (
	"math"
	"testing"

	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/tensor"
	"gonum.org/v1/gonum/mat"
)

// tokens makes a split whose label is 1.5·[word 2 present] - [word 3 present] + 0.2.
func tokens(n int, seed uint64, noise float64) *data.Split {
	rng := nn.NewRNG(seed)
	L := 4
	s := &data.Split{Tokens: &data.Tokens{IDs: make([]int32, n*L), L: L}, Labels: tensor.New(n, 1)}
	for i := range n {
		has := map[int32]bool{}
		for j := range L {
			id := int32(2 + rng.IntN(6))
			s.Tokens.IDs[i*L+j] = id
			has[id] = true
		}
		y := 0.2 + rng.NormFloat64()*noise
		if has[2] {
			y += 1.5
		}
		if has[3] {
			y--
		}
		s.Labels.Data[i] = float32(y)
	}
	return s
}

func TestRecoversWeightsAndMatchesPrimal(t *testing.T) {
	ds := &data.Dataset{Name: "bow", Task: data.Task{Kind: data.Regression, Targets: []string{"y"}},
		Vocab: []string{"<pad>", "<unk>", "a", "b", "c", "d", "e", "f"},
		Train: tokens(300, 1, 0.1), Valid: tokens(100, 2, 0.1), Test: tokens(100, 3, 0.1)}
	m, err := FitBoW(ds, DefaultLambdas)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(m.W[2]-1.5) > 0.1 || math.Abs(m.W[3]+1) > 0.1 || math.Abs(m.W[4]) > 0.1 {
		t.Errorf("weights %v (λ %g)", m.W, m.Lambda)
	}
	// The dual solution equals the primal (X̃ᵀX̃ + λI)⁻¹X̃ᵀỹ.
	X := presence(ds.Train, 8)
	y := ds.Train.Column(0)
	n := float64(len(y))
	Xc := mat.DenseCopyOf(X)
	for j := range 8 {
		mean := mat.Sum(X.ColView(j)) / n
		for i := range len(y) {
			Xc.Set(i, j, X.At(i, j)-mean)
		}
	}
	var ym float64
	for _, v := range y {
		ym += v / n
	}
	yc := mat.NewVecDense(len(y), nil)
	for i, v := range y {
		yc.SetVec(i, v-ym)
	}
	var A mat.Dense
	A.Mul(Xc.T(), Xc)
	for j := range 8 {
		A.Set(j, j, A.At(j, j)+m.Lambda)
	}
	var rhs, w mat.VecDense
	rhs.MulVec(Xc.T(), yc)
	if err := w.SolveVec(&A, &rhs); err != nil {
		t.Fatal(err)
	}
	for j := 2; j < 8; j++ { // ids 0 and 1 never occur: their columns are zero
		if math.Abs(w.AtVec(j)-m.W[j]) > 1e-8 {
			t.Fatalf("dual w[%d] = %v, primal %v", j, m.W[j], w.AtVec(j))
		}
	}
	if _, err := FitBoW(&data.Dataset{Task: ds.Task, Train: ds.Train, Valid: ds.Valid}, DefaultLambdas); err == nil {
		t.Error("no vocabulary accepted")
	}
}
