package experiment

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"github.com/modistill/modistill/atomicfile"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/metrics"
)

// Table1Systems, Table2Systems are the rows of the paper's tables: Table 1
// with all modalities, Tables 2 and 3 with one or two missing. Tucker-S is
// this project's extra row (what Tucker fusion brings without distillation),
// and Ours (literal) the paper read literally, beside Ours with the fixes of
// issue 11.
var (
	Table1Systems = []string{"svm", "df", "bc-lstm", "mv-lstm", "marn", "mfn", "tfn", "lmf", "ours"}
	Table2Systems = []string{"svm", "strh", "deep-s", "lmf-s", "tucker-s", "ours-fixed", "ours-literal", "ours"}
)

// mosiMetrics are MOSI's metrics in the paper's tables, with their titles.
var mosiMetrics = [][2]string{{"mae", "MAE"}, {"corr", "Corr"}, {"acc2", "Acc-2"}, {"f1", "F1"}, {"acc7", "Acc-7"}}

// column is one table column: a dataset and a metric.
type column struct {
	dataset, metric, title string
}

// columns lists the paper's columns for the datasets present.
func columns(results []*Result) []column {
	has := map[string]bool{}
	for _, r := range results {
		has[r.Dataset] = true
	}
	var cols []column
	if has["mosi"] {
		for _, m := range mosiMetrics {
			cols = append(cols, column{"mosi", m[0], "MOSI " + m[1]})
		}
	}
	if has["pom"] {
		for _, m := range [][2]string{{"mae", "MAE"}, {"corr", "Corr"}, {"acc", "Acc"}} {
			cols = append(cols, column{"pom", m[0], "POM " + m[1]})
		}
	}
	for _, e := range [][2]string{{"happy", "Hp"}, {"sad", "Sd"}, {"angry", "Ag"}, {"neutral", "Nu"}} {
		if has["iemocap-"+e[0]] {
			cols = append(cols, column{"iemocap-" + e[0], "f1", "IEMOCAP F1-" + e[1]})
		}
	}
	return cols
}

// values are a metric's values over the seeds of a system on a dataset.
func values(results []*Result, system, dataset, subset, metric string) []float64 {
	var v []float64
	for _, r := range results {
		if r.System == system && r.Dataset == dataset {
			if s, ok := r.Scores[subset][metric]; ok {
				v = append(v, s)
			}
		}
	}
	return v
}

// cell is the summary over seeds of a metric (see metrics.Summary.Format:
// accuracies and F1 in percent, "(n of m)" when some seeds were undefined).
func cell(results []*Result, system, dataset, subset, metric string) string {
	return metrics.Summarize(values(results, system, dataset, subset, metric)).Format(metric)
}

// WriteReport writes report.md: the three tables in the paper's layout and
// the paired differences that say whether distillation helps, for trials
// scored under the paper's subsets; the random-rate protocol's one table,
// for trials scored under it.
//
// withPaper adds, under each of our rows, the paper's own numbers for it as
// printed (accuracies and F1 in percent; "-" where the paper has none), for
// data that is the paper's.
func WriteReport(path, header string, results []*Result, withPaper bool) error {
	cols := columns(results)
	var b bytes.Buffer
	b.WriteString(header)
	table := func(title string, rows []string, subsets []string) {
		fmt.Fprintf(&b, "\n## %s\n\n| system | modalities |", title)
		for _, c := range cols {
			fmt.Fprintf(&b, " %s |", c.title)
		}
		b.WriteString("\n| --- | --- |")
		for range cols {
			b.WriteString(" ---: |")
		}
		b.WriteString("\n")
		for _, sys := range rows {
			for _, sub := range subsets {
				fmt.Fprintf(&b, "| %s | %s |", sys, sub)
				for _, c := range cols {
					fmt.Fprintf(&b, " %s |", cell(results, sys, c.dataset, sub, c.metric))
				}
				b.WriteString("\n")
				if p, ok := paperNumbers[sys][sub]; ok && withPaper {
					fmt.Fprintf(&b, "| %s (paper) | %s |", sys, sub)
					for _, c := range cols {
						v, ok := p[c.title]
						if !ok {
							v = "-"
						}
						fmt.Fprintf(&b, " %s |", v)
					}
					b.WriteString("\n")
				}
			}
		}
	}
	rates, subsets := protocols(results)
	if subsets {
		table("Table 1: all modalities", Table1Systems, []string{"avt"})
		table("Table 2: one modality missing", Table2Systems, []string{"av", "at", "vt"})
		table("Table 3: two modalities missing", Table2Systems, []string{"v", "a", "t"})
	}
	if rates {
		table("Random missing rate (MMSA, LNLN): all modalities, each frame or token masked with probability r at test, "+
			"the metrics averaged over r = 0.0, 0.1, ..., 0.9 (results.csv has each rate)", SystemsFor(), []string{"avt@avg"})
	}
	if subsets {
		writeDistillation(&b, results)
	}
	return atomicfile.WriteFile(path, b.Bytes())
}

