package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/modistill/modistill/atomicfile"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/load"
	"github.com/modistill/modistill/data/synth"
	"github.com/modistill/modistill/experiment"
	"github.com/modistill/modistill/runstore"
	"github.com/modistill/modistill/train"
)

func runPaper(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("paper")
	dataPath := fs.String("data", "synth", "the data: synth (the synthetic benchmark) or a dataset file (LMF or MMSA pickle; name it with --dataset)")
	dataset := fs.String("dataset", "", "mosi, pom, iemocap or all (default: mosi with --quick, all otherwise)")
	seeds := fs.Int("seeds", 5, "seeds per system (--quick: 2)")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "trials run in parallel")
	quick := fs.Bool("quick", false, "a small version: 5 epochs, 2 seeds (and, on synth, MOSI only with small splits)")
	out := fs.String("out", "", "directory for runs.log, results.csv, report.md and plots/")
	quiet := fs.Bool("quiet", false, "no progress bar")
	shardFlag := fs.String("shard", "", "i/n: run only trial i, i+n, i+2n, ... of the run's fixed trial order (i from 0), for a job array; merge the shards' directories with modistill report")
	search := fs.Int("search", 0, "N: before the seeds, try N random settings of the grid per trained system and dataset, keep the best on validation (0: the defaults)")
	protocol := fs.String("protocol", "paper", "how test inputs go missing: paper (the tables' fixed modality subsets), random-rate (each frame or token masked at rates 0.0 to 0.9, as MMSA and LNLN; a modality given as one vector per utterance is a sequence of one step) or both (each trial trained once and scored under both)")
	release := addReleaseFlags(fs)
	synthParams := fs.String("synth-params", "", "--data synth: the generator's parameters as name=value,... (see modistill train -h and the README)")
	systemList := fs.String("systems", "", "comma-separated systems to run (default: every row of Tables 1-3)")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if *out == "" {
		return usagef("paper: --out is required")
	}
	if *dataPath != "synth" && (*dataset == "" || *dataset == "all") {
		return usagef("paper: --data %s: say which dataset the file holds with --dataset mosi, pom or iemocap", *dataPath)
	}
	for _, c := range []struct {
		name      string
		v, lo, hi int
	}{{"seeds", *seeds, 1, 1000}, {"workers", *workers, 1, 1024}, {"search", *search, 0, 10000}} {
		if err := intFlagInRange("paper", c.name, c.v, c.lo, c.hi); err != nil {
			return err
		}
	}
	runSystems := experiment.SystemsFor()
	if *systemList != "" {
		runSystems = nil
		known := map[string]bool{}
		for _, s := range experiment.SystemsFor() {
			known[s] = true
		}
		for _, s := range strings.Split(*systemList, ",") {
			s = strings.TrimSpace(s)
			if !known[s] {
				return usagef("paper: --systems: %q is not a row of the paper's tables (want some of %s)", s, strings.Join(experiment.SystemsFor(), ", "))
			}
			runSystems = append(runSystems, s)
		}
	}
	if *protocol != "paper" && *protocol != experiment.RandomRate && *protocol != experiment.Both {
		return usagef("paper: --protocol %q: want paper, random-rate or both", *protocol)
	}
	shard, nShards, err := parseShard(*shardFlag)
	if err != nil {
		return err
	}
	seedsSet := false
	fs.Visit(func(f *flag.Flag) { seedsSet = seedsSet || f.Name == "seeds" })
	tc := train.DefaultConfig()
	sizes := synth.Sizes{}
	kinds := []synth.Kind{synth.MOSI, synth.POM, synth.IEMOCAP}
	if *quick {
		tc.Epochs, tc.Patience = 5, 3
		sizes = synth.Sizes{Train: 300, Valid: 100, Test: 200}
		kinds = []synth.Kind{synth.MOSI}
		if !seedsSet {
			*seeds = 2
		}
	}
	switch *dataset {
	case "", "all":
		if *dataset == "all" {
			kinds = []synth.Kind{synth.MOSI, synth.POM, synth.IEMOCAP}
		}
	case "mosi", "pom", "iemocap":
		kinds = []synth.Kind{synth.Kind(*dataset)}
	default:
		return usagef("paper: --dataset %q: want mosi, pom, iemocap or all", *dataset)
	}
	if err := checkRunDir(*out); err != nil {
		return err
	}
	datasets := map[string]*data.Dataset{}
	var names []string
	if *dataPath != "synth" {
		kinds = nil // the file, not the generator
		emotions := []string{""}
		if *dataset == "iemocap" {
			emotions = synth.Emotions
		}
		for _, e := range emotions {
			opt := release.apply(load.Options{Emotion: e})
			if *dataset != "iemocap" {
				opt.Kind = *dataset
			}
			ds, err := openDataset(*dataPath, opt)
			if err != nil {
				return fmt.Errorf("paper: --data: %w", err)
			}
			name := *dataset
			if e != "" {
				name += "-" + e
			}
			printDataNotes(stdout, "data "+name+": ", ds)
			datasets[name] = ds
			names = append(names, name)
		}
	}
	params, err := synth.ParseParams(*synthParams)
	if err != nil {
		return usagef("paper: --synth-params: %v", err)
	}
	if *synthParams != "" && *dataPath != "synth" {
		return usagef("paper: --synth-params shapes the synthetic benchmark (--data synth), not a file")
	}
	for _, k := range kinds {
		dss, err := synth.Generate(synth.Config{Kind: k, Seed: 1, Frames: true, Sizes: sizes, Params: &params})
		if err != nil {
			return err
		}
		for i, ds := range dss {
			name := string(k)
			if k == synth.IEMOCAP {
				name += "-" + synth.Emotions[i]
			}
			datasets[name] = ds
			names = append(names, name)
		}
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("paper: %w", err)
	}
	settings := paperSettings{Data: *dataPath, Quick: *quick, Search: *search, Protocol: *protocol, Split: *release.split,
		Text: *release.text, Embeddings: *release.embeddings, SeqLen: *release.seqLen, SynthParams: *synthParams, OursForm: oursForm}
	if err := writeSettings(*out, settings); err != nil {
		return err
	}
	store, err := runstore.Open(filepath.Join(*out, "runs.log"))
	if err != nil {
		return fmt.Errorf("paper: %w", err)
	}
	defer store.Close()
	var mine []experiment.Trial // this shard's trials
	index := 0
	for _, name := range names {
		for _, sys := range runSystems {
			for s := 1; s <= *seeds; s++ {
				index++
				if (index-1)%nShards == shard {
					t := experiment.Trial{System: sys, Dataset: name, Seed: uint64(s)}
					if *protocol != "paper" {
						t.Protocol = *protocol
					}
					mine = append(mine, t)
				}
			}
		}
	}
	pool := trialPool{store: store, datasets: datasets, tc: tc, workers: *workers, quiet: *quiet, stdout: stdout}
	var failed []string
	if *search > 0 {
		// Phase 1: each searched (dataset, system) of this shard tries N
		// settings, trained with one seed and scored on validation.
		var searchTrials []experiment.Trial
		seen := map[string]bool{}
		for _, t := range mine {
			pair := t.Dataset + "/" + t.System
			if !experiment.Searched(t.System) || seen[pair] {
				continue
			}
			seen[pair] = true
			seed := experiment.SearchSeed(t.Dataset, t.System)
			for i, st := range experiment.SampleSettings(*search, seed) {
				st := st
				searchTrials = append(searchTrials, experiment.Trial{System: t.System, Dataset: t.Dataset, Seed: seed, Setting: &st, Search: i + 1})
			}
		}
		f, err := pool.run(ctx, "search", searchTrials)
		if err != nil {
			return err
		}
		failed = append(failed, f...)
		// Phase 2 uses each pair's best setting.
		bySearch := map[string][]*experiment.Result{}
		all, err := readResults(store.Records())
		if err != nil {
			return err
		}
		for _, r := range all {
			if r.Search > 0 {
				bySearch[r.Dataset+"/"+r.System] = append(bySearch[r.Dataset+"/"+r.System], r)
			}
		}
		var ready []experiment.Trial
		for _, t := range mine {
			if experiment.Searched(t.System) {
				best, err := experiment.Best(bySearch[t.Dataset+"/"+t.System])
				if err != nil { // every setting failed: the failures are listed below
					continue
				}
				t.Setting = best.Setting
			}
			ready = append(ready, t)
		}
		mine = ready
	}
	f, err := pool.run(ctx, "trials", mine)
	if err != nil {
		return err
	}
	failed = append(failed, f...)
	results, err := readResults(store.Records())
	if err != nil {
		return err
	}
	if err := writePaperOutputs(*out, settings, results, stdout); err != nil {
		return err
	}
	if len(failed) > 0 {
		sort.Strings(failed)
		for _, f := range failed {
			fmt.Fprintln(stdout, "failed:", f)
		}
		return fmt.Errorf("paper: %d trials failed (not recorded; a rerun retries them)", len(failed))
	}
	return nil
}

