// Package experiment runs the trials of the paper's experiments: one system
// trained with one seed on one dataset, then evaluated under every modality
// subset it can take. A trial is identified by its key, so that a run store
// can record it once and a rerun skip it.
package experiment

import (
	"context"
	"fmt"
	"time"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/evaluate"
	"github.com/modistill/modistill/models/amd"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/systems"
	"github.com/modistill/modistill/train"
)

// Trial is one system, dataset and seed.
type Trial struct {
	System  string `json:"system"`
	Dataset string `json:"dataset"`
	Seed    uint64 `json:"seed"`
}

// Key identifies the trial in a run store.
func (t Trial) Key() string { return fmt.Sprintf("%s/%s/seed%d", t.Dataset, t.System, t.Seed) }

// Result is a finished trial.
type Result struct {
	Trial
	Status  string                     `json:"status"` // the training status, or "fitted"
	Epochs  int                        `json:"epochs"`
	Seconds float64                    `json:"seconds"`
	Config  any                        `json:"config"` // the hyperparameters used
	Scores  map[string]evaluate.Scores `json:"scores"` // by subset code (avt, av, ..., t)
	// Temperatures are the adaptive model's temperatures per epoch (see
	// TemperaturesOf); empty for other systems.
	Temperatures map[string][]float64 `json:"temperatures,omitempty"`
}

// Run trains t.System on ds with t.Seed (tc gives epochs and patience) and
// evaluates it on the test split under every subset it can take.
func Run(ctx context.Context, t Trial, ds *data.Dataset, tc train.Config) (*Result, error) {
	cfg, err := systems.Config(t.System, systems.DefaultHyper)
	if err != nil {
		return nil, err
	}
	m, err := systems.Build(t.System, cfg, ds.Dims(), ds.Task, nn.NewRNG(t.Seed))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t.Key(), err)
	}
	start := time.Now()
	res := &Result{Trial: t, Config: cfg, Scores: map[string]evaluate.Scores{}}
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
		res.Status, res.Epochs = string(fit.Status), len(fit.History)
		res.Temperatures = TemperaturesOf(fit.History)
	default:
		return nil, fmt.Errorf("%s: the system is neither trained nor fitted", t.Key())
	}
	res.Seconds = time.Since(start).Seconds()
	for _, use := range m.Subsets() {
		pred := m.Predict(autodiff.NewTape(), ds.Test.All(), use)
		res.Scores[amd.SubsetName(use)] = evaluate.Score(ds.Task, pred, ds.Test.Labels)
	}
	return res, nil
}
