// Package experiment runs the trials of the paper's experiments: one system
// trained with one seed on one dataset, then evaluated under every modality
// subset it can take. A trial is identified by its key, so that a run store
// can record it once and a rerun skip it.
package experiment

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/metrics"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/systems"
	"github.com/modistill/modistill/train"
)

// Trial is one system, dataset and seed, with the system's defaults or a
// setting of the grid. A search trial (Search > 0, the setting's number) is
// scored on the validation split only.
type Trial struct {
	System  string   `json:"system"`
	Dataset string   `json:"dataset"`
	Seed    uint64   `json:"seed"`
	Setting *Setting `json:"setting,omitempty"`
	Search  int      `json:"search,omitempty"`
	// Protocol is how the test split is made incomplete: "" (or "paper")
	// for the paper's fixed modality subsets, RandomRate for steps masked at
	// random (MMSA, LNLN), Both for both.
	Protocol string `json:"protocol,omitempty"`
}

// Both is both protocols at once: each trial is trained once and scored
// under the paper's fixed subsets and under every random rate.
const Both = "both"

// RandomRate is the random-missing-rate protocol of MMSA and LNLN: every
// system is given all modalities with each frame or token masked with
// probability r, for r in Rates; the scores at each rate are kept under the
// condition "avt@r" and their means over the rates under "avt@avg".
const RandomRate = "random-rate"

// Rates are the random-rate protocol's test missing rates.
var Rates = []float64{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}

// RateConditions are the random-rate protocol's conditions, in order.
var RateConditions = func() []string {
	var c []string
	for _, r := range Rates {
		c = append(c, fmt.Sprintf("avt@%.1f", r))
	}
	return append(c, "avt@avg")
}()

// Key identifies the trial in a run store.
func (t Trial) Key() string {
	if t.Search > 0 {
		return fmt.Sprintf("search/%s/%s/%d", t.Dataset, t.System, t.Search)
	}
	if t.Protocol == RandomRate || t.Protocol == Both {
		return fmt.Sprintf("%s/%s/%s/seed%d", t.Protocol, t.Dataset, t.System, t.Seed)
	}
	return fmt.Sprintf("%s/%s/seed%d", t.Dataset, t.System, t.Seed)
}

// Result is a finished trial.
type Result struct {
	Trial
	Status string `json:"status"` // the training status, or "fitted"
	Epochs int    `json:"epochs"`
	// ValidLoss is the best validation loss of a trained system (what the
	// search selects on).
	ValidLoss float64                   `json:"valid_loss,omitempty"`
	BatchSize int                       `json:"batch_size,omitempty"` // of a trained system
	Seconds   float64                   `json:"seconds"`
	Config    any                       `json:"config"` // the hyperparameters used
	Scores    map[string]metrics.Scores `json:"scores"` // by subset code (avt, av, ..., t)
	// Temperatures are the adaptive model's temperatures per epoch (see
	// TemperaturesOf); empty for other systems.
	Temperatures map[string][]float64 `json:"temperatures,omitempty"`
}

// Run trains t.System on ds with t.Seed (tc gives epochs and patience; a
// setting, its hyperparameters and batch size) and evaluates it on the test
// split under every subset it can take; a search trial is not evaluated.
func Run(ctx context.Context, t Trial, ds *data.Dataset, tc train.Config) (*Result, error) {
	var hyper systems.Hyper
	if t.Setting != nil {
		hyper = t.Setting.Hyper()
		tc.BatchSize = t.Setting.BatchSize
	}
	cfg, err := systems.Config(t.System, hyper)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t.Key(), err)
	}
	m, err := systems.Build(t.System, cfg, ds.Dims(), ds.Task, nn.NewRNG(t.Seed))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t.Key(), err)
	}
	if _, err := systems.InitTextBag(m, ds); err != nil {
		return nil, fmt.Errorf("%s: %w", t.Key(), err)
	}
	start := time.Now()
	res := &Result{Trial: t, Config: cfg, Scores: map[string]metrics.Scores{}}
	switch m := m.(type) {
	case systems.Fitter:
		if err := m.Fit(ctx, ds); err != nil {
			return nil, fmt.Errorf("%s: %w", t.Key(), err)
		}
		res.Status, res.Config = "fitted", m.FittedConfig()
	case train.Model:
		tc.Seed = t.Seed
		fit, err := train.Fit(ctx, m, ds, tc, nil)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.Key(), err)
		}
		res.Status, res.Epochs, res.ValidLoss, res.BatchSize = string(fit.Status), len(fit.History), fit.BestValid, tc.BatchSize
		if math.IsNaN(res.ValidLoss) || math.IsInf(res.ValidLoss, 0) { // never selected; JSON has no NaN
			res.ValidLoss = math.MaxFloat64
		}
		res.Temperatures = TemperaturesOf(fit.History)
	default:
		return nil, fmt.Errorf("%s: the system is neither trained nor fitted", t.Key())
	}
	res.Seconds = time.Since(start).Seconds()
	if t.Search > 0 {
		return res, nil
	}
	if t.Protocol == RandomRate || t.Protocol == Both {
		sums := metrics.Scores{}
		for i, r := range Rates {
			// The same masks for every system and seed: the rate's own stream.
			b, err := data.MaskSteps(ds.Test.All(), r, rand.New(rand.NewPCG(uint64(i), 0x6d61736b)))
			if err != nil {
				return nil, fmt.Errorf("%s: %w", t.Key(), err)
			}
			sc := metrics.Score(ds.Task, m.Predict(autodiff.NewTape(), b, data.All), b.Labels)
			res.Scores[RateConditions[i]] = sc
			for k, v := range sc {
				sums[k] += v / float64(len(Rates))
			}
		}
		res.Scores["avt@avg"] = sums
		if t.Protocol == RandomRate {
			return res, nil
		}
	}
	for _, use := range m.Subsets() {
		pred := m.Predict(autodiff.NewTape(), ds.Test.All(), use)
		res.Scores[use.String()] = metrics.Score(ds.Task, pred, ds.Test.Labels)
	}
	return res, nil
}
