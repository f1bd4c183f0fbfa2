package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"slices"
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
	fs                  *flag.FlagSet
	path, kind, emotion *string
	release             releaseFlags
	dataSeed            *uint64
	synthTrain          *int
	synthTest           *int
	frames, synthOracle *bool
	synthParams         *string
}

// synthOnly are the flags that shape the synthetic benchmark only, and
// fileOnly those that read a dataset file.
var (
	synthOnly = []string{"data-seed", "synth-train", "synth-test", "frames", "synth-params", "synth-oracle"}
	fileOnly  = []string{"split", "labels", "folds", "embeddings", "text", "seq-len"}
)

func addDataFlags(fs *flag.FlagSet) dataFlags {
	return dataFlags{
		fs:          fs,
		path:        fs.String("data", "", "dataset: a file or directory (LMF or MMSA pickle, transcripts), or synth for the synthetic benchmark"),
		kind:        fs.String("kind", "", "synth: mosi, pom or iemocap (default mosi); LMF pickles: mosi, pom or regression labels"),
		emotion:     fs.String("emotion", "", "IEMOCAP: which emotion's binary task (happy, sad, angry, neutral)"),
		dataSeed:    fs.Uint64("data-seed", 1, "synth: the generator's seed"),
		synthTrain:  fs.Int("synth-train", 0, "synth: training samples, 2 to 100000 (default: the kind's; validation and test keep theirs)"),
		synthTest:   fs.Int("synth-test", 0, "synth: test samples, 1 to 100000 (default: the kind's)"),
		frames:      fs.Bool("frames", false, "synth: audio and visual as frame sequences (for sequence models) instead of utterance averages"),
		synthOracle: fs.Bool("synth-oracle", false, "synth, mosi: training and validation labels replaced by E[y | latents], a perfect teacher's targets (the oracle ceiling row; the test split is unchanged)"),
		synthParams: fs.String("synth-params", "", "synth: the generator's parameters as name=value,... (sarcasm, label-noise, scale, text-cue, audio-cue, visual-cue, audio-flag, visual-flag, cue-word-rate, text-noise, audio-noise, visual-noise; see the README)"),
		release:     addReleaseFlags(fs),
	}
}

// releaseFlags are the options of the bc-LSTM release and of text read
// through pretrained word vectors.
type releaseFlags struct {
	split, labels, folds, embeddings, text *string
	seqLen                                 *int
}

func addReleaseFlags(fs *flag.FlagSet) releaseFlags {
	return releaseFlags{
		split:      fs.String("split", "", "bc-LSTM release: release (its 62 training / 31 test videos, the default) or standard (folds.json's 52/10/31)"),
		labels:     fs.String("labels", "", "bc-LSTM release: the continuous labels, OpinionLevelSentiment.csv or a labels .csd (default: found in DIR, DIR/.. or DIR/../cmu-mosi)"),
		folds:      fs.String("folds", "", "bc-LSTM release, --split standard: folds.json (default: found like --labels)"),
		embeddings: fs.String("embeddings", "", "transcripts (a transcripts directory, or the bc-LSTM release with --text glove): pretrained word vectors in GloVe's text format, plain or gzip; with --text ngrams, the vectors the word features' embeddings start from"),
		text:       fs.String("text", "", "bc-LSTM release: cnn (its text-CNN vectors; the default), glove (its transcripts through --embeddings; the default when they are given) or ngrams (its transcripts as bags of word, bigram and character n-gram ids, pooled into one vector by the text encoder: see \"Text only\" in the README); transcripts: words (the default) or ngrams"),
		seqLen:     fs.Int("seq-len", 0, "transcripts: words kept per transcript (default: 20 with --embeddings, as LMF; else the longest training transcript, at most 50)"),
	}
}

// apply sets these options in opt.
func (r releaseFlags) apply(opt load.Options) load.Options {
	opt.Split, opt.Labels, opt.Folds, opt.Embeddings, opt.Text, opt.TextLen = *r.split, *r.labels, *r.folds, *r.embeddings, *r.text, *r.seqLen
	return opt
}

