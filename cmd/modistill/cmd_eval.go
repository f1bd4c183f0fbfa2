package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/modistill/modistill/atomicfile"
	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/metrics"
	"github.com/modistill/modistill/systems"
)

// parseSubsets reads --subsets: "all" (every subset the model can take) or
// a comma-separated list of codes (a, v, t, av, at, vt, avt) among them.
func parseSubsets(s string, can []data.Subset) ([]data.Subset, error) {
	if strings.EqualFold(s, "all") {
		return can, nil
	}
	var out []data.Subset
	for _, code := range strings.Split(strings.ToLower(s), ",") {
		use, err := data.ParseSubset(strings.TrimSpace(code))
		if err != nil {
			return nil, fmt.Errorf("--subsets %q: %w", s, err)
		}
		if !slices.Contains(can, use) {
			names := make([]string, len(can))
			for i, u := range can {
				names[i] = u.String()
			}
			return nil, fmt.Errorf("subset %q: this model predicts only from %s", code, strings.Join(names, ", "))
		}
		if slices.Contains(out, use) {
			return nil, fmt.Errorf("subset %q given twice", code)
		}
		out = append(out, use)
	}
	return out, nil
}

type evalOutput struct {
	Task    string                    `json:"task"`
	System  string                    `json:"system,omitempty"`
	Split   string                    `json:"split,omitempty"`
	Results map[string]metrics.Scores `json:"results"`
}

func runEval(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("eval")
	df := addDataFlags(fs)
	dir := fs.String("model", "", "model directory (from modistill train)")
	subsets := fs.String("subsets", "all", "all, or a comma-separated list of a, v, t, av, at, vt, avt")
	split := fs.String("eval-split", "test", "split to evaluate: test, valid or train")
	asJSON := fs.Bool("json", false, "print one JSON object")
	predOut := fs.String("predictions", "", "write the raw predictions and truths per subset to this JSON file")
	if err := parseFlags(fs, args, stdout); err != nil {
		return err
	}
	if *dir == "" {
		return usagef("eval: --model is required")
	}
	if *split != "train" && *split != "valid" && *split != "test" {
		return usagef("eval: --eval-split %q: want train, valid or test", *split)
	}
	if *predOut != "" {
		if err := atomicfile.CheckNew(*predOut); err != nil {
			return usagef("eval: --predictions %v; choose a path that does not exist", err)
		}
	}
	m, meta, err := systems.Load(*dir)
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	uses, err := parseSubsets(*subsets, m.Subsets())
	if err != nil {
		return usagef("eval: --subsets: %v", err)
	}
	ds, err := df.open()
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	if got, want := ds.Dims(), meta.Dims; got != want {
		hint := ""
		if got.TextBag != want.TextBag {
			hint = "; the model reads its text as bags of n-grams (--text ngrams) and the data does not, or the other way round"
		}
		if (got.AudioLen == 0) != (want.AudioLen == 0) || (got.VisualLen == 0) != (want.VisualLen == 0) {
			hint = "; one has frame sequences where the other has one vector per utterance (with synthetic data: --frames)"
		}
		return usagef("eval: the data (%v) does not fit the model (%v)%s", got, want, hint)
	}
	if ds.Task.Kind != meta.Task.Kind || strings.Join(ds.Task.Targets, ",") != strings.Join(meta.Task.Targets, ",") {
		return usagef("eval: the data's task (%s of %s) differs from the model's (%s of %s)", ds.Task.Kind, strings.Join(ds.Task.Targets, ", "), meta.Task.Kind, strings.Join(meta.Task.Targets, ", "))
	}
	if strings.Join(ds.Vocab, "\x00") != strings.Join(meta.Vocab, "\x00") {
		return usagef("eval: the data's vocabulary (%d words) differs from the model's (%d); evaluate on the dataset it was trained on", len(ds.Vocab), len(meta.Vocab))
	}
	var s *data.Split // one of the three: --eval-split was checked above
	for _, ns := range ds.Splits() {
		if ns.Name == *split {
			s = ns.Split
		}
	}
	res := evalOutput{Task: ds.Task.Kind.String(), System: meta.System, Split: *split, Results: map[string]metrics.Scores{}}
	pf := metrics.Predictions{Task: res.Task, Targets: ds.Task.Targets, Classes: ds.Task.Classes, Subsets: map[string][][]float32{}, Truth: rows(s.Labels.Data, s.Labels.Cols())}
	for _, use := range uses {
		if err := ctx.Err(); err != nil {
			return err
		}
		pred := m.Predict(autodiff.NewTape(), s.All(), use)
		name := use.String()
		res.Results[name] = metrics.Score(ds.Task, pred, s.Labels)
		pf.Subsets[name] = rows(pred.Data, pred.Cols())
	}
	if *predOut != "" {
		b, err := json.Marshal(pf)
		if err != nil {
			return err
		}
		if err := atomicfile.WriteNew(*predOut, b); err != nil {
			return fmt.Errorf("eval: %w", err)
		}
	}
	if *asJSON {
		return printJSON(stdout, res)
	}
	fmt.Fprintf(stdout, "%s on %s, %s split (%d samples), %s\n", meta.System, ds.Name, *split, s.N(), res.Task)
	rows := make([]scoreRow, len(uses))
	for i, use := range uses {
		rows[i] = scoreRow{use.String(), res.Results[use.String()]}
	}
	printScores(stdout, "subset", rows)
	return nil
}

// rows splits flat values into rows of width w.
func rows(v []float32, w int) [][]float32 {
	out := make([][]float32, 0, len(v)/max(w, 1))
	for i := 0; i+w <= len(v); i += w {
		out = append(out, v[i:i+w])
	}
	return out
}

// scoreRow is one row of a score table: a name (a subset) and its scores.
type scoreRow struct {
	name   string
	scores metrics.Scores
}

// printScores prints a table of scores, a column per metric (sorted;
// accuracies and F1 in percent, undefined values as n/a), for people.
func printScores(w io.Writer, first string, rows []scoreRow) {
	var keys []string
	for k := range rows[0].scores {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintf(w, "%-6s", first)
	for _, k := range keys {
		fmt.Fprintf(w, " %12s", metrics.Label(k))
	}
	fmt.Fprintln(w)
	for _, r := range rows {
		fmt.Fprintf(w, "%-6s", r.name)
		for _, k := range keys {
			fmt.Fprintf(w, " %12s", metrics.Format(k, r.scores[k]))
		}
		fmt.Fprintln(w)
	}
}
