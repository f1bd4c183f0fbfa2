package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/modistill/modistill/checkpoint"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/load"
	"github.com/modistill/modistill/data/synth"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/systems"
	"github.com/modistill/modistill/train"
)

// dataFlags are the flags that say which dataset to read.
type dataFlags struct {
	path, kind, emotion *string
	dataSeed            *uint64
	synthTrain          *int
	frames              *bool
}

func addDataFlags(fs interface {
	String(string, string, string) *string
	Uint64(string, uint64, string) *uint64
	Int(string, int, string) *int
	Bool(string, bool, string) *bool
}) dataFlags {
	return dataFlags{
		path:       fs.String("data", "", "dataset: a file or directory (LMF or MMSA pickle, transcripts), or synth for the synthetic benchmark"),
		kind:       fs.String("kind", "", "synth: mosi, pom or iemocap (default mosi); LMF pickles: mosi, pom or regression labels"),
		emotion:    fs.String("emotion", "", "IEMOCAP: which emotion's binary task (happy, sad, angry, neutral)"),
		dataSeed:   fs.Uint64("data-seed", 1, "synth: the generator's seed"),
		synthTrain: fs.Int("synth-train", 0, "synth: training samples (default: the kind's; validation and test keep theirs)"),
		frames:     fs.Bool("frames", false, "synth: audio and visual as frame sequences (for sequence models) instead of utterance averages"),
	}
}

// open reads the dataset the flags name.
func (f dataFlags) open() (*data.Dataset, error) {
	switch *f.path {
	case "":
		return nil, usagef("--data is required")
	case "synth":
		kind := synth.Kind(*f.kind)
		if kind == "" {
			kind = synth.MOSI
		}
		cfg := synth.Config{Kind: kind, Seed: *f.dataSeed, Frames: *f.frames}
		if *f.synthTrain != 0 {
			sizes := synth.Specs[kind].Sizes
			sizes.Train = *f.synthTrain
			cfg.Sizes = sizes
		}
		dss, err := synth.Generate(cfg)
		if err != nil {
			return nil, usagef("--kind: %v", err)
		}
		if kind != synth.IEMOCAP {
			if *f.emotion != "" {
				return nil, usagef("--emotion applies to IEMOCAP only")
			}
			return dss[0], nil
		}
		for i, e := range synth.Emotions {
			if e == *f.emotion {
				return dss[i], nil
			}
		}
		return nil, usagef("--emotion %q: synthetic IEMOCAP has %s", *f.emotion, strings.Join(synth.Emotions, ", "))
	}
	return load.Open(*f.path, load.Options{Emotion: *f.emotion, Kind: *f.kind})
}

func (f dataFlags) describe() string {
	s := *f.path
	if s == "synth" {
		s = fmt.Sprintf("synth kind=%s seed=%d train=%d frames=%v", *f.kind, *f.dataSeed, *f.synthTrain, *f.frames)
	}
	if *f.emotion != "" {
		s += " emotion=" + *f.emotion
	}
	return s
}

