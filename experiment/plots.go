package experiment

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"

	"github.com/modistill/modistill/charts"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/metrics"
)

// Conditions are the modality conditions in the tables' order: complete,
// one missing, two missing (the names of data.Subsets).
var Conditions = func() []string {
	var c []string
	for _, use := range data.Subsets {
		c = append(c, use.String())
	}
	return c
}()

// WritePlots writes, into dir, one chart per dataset and table metric: the
// metric's mean ± standard deviation over seeds by condition and system, as
// <dataset>-<metric>.svg and .png, skipping metrics no system has, and the
// temperatures each adaptive system learned, averaged over seeds, as
// <dataset>-temperatures-<system>.svg and .png. It returns the files written.
func WritePlots(dir string, results []*Result) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var systemsRun []string
	seen := map[string]bool{}
	for _, r := range results {
		seen[r.System] = true
	}
	for _, s := range SystemsFor() {
		if seen[s] {
			systemsRun = append(systemsRun, s)
			delete(seen, s)
		}
	}
	for _, r := range results { // systems outside the tables, in order met
		if seen[r.System] {
			systemsRun = append(systemsRun, r.System)
			delete(seen, r.System)
		}
	}
	// One chart per condition family scored: the paper's subsets, the
	// random rates (named -random-rate when both are).
	type family struct {
		suffix     string
		conditions []string
	}
	var families []family
	rates, subsets := protocols(results)
	if subsets {
		families = append(families, family{"", Conditions})
	}
	if rates {
		suffix := ""
		if subsets {
			suffix = "-random-rate"
		}
		families = append(families, family{suffix, RateConditions})
	}
	var files []string
	for _, f := range families {
		fs, err := conditionPlots(dir, results, systemsRun, f.conditions, f.suffix)
		files = append(files, fs...)
		if err != nil {
			return files, err
		}
	}
	// The temperatures each adaptive system learned, averaged over seeds.
	for _, dataset := range DatasetsOf(results) {
		for _, sys := range systemsRun {
			var runs []map[string][]float64
			for _, r := range results {
				if r.System == sys && r.Dataset == dataset && len(r.Temperatures) > 0 {
					runs = append(runs, r.Temperatures)
				}
			}
			if len(runs) == 0 {
				continue
			}
			title := fmt.Sprintf("temperatures %s learned on %s, mean over seeds (%d)", sys, dataset, len(runs))
			for _, ext := range []string{".svg", ".png"} {
				path := filepath.Join(dir, dataset+"-temperatures-"+sys+ext)
				if err := charts.Lines(path, title, "epoch", "mean temperature over the epoch", TemperatureSeries(runs)); err != nil {
					return files, err
				}
				files = append(files, path)
			}
		}
	}
	return files, nil
}

// conditionPlots draws, per column, each system's mean ± std over seeds
// under conditions, into DATASET-METRIC+suffix.svg and .png.
func conditionPlots(dir string, results []*Result, systemsRun, conditions []string, suffix string) ([]string, error) {
	var files []string
	for _, c := range columns(results) {
		var groups []charts.Group
		for _, sys := range systemsRun {
			g := charts.Group{Name: sys}
			any := false
			for _, cond := range conditions {
				e := estimate(results, sys, c.dataset, cond, c.metric)
				any = any || !math.IsNaN(e.Mean)
				g.Values = append(g.Values, e)
			}
			if any {
				groups = append(groups, g)
			}
		}
		if len(groups) == 0 {
			continue
		}
		for _, ext := range []string{".svg", ".png"} {
			path := filepath.Join(dir, c.dataset+"-"+c.metric+suffix+ext)
			title := fmt.Sprintf("%s by modality condition (mean ± std over seeds, test split)", c.title)
			if err := charts.Points(path, title, metrics.Label(c.metric), conditions, groups); err != nil {
				return files, err
			}
			files = append(files, path)
		}
	}
	return files, nil
}

// DatasetsOf lists the datasets of results, sorted.
func DatasetsOf(results []*Result) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range results {
		if !seen[r.Dataset] {
			seen[r.Dataset] = true
			out = append(out, r.Dataset)
		}
	}
	sort.Strings(out)
	return out
}

// estimate is the mean and standard deviation over seeds of a metric, as
// metrics.Summarize gives it (undefined seeds left out; NaN mean when there
// is no value), in percent for accuracies and F1 as the tables show them.
func estimate(results []*Result, system, dataset, subset, metric string) charts.Estimate {
	s := metrics.Summarize(values(results, system, dataset, subset, metric))
	if metrics.IsPercent(metric) {
		s.Mean, s.Std = 100*s.Mean, 100*s.Std
	}
	return charts.Estimate{Mean: s.Mean, Std: s.Std}
}
