package metrics

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/tensor"
)

// Predictions are a model's outputs on a split beside the true labels, in
// the file that eval --predictions writes: per modality subset, one row per
// sample of values (regression: one per target) or class probabilities
// (classification: Classes per target).
type Predictions struct {
	Task    string                 `json:"task"` // "regression" or "classification"
	Targets []string               `json:"targets"`
	Classes int                    `json:"classes,omitempty"`
	Truth   [][]float32            `json:"truth"`
	Subsets map[string][][]float32 `json:"predictions"`
}

// PlainSubset is the subset name given to predictions read from plain rows,
// which say nothing of modalities.
const PlainSubset = "all"

// ParsePredictions reads predictions for task from b, in one of three
// layouts, told apart by the first character:
//
//   - '{': the JSON file eval --predictions writes (its task and targets
//     must agree with task);
//   - '[': a JSON array of rows {"pred": p, "truth": y}, where p and y are
//     numbers for one target, or arrays of one number per target;
//   - otherwise CSV: rows "pred,truth" (an optional header of exactly those
//     names), or for several targets a header naming a pred_T and a truth_T
//     column for every target T.
//
// For classification, plain rows give class indices (0 .. Classes-1), not
// probabilities. Every value must be finite.
func ParsePredictions(b []byte, task data.Task) (*Predictions, error) {
	b = bytes.TrimSpace(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))) // a UTF-8 byte-order mark
	if len(b) == 0 {
		return nil, errors.New("the file is empty")
	}
	var p *Predictions
	var err error
	switch b[0] {
	case '{':
		p, err = parseEvalFile(b, task)
	case '[':
		p, err = parseJSONRows(b, task)
	default:
		p, err = parseCSV(b, task)
	}
	if err != nil {
		return nil, err
	}
	return p, p.check(task)
}

func parseEvalFile(b []byte, task data.Task) (*Predictions, error) {
	var p Predictions
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("not a predictions file of modistill eval: %w", err)
	}
	if p.Task != task.Kind.String() {
		return nil, fmt.Errorf("the file's task is %q, not %s as --task says", p.Task, task.Kind)
	}
	if len(p.Targets) != len(task.Targets) {
		return nil, fmt.Errorf("the file has %d targets (%s), the task %d", len(p.Targets), strings.Join(p.Targets, ", "), len(task.Targets))
	}
	if task.Kind == data.Classification && p.Classes != task.Classes {
		return nil, fmt.Errorf("the file has %d classes per target, the task %d", p.Classes, task.Classes)
	}
	if len(p.Subsets) == 0 {
		return nil, errors.New("the file holds no predictions")
	}
	return &p, nil
}

// plain starts the predictions of plain rows.
func plain(task data.Task) *Predictions {
	return &Predictions{Task: task.Kind.String(), Targets: task.Targets, Classes: task.Classes,
		Subsets: map[string][][]float32{PlainSubset: nil}}
}

// add appends one plain row: pred and truth hold one value per target.
func (p *Predictions) add(task data.Task, pred, truth []float64) error {
	if task.Kind == data.Classification {
		probs := make([]float32, len(pred)*task.Classes)
		for k, c := range pred {
			if c != math.Trunc(c) || c < 0 || c >= float64(task.Classes) { // compared as floats: int(1e19) overflows
				return fmt.Errorf("pred %g is not a class index (0 to %d)", c, task.Classes-1)
			}
			probs[k*task.Classes+int(c)] = 1
		}
		p.Subsets[PlainSubset] = append(p.Subsets[PlainSubset], probs)
	} else {
		p.Subsets[PlainSubset] = append(p.Subsets[PlainSubset], f32(pred))
	}
	p.Truth = append(p.Truth, f32(truth))
	return nil
}

