// Package train fits models: shuffled mini-batches per epoch, a validation
// loss after each epoch, early stopping with patience, and the restoration of
// the best-validation parameters at the end (the checkpoint that is then
// evaluated). A training loss that becomes NaN or infinite stops the run with
// status Diverged. The loop depends only on the Model interface, never on a
// concrete model.
package train

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/nn"
)

// Model is what Fit trains.
type Model interface {
	nn.Module
	// Step runs one optimisation step on a batch in training mode and
	// returns its training loss.
	Step(tp *autodiff.Tape, mode nn.Mode, b *data.Batch) float64
	// ValidationLoss is the early-stopping criterion on a split, in
	// evaluation mode.
	ValidationLoss(tp *autodiff.Tape, s *data.Split) float64
}

// EpochStarter is a Model that wants to know when each epoch starts
// (1-based), for schedules such as a gradient-reversal ramp.
type EpochStarter interface {
	StartEpoch(epoch int)
}

// Preparer is a Model with a stage of its own before the loop, such as a
// teacher trained first and frozen. Fit calls Prepare once, before the first
// epoch, with its own configuration; an error ends Fit.
type Preparer interface {
	Prepare(ctx context.Context, ds *data.Dataset, c Config) error
}

// Monitor is a Model that reports quantities of its own per epoch (such as
// the mean temperatures it learned); Fit records them in Epoch.Metrics.
type Monitor interface {
	// EpochMetrics returns this epoch's values and resets the accumulation.
	EpochMetrics() map[string]float64
}

// VideoBatcher is a Model that needs each batch to hold whole videos (a
// model of context across a video's utterances, such as BC-LSTM). When the
// training split has sample ids, Fit then shuffles videos rather than
// samples and fills each batch with whole videos.
type VideoBatcher interface {
	BatchByVideo() bool
}

// Config controls the loop.
type Config struct {
	Epochs    int    `json:"epochs"`     // at most this many epochs
	Patience  int    `json:"patience"`   // stop after this many epochs without improvement
	BatchSize int    `json:"batch_size"` //
	Seed      uint64 `json:"seed"`       // shuffling and dropout
}

// DefaultConfig is METHOD.md's: 50 epochs, patience 10, batch 32.
func DefaultConfig() Config { return Config{Epochs: 50, Patience: 10, BatchSize: 32} }

// Status says how a run ended.
type Status string

// The ways a run ends.
const (
	Completed    Status = "completed"     // ran every epoch
	EarlyStopped Status = "early-stopped" // patience ran out
	Diverged     Status = "diverged"      // a loss became NaN or infinite
)

// Epoch is one epoch's record.
type Epoch struct {
	Epoch     int     `json:"epoch"`
	TrainLoss float64 `json:"train_loss"` // mean over the epoch's batches
	ValidLoss float64 `json:"valid_loss"`
	Seconds   float64 `json:"seconds"`
	// Metrics holds what a Monitor model reported for the epoch.
	Metrics map[string]float64 `json:"metrics,omitempty"`
}

// Result is the outcome of Fit.
type Result struct {
	Status    Status  `json:"status"`
	BestEpoch int     `json:"best_epoch"` // 1-based; the parameters left in the model
	BestValid float64 `json:"best_valid_loss"`
	History   []Epoch `json:"history"`
}

