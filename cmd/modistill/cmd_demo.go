package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data/synth"
	"github.com/modistill/modistill/metrics"
	"github.com/modistill/modistill/models/fused"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/train"
)

func runDemo(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("demo")
	seed := fs.Uint64("seed", 1, "seed of the data, the initialisation and the training order")
	epochs := fs.Int("epochs", 50, "maximum number of epochs")
	patience := fs.Int("patience", 10, "epochs without validation improvement before stopping")
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
	fmt.Fprintf(stdout, "model: LMF, rank %d, h %d, %d parameters; L1 loss, Adam lr %g, batch 32\n\n",
		cfg.Rank, cfg.Hidden, nn.Count(model.Params()), cfg.LR)
	fmt.Fprintf(stdout, "%5s  %10s  %10s  %6s\n", "epoch", "train L1", "valid L1", "time")
	tc := train.DefaultConfig()
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
	pred := model.Predict(autodiff.NewTape(), ds.Test.All())
	p := make([]float64, pred.Len())
	for i, v := range pred.Data {
		p[i] = float64(v)
	}
	r := metrics.MOSI(p, ds.Test.Column(0))
	fmt.Fprintf(stdout, "\ntest split (%d samples), all modalities:\n", ds.Test.N())
	fmt.Fprintf(stdout, "  %-28s %8.4f\n", "MAE", r.MAE)
	fmt.Fprintf(stdout, "  %-28s %8.4f\n", "Corr (Pearson)", r.Corr)
	fmt.Fprintf(stdout, "  %-28s %8.2f\n", "Acc-2 % (y >= 0)", 100*r.Acc2)
	fmt.Fprintf(stdout, "  %-28s %8.2f\n", "F1 % (y >= 0, weighted)", 100*r.F1)
	fmt.Fprintf(stdout, "  %-28s %8.2f\n", "Acc-2 % (non-zero)", 100*r.Acc2NonZero)
	fmt.Fprintf(stdout, "  %-28s %8.2f\n", "Acc-7 %", 100*r.Acc7)
	fmt.Fprintf(stdout, "\ntotal time %.1fs\n", time.Since(start).Seconds())
	return nil
}