// trialPool runs trials on workers, recording each in the store as it
// finishes.
type trialPool struct {
	store    *runstore.Store
	datasets map[string]*data.Dataset
	tc       train.Config
	workers  int
	quiet    bool
	stdout   io.Writer
}

// run runs the trials not yet recorded and returns the failures; the error
// is for an interrupted run.
func (p trialPool) run(ctx context.Context, what string, trials []experiment.Trial) ([]string, error) {
	var todo []experiment.Trial
	for _, t := range trials {
		if !p.store.Has(t.Key()) {
			todo = append(todo, t)
		}
	}
	count := fmt.Sprintf("%d %s", len(trials), what)
	if what == "trials" {
		count = plural(len(trials), "trial", "trials")
	}
	fmt.Fprintf(p.stdout, "%s, %d already recorded in %s, %d to run on %s\n", count, len(trials)-len(todo), p.store.Path(), len(todo), plural(p.workers, "worker", "workers"))
	bar := newProgress(len(todo), what, p.quiet)
	var mu sync.Mutex
	var failed []string
	running := 0
	jobs := make(chan experiment.Trial)
	var wg sync.WaitGroup
	for range p.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range jobs {
				mu.Lock()
				running++
				bar.Describe(fmt.Sprintf("%s (%d running, %d failed)", what, running, len(failed)))
				mu.Unlock()
				res, err := experiment.Run(ctx, t, p.datasets[t.Dataset], p.tc) // its errors name the trial
				if err == nil {
					if err = p.store.Append(t.Key(), res); err != nil {
						err = fmt.Errorf("%s: %w", t.Key(), err)
					}
				}
				mu.Lock()
				running--
				outcome := "done"
				if err != nil {
					failed = append(failed, err.Error())
					outcome = "failed"
				}
				bar.Step(fmt.Sprintf("%s %s (%d running, %d failed)", t.Key(), outcome, running, len(failed)))
				mu.Unlock()
			}
		}()
	}
	for _, t := range todo {
		if ctx.Err() != nil {
			break
		}
		jobs <- t
	}
	close(jobs)
	wg.Wait()
	bar.Finish()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("paper: interrupted; finished trials are recorded, rerun to resume: %w", err)
	}
	return failed, nil
}

