package lmf

import (
	"context"
	"testing"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data/synth"
	"github.com/modistill/modistill/metrics"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/train"
)

// TestLearnsSyntheticData trains on a small synthetic set and checks that the
// test error falls well below that of predicting the mean label.
func TestLearnsSyntheticData(t *testing.T) {
	ds := synth.MustMOSI(5, synth.Sizes{Train: 400, Valid: 100, Test: 200})
	m := New(ds.Dims(), ds.Task, DefaultConfig(), nn.NewRNG(5))
	res, err := train.Fit(context.Background(), m, ds, train.Config{Epochs: 15, Patience: 5, BatchSize: 32, Seed: 5}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status == train.Diverged {
		t.Fatal("diverged")
	}
	h := res.History
	if h[len(h)-1].TrainLoss >= h[0].TrainLoss {
		t.Errorf("training loss did not fall: %v -> %v", h[0].TrainLoss, h[len(h)-1].TrainLoss)
	}
	pred := m.Predict(autodiff.NewTape(), ds.Test.All())
	p := make([]float64, pred.Len())
	for i, v := range pred.Data {
		p[i] = float64(v)
	}
	truth := ds.Test.Column(0)
	var mean float64
	for _, y := range ds.Train.Column(0) {
		mean += y / float64(ds.Train.N())
	}
	constant := make([]float64, len(truth))
	for i := range constant {
		constant[i] = mean
	}
	got, base := metrics.MAE(p, truth), metrics.MAE(constant, truth)
	if got > 0.85*base {
		t.Errorf("test MAE %.3f, predicting the mean gives %.3f", got, base)
	}
}

func TestParamNamesUnique(t *testing.T) {
	ds := synth.MustMOSI(1, synth.Sizes{Train: 2, Valid: 2, Test: 2})
	m := New(ds.Dims(), ds.Task, DefaultConfig(), nn.NewRNG(1))
	if err := nn.CheckNames(m.Params(), nil); err != nil {
		t.Fatal(err)
	}
}
