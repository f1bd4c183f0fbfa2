package recurrent

import (
	"context"
	"strings"
	"testing"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/synth"
	"github.com/modistill/modistill/evaluate"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/tensor"
	"github.com/modistill/modistill/train"
)

func tinyConfig() Config {
	c := DefaultConfig()
	c.Hidden, c.Memory, c.Attention, c.Output = [3]int{2, 2, 3}, 2, 3, 3
	return c
}

func TestGradients(t *testing.T) {
	rng := nn.NewRNG(1)
	B, T := 3, 3
	b := &data.Batch{Inputs: [3]*tensor.Tensor{tensor.New(B, T, 2), tensor.New(B, T, 3), tensor.New(B, T, 4)}, Labels: tensor.New(B, 1)}
	for _, x := range b.Inputs {
		nn.Normal(x, 1, rng)
	}
	dims := data.Dims{Audio: 2, Visual: 3, Text: 4, AudioLen: T, VisualLen: T, TextLen: T, Outputs: 1}
	m, err := NewMFN(dims, data.Task{Kind: data.Regression, Targets: []string{"y"}}, tinyConfig(), rng)
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
		t.Errorf("MFN gradient error %.3g at %s", e, where)
	}
}

func TestLearnsFrames(t *testing.T) {
	dss, err := synth.Generate(synth.Config{Kind: synth.MOSI, Seed: 2, Frames: true, Sizes: synth.Sizes{Train: 500, Valid: 100, Test: 200}})
	if err != nil {
		t.Fatal(err)
	}
	ds := dss[0]
	m, err := NewMFN(ds.Dims(), ds.Task, DefaultConfig(), nn.NewRNG(2))
	if err != nil || m.Note != "" {
		t.Fatalf("%v, note %q", err, m.Note)
	}
	if _, err := train.Fit(context.Background(), m, ds, train.Config{Epochs: 15, Patience: 5, BatchSize: 32, Seed: 2}, nil); err != nil {
		t.Fatal(err)
	}
	got := evaluate.Score(ds.Task, m.Predict(autodiff.NewTape(), ds.Test.All()), ds.Test.Labels)["mae"]
	zero := evaluate.Score(ds.Task, tensor.New(ds.Test.N(), 1), ds.Test.Labels)["mae"]
	t.Logf("test MAE %.3f, predicting 0 %.3f", got, zero)
	if got > 0.9*zero {
		t.Errorf("test MAE %.3f, predicting 0 gives %.3f", got, zero)
	}
}

func TestUtteranceLevelDataAndMisalignment(t *testing.T) {
	dims := data.Dims{Audio: 4, Visual: 3, Text: 5, TextLen: 6, Outputs: 1}
	task := data.Task{Kind: data.Regression, Targets: []string{"y"}}
	m, err := NewMFN(dims, task, tinyConfig(), nn.NewRNG(1))
	if err != nil || !strings.Contains(m.Note, "repeated at every text step") {
		t.Fatalf("%v, note %q", err, m.Note)
	}
	b := &data.Batch{Inputs: [3]*tensor.Tensor{tensor.New(2, 4), tensor.New(2, 3), tensor.New(2, 6, 5)}, Labels: tensor.New(2, 1)}
	if out := m.Forward(autodiff.NewTape(), nn.Eval, b); out.Shape()[0] != 2 {
		t.Errorf("output %v", out.Shape())
	}
	dims.AudioLen, dims.VisualLen = 375, 500
	if _, err := NewMFN(dims, task, tinyConfig(), nn.NewRNG(1)); err == nil || !strings.Contains(err.Error(), "aligned") {
		t.Errorf("misaligned sequences: %v", err)
	}
}

