package synth

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestDeterministicBySeed(t *testing.T) {
	sizes := Sizes{Train: 20, Valid: 5, Test: 5}
	a, b, c := MustMOSI(1, sizes), MustMOSI(1, sizes), MustMOSI(2, sizes)
	if err := a.Validate(); err != nil {
		t.Fatal(err)
	}
	same, differ := true, false
	for i, v := range a.Train.Inputs[2].Data {
		same = same && v == b.Train.Inputs[2].Data[i]
		differ = differ || v != c.Train.Inputs[2].Data[i]
	}
	if !same || !differ {
		t.Errorf("same seed same data: %v; other seed other data: %v", same, differ)
	}
}

func TestKindsShapesAndLabels(t *testing.T) {
	sizes := Sizes{Train: 40, Valid: 10, Test: 10}
	for _, kind := range []Kind{MOSI, POM, IEMOCAP} {
		for _, frames := range []bool{false, true} {
			dss, err := Generate(Config{Kind: kind, Seed: 3, Sizes: sizes, Frames: frames})
			if err != nil {
				t.Fatal(err)
			}
			want := 1
			if kind == IEMOCAP {
				want = 4
			}
			if len(dss) != want {
				t.Fatalf("%s: %d datasets, want %d", kind, len(dss), want)
			}
			for _, ds := range dss {
				if err := ds.Validate(); err != nil { // labels within the task's range or classes
					t.Fatalf("%s: %v", kind, err)
				}
				sh := Specs[kind].Shape
				a := ds.Train.Inputs[0].Shape
				if frames && (len(a) != 3 || a[1] != sh.Frames || a[2] != sh.Audio) || !frames && (len(a) != 2 || a[1] != sh.Audio) {
					t.Errorf("%s frames=%v: audio %v", kind, frames, a)
				}
				if d := ds.Dims(); d.Visual != sh.Visual || d.Text != sh.Text || d.TextLen != sh.Words {
					t.Errorf("%s: dims %+v", kind, d)
				}
			}
		}
	}
	// IEMOCAP's four tasks share inputs and mostly label different samples.
	dss, _ := Generate(Config{Kind: IEMOCAP, Seed: 3, Sizes: Sizes{Train: 400, Valid: 10, Test: 10}})
	if &dss[0].Train.Inputs[0].Data[0] != &dss[3].Train.Inputs[0].Data[0] {
		t.Error("IEMOCAP tasks do not share inputs")
	}
	for k, ds := range dss {
		pos := 0.0
		for _, y := range ds.Train.Labels.Data {
			pos += float64(y)
		}
		if frac := pos / 400; frac < 0.2 || frac > 0.45 { // 1/4 true, plus 10% flips
			t.Errorf("%s: %.2f positive", Emotions[k], frac)
		}
	}
}

func TestUtteranceVectorsAreFrameAverages(t *testing.T) {
	cfg := Config{Kind: MOSI, Seed: 9, Sizes: Sizes{Train: 3, Valid: 1, Test: 1}}
	avg, _ := Generate(cfg)
	cfg.Frames = true
	seq, _ := Generate(cfg)
	x, s := avg[0].Train.Inputs[0], seq[0].Train.Inputs[0]
	F, d := s.Shape[1], s.Shape[2]
	var m float32
	for f := range F {
		m += s.Data[f*d+5] / float32(F)
	}
	if diff := m - x.Data[5]; diff > 1e-5 || diff < -1e-5 {
		t.Errorf("average of frames %v, utterance vector %v", m, x.Data[5])
	}
}

func TestBadConfig(t *testing.T) {
	if _, err := Generate(Config{Kind: "mosei"}); err == nil {
		t.Error("unknown kind accepted")
	}
	if _, err := Generate(Config{Kind: MOSI, Sizes: Sizes{Train: 1, Valid: 1, Test: 1}}); err == nil {
		t.Error("one training sample accepted")
	}
}