// open reads the dataset the flags name. A flag that does not fit the data
// (a synth flag with a file, an emotion the file lacks) is a usage error.
func (f dataFlags) open() (*data.Dataset, error) {
	switch *f.path {
	case "":
		return nil, usagef("--data is required")
	case "synth":
		if err := f.refuse(fileOnly, "to a dataset file or directory, not to the synthetic benchmark (--data synth)"); err != nil {
			return nil, err
		}
		kind := synth.Kind(*f.kind)
		if kind == "" {
			kind = synth.MOSI
		}
		if _, ok := synth.Specs[kind]; !ok {
			return nil, usagef("--kind %q: the synthetic benchmark has mosi, pom and iemocap", *f.kind)
		}
		params, err := synth.ParseParams(*f.synthParams)
		if err != nil {
			return nil, usagef("--synth-params: %v", err)
		}
		if *f.synthOracle && kind != synth.MOSI {
			return nil, usagef("--synth-oracle applies to --kind mosi only")
		}
		cfg := synth.Config{Kind: kind, Seed: *f.dataSeed, Frames: *f.frames, Params: &params, Oracle: *f.synthOracle}
		if *f.synthTrain != 0 || *f.synthTest != 0 {
			sizes := synth.Specs[kind].Sizes
			if *f.synthTrain != 0 {
				if err := outOfRange("synth-train", *f.synthTrain, 2, 100000); err != nil {
					return nil, err
				}
				sizes.Train = *f.synthTrain
			}
			if *f.synthTest != 0 {
				if err := outOfRange("synth-test", *f.synthTest, 1, 100000); err != nil {
					return nil, err
				}
				sizes.Test = *f.synthTest
			}
			cfg.Sizes = sizes
		}
		dss, err := synth.Generate(cfg)
		if err != nil {
			return nil, err
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
	if err := f.refuse(synthOnly, "to the synthetic benchmark (--data synth) only, not to a file"); err != nil {
		return nil, err
	}
	return openDataset(*f.path, f.release.apply(load.Options{Emotion: *f.emotion, Kind: *f.kind}))
}

// openDataset is load.Open with an option that does not fit the file (an
// emotion it lacks, a kind its labels contradict) as a usage error.
func openDataset(path string, opt load.Options) (*data.Dataset, error) {
	ds, err := load.Open(path, opt)
	var oe *load.OptionError
	if errors.As(err, &oe) {
		return nil, usageError{err.Error()}
	}
	return ds, err
}

// refuse returns a usage error if any of the flags names was given: they
// apply only where the message says.
func (f dataFlags) refuse(names []string, where string) error {
	var given []string
	f.fs.Visit(func(fl *flag.Flag) {
		if slices.Contains(names, fl.Name) {
			given = append(given, "--"+fl.Name)
		}
	})
	switch len(given) {
	case 0:
		return nil
	case 1:
		return usagef("%s applies %s", given[0], where)
	}
	return usagef("%s apply %s", strings.Join(given, ", "), where)
}

// describe says which data the flags name, for model.json.
func (f dataFlags) describe() string {
	s := *f.path
	if s == "synth" {
		kind := *f.kind
		if kind == "" {
			kind = string(synth.MOSI)
		}
		train := synth.Specs[synth.Kind(kind)].Sizes.Train
		if *f.synthTrain != 0 {
			train = *f.synthTrain
		}
		s = fmt.Sprintf("synth kind=%s seed=%d train=%d frames=%v", kind, *f.dataSeed, train, *f.frames)
		if *f.synthTest != 0 {
			s += fmt.Sprintf(" test=%d", *f.synthTest)
		}
		if *f.synthParams != "" {
			s += " params=" + *f.synthParams
		}
		if *f.synthOracle {
			s += " oracle=true"
		}
	}
	if *f.emotion != "" {
		s += " emotion=" + *f.emotion
	}
	for _, kv := range [][2]string{{"split", *f.release.split}, {"labels", *f.release.labels}, {"folds", *f.release.folds},
		{"text", *f.release.text}, {"embeddings", *f.release.embeddings}} {
		if kv[1] != "" {
			s += " " + kv[0] + "=" + kv[1]
		}
	}
	if *f.release.seqLen != 0 {
		s += fmt.Sprintf(" seq-len=%d", *f.release.seqLen)
	}
	return s
}

func runTrain(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("train")
	df := addDataFlags(fs)
	system := fs.String("system", "ours", "system: "+strings.Join(systems.Names, ", "))
	seed := fs.Uint64("seed", 1, "seed of the initialisation, the batch order and dropout")
	out := fs.String("out", "", "directory to write the model to (must not exist)")
	defaults := train.DefaultConfig()
	epochs := fs.Int("epochs", defaults.Epochs, "maximum epochs; range [1, 100000]")
	patience := fs.Int("patience", defaults.Patience, "epochs without validation improvement before stopping; range [1, 100000]")
	batch := fs.Int("batch", defaults.BatchSize, "batch size; range [2, 1048576]")
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
	cfg, err := systems.StrictConfig(*system, *h)
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
	if h.EmbedDim != nil && ds.Dims().Vocab == 0 {
		return usagef("train: --embed sizes the embedding of text given as token ids; this data has no token ids (its text, if any, is vectors)")
	}
	m, err := systems.Build(*system, cfg, ds.Dims(), ds.Task, nn.NewRNG(*seed))
	if err != nil {
		return usagef("train: %v", err)
	}
	printDataNotes(stdout, "data: ", ds)
	if n, err := systems.InitTextBag(m, ds); err != nil {
		return usagef("train: %v", err)
	} else if n > 0 {
		fmt.Fprintf(stdout, "text: %d word-feature embeddings start from the word vectors\n", n)
	}
	tc := train.Config{Epochs: *epochs, Patience: *patience, BatchSize: *batch, Seed: *seed}
	var note string
	if n, ok := m.(systems.Noter); ok && n.Note(ds) != "" {
		note = n.Note(ds)
		fmt.Fprintln(stdout, "note:", note)
	}
	if f, ok := m.(systems.Fitter); ok { // trained in one call (the SVM)
		var loop []string
		fs.Visit(func(f *flag.Flag) {
			if f.Name == "epochs" || f.Name == "patience" || f.Name == "batch" {
				loop = append(loop, "--"+f.Name)
			}
		})
		if len(loop) > 0 { // not an error: scripts loop over systems with one set of flags
			fmt.Fprintf(stdout, "note: %s is fitted in one call, not by epochs: %s not used\n", *system, strings.Join(loop, ", "))
		}
		fmt.Fprintf(stdout, "fitting %s on %s (%d/%d/%d samples)\n", *system, ds.Name, ds.Train.N(), ds.Valid.N(), ds.Test.N())
		start := time.Now()
		if err := f.Fit(ctx, ds); err != nil {
			return fmt.Errorf("train: %w", err)
		}
		fmt.Fprintf(stdout, "fitted in %.1fs\n", time.Since(start).Seconds())
		return save(stdout, *out, *system, f.FittedConfig(), m, ds, *seed, df, train.Config{}, nil, note, nil) // no training loop
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
	if errors.Is(err, context.Canceled) {
		return fmt.Errorf("train: interrupted; nothing was saved")
	}
	if err != nil {
		return fmt.Errorf("train: %w", err)
	}
	if res.BestEpoch == 0 {
		return fmt.Errorf("train: no epoch finished with a finite validation loss (status %s after %d epochs); nothing was saved; a lower --lr may help", res.Status, len(res.History))
	}
	fmt.Fprintf(stdout, "%s after %s in %.1fs; best validation loss %.4f at epoch %d\n",
		res.Status, plural(len(res.History), "epoch", "epochs"), time.Since(start).Seconds(), res.BestValid, res.BestEpoch)
	if res.Status == train.Diverged {
		fmt.Fprintln(stdout, "warning: a loss became NaN or infinite; the model saved is the best before that")
	}
	var teacher *systems.TeacherReport
	if r, ok := m.(systems.TeacherReporter); ok {
		if teacher = r.TeacherReport(ds); teacher != nil {
			fmt.Fprintf(stdout, "%s teacher: train %s; test %s\n", teacher.Teacher, teacher.Train, teacher.Test)
		}
	}
	return save(stdout, *out, *system, cfg, m, ds, *seed, df, tc, sanitize(res), note, teacher)
}

// save writes the model and its description to out, with the teacher's
// report when the system has one.
func save(stdout io.Writer, out, system string, cfg any, m systems.Model, ds *data.Dataset, seed uint64, df dataFlags, tc train.Config, res *train.Result, note string, teacher *systems.TeacherReport) error {
	raw, err := systems.MarshalConfig(cfg)
	if err != nil {
		return err
	}
	meta := systems.DataMeta(ds)
	meta.System, meta.Config, meta.Seed, meta.Data, meta.Train, meta.Fit = system, raw, seed, df.describe(), tc, res
	if note != "" || teacher != nil {
		meta.Extra = map[string]any{}
	}
	if note != "" {
		meta.Extra["note"] = note
	}
	if teacher != nil {
		meta.Extra["teacher"] = teacher
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
// copy of res, and leaves out non-finite per-epoch metrics.
func sanitize(res *train.Result) *train.Result {
	c := *res
	c.History = append([]train.Epoch(nil), res.History...)
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	for i, e := range c.History {
		if !finite(e.TrainLoss) {
			c.History[i].TrainLoss = -1
		}
		if !finite(e.ValidLoss) {
			c.History[i].ValidLoss = -1
		}
		if e.Metrics != nil {
			m := map[string]float64{}
			for k, v := range e.Metrics {
				if finite(v) {
					m[k] = v
				}
			}
			c.History[i].Metrics = m
		}
	}
	return &c
}