// DistillationPairs are the comparisons that say whether distillation
// helps: each distilled system against the same framework without
// distillation (Tucker-S), and Ours against the paper's separable
// baselines (LMF-S, Deep-S).
var DistillationPairs = [][2]string{
	{"ours", "tucker-s"}, {"ours-fixed", "tucker-s"}, {"ours-literal", "tucker-s"},
	{"ours", "lmf-s"}, {"ours", "deep-s"},
}

// distillationMetrics are the metrics of the paired tables, the first
// three of mosiMetrics: MAE (lower is better) and Corr, Acc-2 (higher is
// better).
var distillationMetrics = mosiMetrics[:3]

// writeDistillation writes, per dataset with both systems of a pair, one
// table per metric of the paired per-seed differences of DistillationPairs
// under every modality subset.
func writeDistillation(b *bytes.Buffer, results []*Result) {
	for _, ds := range DatasetsOf(results) {
		var pairs [][2]string
		for _, p := range DistillationPairs {
			if len(seedValues(results, p[0], ds, "avt", "mae")) > 0 && len(seedValues(results, p[1], ds, "avt", "mae")) > 0 {
				pairs = append(pairs, p)
			}
		}
		if len(pairs) == 0 {
			continue
		}
		for _, m := range distillationMetrics {
			metric := m[0]
			better := "lower is better"
			if metric != "mae" {
				better = "higher is better"
			}
			if metrics.IsPercent(metric) {
				better += ", in percentage points"
			}
			SubsetTableHead(b, fmt.Sprintf("## Does distillation help? %s, %s: paired differences\n\n"+
				"System minus reference on the same seed, mean ± standard error over the seeds both have (%s).", ds, m[1], better), "system - reference")
			for _, p := range pairs {
				fmt.Fprintf(b, "| %s - %s |", p[0], p[1])
				for _, use := range data.Subsets {
					sub := use.String()
					d := metrics.PairedDifferences(seedValues(results, p[0], ds, sub, metric), seedValues(results, p[1], ds, sub, metric))
					fmt.Fprintf(b, " %s |", metrics.FormatPaired(metric, d))
				}
				b.WriteString("\n")
			}
		}
	}
}

// SubsetTableHead writes a Markdown table's title and its header: a first
// column named first, then one right-aligned column per modality subset.
func SubsetTableHead(w io.Writer, title, first string) {
	fmt.Fprintf(w, "\n%s\n\n| %s |", title, first)
	for _, use := range data.Subsets {
		fmt.Fprintf(w, " %s |", use.String())
	}
	fmt.Fprint(w, "\n| --- |")
	for range data.Subsets {
		fmt.Fprint(w, " ---: |")
	}
	fmt.Fprintln(w)
}

// seedValues are a metric's values of a system on a dataset by seed (the
// trials scored on test, not the search's).
func seedValues(results []*Result, system, dataset, subset, metric string) map[uint64]float64 {
	v := map[uint64]float64{}
	for _, r := range results {
		if r.System == system && r.Dataset == dataset && r.Search == 0 {
			if s, ok := r.Scores[subset][metric]; ok {
				v[r.Seed] = s
			}
		}
	}
	return v
}

// protocols reports whether results were scored under the random rates
// and under the paper's fixed subsets.
func protocols(results []*Result) (rates, subsets bool) {
	for _, r := range results {
		rates = rates || r.Protocol == RandomRate || r.Protocol == Both
		subsets = subsets || r.Protocol != RandomRate
	}
	return rates, subsets
}

// WriteCSV writes results.csv: one row per trial and modality condition.
func WriteCSV(path string, results []*Result) error {
	metricSet := map[string]bool{}
	for _, r := range results {
		for _, s := range r.Scores {
			for k := range s {
				metricSet[k] = true
			}
		}
	}
	var metricNames []string
	for k := range metricSet {
		metricNames = append(metricNames, k)
	}
	sort.Strings(metricNames)
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(append(append([]string{"system", "dataset", "condition", "seed", "hyperparameters", "batch_size"}, metricNames...), "epochs", "seconds", "status"))
	for _, r := range results {
		hp, _ := json.Marshal(r.Config)
		var conds []string
		for c := range r.Scores {
			conds = append(conds, c)
		}
		data.SortConditions(conds)
		for _, c := range conds {
			bs := ""
			if r.BatchSize > 0 {
				bs = fmt.Sprint(r.BatchSize)
			}
			row := []string{r.System, r.Dataset, c, fmt.Sprint(r.Seed), string(hp), bs}
			for _, k := range metricNames {
				if v, ok := r.Scores[c][k]; ok {
					row = append(row, fmt.Sprintf("%.6g", v))
				} else {
					row = append(row, "")
				}
			}
			row = append(row, fmt.Sprint(r.Epochs), fmt.Sprintf("%.2f", r.Seconds), r.Status)
			w.Write(row)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return atomicfile.WriteFile(path, b.Bytes())
}

// SystemsFor lists the systems to run for the tables, each once.
func SystemsFor() []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range append(append([]string{}, Table1Systems...), Table2Systems...) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
