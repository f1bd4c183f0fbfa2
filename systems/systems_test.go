package systems

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data/synth"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/train"
)

func TestEverySystemTrainsSavesAndLoads(t *testing.T) {
	for _, kind := range []synth.Kind{synth.MOSI, synth.IEMOCAP} {
		dss, err := synth.Generate(synth.Config{Kind: kind, Seed: 1, Sizes: synth.Sizes{Train: 8, Valid: 4, Test: 4}})
		if err != nil {
			t.Fatal(err)
		}
		ds := dss[0]
		for _, variant := range append(Names, "ours/share-none") {
			name, h := variant, DefaultHyper
			if variant == "ours/share-none" {
				name, h.Share = "ours", "none"
			}
			h.Hidden = 4
			cfg, err := Config(name, h)
			if err != nil {
				t.Fatal(err)
			}
			m, err := Build(name, cfg, ds.Dims(), ds.Task, nn.NewRNG(3))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			tp := autodiff.NewTape()
			switch m := m.(type) {
			case train.Model:
				m.Step(tp, nn.Training(nn.NewRNG(4)), ds.Train.All())
			case Fitter:
				if err := m.Fit(context.Background(), ds); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				cfg = m.FittedConfig()
			}
			dir := filepath.Join(t.TempDir(), "model")
			raw, _ := MarshalConfig(cfg)
			if err := Save(dir, m, Meta{System: name, Config: raw, Dims: ds.Dims(), Task: ds.Task, Seed: 3, Train: train.DefaultConfig()}); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			back, meta, err := Load(dir)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if meta.System != name || len(back.Subsets()) != len(m.Subsets()) {
				t.Errorf("%s: loaded %s, %d subsets", name, meta.System, len(back.Subsets()))
			}
			for _, use := range m.Subsets() {
				a := m.Predict(autodiff.NewTape(), ds.Test.All(), use)
				b := back.Predict(autodiff.NewTape(), ds.Test.All(), use)
				for i := range a.Data {
					if a.Data[i] != b.Data[i] {
						t.Fatalf("%s on %s, %v: prediction changed across save and load", name, kind, use)
					}
				}
			}
		}
	}
	if _, err := Config("mult", DefaultHyper); err == nil {
		t.Error("unknown system accepted")
	}
}
