package metrics

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/tensor"
)

var (
	mosiTask = data.Task{Kind: data.Regression, Targets: []string{"sentiment"}, Lo: -3, Hi: 3}
	clsTask  = data.Task{Kind: data.Classification, Targets: []string{"happy"}, Classes: 2}
	twoTask  = data.Task{Kind: data.Regression, Targets: []string{"a", "b"}}
)

func TestParsePredictionsLayoutsAgree(t *testing.T) {
	pred, truth := []float32{1.5, -0.5, 0.2, -2}, []float32{2, -1, -0.4, -2.6}
	want := Score(mosiTask, tensor.From(pred, 4, 1), tensor.From(truth, 4, 1))
	evalFile, _ := json.Marshal(Predictions{Task: "regression", Targets: []string{"sentiment"},
		Truth: [][]float32{{2}, {-1}, {-0.4}, {-2.6}}, Subsets: map[string][][]float32{"t": {{1.5}, {-0.5}, {0.2}, {-2}}}})
	for name, in := range map[string]string{
		"eval file":   string(evalFile),
		"JSON rows":   `[{"pred": 1.5, "truth": 2}, {"pred": -0.5, "truth": -1}, {"pred": [0.2], "truth": [-0.4]}, {"pred": -2, "truth": -2.6}]`,
		"CSV header":  "pred,truth\n1.5,2\n-0.5,-1\n0.2,-0.4\n-2,-2.6\n",
		"CSV swapped": "truth, pred\n2,1.5\n-1,-0.5\n-0.4,0.2\n-2.6,-2\n",
		"CSV plain":   "1.5,2\n-0.5,-1\n0.2,-0.4\n-2,-2.6",
	} {
		p, err := ParsePredictions([]byte(in), mosiTask)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		for subset, got := range p.Score(mosiTask) {
			for k, v := range want {
				if math.Abs(got[k]-v) > 1e-6 {
					t.Errorf("%s, %s: %s = %v, want %v", name, subset, k, got[k], v)
				}
			}
		}
	}
	// Classification: class indices in plain rows.
	p, err := ParsePredictions([]byte("pred,truth\n1,1\n0,1\n0,0\n"), clsTask)
	if err != nil {
		t.Fatal(err)
	}
	if s := p.Score(clsTask)[PlainSubset]; math.Abs(s["acc"]-2.0/3) > 1e-12 {
		t.Errorf("classification accuracy %v", s["acc"])
	}
	// Several targets: pred_T and truth_T columns.
	p, err = ParsePredictions([]byte("pred_a,pred_b,truth_a,truth_b\n1,2,1,3\n3,5,3,4\n"), twoTask)
	if err != nil {
		t.Fatal(err)
	}
	if s := p.Score(twoTask)[PlainSubset]; s["mae"] != 0.5 {
		t.Errorf("two targets: mae %v", s["mae"])
	}
}

func TestParsePredictionsBadInput(t *testing.T) {
	for _, c := range []struct {
		in   string
		task data.Task
		want string
	}{
		{"", mosiTask, "empty"},
		{"pred,truth\n", mosiTask, "no rows"},
		{"pred,truth\n1,abc\n", mosiTask, "line 2: not a number"},
		{"pred,truth\n1,NaN\n", mosiTask, "not finite"},
		{"guess,truth\n1,2\n", mosiTask, "lacks a pred and truth column"},
		{"1,2,3\n", mosiTask, "want 2 columns"},
		{"1,2\n", twoTask, "want 2 columns"},
		{"pred,truth\n2,1\n", clsTask, "not a class index"},
		{"pred,truth\n0.5,1\n", clsTask, "not a class index"},
		{`[{"pred": 1}]`, mosiTask, `no "truth"`},
		{`[{"pred": "x", "truth": 1}]`, mosiTask, "want a number"},
		{`[{"pred": [1, 2], "truth": 1}]`, mosiTask, "the task has 1 targets"},
		{`{"task": "classification", "targets": ["sentiment"], "truth": [[1]], "predictions": {"t": [[1]]}}`, mosiTask, "the file's task is"},
		{`{"task": "regression", "targets": ["sentiment"], "truth": [[1]], "predictions": {"t": [[1], [2]]}}`, mosiTask, "2 predictions for 1 truths"},
		{`{"task": "regression", "targets": ["sentiment"], "truth": [[1]], "predictions": {}}`, mosiTask, "no predictions"},
		{`{"results": {}}`, mosiTask, "not a predictions file"},
	} {
		_, err := ParsePredictions([]byte(c.in), c.task)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want an error saying %q", c.in, err, c.want)
		}
	}
}

func FuzzParsePredictions(f *testing.F) {
	f.Add([]byte("pred,truth\n1.5,2\n-0.5,-1\n"), false)
	f.Add([]byte(`[{"pred": 1, "truth": 0}, {"pred": [0], "truth": [1]}]`), true)
	f.Add([]byte(`{"task": "regression", "targets": ["sentiment"], "truth": [[1]], "predictions": {"t": [[1]]}}`), false)
	f.Fuzz(func(t *testing.T, b []byte, classification bool) {
		task := mosiTask
		if classification {
			task = clsTask
		}
		p, err := ParsePredictions(b, task)
		if err != nil {
			return
		}
		for _, s := range p.Score(task) { // what parses must score without a panic
			_ = s
		}
	})
}