// Fit trains m on ds.Train, validating on ds.Valid after every epoch, and
// leaves m with the parameters of its best validation epoch. onEpoch, if not
// nil, is called after each epoch. A diverged run is not an error: its Result
// says so, and m keeps its best parameters so far. Fit returns an error only
// for a bad configuration or a cancelled context.
func Fit(ctx context.Context, m Model, ds *data.Dataset, c Config, onEpoch func(Epoch)) (*Result, error) {
	if c.Epochs < 1 || c.BatchSize < 1 || c.Patience < 1 {
		return nil, fmt.Errorf("train: epochs (%d), batch size (%d) and patience (%d) must be positive", c.Epochs, c.BatchSize, c.Patience)
	}
	if p, ok := m.(Preparer); ok {
		if err := p.Prepare(ctx, ds, c); err != nil {
			return nil, err
		}
	}
	mode := nn.Seeded(c.Seed) // dropout's draws in bulk, from rng's stream
	rng := mode.RNG
	tp := autodiff.NewTape()
	n := ds.Train.N()
	// units are what is shuffled: single samples, or whole videos.
	units := ds.Train.All().Videos()
	if vb, ok := m.(VideoBatcher); !ok || !vb.BatchByVideo() || ds.Train.IDs == nil {
		units = make([][]int, n)
		for i := range units {
			units[i] = []int{i}
		}
	}
	order := make([]int, 0, n)
	best := newSnapshot(m)
	res := &Result{Status: Completed, BestValid: math.Inf(1)}
	var batch *data.Batch
	sinceBest := 0
	for epoch := 1; epoch <= c.Epochs; epoch++ {
		start := time.Now()
		if es, ok := m.(EpochStarter); ok {
			es.StartEpoch(epoch)
		}
		rng.Shuffle(len(units), func(i, j int) { units[i], units[j] = units[j], units[i] })
		var sum float64
		batches := 0
		for u := 0; u < len(units); {
			if err := ctx.Err(); err != nil {
				return res, err
			}
			order = order[:0]
			for u < len(units) && len(order) < c.BatchSize { // whole units, up to a batch
				order = append(order, units[u]...)
				u++
			}
			if len(order) < 2 && batches > 0 { // a batch of one breaks batch statistics; LMF drops it too
				break
			}
			batch = ds.Train.Gather(order, batch)
			l := m.Step(tp, mode, batch)
			if math.IsNaN(l) || math.IsInf(l, 0) {
				res.Status = Diverged
				res.History = append(res.History, Epoch{Epoch: epoch, TrainLoss: l, ValidLoss: math.NaN(), Seconds: time.Since(start).Seconds()})
				best.restore()
				return res, nil
			}
			sum += l
			batches++
		}
		v := m.ValidationLoss(tp, ds.Valid)
		e := Epoch{Epoch: epoch, TrainLoss: sum / float64(batches), ValidLoss: v, Seconds: time.Since(start).Seconds()}
		if mon, ok := m.(Monitor); ok {
			e.Metrics = mon.EpochMetrics()
		}
		res.History = append(res.History, e)
		if onEpoch != nil {
			onEpoch(e)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			res.Status = Diverged
			break
		}
		if v < res.BestValid {
			res.BestValid, res.BestEpoch = v, epoch
			best.save()
			sinceBest = 0
		} else if sinceBest++; sinceBest >= c.Patience {
			res.Status = EarlyStopped
			break
		}
	}
	best.restore()
	return res, nil
}

// snapshot keeps a copy of a model's parameters and buffers.
type snapshot struct {
	params []*nn.Param
	bufs   []*nn.Buffer
	saved  [][]float32
	ok     bool
}

func newSnapshot(m Model) *snapshot {
	s := &snapshot{params: m.Params()}
	if b, ok := m.(nn.BufferedModule); ok {
		s.bufs = b.Buffers()
	}
	for _, p := range s.params {
		s.saved = append(s.saved, make([]float32, p.Value.Len()))
	}
	for _, b := range s.bufs {
		s.saved = append(s.saved, make([]float32, b.Value.Len()))
	}
	return s
}

func (s *snapshot) save() {
	for i, p := range s.params {
		copy(s.saved[i], p.Value.Data)
	}
	for i, b := range s.bufs {
		copy(s.saved[len(s.params)+i], b.Value.Data)
	}
	s.ok = true
}

// restore puts the saved values back; it does nothing if none were saved.
func (s *snapshot) restore() {
	if !s.ok {
		return
	}
	for i, p := range s.params {
		copy(p.Value.Data, s.saved[i])
	}
	for i, b := range s.bufs {
		copy(b.Value.Data, s.saved[len(s.params)+i])
	}
}
