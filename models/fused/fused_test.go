package fused

import (
	"context"
	"testing"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/synth"
	"github.com/modistill/modistill/metrics"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/train"
)

// TestLearnsSyntheticData trains on a small synthetic set and checks that the
// test error falls well below that of predicting the mean label.
func TestLearnsSyntheticData(t *testing.T) {
	ds := synth.MustMOSI(5, synth.Sizes{Train: 400, Valid: 100, Test: 200})
	m, err := New(ds.Dims(), ds.Task, DefaultConfig(), nn.NewRNG(5))
	if err != nil {
		t.Fatal(err)
	}
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
	pred := m.Predict(autodiff.NewTape(), ds.Test.All(), data.All)
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
	m, err := New(ds.Dims(), ds.Task, DefaultConfig(), nn.NewRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	if err := nn.CheckNames(m.Params(), nil); err != nil {
		t.Fatal(err)
	}
}

func TestTFNAndDFLearn(t *testing.T) {
	for _, fusion := range []string{"tfn", "df"} {
		learns(t, fusion)
	}
}

func learns(t *testing.T, fusion string) {
	ds := synth.MustMOSI(6, synth.Sizes{Train: 800, Valid: 200, Test: 300})
	c := DefaultConfig()
	c.Fusion = fusion
	c.Encoder.AudioHidden, c.Encoder.VisualHidden, c.Encoder.TextOut = 8, 8, 8 // TFN's tensor is 9·9·9
	m, err := New(ds.Dims(), ds.Task, c, nn.NewRNG(6))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := train.Fit(context.Background(), m, ds, train.Config{Epochs: 30, Patience: 8, BatchSize: 32, Seed: 6}, nil); err != nil {
		t.Fatal(err)
	}
	pred := m.Predict(autodiff.NewTape(), ds.Test.All(), data.All)
	p := make([]float64, pred.Len())
	for i, v := range pred.Data {
		p[i] = float64(v)
	}
	truth := ds.Test.Column(0)
	zero := make([]float64, len(truth))
	if got, base := metrics.MAE(p, truth), metrics.MAE(zero, truth); got > 0.9*base {
		t.Errorf("%s test MAE %.3f, predicting 0 gives %.3f", fusion, got, base)
	} else {
		t.Logf("%s test MAE %.3f, predicting 0 gives %.3f", fusion, got, base)
	}
	if _, err := New(ds.Dims(), ds.Task, Config{Fusion: "mutan"}, nn.NewRNG(1)); err == nil {
		t.Error("unknown fusion accepted")
	}
}
