package systems

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/synth"
	"github.com/modistill/modistill/models/amd"
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
			name, h := variant, Hyper{}
			if variant == "ours/share-none" {
				name, h.Share = "ours", "none"
			}
			h.Hidden = ptr(4)
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
	if _, err := Config("mult", Hyper{}); err == nil {
		t.Error("unknown system accepted")
	}
}

func ptr[T any](v T) *T { return &v }

func TestHyperRanges(t *testing.T) {
	for _, c := range []struct {
		h    Hyper
		want string
	}{
		{Hyper{LR: ptr(0.0)}, "lr 0 is out of range: want a value in (0, 1]"},
		{Hyper{LR: ptr(-1.0)}, "lr -1 is out of range"},
		{Hyper{Dropout: ptr(1.5)}, "dropout 1.5 is out of range: want a value in [0, 1)"},
		{Hyper{Dropout: ptr(-0.5)}, "dropout -0.5 is out of range"},
		{Hyper{Rank: ptr(0)}, "rank 0 is out of range: want a value in [1, 256]"},
		{Hyper{Hidden: ptr(-3)}, "hidden -3 is out of range"},
		{Hyper{TMax: ptr(1.0)}, "t-max 1 is out of range: want a value in (1, 1000]"},
		{Hyper{Alpha: ptr(math.NaN())}, "alpha NaN is out of range"},
		{Hyper{Beta: ptr(math.Inf(1))}, "beta +Inf is out of range"},
		{Hyper{Share: "some"}, `share "some": want all or none`},
	} {
		_, err := Config("ours", c.h)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.h, err, c.want)
		}
	}
	// Zero is a value where it means something, not "the default".
	cfg, err := Config("ours", Hyper{Dropout: ptr(0.0), WeightDecay: ptr(0.0), Alpha: ptr(0.0), Beta: ptr(0.0)})
	if err != nil {
		t.Fatal(err)
	}
	c := cfg.(amd.Config)
	if c.Encoder.Dropout != 0 || c.WeightDecay != 0 || c.Alpha != 0 || c.Beta != 0 {
		t.Errorf("zeros not applied: dropout %g, weight decay %g, alpha %g, beta %g", c.Encoder.Dropout, c.WeightDecay, c.Alpha, c.Beta)
	}
	def, _ := Config("ours", Hyper{})
	if d := def.(amd.Config); d.Encoder.Dropout != 0.2 || d.Alpha != 1 {
		t.Errorf("defaults: dropout %g, alpha %g", d.Encoder.Dropout, d.Alpha)
	}
	if _, err := Build("distill", nil, data.Dims{}, data.Task{}, nn.NewRNG(1)); err == nil || !strings.Contains(err.Error(), `unknown system "distill" (known: ours, `) {
		t.Errorf("unknown system: %v", err)
	}
}

func TestStrictConfigRefusesWhatASystemLacks(t *testing.T) {
	for _, c := range []struct {
		system string
		h      Hyper
		want   string
	}{
		{"lmf", Hyper{Alpha: ptr(5.0), TMax: ptr(3.0)}, "alpha, t-max do not apply to lmf"},
		{"lmf", Hyper{Share: "none", TemperatureGrad: "descend"}, "share, temperature-grad do not apply to lmf"},
		{"svm", Hyper{LR: ptr(0.01), Rank: ptr(9)}, "lr, rank do not apply to svm"},
		{"tfn", Hyper{Rank: ptr(4)}, "rank does not apply to tfn"},
		{"mfn", Hyper{AudioHidden: ptr(4)}, "audio-hidden does not apply to mfn"},
		{"lmf-s", Hyper{Alpha: ptr(0.5)}, "alpha does not apply to lmf-s"},
		{"ours-fixed", Hyper{TMax: ptr(5.0), TemperatureGrad: "descend"}, "t-max, temperature-grad do not apply to ours-fixed"},
		{"ours", Hyper{FixedT: ptr(3.0), Rank: ptr(4)}, "rank, fixed-t do not apply to ours"},
		{"tucker-s", Hyper{RegressionSoft: "prediction"}, "regression-soft does not apply to tucker-s"},
	} {
		if _, err := StrictConfig(c.system, c.h); err == nil || err.Error() != c.want {
			t.Errorf("%s %+v: %v, want %q", c.system, c.h, err, c.want)
		}
		if _, err := Config(c.system, c.h); err != nil {
			t.Errorf("Config(%s) ignores what does not apply, but said %v", c.system, err)
		}
	}
	if _, err := StrictConfig("ours", Hyper{Alpha: ptr(0.5), TMax: ptr(5.0), TemperatureGrad: "descend", Share: "none", Dropout: ptr(0.0)}); err != nil {
		t.Errorf("ours takes all of these: %v", err)
	}
}

