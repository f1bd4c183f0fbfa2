package svmbase

import (
	"context"
	"testing"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/synth"
	"github.com/modistill/modistill/metrics"
	"github.com/modistill/modistill/tensor"
)

func TestFitsEveryKindAndRecordsChoices(t *testing.T) {
	for _, kind := range []synth.Kind{synth.MOSI, synth.IEMOCAP} {
		dss, err := synth.Generate(synth.Config{Kind: kind, Seed: 3, Sizes: synth.Sizes{Train: 300, Valid: 100, Test: 200}})
		if err != nil {
			t.Fatal(err)
		}
		ds := dss[0]
		c := DefaultConfig()
		c.Cs, c.GammaScale = []float64{1}, []float64{1}
		m, err := New(ds.Dims(), ds.Task, c)
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Fit(context.Background(), ds); err != nil {
			t.Fatal(err)
		}
		if len(m.Config.Fitted) != 7 || len(m.Params()) != 7*5 {
			t.Fatalf("%s: %d choices, %d parameters", kind, len(m.Config.Fitted), len(m.Params()))
		}
		all := m.Predict(autodiff.NewTape(), ds.Test.All(), data.Subsets[0])
		s := metrics.Score(ds.Task, all, ds.Test.Labels)
		if ds.Task.Kind == data.Classification {
			// the positive class is about 1/3 of samples: beat predicting "no" always
			base := metrics.Score(ds.Task, constantProbabilities(ds.Test.N()), ds.Test.Labels)
			if s["f1"] <= base["f1"] {
				t.Errorf("%s: weighted F1 %.3f, always-negative %.3f", kind, s["f1"], base["f1"])
			}
		} else if s["mae"] > 0.9*meanBaseline(ds) {
			t.Errorf("%s: MAE %.3f, predicting the mean %.3f", kind, s["mae"], meanBaseline(ds))
		}
		// A model rebuilt from the fitted configuration has the same shapes.
		back, err := New(ds.Dims(), ds.Task, m.Config)
		if err != nil || len(back.Params()) != len(m.Params()) {
			t.Fatalf("%s: rebuilt %v, %d parameters", kind, err, len(back.Params()))
		}
		for i, p := range m.Params() {
			if !p.Value.SameShape(back.Params()[i].Value) {
				t.Fatalf("%s: %s shaped %v, rebuilt %v", kind, p.Name, p.Value.Shape, back.Params()[i].Value.Shape)
			}
		}
	}
}

func constantProbabilities(n int) *tensor.Tensor {
	p := tensor.New(n, 2)
	for i := range n {
		p.Data[2*i] = 1
	}
	return p
}

func meanBaseline(ds *data.Dataset) float64 {
	var mean float64
	for _, y := range ds.Train.Column(0) {
		mean += y / float64(ds.Train.N())
	}
	var mae float64
	for _, y := range ds.Test.Column(0) {
		d := y - mean
		if d < 0 {
			d = -d
		}
		mae += d / float64(ds.Test.N())
	}
	return mae
}

func TestRejectsTokenText(t *testing.T) {
	if _, err := New(data.Dims{Text: 0, Vocab: 10}, data.Task{Kind: data.Regression, Targets: []string{"y"}}, DefaultConfig()); err == nil {
		t.Error("token text accepted")
	}
}
