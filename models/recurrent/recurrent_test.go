package recurrent

import (
	"context"
	"strings"
	"testing"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/synth"
	"github.com/modistill/modistill/metrics"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/tensor"
	"github.com/modistill/modistill/train"
)

func tinyConfig() Config {
	c := DefaultConfig()
	c.Hidden, c.Memory, c.Attention, c.Output = [3]int{2, 2, 3}, 2, 3, 3
	return c
}

func TestMFN(t *testing.T) {
	checkModel(t, "MFN", func(d data.Dims, c Config, seed uint64) (forwarder, error) {
		return NewMFN(d, regression, c, nn.NewRNG(seed))
	})
}

func TestUtteranceLevelDataAndMisalignment(t *testing.T) {
	dims := data.Dims{Audio: 4, Visual: 3, Text: 5, TextLen: 6, Outputs: 1}
	task := data.Task{Kind: data.Regression, Targets: []string{"y"}}
	m, err := NewMFN(dims, task, tinyConfig(), nn.NewRNG(1))
	if err != nil || !strings.Contains(m.Note(nil), "repeated at every text step") {
		t.Fatalf("%v, note %q", err, m.Note(nil))
	}
	b := &data.Batch{Inputs: [3]*tensor.Tensor{tensor.New(2, 4), tensor.New(2, 3), tensor.New(2, 6, 5)}, Labels: tensor.New(2, 1)}
	if out := m.Forward(autodiff.NewTape(), nn.Eval, b); out.Shape()[0] != 2 {
		t.Errorf("output %v", out.Shape())
	}
	dims.AudioLen, dims.VisualLen = 6, 6
	if aligned, err := NewMFN(dims, task, tinyConfig(), nn.NewRNG(1)); err != nil || aligned.Note(nil) != "" {
		t.Errorf("aligned sequences: %v, note %q", err, aligned.Note(nil))
	}
	dims.AudioLen, dims.VisualLen = 375, 500
	if _, err := NewMFN(dims, task, tinyConfig(), nn.NewRNG(1)); err == nil || !strings.Contains(err.Error(), "aligned") {
		t.Errorf("misaligned sequences: %v", err)
	}
}

// forwarder is a sequence model under test.
type forwarder interface {
	train.Model
	Forward(tp *autodiff.Tape, mode nn.Mode, b *data.Batch) *autodiff.Node
	Predict(tp *autodiff.Tape, b *data.Batch, use data.Subset) *tensor.Tensor
}

// checkModel runs a whole-model finite-difference check on a small batch
// with text lengths, then trains a default-sized model on synthetic frames
// and checks it beats predicting 0.
func checkModel(t *testing.T, name string, build func(dims data.Dims, c Config, seed uint64) (forwarder, error)) {
	t.Helper()
	rng := nn.NewRNG(4)
	B, T := 3, 3
	b := &data.Batch{Inputs: [3]*tensor.Tensor{tensor.New(B, T, 2), tensor.New(B, T, 3), tensor.New(B, T, 4)}, Labels: tensor.New(B, 1),
		Lengths: [3][]int{nil, nil, {3, 1, 2}}}
	for _, x := range b.Inputs {
		nn.Normal(x, 1, rng)
	}
	c := tinyConfig()
	c.Attentions = 2
	m, err := build(data.Dims{Audio: 2, Visual: 3, Text: 4, AudioLen: T, VisualLen: T, TextLen: T, Outputs: 1}, c, 4)
	if err != nil {
		t.Fatal(err)
	}
	var in []*autodiff.Node
	for _, p := range m.Params() {
		if len(p.Value.Shape) == 1 { // biases away from ReLU's kinks
			for i := range p.Value.Data {
				p.Value.Data[i] = 0.3 + 0.1*float32(i%3)
			}
		}
		in = append(in, p.Node)
	}
	f := func(tp *autodiff.Tape) *autodiff.Node { return m.Forward(tp, nn.Eval, b) }
	if e, where := autodiff.GradCheck(f, in, 1e-2); e > 5e-3 {
		t.Errorf("%s gradient error %.3g at %s", name, e, where)
	}
	dss, err := synth.Generate(synth.Config{Kind: synth.MOSI, Seed: 2, Frames: true, Sizes: synth.Sizes{Train: 500, Valid: 100, Test: 200}})
	if err != nil {
		t.Fatal(err)
	}
	ds := dss[0]
	mm, err := build(ds.Dims(), DefaultConfig(), 2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := train.Fit(context.Background(), mm, ds, train.Config{Epochs: 12, Patience: 5, BatchSize: 32, Seed: 2}, nil); err != nil {
		t.Fatal(err)
	}
	got := metrics.Score(ds.Task, mm.Predict(autodiff.NewTape(), ds.Test.All(), data.All), ds.Test.Labels)["mae"]
	zero := metrics.Score(ds.Task, tensor.New(ds.Test.N(), 1), ds.Test.Labels)["mae"]
	t.Logf("%s test MAE %.3f, predicting 0 %.3f", name, got, zero)
	if got > 0.9*zero {
		t.Errorf("%s test MAE %.3f, predicting 0 gives %.3f", name, got, zero)
	}
}

var regression = data.Task{Kind: data.Regression, Targets: []string{"y"}}

func TestMARN(t *testing.T) {
	checkModel(t, "MARN", func(d data.Dims, c Config, seed uint64) (forwarder, error) {
		return NewMARN(d, regression, c, nn.NewRNG(seed))
	})
}

func TestMVLSTM(t *testing.T) {
	checkModel(t, "MV-LSTM", func(d data.Dims, c Config, seed uint64) (forwarder, error) {
		return NewMVLSTM(d, regression, c, nn.NewRNG(seed))
	})
}
