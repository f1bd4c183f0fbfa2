package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/experiment"
	"github.com/modistill/modistill/metrics"
	"github.com/modistill/modistill/systems"
)

// evalFileName is SYSTEM-SEED.json, as scripts/compare_separable.sh writes.
var evalFileName = regexp.MustCompile(`^(.+)-(\d+)\.json$`)

func runSummarize(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("summarize")
	dir := fs.String("in", "", "directory of eval JSON files named SYSTEM-SEED.json")
	metricList := fs.String("metrics", "mae,corr,acc2,acc7", "comma-separated metrics to tabulate")
	order := fs.String("systems", "", "comma-separated systems in table order (default: sorted)")
	pairedWith := fs.String("paired-with", "", "a system to compare every other against: a second table per metric of the paired per-seed differences (system minus this one, on the seeds both have), mean ± standard error")
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
	// values[system][subset][metric][seed]
	values := map[string]map[string]map[string]map[int]float64{}
	seeds := map[string]int{}
	seen := map[evalRun]string{} // (system, seed) -> file
	known := map[string]bool{}   // metrics found
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
		seed, err := strconv.Atoi(m[2])
		if err != nil {
			return usagef("summarize: %s: seed %q is not a number", path, m[2])
		}
		if other, ok := seen[evalRun{sys, seed}]; ok {
			return usagef("summarize: %s and %s are both seed %d of %s", other, path, seed, sys)
		}
		seen[evalRun{sys, seed}] = path
		seeds[sys]++
		if values[sys] == nil {
			values[sys] = map[string]map[string]map[int]float64{}
		}
		for subset, scores := range r.Results {
			if values[sys][subset] == nil {
				values[sys][subset] = map[string]map[int]float64{}
			}
			for k, v := range scores {
				if values[sys][subset][k] == nil {
					values[sys][subset][k] = map[int]float64{}
				}
				values[sys][subset][k][seed] = v
				known[k] = true
			}
		}
	}
	if len(values) == 0 {
		return usagef("summarize: no SYSTEM-SEED.json files in %s (eval --json outputs named like ours-1.json)", *dir)
	}
	sortedKeys := func(m map[string]bool) string { return strings.Join(slices.Sorted(maps.Keys(m)), ", ") }
	systemsOrder := slices.Sorted(maps.Keys(values))
	found := strings.Join(systemsOrder, ", ")
	if *order != "" {
		systemsOrder = strings.Split(*order, ",")
		for _, s := range systemsOrder {
			if values[s] == nil {
				return usagef("summarize: --systems: no files for system %q in %s (found: %s)", s, *dir, found)
			}
		}
	}
	if *pairedWith != "" && values[*pairedWith] == nil {
		return usagef("summarize: --paired-with: no files for system %q in %s (found: %s)", *pairedWith, *dir, found)
	}
	metricsWanted := strings.Split(*metricList, ",")
	teachers, err := readTeacherReports(*dir, seen)
	if err != nil {
		return err
	}
	for _, metric := range metricsWanted {
		if !known[metric] {
			return usagef("summarize: --metrics: %q is not a metric of these files (they have: %s)", metric, sortedKeys(known))
		}
	}
	for _, metric := range metricsWanted {
		experiment.SubsetTableHead(stdout, fmt.Sprintf("%s, mean ± standard deviation over seeds", metrics.Label(metric)), "system (seeds)")
		for _, sys := range systemsOrder {
			fmt.Fprintf(stdout, "| %s (%d) |", sys, seeds[sys])
			for _, use := range data.Subsets {
				fmt.Fprintf(stdout, " %s |", metrics.Summarize(bySeed(values[sys][use.String()][metric])).Format(metric))
			}
			fmt.Fprintln(stdout)
		}
		if *pairedWith == "" {
			continue
		}
		experiment.SubsetTableHead(stdout, fmt.Sprintf("%s, paired difference against %s (system minus %s, same seed), mean ± standard error over the seeds both have",
			metrics.Label(metric), *pairedWith, *pairedWith), "system (pairs)")
		for _, sys := range systemsOrder {
			if sys == *pairedWith {
				continue
			}
			var cells []string
			pairs := 0
			for _, use := range data.Subsets {
				d := metrics.PairedDifferences(values[sys][use.String()][metric], values[*pairedWith][use.String()][metric])
				pairs = max(pairs, len(d))
				cells = append(cells, metrics.FormatPaired(metric, d))
			}
			fmt.Fprintf(stdout, "| %s (%d) | %s |\n", sys, pairs, strings.Join(cells, " | "))
		}
	}
	if len(teachers) == 0 {
		return nil
	}
	fmt.Fprintf(stdout, "\nTeachers (from each run's model.json): training samples' targets against their labels, and the teacher on the test split, mean ± standard deviation over seeds\n\n| system (seeds) | teacher |")
	for _, metric := range metricsWanted {
		fmt.Fprintf(stdout, " train %s | test %s |", metrics.Label(metric), metrics.Label(metric))
	}
	fmt.Fprint(stdout, "\n| --- | --- |")
	for range metricsWanted {
		fmt.Fprint(stdout, " ---: | ---: |")
	}
	fmt.Fprintln(stdout)
	for _, sys := range systemsOrder {
		rs := teachers[sys]
		if len(rs) == 0 {
			continue
		}
		kinds := map[string]bool{}
		for _, r := range rs {
			kinds[r.Teacher] = true
		}
		fmt.Fprintf(stdout, "| %s (%d) | %s |", sys, len(rs), sortedKeys(kinds))
		for _, metric := range metricsWanted {
			var tr, te []float64
			for _, r := range rs { // a report without the metric counts as undefined
				tr, te = append(tr, valueOr(r.Train, metric)), append(te, valueOr(r.Test, metric))
			}
			fmt.Fprintf(stdout, " %s | %s |", metrics.Summarize(tr).Format(metric), metrics.Summarize(te).Format(metric))
		}
		fmt.Fprintln(stdout)
	}
	return nil
}

