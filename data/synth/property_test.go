package synth_test

import (
	"context"
	"testing"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/synth"
	"github.com/modistill/modistill/metrics"
	"github.com/modistill/modistill/models/fused"
	"github.com/modistill/modistill/models/unimodal"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/tensor"
	"github.com/modistill/modistill/train"
)

type predictor interface {
	train.Model
	Predict(tp *autodiff.Tape, b *data.Batch, use data.Subset) *tensor.Tensor
	Subsets() []data.Subset
}

func fit(t *testing.T, m predictor, ds *data.Dataset) *tensor.Tensor {
	t.Helper()
	if _, err := train.Fit(context.Background(), m, ds, train.Config{Epochs: 30, Patience: 6, BatchSize: 32, Seed: 1}, nil); err != nil {
		t.Fatal(err)
	}
	return m.Predict(autodiff.NewTape(), ds.Test.All(), m.Subsets()[0])
}

// The generator's stated property: on its data a model given all modalities
// beats every single-modality model.
func TestFusionBeatsEverySingleModality(t *testing.T) {
	if testing.Short() {
		t.Skip("trains four models")
	}
	dss, err := synth.Generate(synth.Config{Kind: synth.MOSI, Seed: 21})
	if err != nil {
		t.Fatal(err)
	}
	ds := dss[0]
	score := func(p *tensor.Tensor) float64 {
		pred := make([]float64, p.Len())
		for i, v := range p.Data {
			pred[i] = float64(v)
		}
		return metrics.MAE(pred, ds.Test.Column(0))
	}
	lmf, err := fused.New(ds.Dims(), ds.Task, fused.DefaultConfig(), nn.NewRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	all := score(fit(t, lmf, ds))
	for _, m := range data.Modalities {
		um, err := unimodal.New(m, ds.Dims(), ds.Task, unimodal.DefaultConfig(), nn.NewRNG(1))
		if err != nil {
			t.Fatal(err)
		}
		single := score(fit(t, um, ds))
		t.Logf("test MAE: all modalities %.3f, %s only %.3f", all, m, single)
		if all >= single {
			t.Errorf("all modalities (MAE %.3f) do not beat %s alone (%.3f)", all, m, single)
		}
	}
}
