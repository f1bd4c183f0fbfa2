package train

import (
	"context"
	"math"
	"testing"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/tensor"
)

// scripted is a model whose one parameter counts epochs and whose losses
// follow a script, so the loop's decisions can be checked exactly.
type scripted struct {
	p       *nn.Param
	valid   []float64 // validation loss after epoch i+1
	trainAt float64   // the training loss Step returns
	nanAt   int       // epoch whose steps return NaN (0: never)
	batches int       // steps per epoch, to count epochs
	steps   int
}

func (s *scripted) Params() []*nn.Param { return []*nn.Param{s.p} }

func (s *scripted) Step(tp *autodiff.Tape, mode nn.Mode, b *data.Batch) float64 {
	s.steps++
	if s.steps%s.batches == 0 {
		s.p.Value.Data[0]++ // the parameter is the number of finished epochs
	}
	if s.nanAt > 0 && (s.steps-1)/s.batches+1 == s.nanAt {
		return math.NaN()
	}
	return s.trainAt
}

func (s *scripted) ValidationLoss(tp *autodiff.Tape, _ *data.Split) float64 {
	return s.valid[int(s.p.Value.Data[0])-1]
}

func tinyData(n int) *data.Dataset {
	sp := func(n int) *data.Split {
		return &data.Split{Inputs: [3]*tensor.Tensor{tensor.New(n, 1), tensor.New(n, 1), tensor.New(n, 1, 1)}, Labels: tensor.New(n, 1)}
	}
	return &data.Dataset{Name: "tiny", Task: data.Task{Targets: []string{"y"}}, Train: sp(n), Valid: sp(2), Test: sp(2)}
}

func TestEarlyStoppingRestoresBest(t *testing.T) {
	m := &scripted{p: nn.NewParam("p", 1), valid: []float64{3, 2, 1.5, 1.7, 1.6, 1.8, 1.9}, batches: 2}
	res, err := Fit(context.Background(), m, tinyData(8), Config{Epochs: 10, Patience: 3, BatchSize: 4}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != EarlyStopped || res.BestEpoch != 3 || len(res.History) != 6 || res.BestValid != 1.5 {
		t.Fatalf("status %s, best epoch %d, %d epochs, best %v; want early-stopped, 3, 6, 1.5", res.Status, res.BestEpoch, len(res.History), res.BestValid)
	}
	if got := m.p.Value.Data[0]; got != 3 {
		t.Errorf("parameter after Fit = %v, want the epoch-3 value 3", got)
	}
}

func TestDivergenceIsReported(t *testing.T) {
	m := &scripted{p: nn.NewParam("p", 1), valid: []float64{3, 2, 1, 0.5}, batches: 2, nanAt: 3}
	res, err := Fit(context.Background(), m, tinyData(8), Config{Epochs: 10, Patience: 3, BatchSize: 4}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != Diverged || res.BestEpoch != 2 || m.p.Value.Data[0] != 2 {
		t.Fatalf("status %s, best epoch %d, parameter %v; want diverged, 2, 2", res.Status, res.BestEpoch, m.p.Value.Data[0])
	}
	if last := res.History[len(res.History)-1]; !math.IsNaN(last.TrainLoss) {
		t.Errorf("last epoch's loss %v, want NaN recorded", last.TrainLoss)
	}
}

func TestCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	m := &scripted{p: nn.NewParam("p", 1), valid: []float64{1}, batches: 2}
	if _, err := Fit(ctx, m, tinyData(8), Config{Epochs: 1, Patience: 1, BatchSize: 4}, nil); err != context.Canceled {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestBadConfig(t *testing.T) {
	m := &scripted{p: nn.NewParam("p", 1), valid: []float64{1}, batches: 1}
	if _, err := Fit(context.Background(), m, tinyData(4), Config{Epochs: 1, Patience: 1}, nil); err == nil {
		t.Fatal("batch size 0 accepted")
	}
}