// parseShard reads --shard "i/n" ("" is the whole run, 0/1).
func parseShard(v string) (i, n int, err error) {
	if v == "" {
		return 0, 1, nil
	}
	a, b, ok := strings.Cut(v, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return 0, 0, usagef("paper: --shard %q: want i/n with 0 <= i < n, such as 0/4", v)
	}
	return i, n, nil
}

// paperSettings are the settings that shape a run's report; shards merged
// into one report must agree on them.
type paperSettings struct {
	Data   string `json:"data"`
	Quick  bool   `json:"quick"`
	Search int    `json:"search"`
	// Protocol is paper, random-rate or both (empty in stores made before
	// it).
	Protocol string `json:"protocol,omitempty"`
	// Split is the bc-LSTM release's split (empty: its default, release).
	Split string `json:"split,omitempty"`
	// Text, Embeddings and SeqLen say how transcripts were read (empty: the
	// data's own text).
	Text       string `json:"text,omitempty"`
	Embeddings string `json:"embeddings,omitempty"`
	SeqLen     int    `json:"seq_len,omitempty"`
	// SynthParams are the synthetic generator's parameters (empty: its
	// defaults).
	SynthParams string `json:"synth_params,omitempty"`
	// OursForm is the reading of Ours behind the run's "ours" trials:
	// oursForm (issue 11's fixes); empty in stores made before them, whose
	// "ours" trials are today's ours-literal and must not be mixed with new
	// ones.
	OursForm string `json:"ours_form,omitempty"`
}

