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
	"gonum.org/v1/gonum/stat"
)

// evalFileName is SYSTEM-SEED.json, as scripts/compare_separable.sh writes.
var evalFileName = regexp.MustCompile(`^(.+)-(\d+)\.json$`)

func runSummarize(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("summarize")
	dir := fs.String("in", "", "directory of eval JSON files named SYSTEM-SEED.json")
	metricList := fs.String("metrics", "mae,corr,acc2,acc7", "comma-separated metrics to tabulate")
	order := fs.String("systems", "", "comma-separated systems in table order (default: sorted)")
	if err := parseFlags(fs, args); err != nil {
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
	for _, e := range entries {
		m := evalFileName.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join(*dir, e.Name()))
		if err != nil {
			return fmt.Errorf("summarize: %w", err)
		}
		var r evalOutput
		if err := json.Unmarshal(b, &r); err != nil {
			return fmt.Errorf("summarize: %s: %w", e.Name(), err)
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
			}
		}
	}
	if len(values) == 0 {
		return fmt.Errorf("summarize: no SYSTEM-SEED.json files in %s", *dir)
	}
	var systemsOrder []string
	if *order != "" {
		systemsOrder = strings.Split(*order, ",")
	} else {
		for s := range values {
			systemsOrder = append(systemsOrder, s)
		}
		sort.Strings(systemsOrder)
	}
	metricsWanted := strings.Split(*metricList, ",")
	for _, metric := range metricsWanted {
		fmt.Fprintf(stdout, "\n%s, mean ± standard deviation over seeds\n\n| system (seeds) |", metric)
		for _, use := range data.Subsets {
			fmt.Fprintf(stdout, " %s |", data.SubsetName(use))
		}
		fmt.Fprint(stdout, "\n| --- |")
		for range data.Subsets {
			fmt.Fprint(stdout, " ---: |")
		}
		fmt.Fprintln(stdout)
		for _, sys := range systemsOrder {
			if values[sys] == nil {
				continue
			}
			fmt.Fprintf(stdout, "| %s (%d) |", sys, seeds[sys])
			for _, use := range data.Subsets {
				v := values[sys][data.SubsetName(use)][metric]
				if len(v) == 0 {
					fmt.Fprint(stdout, " - |")
					continue
				}
				mean, std := stat.MeanStdDev(v, nil)
				if len(v) == 1 {
					std = 0
				}
				fmt.Fprintf(stdout, " %.3f ± %.3f |", mean, std)
			}
			fmt.Fprintln(stdout)
		}
	}
	return nil
}
