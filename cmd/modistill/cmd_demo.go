package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/synth"
	"github.com/modistill/modistill/metrics"
	"github.com/modistill/modistill/models/fused"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/train"
)

func runDemo(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("demo")
	seed := fs.Uint64("seed", 1, "seed of the data, the initialisation and the training order")
	tc := train.DefaultConfig()
	epochs := fs.Int("epochs", tc.Epochs, "maximum number of epochs")
	patience := fs.Int("patience", tc.Patience, "epochs without validation improvement before stopping")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if *epochs < 1 || *patience < 1 {
		return usagef("demo: --epochs and --patience must be at least 1")
	}
	start := time.Now()
	dss, err := synth.Generate(synth.Config{Kind: synth.MOSI, Seed: *seed})
	if err != nil {
		return err
	}
	ds := dss[0]
	if err := ds.Validate(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "data: %s, train/valid/test %d/%d/%d, audio %d, visual %d, text %dx%d\n",
		ds.Name, ds.Train.N(), ds.Valid.N(), ds.Test.N(), ds.Dims().Audio, ds.Dims().Visual, ds.Dims().TextLen, ds.Dims().Text)
	cfg := fused.DefaultConfig()
	model, err := fused.New(ds.Dims(), ds.Task, cfg, nn.NewRNG(*seed))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "model: LMF, rank %d, h %d, %d parameters; L1 loss, Adam lr %g, batch %d\n\n",
		cfg.Rank, cfg.Hidden, nn.Count(model.Params()), cfg.LR, tc.BatchSize)
	fmt.Fprintf(stdout, "%5s  %10s  %10s  %6s\n", "epoch", "train L1", "valid L1", "time")
	tc.Epochs, tc.Patience, tc.Seed = *epochs, *patience, *seed
	res, err := train.Fit(ctx, model, ds, tc, func(e train.Epoch) {
		fmt.Fprintf(stdout, "%5d  %10.4f  %10.4f  %5.1fs\n", e.Epoch, e.TrainLoss, e.ValidLoss, e.Seconds)
	})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	fmt.Fprintf(stdout, "\n%s after %d epochs; best validation L1 %.4f at epoch %d (the model evaluated)\n",
		res.Status, len(res.History), res.BestValid, res.BestEpoch)
	if res.Status == train.Diverged {
		return fmt.Errorf("demo: training diverged (a loss became NaN or infinite)")
	}
	scores := metrics.Score(ds.Task, model.Predict(autodiff.NewTape(), ds.Test.All(), data.All), ds.Test.Labels)
	fmt.Fprintf(stdout, "\ntest split (%d samples), all modalities:\n", ds.Test.N())
	for _, k := range scores.Names() {
		fmt.Fprintf(stdout, "  %-28s %8s\n", metrics.Title(k), metrics.Format(k, scores[k]))
	}
	fmt.Fprintf(stdout, "\ntotal time %.1fs\n", time.Since(start).Seconds())
	return nil
}
