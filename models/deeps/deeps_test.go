package deeps

import (
	"context"
	"math"
	"testing"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/synth"
	"github.com/modistill/modistill/metrics"
	"github.com/modistill/modistill/models/unimodal"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/tensor"
	"github.com/modistill/modistill/train"
)

func TestIndependentNetworksAndScoreFusion(t *testing.T) {
	for _, kind := range []synth.Kind{synth.MOSI, synth.IEMOCAP} {
		dss, err := synth.Generate(synth.Config{Kind: kind, Seed: 1, Sizes: synth.Sizes{Train: 16, Valid: 4, Test: 6}})
		if err != nil {
			t.Fatal(err)
		}
		ds := dss[0]
		m, err := New(ds.Dims(), ds.Task, unimodalConfig(), nn.NewRNG(1))
		if err != nil {
			t.Fatal(err)
		}
		if err := nn.CheckNames(m.Params(), nil); err != nil {
			t.Fatal(err)
		}
		// Training the audio network alone changes no other network.
		before := m.Nets[2].Params()[0].Value.Clone()
		m.Nets[0].Step(autodiff.NewTape(), nn.Training(nn.NewRNG(2)), ds.Train.All())
		for i, v := range before.Data {
			if m.Nets[2].Params()[0].Value.Data[i] != v {
				t.Fatal("the text network changed when the audio network trained")
			}
		}
		b := ds.Test.All()
		a := m.Predict(autodiff.NewTape(), b, data.Subset{true, false, false})
		v := m.Predict(autodiff.NewTape(), b, data.Subset{false, true, false})
		av := m.Predict(autodiff.NewTape(), b, data.Subset{true, true, false})
		for i := range av.Data {
			if math.Abs(float64(av.Data[i]-(a.Data[i]+v.Data[i])/2)) > 1e-6 {
				t.Fatalf("%s: audio+visual %v is not the mean of %v and %v", kind, av.Data[i], a.Data[i], v.Data[i])
			}
		}
		if l := m.Step(autodiff.NewTape(), nn.Training(nn.NewRNG(3)), ds.Train.All()); math.IsNaN(l) {
			t.Fatalf("%s: loss NaN", kind)
		}
	}
}

func unimodalConfig() unimodal.Config {
	c := unimodal.DefaultConfig()
	c.Encoder.AudioHidden, c.Encoder.VisualHidden, c.Encoder.TextHidden, c.Encoder.TextOut = 4, 4, 4, 4
	return c
}

func TestLearnsSyntheticData(t *testing.T) {
	ds := synth.MustMOSI(4, synth.Sizes{Train: 600, Valid: 150, Test: 300})
	m, err := New(ds.Dims(), ds.Task, unimodal.DefaultConfig(), nn.NewRNG(4))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := train.Fit(context.Background(), m, ds, train.Config{Epochs: 20, Patience: 5, BatchSize: 32, Seed: 4}, nil); err != nil {
		t.Fatal(err)
	}
	got := metrics.Score(ds.Task, m.Predict(autodiff.NewTape(), ds.Test.All(), data.Subset{true, true, true}), ds.Test.Labels)["mae"]
	zero := metrics.Score(ds.Task, tensor.New(ds.Test.N(), 1), ds.Test.Labels)["mae"]
	t.Logf("Deep-S test MAE %.3f, predicting 0 %.3f", got, zero)
	if got > 0.9*zero {
		t.Errorf("Deep-S test MAE %.3f, predicting 0 gives %.3f", got, zero)
	}
}