// oursForm is paperSettings.OursForm for runs of this version.
const oursForm = "issue-11"

const settingsFile = "paper.json"

// String describes the settings as flags.
func (s paperSettings) String() string {
	out := "--data " + s.Data
	if s.Quick {
		out += " --quick"
	}
	if s.Search > 0 {
		out += fmt.Sprintf(" --search %d", s.Search)
	}
	if s.Protocol != "" && s.Protocol != "paper" {
		out += " --protocol " + s.Protocol
	}
	if s.Split != "" {
		out += " --split " + s.Split
	}
	if s.Text != "" {
		out += " --text " + s.Text
	}
	if s.Embeddings != "" {
		out += " --embeddings " + s.Embeddings
	}
	if s.SeqLen != 0 {
		out += fmt.Sprintf(" --seq-len %d", s.SeqLen)
	}
	if s.SynthParams != "" {
		out += " --synth-params " + s.SynthParams
	}
	return out
}

// checkRunDir reports whether dir can hold a paper run: it does not exist,
// is empty, or holds an earlier run (its paper.json readable) to resume.
// Anything else is refused, so that no one's files are overwritten.
func checkRunDir(dir string) error {
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("paper: --out: %w", err)
	}
	if !fi.IsDir() {
		return usagef("paper: --out %s is a file; want a directory (new, empty, or an earlier run's to resume)", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("paper: --out: %w", err)
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := readSettings(dir); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return usagef("paper: --out %s holds files but no %s, so it is not a modistill paper run; choose a new directory", dir, settingsFile)
		}
		return usagef("paper: --out %s: %v; it cannot be resumed safely (move it aside, or use a new directory)", dir, err)
	}
	return nil
}

func writeSettings(dir string, s paperSettings) error {
	path := filepath.Join(dir, settingsFile)
	old, err := readSettings(dir)
	switch {
	case err == nil && old.OursForm != s.OursForm:
		return usagef("paper: %s was made before issue 11 changed Ours (its ours trials are today's ours-literal) and cannot be resumed by this version; use a fresh --out", dir)
	case err == nil && old != s:
		return usagef("paper: %s was made with other settings (%v, not %v); use a fresh --out", dir, old, s)
	case err == nil:
		return nil
	case !errors.Is(err, fs.ErrNotExist):
		return usagef("paper: %v; not resuming", err)
	}
	b, _ := json.MarshalIndent(s, "", "  ")
	return atomicfile.WriteNew(path, append(b, '\n'))
}

