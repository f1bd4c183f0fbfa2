package metrics

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/gonum/stat"
)

// Undefined is how text output shows a metric with no value (NaN).
const Undefined = "n/a"

// IsPercent reports whether a metric is a proportion (accuracies and F1
// scores), which people read in percent. JSON keeps every metric as a
// fraction; text shows these times 100.
func IsPercent(metric string) bool {
	return strings.HasPrefix(metric, "acc") || strings.HasPrefix(metric, "f1")
}

// Label is a metric's column heading for text output, with "%" for the
// metrics shown in percent.
func Label(metric string) string {
	if IsPercent(metric) {
		return metric + " %"
	}
	return metric
}

// Format shows one value of a metric: accuracies and F1 in percent with two
// decimals, other metrics with four, Undefined for NaN.
func Format(metric string, v float64) string {
	switch {
	case math.IsNaN(v):
		return Undefined
	case IsPercent(metric):
		return fmt.Sprintf("%.2f", 100*v)
	}
	return fmt.Sprintf("%.4f", v)
}

// Summary is a metric over seeds: the mean and sample standard deviation of
// the defined values, N of them, out of Runs runs (the others gave an
// undefined value).
type Summary struct {
	Mean, Std float64
	N, Runs   int
}

// Summarize summarizes values over seeds, leaving out NaNs; the mean is
// NaN if no value is defined, the deviation 0 for one value.
func Summarize(values []float64) Summary {
	var defined []float64
	for _, v := range values {
		if !math.IsNaN(v) {
			defined = append(defined, v)
		}
	}
	s := Summary{N: len(defined), Runs: len(values), Mean: math.NaN()}
	switch len(defined) {
	case 0:
	case 1:
		s.Mean = defined[0]
	default:
		s.Mean, s.Std = stat.MeanStdDev(defined, nil)
	}
	return s
}

// Format shows the summary in a table cell: "-" with no run, Undefined
// with no defined value, the value alone for one run, "mean ± std"
// otherwise (three decimals; accuracies and F1 in percent, two), and
// "(n of runs)" when some runs were undefined.
func (s Summary) Format(metric string) string {
	if s.Runs == 0 {
		return "-"
	}
	if s.N == 0 {
		return Undefined
	}
	scale, prec := 1.0, 3
	if IsPercent(metric) {
		scale, prec = 100, 2
	}
	out := fmt.Sprintf("%.*f", prec, scale*s.Mean)
	if s.N > 1 {
		out += fmt.Sprintf(" ± %.*f", prec, scale*s.Std)
	}
	if s.N < s.Runs {
		out += fmt.Sprintf(" (%d of %d)", s.N, s.Runs)
	}
	return out
}

// String shows the scores on one line, metrics in name order, each as
// Format shows it ("acc2 77.55 %, corr 0.6512, ...").
func (s Scores) String() string {
	names := slices.Sorted(maps.Keys(s))
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = k + " " + Format(k, s[k])
		if IsPercent(k) {
			parts[i] += " %"
		}
	}
	return strings.Join(parts, ", ")
}

// PairedDifferences returns a - b on the seeds both have with defined
// values, in seed order: the paired per-seed differences of two systems.
func PairedDifferences[Seed cmp.Ordered](a, b map[Seed]float64) []float64 {
	var d []float64
	for _, s := range slices.Sorted(maps.Keys(a)) {
		if bv, ok := b[s]; ok && !math.IsNaN(a[s]) && !math.IsNaN(bv) {
			d = append(d, a[s]-bv)
		}
	}
	return d
}

// FormatPaired shows paired differences as "mean ± standard error" with a
// sign (accuracies and F1 in percentage points), "-" without pairs, and the
// mean alone for one pair.
func FormatPaired(metric string, d []float64) string {
	if len(d) == 0 {
		return "-"
	}
	s := Summarize(d)
	scale, prec := 1.0, 3
	if IsPercent(metric) {
		scale, prec = 100, 2
	}
	if len(d) == 1 {
		return fmt.Sprintf("%+.*f", prec, scale*s.Mean)
	}
	return fmt.Sprintf("%+.*f ± %.*f", prec, scale*s.Mean, prec, scale*s.Std/math.Sqrt(float64(len(d))))
}

// tableOrder is the order in which tables list the metrics they have; any
// others follow by name.
var tableOrder = []string{"mae", "corr", "acc2", "f1", "acc2_nonzero", "f1_nonzero", "acc7", "acc"}

// titles are the metrics' names as a table of one run heads its rows.
var titles = map[string]string{
	"mae":          "MAE",
	"corr":         "Corr (Pearson)",
	"acc2":         "Acc-2 % (y >= 0)",
	"f1":           "F1 % (y >= 0, weighted)",
	"acc2_nonzero": "Acc-2 % (non-zero)",
	"f1_nonzero":   "F1 % (non-zero, weighted)",
	"acc7":         "Acc-7 %",
	"acc":          "Acc %",
}

// Title is a metric's name for a reader ("Acc-2 % (y >= 0)" for acc2), or
// Label's for a metric without one.
func Title(metric string) string {
	if t, ok := titles[metric]; ok {
		return t
	}
	return Label(metric)
}

// Names lists the scores' metrics in the order tables give them: MAE,
// correlation, the binary accuracy and F1 variants, Acc-7, then any others
// by name.
func (s Scores) Names() []string {
	var names []string
	for _, k := range tableOrder {
		if _, ok := s[k]; ok {
			names = append(names, k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(s)) {
		if !slices.Contains(tableOrder, k) {
			names = append(names, k)
		}
	}
	return names
}
