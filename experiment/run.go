package experiment

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/load"
	"github.com/modistill/modistill/data/synth"
	"github.com/modistill/modistill/experiment/runstore"
	"github.com/modistill/modistill/systems"
	"github.com/modistill/modistill/tensor"
	"github.com/modistill/modistill/train"
)

// Paper is one run of the paper's tables: every system of Systems trained
// with Seeds seeds on each dataset, after a search of Settings.Search
// settings per trained system and dataset when it is above 0. Its trials
// have a fixed order, so that a run can be split into shards (trial
// Shard, Shard+Shards, ...) run apart and merged with Merge.
type Paper struct {
	Settings Settings
	// Datasets holds the data by name; Names is their order.
	Datasets map[string]*data.Dataset
	Names    []string
	Systems  []string
	Seeds    int
	// Shard of Shards is the part of the trials this run runs (0 of 1: all).
	Shard, Shards int
	// Train is how trained systems are trained (zero:
	// Settings.TrainConfig()).
	Train train.Config
	// Workers trials run at once.
	Workers int
	// Log receives what the run says (what it will run, what it wrote);
	// Progress, when not nil, shows each phase's trials as they finish.
	Log      io.Writer
	Progress func(total int, what string) Progress
}

// Progress shows how far a phase of a run has come.
type Progress interface {
	// Describe says what is running, without a step.
	Describe(desc string)
	// Step counts one trial finished, described by desc.
	Step(desc string)
	// Finish ends the display.
	Finish()
}

// Run runs the trials of p not yet recorded in the run directory dir (made
// if need be, or resumed: see CheckDir), then writes the report of every
// trial recorded there. A trial that fails is not recorded, so a rerun
// retries it; the error then lists the failures.
func (p Paper) Run(ctx context.Context, dir string) error {
	store, err := openDir(dir, p.Settings)
	if err != nil {
		return err
	}
	defer store.Close()
	if p.Train == (train.Config{}) {
		p.Train = p.Settings.TrainConfig()
	}
	r := runner{Paper: p, store: store}
	trials := p.Trials()
	var failed []string
	if p.Settings.Search > 0 {
		// Phase 1: each searched (dataset, system) of this shard tries N
		// settings, trained with one seed and scored on validation.
		f, err := r.run(ctx, "search", SearchTrials(trials, p.Settings.Search))
		if err != nil {
			return err
		}
		failed = append(failed, f...)
		// Phase 2 uses each pair's best setting.
		all, err := ReadResults(store.Records())
		if err != nil {
			return err
		}
		trials = WithBest(trials, all)
	}
	f, err := r.run(ctx, "trials", trials)
	if err != nil {
		return err
	}
	failed = append(failed, f...)
	results, err := ReadResults(store.Records())
	if err != nil {
		return err
	}
	if err := WriteOutputs(dir, p.Settings, results, p.Log); err != nil {
		return err
	}
	if len(failed) > 0 {
		sort.Strings(failed)
		for _, f := range failed {
			fmt.Fprintln(p.Log, "failed:", f)
		}
		return fmt.Errorf("%d trials failed (not recorded; a rerun retries them)", len(failed))
	}
	return nil
}

// Trials are this shard's trials, with each system's defaults: datasets
// in order, then systems, then seeds 1 to Seeds. A system whose fit does
// not depend on the seed (systems.Deterministic: SVM, STRH) is fitted once,
// with seed 1, and reported without a spread.
func (p Paper) Trials() []Trial {
	shards := max(p.Shards, 1)
	var mine []Trial
	index := 0
	for _, name := range p.Names {
		for _, sys := range p.Systems {
			seeds := p.Seeds
			if systems.Deterministic(sys) {
				seeds = 1
			}
			for s := 1; s <= seeds; s++ {
				index++
				if (index-1)%shards == p.Shard {
					t := Trial{System: sys, Dataset: name, Seed: uint64(s)}
					if p.Settings.Protocol != "paper" {
						t.Protocol = p.Settings.Protocol
					}
					mine = append(mine, t)
				}
			}
		}
	}
	return mine
}

