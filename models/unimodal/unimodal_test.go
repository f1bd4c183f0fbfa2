package unimodal

import (
	"context"
	"testing"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/tensor"
	"github.com/modistill/modistill/train"
)

// tokenData makes a text-only dataset whose label is the number of "good"
// minus "bad" tokens, with padding after each sequence's length.
func tokenData(n int, seed uint64) *data.Split {
	rng := nn.NewRNG(seed)
	L := 6
	s := &data.Split{Tokens: &data.Tokens{IDs: make([]int32, n*L), L: L}, Labels: tensor.New(n, 1)}
	s.Lengths[data.Text] = make([]int, n)
	for i := range n {
		length := 2 + rng.IntN(L-1)
		s.Lengths[data.Text][i] = length
		score := 0
		for j := range length {
			id := int32(2 + rng.IntN(4)) // 2 good, 3 bad, 4 and 5 neutral
			s.Tokens.IDs[i*L+j] = id
			switch id {
			case 2:
				score++
			case 3:
				score--
			}
		}
		s.Labels.Data[i] = float32(score) / 2
	}
	return s
}

func TestTextFromTokensLearns(t *testing.T) {
	ds := &data.Dataset{Name: "tokens", Task: data.Task{Kind: data.Regression, Targets: []string{"y"}},
		Vocab: []string{"<pad>", "<unk>", "good", "bad", "the", "movie"},
		Train: tokenData(400, 1), Valid: tokenData(100, 2), Test: tokenData(100, 3)}
	if err := ds.Validate(); err != nil {
		t.Fatal(err)
	}
	c := DefaultConfig()
	c.Encoder.EmbedDim, c.LR = 16, 3e-3
	m, err := New(data.Text, ds.Dims(), ds.Task, c, nn.NewRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	res, err := train.Fit(context.Background(), m, ds, train.Config{Epochs: 40, Patience: 8, BatchSize: 32, Seed: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	pred := m.Predict(autodiff.NewTape(), ds.Test.All(), m.Subsets()[0])
	var mae, base float64
	for i, y := range ds.Test.Labels.Data {
		mae += abs(float64(pred.Data[i]-y)) / 100
		base += abs(float64(y)) / 100
	}
	t.Logf("best epoch %d, test MAE %.3f (predicting 0: %.3f)", res.BestEpoch, mae, base)
	if mae > 0.5*base {
		t.Errorf("test MAE %.3f, predicting 0 gives %.3f", mae, base)
	}
	if _, err := New(data.Audio, ds.Dims(), ds.Task, c, nn.NewRNG(1)); err == nil {
		t.Error("an audio model for text-only data")
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
