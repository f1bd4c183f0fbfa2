package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/synth"
	"github.com/modistill/modistill/experiment"
	"github.com/modistill/modistill/runstore"
	"github.com/modistill/modistill/train"
	"github.com/schollz/progressbar/v3"
)

func runPaper(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("paper")
	dataPath := fs.String("data", "synth", "the data: synth (the synthetic benchmark; real dataset files come later)")
	dataset := fs.String("dataset", "", "mosi, pom, iemocap or all (default: mosi with --quick, all otherwise)")
	seeds := fs.Int("seeds", 5, "seeds per system (--quick: 2)")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "trials run in parallel")
	quick := fs.Bool("quick", false, "a small version: small synthetic splits, 5 epochs")
	out := fs.String("out", "", "directory for runs.log, results.csv and report.md")
	quiet := fs.Bool("quiet", false, "no progress bar")
	systemList := fs.String("systems", "", "comma-separated systems to run (default: every row of Tables 1-3)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("paper: --out is required")
	}
	if *dataPath != "synth" {
		return usagef("paper: --data %q: only the synthetic benchmark (synth) is supported so far", *dataPath)
	}
	if *seeds < 1 || *workers < 1 {
		return usagef("paper: --seeds and --workers must be at least 1")
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
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("paper: %w", err)
	}
	datasets := map[string]*data.Dataset{}
	var names []string
	for _, k := range kinds {
		dss, err := synth.Generate(synth.Config{Kind: k, Seed: 1, Frames: true, Sizes: sizes})
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
	store, err := runstore.Open(filepath.Join(*out, "runs.log"))
	if err != nil {
		return fmt.Errorf("paper: %w", err)
	}
	defer store.Close()
	var todo []experiment.Trial
	total := 0
	for _, name := range names {
		for _, sys := range runSystems {
			for s := 1; s <= *seeds; s++ {
				t := experiment.Trial{System: sys, Dataset: name, Seed: uint64(s)}
				total++
				if !store.Has(t.Key()) {
					todo = append(todo, t)
				}
			}
		}
	}
	fmt.Fprintf(stdout, "%d trials, %d already recorded in %s, %d to run on %d workers\n", total, total-len(todo), filepath.Join(*out, "runs.log"), len(todo), *workers)
	var bar *progressbar.ProgressBar
	if !*quiet {
		bar = progressbar.NewOptions(len(todo), progressbar.OptionSetWriter(os.Stderr), progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true), progressbar.OptionSetDescription("trials"))
	}
	var mu sync.Mutex
	var failed []string
	jobs := make(chan experiment.Trial)
	var wg sync.WaitGroup
	for range *workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range jobs {
				res, err := experiment.Run(ctx, t, datasets[t.Dataset], tc)
				if err == nil {
					err = store.Append(t.Key(), res)
				}
				mu.Lock()
				if err != nil {
					failed = append(failed, fmt.Sprintf("%s: %v", t.Key(), err))
				}
				if bar != nil {
					bar.Describe(fmt.Sprintf("trials (%d failed)", len(failed)))
					bar.Add(1)
				}
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
	if bar != nil {
		bar.Finish()
		fmt.Fprintln(os.Stderr)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("paper: interrupted; finished trials are recorded, rerun to resume: %w", err)
	}
	results, err := readResults(store.Records())
	if err != nil {
		return err
	}
	header := fmt.Sprintf("# The paper's tables on the synthetic benchmark\n\n"+
		"modistill paper --data synth%s: %d datasets (%v), %d seeds per system, test split; each cell the mean ± standard deviation over seeds. "+
		"MOSI's Acc-2 and F1 are the y >= 0 variant (the paper's); results.csv also has the non-zero variant. "+
		"The data is synthetic, so the paper's own numbers are not beside these: they measure other data.\n",
		map[bool]string{true: " --quick", false: ""}[*quick], len(names), names, *seeds)
	if err := experiment.WriteReport(filepath.Join(*out, "report.md"), header, results); err != nil {
		return err
	}
	if err := experiment.WriteCSV(filepath.Join(*out, "results.csv"), results); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s and %s\n", filepath.Join(*out, "report.md"), filepath.Join(*out, "results.csv"))
	if len(failed) > 0 {
		sort.Strings(failed)
		for _, f := range failed {
			fmt.Fprintln(stdout, "failed:", f)
		}
		return fmt.Errorf("paper: %d trials failed (not recorded; a rerun retries them)", len(failed))
	}
	return nil
}

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
	return out, nil
}
