package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"

	"github.com/modistill/modistill/data/load"
	"github.com/modistill/modistill/experiment"
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
	for _, c := range []struct {
		name      string
		v, lo, hi int
	}{{"seeds", *seeds, 1, 1000}, {"workers", *workers, 1, 1024}, {"search", *search, 0, 10000}} {
		if err := intFlagInRange("paper", c.name, c.v, c.lo, c.hi); err != nil {
			return err
		}
	}
	if err := experiment.CheckProtocol(*protocol); err != nil {
		return paperError("--protocol", err)
	}
	p := experiment.Paper{Seeds: *seeds, Workers: *workers, Log: stdout, Settings: experiment.Settings{Data: *dataPath, Quick: *quick,
		Search: *search, Protocol: *protocol, Split: *release.split, Text: *release.text, Embeddings: *release.embeddings,
		SeqLen: *release.seqLen, SynthParams: *synthParams, OursForm: experiment.OursForm}}
	var err error
	if p.Systems, err = experiment.ParseSystems(*systemList); err != nil {
		return paperError("--systems", err)
	}
	if p.Shard, p.Shards, err = parseShard(*shardFlag); err != nil {
		return err
	}
	if *quick && !flagGiven(fs, "seeds") {
		p.Seeds = 2
	}
	if err := experiment.CheckDir(*out); err != nil {
		return paperError("--out", err)
	}
	if p.Datasets, p.Names, err = p.Settings.Datasets(*dataset, release.apply(load.Options{})); err != nil {
		return paperError("--data", err)
	}
	for _, name := range p.Names {
		printDataNotes(stdout, "data "+name+": ", p.Datasets[name])
	}
	if !*quiet {
		p.Progress = func(total int, what string) experiment.Progress { return newProgress(total, what, false) }
	}
	return paperError("", p.Run(ctx, *out))
}

// paperError turns a run's errors into the command's: what the user gave
// wrong (flag, when it names one) is a usage error.
func paperError(name string, err error) error {
	var ie *experiment.InputError
	var oe *load.OptionError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ie) && name != "" && !strings.HasPrefix(ie.Msg, "--"):
		return usagef("paper: %s %v", name, err)
	case errors.As(err, &ie), errors.As(err, &oe):
		return usagef("paper: %v", err)
	case name != "":
		return fmt.Errorf("paper: %s: %w", name, err)
	}
	return fmt.Errorf("paper: %w", err)
}

// flagGiven reports whether the flag name was set on the command line.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
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
