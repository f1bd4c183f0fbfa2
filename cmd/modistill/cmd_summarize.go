package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/evaluate"
)

// evalFileName is SYSTEM-SEED.json, as scripts/compare_separable.sh writes.
var evalFileName = regexp.MustCompile(`^(.+)-(\d+)\.json$`)

func runSummarize(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("summarize")
	dir := fs.String("in", "", "directory of eval JSON files named SYSTEM-SEED.json")
	metricList := fs.String("metrics", "mae,corr,acc2,acc7", "comma-separated metrics to tabulate")
	order := fs.String("systems", "", "comma-separated systems in table order (default: sorted)")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if *dir == "" {
		return usagef("summarize: --in is required")
	}
	entries, err := os.ReadDir(*dir)
	if err != nil {
		return fmt.Errorf("summarize: %w", err)
	}
	// values[system][subset][metric] over seeds
	values := map[string]map[string]map[string][]float64{}
	seeds := map[string]int{}
	known := map[string]bool{} // metrics found
	var first, firstTask, firstSplit string
	for _, e := range entries {
		m := evalFileName.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		path := filepath.Join(*dir, e.Name())
		b, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("summarize: %w", err)
		}
		var r evalOutput
		if err := json.Unmarshal(b, &r); err != nil || r.System == "" || len(r.Results) == 0 {
			why := "it has no system and results"
			if err != nil {
				why = err.Error()
			}
			return usagef("summarize: %s is not the output of 'modistill eval --json' (%s)", path, why)
		}
		if first == "" {
			first, firstTask, firstSplit = path, r.Task, r.Split
		} else if r.Task != firstTask || r.Split != firstSplit {
			return usagef("summarize: %s is a %s result on the %s split, %s a %s result on the %s split; summarize one task and split at a time",
				path, r.Task, r.Split, first, firstTask, firstSplit)
		}
		sys := m[1]
		seeds[sys]++
		if values[sys] == nil {
			values[sys] = map[string]map[string][]float64{}
		}
		for subset, scores := range r.Results {
			if values[sys][subset] == nil {
				values[sys][subset] = map[string][]float64{}
			}
			for k, v := range scores {
				values[sys][subset][k] = append(values[sys][subset][k], v)
				known[k] = true
			}
		}
	}
	if len(values) == 0 {
		return usagef("summarize: no SYSTEM-SEED.json files in %s (eval --json outputs named like ours-1.json)", *dir)
	}
	sortedKeys := func(m map[string]bool) string {
		var k []string
		for n := range m {
			k = append(k, n)
		}
		sort.Strings(k)
		return strings.Join(k, ", ")
	}
	var systemsOrder []string
	if *order != "" {
		systemsOrder = strings.Split(*order, ",")
		have := map[string]bool{}
		for s := range values {
			have[s] = true
		}
		for _, s := range systemsOrder {
			if !have[s] {
				return usagef("summarize: --systems: no files for system %q in %s (found: %s)", s, *dir, sortedKeys(have))
			}
		}
	} else {
		for s := range values {
			systemsOrder = append(systemsOrder, s)
		}
		sort.Strings(systemsOrder)
	}
	metricsWanted := strings.Split(*metricList, ",")
	for _, metric := range metricsWanted {
		if !known[metric] {
			return usagef("summarize: --metrics: %q is not a metric of these files (they have: %s)", metric, sortedKeys(known))
		}
	}
	for _, metric := range metricsWanted {
		fmt.Fprintf(stdout, "\n%s, mean ± standard deviation over seeds\n\n| system (seeds) |", evaluate.Label(metric))
		for _, use := range data.Subsets {
			fmt.Fprintf(stdout, " %s |", data.SubsetName(use))
		}
		fmt.Fprint(stdout, "\n| --- |")
		for range data.Subsets {
			fmt.Fprint(stdout, " ---: |")
		}
		fmt.Fprintln(stdout)
		for _, sys := range systemsOrder {
			fmt.Fprintf(stdout, "| %s (%d) |", sys, seeds[sys])
			for _, use := range data.Subsets {
				fmt.Fprintf(stdout, " %s |", evaluate.Summarize(values[sys][data.SubsetName(use)][metric]).Format(metric))
			}
			fmt.Fprintln(stdout)
		}
	}
	return nil
}