func TestLMFTeacherTakesTheRank(t *testing.T) {
	c, err := StrictConfig("lmf-s", Hyper{Rank: ptr(8)})
	if err != nil || c.(amd.Config).Rank != 8 {
		t.Errorf("lmf-s --rank 8: %v", err)
	}
}

func TestInitTextBagStartsWordFeaturesFromTheirVectors(t *testing.T) {
	ds := &data.Dataset{TextBag: true, Task: data.MOSITask(),
		Vocab:       []string{"<pad>", "<unk>", "w:good", "c:<go", "w:bad"},
		TextVectors: &data.TextVectors{File: "v.txt", Dim: 2, Vocab: []string{"bad", "good", "other"}, Table: []float32{-1, -2, 1, 2, 9, 9}}}
	dims := data.Dims{TextLen: 3, Vocab: 5, TextBag: true, Outputs: 1}
	for _, name := range []string{"unimodal-t", "ours"} {
		if name == "ours" {
			dims.Audio, dims.Visual = 2, 2
		}
		m, err := Build(name, mustConfig(t, name, Hyper{EmbedDim: ptr(2)}), dims, ds.Task, nn.NewRNG(1))
		if err != nil {
			t.Fatal(err)
		}
		n, err := InitTextBag(m, ds)
		if err != nil || n == 0 {
			t.Fatalf("%s: %d rows set, %v", name, n, err)
		}
		for _, p := range m.Params() {
			if !strings.HasSuffix(p.Name, ".t.bag.weight") {
				continue
			}
			w := p.Value.Data
			if w[4] != 1 || w[5] != 2 || w[8] != -1 || w[9] != -2 { // rows 2 (w:good) and 4 (w:bad)
				t.Errorf("%s %s: rows %v, want good's and bad's vectors at 2 and 4", name, p.Name, w)
			}
			if w[6] == 9 || w[6] == 1 { // c:<go keeps its random start
				t.Errorf("%s: a character n-gram got a word's vector: %v", name, w)
			}
		}
	}
	m, _ := Build("unimodal-t", mustConfig(t, "unimodal-t", Hyper{EmbedDim: ptr(3)}), data.Dims{TextLen: 3, Vocab: 5, TextBag: true, Outputs: 1}, ds.Task, nn.NewRNG(1))
	if _, err := InitTextBag(m, ds); err == nil || !strings.Contains(err.Error(), "set the embedding size to 2") {
		t.Errorf("3 values per feature against 2-d vectors: %v", err)
	}
}

func mustConfig(t *testing.T, name string, h Hyper) any {
	t.Helper()
	cfg, err := Config(name, h)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestModelDirectoryFormatVersion(t *testing.T) {
	dss, err := synth.Generate(synth.Config{Kind: synth.MOSI, Seed: 1, Sizes: synth.Sizes{Train: 8, Valid: 4, Test: 4}})
	if err != nil {
		t.Fatal(err)
	}
	ds := dss[0]
	cfg, err := Config("lmf", Hyper{Hidden: ptr(4)})
	if err != nil {
		t.Fatal(err)
	}
	m, err := Build("lmf", cfg, ds.Dims(), ds.Task, nn.NewRNG(3))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "model")
	raw, _ := MarshalConfig(cfg)
	if err := Save(dir, m, Meta{System: "lmf", Config: raw, Dims: ds.Dims(), Task: ds.Task, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "model.json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]any
	if err := json.Unmarshal(b, &fields); err != nil {
		t.Fatal(err)
	}
	if fields["format_version"] != float64(FormatVersion) || fmt.Sprint(fields["subsets"]) != "[avt]" {
		t.Errorf("model.json: format_version %v, subsets %v", fields["format_version"], fields["subsets"])
	}
	rewrite := func(version any) {
		t.Helper()
		if version == nil {
			delete(fields, "format_version")
		} else {
			fields["format_version"] = version
		}
		out, _ := json.Marshal(fields)
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rewrite(nil) // a directory from before versions: still loads
	if _, meta, err := Load(dir); err != nil || meta.FormatVersion != 0 {
		t.Errorf("version 0: %v, %d", err, meta.FormatVersion)
	}
	rewrite(FormatVersion + 1)
	if _, _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "written by a later modistill") {
		t.Errorf("a later version: %v", err)
	}
}