// evalRun is one eval file's system and seed.
type evalRun struct {
	system string
	seed   int
}

// readTeacherReports reads the teacher reports that train saved in the
// model.json of each run directory SYSTEM-SEED beside the eval files (runs
// maps (system, seed) to its eval file), in seed order; a run without a
// directory or a report has none.
func readTeacherReports(dir string, runs map[evalRun]string) (map[string][]*systems.TeacherReport, error) {
	keys := slices.SortedFunc(maps.Keys(runs), func(a, b evalRun) int {
		if c := strings.Compare(a.system, b.system); c != 0 {
			return c
		}
		return a.seed - b.seed
	})
	out := map[string][]*systems.TeacherReport{}
	for _, k := range keys {
		path := filepath.Join(dir, fmt.Sprintf("%s-%d", k.system, k.seed), "model.json")
		b, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("summarize: %w", err)
		}
		var meta struct {
			Extra struct {
				Teacher *systems.TeacherReport `json:"teacher"`
			} `json:"extra"`
		}
		if err := json.Unmarshal(b, &meta); err != nil {
			return nil, usagef("summarize: %s: %v", path, err)
		}
		if meta.Extra.Teacher != nil {
			out[k.system] = append(out[k.system], meta.Extra.Teacher)
		}
	}
	return out, nil
}

// valueOr is s[metric], or NaN when s lacks it.
func valueOr(s metrics.Scores, metric string) float64 {
	if v, ok := s[metric]; ok {
		return v
	}
	return math.NaN()
}

// bySeed returns a metric's values in seed order.
func bySeed(v map[int]float64) []float64 {
	seeds := slices.Sorted(maps.Keys(v))
	out := make([]float64, len(seeds))
	for i, s := range seeds {
		out[i] = v[s]
	}
	return out
}