func f32(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

func parseJSONRows(b []byte, task data.Task) (*Predictions, error) {
	var rows []struct {
		Pred  json.RawMessage `json:"pred"`
		Truth json.RawMessage `json:"truth"`
	}
	if err := json.Unmarshal(b, &rows); err != nil {
		return nil, fmt.Errorf("not a JSON array of {\"pred\": ..., \"truth\": ...} rows: %w", err)
	}
	p := plain(task)
	values := func(r json.RawMessage, what string) ([]float64, error) {
		if len(r) == 0 {
			return nil, fmt.Errorf("no %q", what)
		}
		var one float64
		if err := json.Unmarshal(r, &one); err == nil {
			return []float64{one}, nil
		}
		var many []float64
		if err := json.Unmarshal(r, &many); err != nil {
			return nil, fmt.Errorf("%q is %s, want a number or an array of numbers", what, r)
		}
		return many, nil
	}
	for i, r := range rows {
		pred, err := values(r.Pred, "pred")
		if err != nil {
			return nil, fmt.Errorf("row %d: %w", i+1, err)
		}
		truth, err := values(r.Truth, "truth")
		if err != nil {
			return nil, fmt.Errorf("row %d: %w", i+1, err)
		}
		if len(pred) != len(task.Targets) || len(truth) != len(task.Targets) {
			return nil, fmt.Errorf("row %d: %d predictions and %d truths, the task has %d targets", i+1, len(pred), len(truth), len(task.Targets))
		}
		if err := p.add(task, pred, truth); err != nil {
			return nil, fmt.Errorf("row %d: %w", i+1, err)
		}
	}
	return p, nil
}

func parseCSV(b []byte, task data.Task) (*Predictions, error) {
	r := csv.NewReader(bytes.NewReader(b))
	r.TrimLeadingSpace = true
	r.Comment = '#'
	first, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("CSV: %w", err)
	}
	K := len(task.Targets)
	predCol, truthCol := make([]int, K), make([]int, K)
	header := true
	if _, err := strconv.ParseFloat(strings.TrimSpace(first[0]), 64); err == nil { // no header
		if K != 1 || len(first) != 2 {
			return nil, fmt.Errorf("CSV without a header: want 2 columns, pred and truth, for a task of one target (this task has %d; name the columns pred_T and truth_T)", K)
		}
		predCol[0], truthCol[0], header = 0, 1, false
	} else {
		col := map[string]int{}
		for i, name := range first {
			col[strings.ToLower(strings.TrimSpace(name))] = i
		}
		for k, t := range task.Targets {
			pc, ok1 := col["pred_"+strings.ToLower(t)]
			tc, ok2 := col["truth_"+strings.ToLower(t)]
			if K == 1 && !ok1 && !ok2 {
				pc, ok1 = col["pred"]
				tc, ok2 = col["truth"]
			}
			if !ok1 || !ok2 {
				want := "pred_" + t + " and truth_" + t
				if K == 1 {
					want = "pred and truth"
				}
				return nil, fmt.Errorf("CSV header %q lacks a %s column", strings.Join(first, ","), want)
			}
			predCol[k], truthCol[k] = pc, tc
		}
	}
	p := plain(task)
	row := first
	for line := 1; ; line++ {
		if line > 1 || !header {
			pred, truth := make([]float64, K), make([]float64, K)
			for k := range K {
				if predCol[k] >= len(row) || truthCol[k] >= len(row) {
					return nil, fmt.Errorf("CSV line %d: %d fields", line, len(row))
				}
				var err1, err2 error
				pred[k], err1 = strconv.ParseFloat(strings.TrimSpace(row[predCol[k]]), 64)
				truth[k], err2 = strconv.ParseFloat(strings.TrimSpace(row[truthCol[k]]), 64)
				if err := errors.Join(err1, err2); err != nil {
					return nil, fmt.Errorf("CSV line %d: not a number: %v", line, row)
				}
			}
			if err := p.add(task, pred, truth); err != nil {
				return nil, fmt.Errorf("CSV line %d: %w", line, err)
			}
		}
		var err error
		row, err = r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("CSV: %w", err)
		}
	}
	return p, nil
}

// check verifies shapes and values: as many rows of predictions as truths,
// each of the task's width, all finite; classification truths are class
// indices.
func (p *Predictions) check(task data.Task) error {
	if len(p.Truth) == 0 {
		return errors.New("no rows")
	}
	K := len(task.Targets)
	for i, row := range p.Truth {
		if len(row) != K {
			return fmt.Errorf("truth row %d has %d values, want %d", i+1, len(row), K)
		}
		for _, v := range row {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return fmt.Errorf("truth row %d: %g is not finite", i+1, v)
			}
			if task.Kind == data.Classification && (v != float32(math.Trunc(float64(v))) || v < 0 || int(v) >= task.Classes) {
				return fmt.Errorf("truth row %d: %g is not a class index (0 to %d)", i+1, v, task.Classes-1)
			}
		}
	}
	w := task.Outputs()
	for name, rows := range p.Subsets {
		if len(rows) != len(p.Truth) {
			return fmt.Errorf("subset %s: %d predictions for %d truths", name, len(rows), len(p.Truth))
		}
		for i, row := range rows {
			if len(row) != w {
				return fmt.Errorf("subset %s, row %d: %d values, want %d", name, i+1, len(row), w)
			}
			for _, v := range row {
				if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
					return fmt.Errorf("subset %s, row %d: %g is not finite", name, i+1, v)
				}
			}
		}
	}
	return nil
}

// SubsetNames lists the subsets of p, most modalities first, then by name.
func (p *Predictions) SubsetNames() []string {
	var names []string
	for n := range p.Subsets {
		names = append(names, n)
	}
	data.SortConditions(names)
	return names
}

// Score scores every subset of p (checked by ParsePredictions) with the
// task's metrics, exactly as eval does.
func (p *Predictions) Score(task data.Task) map[string]Scores {
	labels := tensor.New(len(p.Truth), len(task.Targets))
	for i, row := range p.Truth {
		copy(labels.Data[i*len(row):], row)
	}
	out := map[string]Scores{}
	w := task.Outputs()
	for name, rows := range p.Subsets {
		pred := tensor.New(len(rows), w)
		for i, row := range rows {
			copy(pred.Data[i*w:], row)
		}
		out[name] = Score(task, pred, labels)
	}
	return out
}