// SearchTrials are the search trials for trials: n settings of the grid for
// each searched (dataset, system) among them, trained with the pair's
// search seed.
func SearchTrials(trials []Trial, n int) []Trial {
	var out []Trial
	seen := map[string]bool{}
	for _, t := range trials {
		pair := t.Dataset + "/" + t.System
		if !systems.Tunable(t.System) || seen[pair] {
			continue
		}
		seen[pair] = true
		seed := SearchSeed(t.Dataset, t.System)
		for i, st := range SampleSettings(n, seed) {
			out = append(out, Trial{System: t.System, Dataset: t.Dataset, Seed: seed, Setting: &st, Search: i + 1})
		}
	}
	return out
}

// WithBest gives each trial of a searched system the best setting of its
// (dataset, system) among the search results in results; a trial whose
// every search trial failed is left out (the failures are reported where
// they happened).
func WithBest(trials []Trial, results []*Result) []Trial {
	bySearch := map[string][]*Result{}
	for _, r := range results {
		if r.Search > 0 {
			bySearch[r.Dataset+"/"+r.System] = append(bySearch[r.Dataset+"/"+r.System], r)
		}
	}
	var ready []Trial
	for _, t := range trials {
		if systems.Tunable(t.System) { // SVM and STRH choose their own settings when fitted
			best, err := Best(bySearch[t.Dataset+"/"+t.System])
			if err != nil {
				continue
			}
			t.Setting = best.Setting
		}
		ready = append(ready, t)
	}
	return ready
}

// runner runs a Paper's trials on its workers, recording each in the store
// as it finishes.
type runner struct {
	Paper
	store *runstore.Store
}

// run runs the trials not yet recorded and returns the failures; the error
// is for an interrupted run.
func (p runner) run(ctx context.Context, what string, trials []Trial) ([]string, error) {
	var todo []Trial
	for _, t := range trials {
		if !p.store.Has(t.Key()) {
			todo = append(todo, t)
		}
	}
	count := fmt.Sprintf("%d %s", len(trials), what)
	if what == "trials" {
		count = plural(len(trials), "trial", "trials")
	}
	workers := max(p.Workers, 1)
	fmt.Fprintf(p.Log, "%s, %d already recorded in %s, %d to run on %s\n", count, len(trials)-len(todo), p.store.Path(), len(todo), plural(workers, "worker", "workers"))
	var bar Progress = silent{}
	if p.Progress != nil {
		bar = p.Progress(len(todo), what)
	}
	var mu sync.Mutex
	var failed []string
	running := 0
	// The cores go to trials first: with r trials running, each operation
	// may use GOMAXPROCS/r goroutines (results do not depend on it).
	procs := runtime.GOMAXPROCS(0)
	defer tensor.SetThreads(tensor.SetThreads(0))
	jobs := make(chan Trial)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range jobs {
				mu.Lock()
				running++
				tensor.SetThreads(max(1, procs/running))
				bar.Describe(fmt.Sprintf("%s (%d running, %d failed)", what, running, len(failed)))
				mu.Unlock()
				res, err := Run(ctx, t, p.Datasets[t.Dataset], p.Train) // its errors name the trial
				if err == nil {
					if err = p.store.Append(t.Key(), res); err != nil {
						err = fmt.Errorf("%s: %w", t.Key(), err)
					}
				}
				mu.Lock()
				running--
				tensor.SetThreads(max(1, procs/max(running, 1)))
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
		return nil, fmt.Errorf("interrupted; finished trials are recorded, rerun to resume: %w", err)
	}
	return failed, nil
}

// silent is the Progress that shows nothing.
type silent struct{}

func (silent) Describe(string) {}
func (silent) Step(string)     {}
func (silent) Finish()         {}

