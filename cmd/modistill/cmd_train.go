package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/modistill/modistill/checkpoint"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/load"
	"github.com/modistill/modistill/data/synth"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/systems"
	"github.com/modistill/modistill/train"
	"github.com/schollz/progressbar/v3"
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
	quiet := fs.Bool("quiet", false, "no progress bar")
	h := systems.DefaultHyper
	fs.Float64Var(&h.LR, "lr", 0, "learning rate (default: the system's, 1e-3)")
	fs.Float64Var(&h.WeightDecay, "weight-decay", 0, "Adam weight decay")
	fs.Float64Var(&h.Dropout, "dropout", 0, "dropout (default 0.2)")
	fs.IntVar(&h.Rank, "rank", 0, "LMF rank R (default 4)")
	fs.IntVar(&h.Hidden, "hidden", 0, "size h of the fused representation (default 32)")
	fs.IntVar(&h.EmbedDim, "embed", 0, "word embedding size when text is token ids (default 100)")
	fs.Float64Var(&h.Alpha, "alpha", -1, "weight of the soft-label term (default 1)")
	fs.Float64Var(&h.Beta, "beta", -1, "weight of the representation term (default 1)")
	fs.Float64Var(&h.TMax, "t-max", 0, "largest temperature (default 10)")
	fs.Float64Var(&h.FixedT, "fixed-t", 0, "ours-fixed's temperature T_s = T_z (default 2)")
	fs.StringVar(&h.TemperatureGrad, "temperature-grad", "", "reverse (default) or descend")
	fs.StringVar(&h.Share, "share", "", "what the students share with the teacher: all (default: encoders and factors) or none")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("train: --out is required")
	}
	if entries, err := os.ReadDir(*out); err == nil && len(entries) > 0 {
		return usagef("train: --out %s already exists and is not empty; choose a new directory", *out)
	}
	if *epochs < 1 || *patience < 1 || *batch < 2 {
		return usagef("train: --epochs and --patience must be at least 1, --batch at least 2")
	}
	cfg, err := systems.Config(*system, h)
	if err != nil {
		return usagef("train: %v", err)
	}
	ds, err := df.open()
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	m, err := systems.Build(*system, cfg, ds.Dims(), ds.Task, nn.NewRNG(*seed))
	if err != nil {
		return usagef("train: %v", err)
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
	var bar *progressbar.ProgressBar
	if !*quiet {
		bar = progressbar.NewOptions(*epochs, progressbar.OptionSetWriter(os.Stderr), progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true), progressbar.OptionSetDescription("epoch"), progressbar.OptionClearOnFinish())
	}
	start := time.Now()
	res, err := train.Fit(ctx, tm, ds, tc, func(e train.Epoch) {
		if bar != nil {
			desc := fmt.Sprintf("epoch %d: train %.4f, valid %.4f", e.Epoch, e.TrainLoss, e.ValidLoss)
			if t, ok := e.Metrics["teacher_loss"]; ok {
				desc += fmt.Sprintf(" (teacher %.3f, students %.3f)", t, e.Metrics["student_loss"])
			}
			bar.Describe(desc)
			bar.Add(1)
		}
	})
	if bar != nil {
		bar.Finish()
	}
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
