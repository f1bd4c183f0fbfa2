package metrics

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/tensor"
)

func TestUndefinedScoresRoundTripAsNull(t *testing.T) {
	// All labels equal: the correlation is undefined.
	s := Score(data.Task{Kind: data.Regression, Targets: []string{"s"}},
		tensor.From([]float32{1, -1, 0.5}, 3, 1), tensor.From([]float32{0, 0, 0}, 3, 1))
	if !math.IsNaN(s["corr"]) {
		t.Fatalf("corr of constant labels %v, want NaN", s["corr"])
	}
	b, err := json.Marshal(map[string]Scores{"avt": s})
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	var back map[string]Scores
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(back["avt"]["corr"]) || back["avt"]["mae"] != s["mae"] || len(back["avt"]) != len(s) {
		t.Errorf("round trip %s gave %v", b, back)
	}
	var raw map[string]map[string]any
	json.Unmarshal(b, &raw)
	if v, ok := raw["avt"]["corr"]; !ok || v != nil {
		t.Errorf("corr written as %v, want null", v)
	}
}

func TestFormat(t *testing.T) {
	for _, c := range []struct {
		metric string
		v      float64
		want   string
	}{{"mae", 0.93671, "0.9367"}, {"acc2", 0.71137, "71.14"}, {"f1_happy", 0.5, "50.00"}, {"corr", math.NaN(), "n/a"}} {
		if got := Format(c.metric, c.v); got != c.want {
			t.Errorf("Format(%s, %v) = %q, want %q", c.metric, c.v, got, c.want)
		}
	}
	for _, c := range []struct {
		metric string
		v      []float64
		want   string
	}{
		{"mae", nil, "-"},
		{"mae", []float64{0.9}, "0.900"},
		{"mae", []float64{1, 3}, "2.000 ± 1.414"},
		{"acc2", []float64{0.7, 0.8}, "75.00 ± 7.07"},
		{"corr", []float64{0.5, math.NaN(), 0.7}, "0.600 ± 0.141 (2 of 3)"},
		{"corr", []float64{math.NaN()}, "n/a"},
	} {
		if got := Summarize(c.v).Format(c.metric); got != c.want {
			t.Errorf("Summarize(%v).Format(%s) = %q, want %q", c.v, c.metric, got, c.want)
		}
	}
}