func TestMARNGradientsAndLearning(t *testing.T) {
	rng := nn.NewRNG(3)
	B, T := 3, 3
	b := &data.Batch{Inputs: [3]*tensor.Tensor{tensor.New(B, T, 2), tensor.New(B, T, 3), tensor.New(B, T, 4)}, Labels: tensor.New(B, 1),
		Lengths: [3][]int{nil, nil, {3, 2, 1}}}
	for _, x := range b.Inputs {
		nn.Normal(x, 1, rng)
	}
	dims := data.Dims{Audio: 2, Visual: 3, Text: 4, AudioLen: T, VisualLen: T, TextLen: T, Outputs: 1}
	c := tinyConfig()
	c.Attentions = 2
	m, err := NewMARN(dims, data.Task{Kind: data.Regression, Targets: []string{"y"}}, c, rng)
	if err != nil {
		t.Fatal(err)
	}
	var in []*autodiff.Node
	for _, p := range m.Params() {
		if len(p.Value.Shape) == 1 {
			for i := range p.Value.Data {
				p.Value.Data[i] = 0.3 + 0.1*float32(i%3)
			}
		}
		in = append(in, p.Node)
	}
	f := func(tp *autodiff.Tape) *autodiff.Node { return m.Forward(tp, nn.Eval, b) }
	if e, where := autodiff.GradCheck(f, in, 1e-2); e > 5e-3 {
		t.Errorf("MARN gradient error %.3g at %s", e, where)
	}
	dss, err := synth.Generate(synth.Config{Kind: synth.MOSI, Seed: 2, Frames: true, Sizes: synth.Sizes{Train: 500, Valid: 100, Test: 200}})
	if err != nil {
		t.Fatal(err)
	}
	ds := dss[0]
	mm, err := NewMARN(ds.Dims(), ds.Task, DefaultConfig(), nn.NewRNG(2))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := train.Fit(context.Background(), mm, ds, train.Config{Epochs: 12, Patience: 5, BatchSize: 32, Seed: 2}, nil); err != nil {
		t.Fatal(err)
	}
	got := evaluate.Score(ds.Task, mm.Predict(autodiff.NewTape(), ds.Test.All()), ds.Test.Labels)["mae"]
	zero := evaluate.Score(ds.Task, tensor.New(ds.Test.N(), 1), ds.Test.Labels)["mae"]
	t.Logf("MARN test MAE %.3f, predicting 0 %.3f", got, zero)
	if got > 0.9*zero {
		t.Errorf("MARN test MAE %.3f, predicting 0 gives %.3f", got, zero)
	}
}

func TestMVLSTMGradientsAndLearning(t *testing.T) {
	rng := nn.NewRNG(4)
	B, T := 3, 3
	b := &data.Batch{Inputs: [3]*tensor.Tensor{tensor.New(B, T, 2), tensor.New(B, T, 3), tensor.New(B, T, 4)}, Labels: tensor.New(B, 1),
		Lengths: [3][]int{nil, nil, {3, 1, 2}}}
	for _, x := range b.Inputs {
		nn.Normal(x, 1, rng)
	}
	dims := data.Dims{Audio: 2, Visual: 3, Text: 4, AudioLen: T, VisualLen: T, TextLen: T, Outputs: 1}
	m, err := NewMVLSTM(dims, data.Task{Kind: data.Regression, Targets: []string{"y"}}, tinyConfig(), rng)
	if err != nil {
		t.Fatal(err)
	}
	var in []*autodiff.Node
	for _, p := range m.Params() {
		if len(p.Value.Shape) == 1 {
			for i := range p.Value.Data {
				p.Value.Data[i] = 0.3 + 0.1*float32(i%3)
			}
		}
		in = append(in, p.Node)
	}
	f := func(tp *autodiff.Tape) *autodiff.Node { return m.Forward(tp, nn.Eval, b) }
	if e, where := autodiff.GradCheck(f, in, 1e-2); e > 5e-3 {
		t.Errorf("MV-LSTM gradient error %.3g at %s", e, where)
	}
	dss, err := synth.Generate(synth.Config{Kind: synth.MOSI, Seed: 2, Frames: true, Sizes: synth.Sizes{Train: 500, Valid: 100, Test: 200}})
	if err != nil {
		t.Fatal(err)
	}
	ds := dss[0]
	mm, err := NewMVLSTM(ds.Dims(), ds.Task, DefaultConfig(), nn.NewRNG(2))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := train.Fit(context.Background(), mm, ds, train.Config{Epochs: 12, Patience: 5, BatchSize: 32, Seed: 2}, nil); err != nil {
		t.Fatal(err)
	}
	got := evaluate.Score(ds.Task, mm.Predict(autodiff.NewTape(), ds.Test.All()), ds.Test.Labels)["mae"]
	zero := evaluate.Score(ds.Task, tensor.New(ds.Test.N(), 1), ds.Test.Labels)["mae"]
	t.Logf("MV-LSTM test MAE %.3f, predicting 0 %.3f", got, zero)
	if got > 0.9*zero {
		t.Errorf("MV-LSTM test MAE %.3f, predicting 0 gives %.3f", got, zero)
	}
}