func TestParams(t *testing.T) {
	p, err := ParseParams("sarcasm=0, label-noise=1,audio-cue=2")
	if err != nil || p.Sarcasm != 0 || p.LabelNoise != 1 || p.AudioCue != 2 || p.VisualCue != DefaultParams().VisualCue {
		t.Errorf("parsed %+v, %v", p, err)
	}
	for _, bad := range []string{"sarcasm=2", "sarcasm", "loudness=1", "label-noise=-1"} {
		if _, err := ParseParams(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	// The defaults are the benchmark: the same data with or without them.
	def := DefaultParams()
	a, _ := Generate(Config{Kind: MOSI, Seed: 2, Sizes: Sizes{Train: 20, Valid: 5, Test: 5}})
	b, _ := Generate(Config{Kind: MOSI, Seed: 2, Sizes: Sizes{Train: 20, Valid: 5, Test: 5}, Params: &def})
	for m := range a[0].Train.Inputs {
		for i, v := range a[0].Train.Inputs[m].Data {
			if b[0].Train.Inputs[m].Data[i] != v {
				t.Fatalf("explicit defaults change modality %d", m)
			}
		}
	}
	// Without sarcasm and label noise, y is a clipped multiple of u, and the
	// text cue never flips: the cue words' projection on the text direction
	// has the label's sign.
	p, _ = ParseParams("sarcasm=0,label-noise=0,cue-word-rate=1,text-noise=0")
	c, _ := Generate(Config{Kind: MOSI, Seed: 3, Sizes: Sizes{Train: 200, Valid: 5, Test: 5}, Params: &p})
	g := newGenerator(Config{Kind: MOSI, Seed: 3}, Specs[MOSI].Shape)
	tr := c[0].Train
	d, L := Specs[MOSI].Shape.Text, Specs[MOSI].Shape.Words
	for i := range tr.N() {
		var proj float64
		for j := range d {
			proj += float64(tr.Inputs[2].Data[i*L*d+j]) * g.dirs["t1"][j]
		}
		if y := tr.Labels.Data[i]; y != 0 && (proj > 0) != (y > 0) {
			t.Fatalf("sample %d: label %v, text cue %v: a flipped sign without sarcasm", i, y, proj)
		}
	}
}

// clippedNormalMean agrees with a Monte Carlo estimate of E[clip(μ + σZ)].
func TestClippedNormalMean(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range [][2]float64{{0, 1}, {2.5, 0.5}, {-4, 1}, {3, 2}, {1, 0}} {
		var s float64
		const n = 200000
		for range n {
			s += clip(c[0]+c[1]*rng.NormFloat64(), -3, 3)
		}
		if got, mc := clippedNormalMean(c[0], c[1], -3, 3), s/n; math.Abs(got-mc) > 0.01 {
			t.Errorf("μ %g, σ %g: %v, Monte Carlo %v", c[0], c[1], got, mc)
		}
	}
}

// Oracle labels change the training and validation labels only: the inputs
// and the whole test split are the noisy benchmark's, and each oracle label
// is the expectation of its noisy one (the two agree on average, and the
// oracle ones vary less).
func TestOracleLabels(t *testing.T) {
	sizes := Sizes{Train: 2000, Valid: 50, Test: 50}
	noisy, err := Generate(Config{Kind: MOSI, Seed: 4, Sizes: sizes})
	if err != nil {
		t.Fatal(err)
	}
	oracle, err := Generate(Config{Kind: MOSI, Seed: 4, Sizes: sizes, Oracle: true})
	if err != nil {
		t.Fatal(err)
	}
	n, o := noisy[0], oracle[0]
	for i, s := range n.Splits() {
		for m := range 3 {
			if !slices.Equal(s.Inputs[m].Data, o.Splits()[i].Inputs[m].Data) {
				t.Fatalf("split %s: modality %d differs with oracle labels", s.Name, m)
			}
		}
	}
	if !slices.Equal(n.Test.Labels.Data, o.Test.Labels.Data) {
		t.Error("the test labels differ with oracle labels")
	}
	if slices.Equal(n.Train.Labels.Data, o.Train.Labels.Data) {
		t.Error("oracle training labels equal the noisy ones")
	}
	var dm, vn, vo float64
	for i, y := range n.Train.Labels.Data {
		dm += float64(y-o.Train.Labels.Data[i]) / 2000
		vn += float64(y) * float64(y) / 2000
		vo += float64(o.Train.Labels.Data[i]) * float64(o.Train.Labels.Data[i]) / 2000
	}
	if math.Abs(dm) > 0.05 || vo >= vn { // label noise 0.5: the difference's SE is about 0.011
		t.Errorf("noisy minus oracle labels: mean %v; mean squares %v (noisy) and %v (oracle)", dm, vn, vo)
	}
	if _, err := Generate(Config{Kind: POM, Seed: 4, Oracle: true}); err == nil {
		t.Error("oracle labels accepted for pom")
	}
}