func runTrain(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("train")
	df := addDataFlags(fs)
	system := fs.String("system", "ours", "system: "+strings.Join(systems.Names, ", "))
	seed := fs.Uint64("seed", 1, "seed of the initialisation, the batch order and dropout")
	out := fs.String("out", "", "directory to write the model to (must not exist)")
	epochs := fs.Int("epochs", 50, "maximum epochs")
	patience := fs.Int("patience", 10, "epochs without validation improvement before stopping")
	batch := fs.Int("batch", 32, "batch size")
	quiet := fs.Bool("quiet", false, "no progress (a bar on a terminal, a line per epoch on standard error otherwise)")
	h := addHyperFlags(fs)
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if *out == "" {
		return usagef("train: --out is required")
	}
	for _, c := range []struct {
		name      string
		v, lo, hi int
	}{{"epochs", *epochs, 1, 100000}, {"patience", *patience, 1, 100000}, {"batch", *batch, 2, 1 << 20}} {
		if err := intFlagInRange("train", c.name, c.v, c.lo, c.hi); err != nil {
			return err
		}
	}
	cfg, err := systems.Config(*system, *h)
	if err != nil {
		return hyperError("train", err)
	}
	if err := checkpoint.CheckDestination(*out); err != nil {
		return usagef("train: --out %v; choose a path that does not exist", err)
	}
	ds, err := df.open()
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	m, err := systems.Build(*system, cfg, ds.Dims(), ds.Task, nn.NewRNG(*seed))
	if err != nil {
		return usagef("train: %v", err)
	}
	for _, n := range ds.InputNotes() {
		fmt.Fprintln(stdout, "data:", n)
	}
	tc := train.Config{Epochs: *epochs, Patience: *patience, BatchSize: *batch, Seed: *seed}
	var note string
	if n, ok := m.(systems.Noter); ok && n.Note(ds) != "" {
		note = n.Note(ds)
		fmt.Fprintln(stdout, "note:", note)
	}
	if f, ok := m.(systems.Fitter); ok { // trained in one call (the SVM)
		fmt.Fprintf(stdout, "fitting %s on %s (%d/%d/%d samples)\n", *system, ds.Name, ds.Train.N(), ds.Valid.N(), ds.Test.N())
		start := time.Now()
		if err := f.Fit(ctx, ds); err != nil {
			return fmt.Errorf("train: %w", err)
		}
		fmt.Fprintf(stdout, "fitted in %.1fs\n", time.Since(start).Seconds())
		return save(stdout, *out, *system, f.FittedConfig(), m, ds, *seed, df, tc, nil, note)
	}
	tm, ok := m.(train.Model)
	if !ok {
		return fmt.Errorf("train: system %s is neither trained by steps nor fitted", *system)
	}
	fmt.Fprintf(stdout, "training %s on %s (%d/%d/%d samples), %d parameters\n", *system, ds.Name, ds.Train.N(), ds.Valid.N(), ds.Test.N(), nn.Count(m.Params()))
	bar := newProgress(*epochs, "epoch", *quiet)
	start := time.Now()
	res, err := train.Fit(ctx, tm, ds, tc, func(e train.Epoch) {
		desc := fmt.Sprintf("train %.4f, valid %.4f", e.TrainLoss, e.ValidLoss)
		if t, ok := e.Metrics["teacher_loss"]; ok {
			desc += fmt.Sprintf(" (teacher %.3f, students %.3f)", t, e.Metrics["student_loss"])
		}
		bar.Step(desc)
	})
	bar.Finish()
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	fmt.Fprintf(stdout, "%s after %d epochs in %.1fs; best validation loss %.4f at epoch %d\n",
		res.Status, len(res.History), time.Since(start).Seconds(), res.BestValid, res.BestEpoch)
	if res.Status == train.Diverged {
		fmt.Fprintln(stdout, "warning: a loss became NaN or infinite; the model saved is the best before that")
	}
	if res.BestEpoch == 0 {
		return fmt.Errorf("train: no epoch finished with a finite validation loss; nothing to save")
	}
	return save(stdout, *out, *system, cfg, m, ds, *seed, df, tc, sanitize(res), note)
}

// save writes the model and its description to out.
func save(stdout io.Writer, out, system string, cfg any, m systems.Model, ds *data.Dataset, seed uint64, df dataFlags, tc train.Config, res *train.Result, note string) error {
	raw, err := systems.MarshalConfig(cfg)
	if err != nil {
		return err
	}
	meta := systems.Meta{System: system, Config: raw, Dims: ds.Dims(), Task: ds.Task, Vocab: ds.Vocab, Seed: seed,
		Data: df.describe(), Train: tc, Fit: res}
	if note != "" {
		meta.Extra = map[string]any{"note": note}
	}
	if err := systems.Save(out, m, meta); err != nil {
		if errors.Is(err, checkpoint.ErrExists) {
			return usagef("train: %v", err)
		}
		return fmt.Errorf("train: %w", err)
	}
	fmt.Fprintf(stdout, "saved %s\n", out)
	return nil
}

// sanitize replaces non-finite losses, which JSON cannot hold, by -1 in a
// copy of res.
func sanitize(res *train.Result) *train.Result {
	c := *res
	c.History = append([]train.Epoch(nil), res.History...)
	for i, e := range c.History {
		if math.IsNaN(e.TrainLoss) || math.IsInf(e.TrainLoss, 0) {
			c.History[i].TrainLoss = -1
		}
		if math.IsNaN(e.ValidLoss) || math.IsInf(e.ValidLoss, 0) {
			c.History[i].ValidLoss = -1
		}
	}
	return &c
}