// ParseSystems reads a comma-separated list of the paper's rows ("": every
// row of Tables 1-3).
func ParseSystems(list string) ([]string, error) {
	if list == "" {
		return SystemsFor(), nil
	}
	known := map[string]bool{}
	for _, s := range SystemsFor() {
		known[s] = true
	}
	var out []string
	for _, s := range strings.Split(list, ",") {
		s = strings.TrimSpace(s)
		if !known[s] {
			return nil, inputErrorf("%q is not a row of the paper's tables (want some of %s)", s, strings.Join(SystemsFor(), ", "))
		}
		out = append(out, s)
	}
	return out, nil
}

// CheckProtocol reports whether protocol is one of paper, RandomRate and
// Both.
func CheckProtocol(protocol string) error {
	if protocol != "paper" && protocol != RandomRate && protocol != Both {
		return inputErrorf("%q: want paper, random-rate or both", protocol)
	}
	return nil
}

// QuickSizes are the synthetic splits of a quick run (--quick).
var QuickSizes = synth.Sizes{Train: 300, Valid: 100, Test: 200}

// TrainConfig is how a run with settings s trains: train's defaults, or 5
// epochs with patience 3 for a quick run.
func (s Settings) TrainConfig() train.Config {
	tc := train.DefaultConfig()
	if s.Quick {
		tc.Epochs, tc.Patience = 5, 3
	}
	return tc
}

// Datasets opens the data of a run with settings s: the file s.Data holds
// (as dataset mosi, pom or iemocap, the last one dataset per emotion, with
// opt's reading of it), or the synthetic benchmark's datasets (dataset ""
// or "all": MOSI alone on a quick run, else all three). It returns the
// datasets by name and their order.
func (s Settings) Datasets(dataset string, opt load.Options) (map[string]*data.Dataset, []string, error) {
	switch dataset {
	case "", "all", "mosi", "pom", "iemocap":
	default:
		return nil, nil, inputErrorf("--dataset %q: want mosi, pom, iemocap or all", dataset)
	}
	datasets := map[string]*data.Dataset{}
	var names []string
	if s.Data != "synth" {
		if dataset == "" || dataset == "all" {
			return nil, nil, inputErrorf("--data %s: say which dataset the file holds with --dataset mosi, pom or iemocap", s.Data)
		}
		emotions := []string{""}
		if dataset == "iemocap" {
			emotions = synth.Emotions
		}
		if s.SynthParams != "" {
			return nil, nil, inputErrorf("--synth-params shapes the synthetic benchmark (--data synth), not a file")
		}
		for _, e := range emotions {
			o := opt
			o.Emotion = e
			if dataset != "iemocap" {
				o.Kind = dataset
			}
			ds, err := load.Open(s.Data, o)
			if err != nil {
				return nil, nil, err
			}
			name := dataset
			if e != "" {
				name += "-" + e
			}
			datasets[name] = ds
			names = append(names, name)
		}
		return datasets, names, nil
	}
	kinds := []synth.Kind{synth.MOSI, synth.POM, synth.IEMOCAP}
	sizes := synth.Sizes{}
	if s.Quick {
		sizes, kinds = QuickSizes, []synth.Kind{synth.MOSI}
	}
	switch dataset {
	case "all":
		kinds = []synth.Kind{synth.MOSI, synth.POM, synth.IEMOCAP}
	case "mosi", "pom", "iemocap":
		kinds = []synth.Kind{synth.Kind(dataset)}
	}
	params, err := synth.ParseParams(s.SynthParams)
	if err != nil {
		return nil, nil, inputErrorf("--synth-params: %v", err)
	}
	for _, k := range kinds {
		dss, err := synth.Generate(synth.Config{Kind: k, Seed: 1, Frames: true, Sizes: sizes, Params: &params})
		if err != nil {
			return nil, nil, err
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
	return datasets, names, nil
}