func readSettings(dir string) (paperSettings, error) {
	var s paperSettings
	b, err := os.ReadFile(filepath.Join(dir, settingsFile))
	if err != nil {
		return s, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil || s.Data == "" {
		if err == nil {
			err = errors.New("no data field")
		}
		return s, fmt.Errorf("%s is corrupt: %v", filepath.Join(dir, settingsFile), err)
	}
	if s.Protocol == "" { // stores made before --protocol
		s.Protocol = "paper"
	}
	return s, nil
}

// writePaperOutputs writes report.md and results.csv for results.
// Search trials are left out: they were scored on validation only.
func writePaperOutputs(out string, settings paperSettings, all []*experiment.Result, stdout io.Writer) error {
	var results []*experiment.Result
	for _, r := range all {
		if r.Search == 0 {
			results = append(results, r)
		}
	}
	proto := "protocol: the paper's fixed conditions, complete input and the six incomplete modality subsets (the fixed conditions of MMIN and CorrKD too)"
	rate := "random missing rate (MMSA, LNLN), every modality given with each frame or token (or utterance vector) masked with probability r, the same masks for every system"
	switch settings.Protocol {
	case experiment.RandomRate:
		proto = "protocol: " + rate
	case experiment.Both:
		proto = "protocols: each trial trained once and scored under the paper's fixed conditions (complete input and the six incomplete modality subsets) and under the " + rate
	}
	hp := "each trained system with its defaults"
	if settings.Search > 0 {
		hp = fmt.Sprintf("each trained system with the best of %d random settings of the grid on the validation split (seed-independent; results.csv gives the setting)", settings.Search)
	}
	seeds := map[uint64]bool{}
	for _, r := range results {
		seeds[r.Seed] = true
	}
	names := experiment.DatasetsOf(results)
	title, caveat := "on the synthetic benchmark", "The data is synthetic, so the paper's own numbers are not beside these: they measure other data."
	if settings.Data != "synth" {
		title, caveat = "on "+filepath.Base(settings.Data), "Rows marked (paper) are the paper's own numbers as printed (accuracies and F1 in percent), meaningful only if the file is the paper's dataset; single runs drift (METHOD.md)."
		if f, err := load.Sniff(settings.Data); err == nil && f == load.BCLSTMRelease {
			split := releaseSplitText
			if settings.Split == load.StandardSplit {
				split = "the standard folds (leaky for the text-CNN and visual features: see the README)"
			}
			caveat += " The features are not the paper's: here the bc-LSTM release's COVAREP audio (73-d), 3D-CNN visual (100-d) and, for text, " +
				map[string]string{"cnn": "its text-CNN vectors (100-d)", "glove": "GloVe word vectors", load.TextNgrams: "bags of n-grams of the transcripts"}[load.ReleaseText(load.Options{Text: settings.Text, Embeddings: settings.Embeddings})] +
				", on " + split +
				"; the paper's were COVAREP (74-d), FACET (46-d) and GloVe (300-d) on the standard folds (1284/229/686), with selection it does not describe. " +
				"Acc-2 (y >= 0) is accuracy on the release's own binary labels (checked to agree on every segment)."
		}
	}
	header := fmt.Sprintf("# The paper's tables %s\n\n"+
		"modistill paper %s: %s on %s (%s), %s, test split, %s; %s; each cell the mean ± standard deviation over seeds "+
		"(svm and strh are fitted without randomness, so their deviation is 0; \"(n of m)\" where only n of m seeds gave a defined value, \"n/a\" where none did). "+
		"Accuracies and F1 are in percent (results.csv keeps fractions). "+
		"MOSI's Acc-2 and F1 are the y >= 0 variant (the paper's); results.csv also has the non-zero variant. "+
		"%s\n", title, settings, plural(len(results), "trial", "trials"), plural(len(names), "dataset", "datasets"), strings.Join(names, ", "),
		plural(len(seeds), "seed", "seeds"), proto, hp, caveat)
	withPaper := settings.Data != "synth" && settings.Protocol != experiment.RandomRate
	if err := experiment.WriteReport(filepath.Join(out, "report.md"), header, results, withPaper); err != nil {
		return err
	}
	if err := experiment.WriteCSV(filepath.Join(out, "results.csv"), results); err != nil {
		return err
	}
	plots, err := experiment.WritePlots(filepath.Join(out, "plots"), results)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s, %s and %d charts in %s\n", filepath.Join(out, "report.md"), filepath.Join(out, "results.csv"), len(plots), filepath.Join(out, "plots"))
	return nil
}

// releaseSplitText describes the bc-LSTM release's own split.
const releaseSplitText = "the release's split (training videos 1-52, validation 53-62, test 63-93: 1229/218/752 segments)"

// readResults decodes the store's records.
func readResults(recs []runstore.Record) ([]*experiment.Result, error) {
	var out []*experiment.Result
	for _, r := range recs {
		var res experiment.Result
		if err := json.Unmarshal(r.Data, &res); err != nil {
			return nil, fmt.Errorf("paper: record %s: %w", r.Key, err)
		}
		out = append(out, &res)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Dataset != b.Dataset {
			return a.Dataset < b.Dataset
		}
		if a.System != b.System {
			return a.System < b.System
		}
		return a.Seed < b.Seed
	})
	return out, nil
}
