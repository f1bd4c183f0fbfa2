package fused

import (
	"testing"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/tensor"
)

// benchWorkload is torch_ref.py's bench workload: MOSI shapes, default
// config, rank 4.
func benchWorkload(n int) (*Model, *data.Batch) {
	rng := nn.NewRNG(0)
	dims := data.Dims{Audio: 74, Visual: 46, TextLen: 20, Text: 300, Outputs: 1}
	m, err := New(dims, data.Task{Kind: data.Regression, Targets: []string{"y"}}, DefaultConfig(), rng)
	if err != nil {
		panic(err)
	}
	b := &data.Batch{
		Inputs: [3]*tensor.Tensor{tensor.New(n, 74), tensor.New(n, 46), tensor.New(n, 20, 300)},
		Labels: tensor.New(n, 1),
	}
	for _, t := range append(b.Inputs[:], b.Labels) {
		nn.Normal(t, 1, rng)
	}
	return m, b
}

// BenchmarkTrainStep times one training step on a batch of 32.
func BenchmarkTrainStep(b *testing.B) {
	m, batch := benchWorkload(32)
	tp := autodiff.NewTape()
	mode := nn.Training(nn.NewRNG(1))
	b.ReportAllocs()
	for b.Loop() {
		m.Step(tp, mode, batch)
	}
}

// BenchmarkInfer686 times inference on 686 samples, the MOSI test set.
func BenchmarkInfer686(b *testing.B) {
	m, batch := benchWorkload(686)
	tp := autodiff.NewTape()
	b.ReportAllocs()
	for b.Loop() {
		m.Predict(tp, batch, data.All)
	}
}
