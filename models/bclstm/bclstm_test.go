package bclstm

import (
	"context"
	"fmt"
	"testing"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/encoder"
	"github.com/modistill/modistill/metrics"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/tensor"
	"github.com/modistill/modistill/train"
)

// videos makes a dataset of nv videos of k utterances whose label is the
// video's sentiment and whose features show it only through heavy noise.
func videos(nv, k int, seed uint64) *data.Split {
	rng := nn.NewRNG(seed)
	n := nv * k
	s := &data.Split{Inputs: [3]*tensor.Tensor{tensor.New(n, 4), tensor.New(n, 3), tensor.New(n, 2, 5)}, Labels: tensor.New(n, 1)}
	for v := range nv {
		sent := 2 * rng.NormFloat64()
		for c := range k {
			i := v*k + c
			s.IDs = append(s.IDs, fmt.Sprintf("video%d_%d$_$%d", seed, v, k-c)) // clips out of order
			s.Labels.Data[i] = float32(max(-3, min(3, sent)))
			for _, x := range s.Inputs {
				d := x.Len() / n
				for j := range d {
					x.Data[i*d+j] = float32(0.5*sent + 2*rng.NormFloat64())
				}
			}
		}
	}
	return s
}

func smallConfig() Config {
	c := DefaultConfig()
	c.Encoder = encoder.Config{AudioHidden: 8, VisualHidden: 8, TextHidden: 8, TextOut: 8, Dropout: 0.1}
	c.Context, c.Dense, c.LR = 8, 8, 3e-3
	return c
}

func dataset(ids bool) *data.Dataset {
	ds := &data.Dataset{Name: "videos", Task: data.Task{Kind: data.Regression, Targets: []string{"s"}, Lo: -3, Hi: 3},
		Train: videos(120, 5, 1), Valid: videos(30, 5, 2), Test: videos(40, 5, 3)}
	if !ids {
		for _, s := range ds.Splits() {
			s.IDs = nil
		}
	}
	return ds
}

func TestContextWithinVideosOnly(t *testing.T) {
	ds := dataset(true)
	m, err := New(ds.Dims(), ds.Task, smallConfig(), nn.NewRNG(1))
	if err != nil {
		t.Fatal(err)
	}
	b := ds.Test.Gather([]int{0, 1, 2, 3, 4, 5}, nil) // video 0 (5 utterances) and one of video 1
	before := m.Predict(autodiff.NewTape(), b, data.All).Clone()
	b.Inputs[0].Data[1*4] += 3 // change utterance 1 of video 0
	after := m.Predict(autodiff.NewTape(), b, data.All)
	if before.Data[0] == after.Data[0] {
		t.Error("utterance 0 did not see a change in its video-mate")
	}
	if before.Data[5] != after.Data[5] {
		t.Error("an utterance of another video saw the change")
	}
	b.IDs = nil
	p := m.Predict(autodiff.NewTape(), b, data.All).Clone()
	b.Inputs[0].Data[1*4] -= 3
	if q := m.Predict(autodiff.NewTape(), b, data.All); p.Data[0] != q.Data[0] {
		t.Error("without ids an utterance saw another")
	}
	if m.Note(ds) != "" || m.Note(dataset(false)) == "" {
		t.Error("the note does not follow the ids")
	}
}

func TestGradients(t *testing.T) {
	ds := dataset(true)
	m, err := New(ds.Dims(), ds.Task, smallConfig(), nn.NewRNG(2))
	if err != nil {
		t.Fatal(err)
	}
	var in []*autodiff.Node
	for _, p := range m.Params() {
		in = append(in, p.Node)
	}
	b := ds.Train.Gather([]int{0, 1, 2, 5, 6, 7}, nil) // two videos, 3 utterances each
	f := func(tp *autodiff.Tape) *autodiff.Node { return m.forward(tp, nn.Eval, b) }
	if e, where := autodiff.GradCheck(f, in, 1e-2); e > 5e-3 {
		t.Errorf("BC-LSTM gradient error %.3g at %s", e, where)
	}
}

func TestContextHelps(t *testing.T) {
	score := func(ids bool) float64 {
		ds := dataset(ids)
		m, err := New(ds.Dims(), ds.Task, smallConfig(), nn.NewRNG(3))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := train.Fit(context.Background(), m, ds, train.Config{Epochs: 40, Patience: 8, BatchSize: 25, Seed: 3}, nil); err != nil {
			t.Fatal(err)
		}
		return metrics.Score(ds.Task, m.Predict(autodiff.NewTape(), ds.Test.All(), data.All), ds.Test.Labels)["mae"]
	}
	with, without := score(true), score(false)
	t.Logf("test MAE with video context %.3f, without %.3f", with, without)
	if with >= without {
		t.Errorf("context did not help: %.3f with, %.3f without", with, without)
	}
}
