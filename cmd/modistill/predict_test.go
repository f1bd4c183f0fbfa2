package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/modistill/modistill/data/load"
	"github.com/modistill/modistill/data/synth"
)

// predict answers JSON lines from a saved model as eval predicts the same
// samples, and answers a bad line with an error line without stopping.
func TestPredictAgreesWithEval(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "ours")
	args := smallData(t, "mosi", false, synth.Sizes{Train: 60, Valid: 20, Test: 30})
	if _, err := runCmd(t, append([]string{"train", "--system", "ours", "--epochs", "1", "--quiet", "--out", model}, args...)...); err != nil {
		t.Fatal(err)
	}
	predFile := filepath.Join(dir, "pred.json")
	if _, err := runCmd(t, append([]string{"eval", "--model", model, "--subsets", "t,avt", "--json", "--predictions", predFile}, args...)...); err != nil {
		t.Fatal(err)
	}
	var evalPred struct {
		Predictions map[string][][]float32 `json:"predictions"`
	}
	b, _ := os.ReadFile(predFile)
	if err := json.Unmarshal(b, &evalPred); err != nil {
		t.Fatal(err)
	}
	ds, err := load.Open(args[1], load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	row := func(m, i int) string {
		x := ds.Test.Inputs[m]
		n := x.Len() / x.Shape[0]
		v := x.Data[i*n : (i+1)*n]
		if len(x.Shape) == 3 {
			rows := make([]string, x.Shape[1])
			for s := range rows {
				rows[s] = fmt.Sprint(v[s*x.Shape[2] : (s+1)*x.Shape[2]])
			}
			return "[" + strings.ReplaceAll(strings.Join(rows, ","), " ", ",") + "]"
		}
		return strings.ReplaceAll(fmt.Sprint(v), " ", ",")
	}
	var in strings.Builder
	for i := range 3 {
		fmt.Fprintf(&in, `{"id": "t%d", "text": %s}`+"\n", i, row(2, i))
		fmt.Fprintf(&in, `{"id": "avt%d", "audio": %s, "visual": %s, "text": %s}`+"\n", i, row(0, i), row(1, i), row(2, i))
	}
	in.WriteString(`{"id": "bad", "audio": [1, 2]}` + "\n\n")
	input := filepath.Join(dir, "requests.jsonl")
	if err := os.WriteFile(input, []byte(in.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := runCmd(t, "predict", "--model", model, "--input", input)
	if exitCode(err, io.Discard) != 1 || !strings.Contains(err.Error(), "1 of 7 requests failed") {
		t.Errorf("exit %d, %v; want 1 and one failure", exitCode(err, io.Discard), err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 7 {
		t.Fatalf("%d output lines, want 7:\n%s", len(lines), out)
	}
	for k, line := range lines[:6] {
		var a struct {
			ID         string   `json:"id"`
			Score      float64  `json:"score"`
			Modalities []string `json:"modalities"`
			Path       string   `json:"path"`
		}
		if err := json.Unmarshal([]byte(line), &a); err != nil {
			t.Fatal(err)
		}
		sub, i := "t", k/2
		if k%2 == 1 {
			sub = "avt"
		}
		want := float64(evalPred.Predictions[sub][i][0])
		if a.ID != fmt.Sprint(sub, i) || math.Abs(a.Score-want) > 1e-6 || (sub == "avt") != (a.Path == "teacher") {
			t.Errorf("line %d: %s; eval predicted %v", k+1, line, want)
		}
	}
	if !strings.Contains(lines[6], `"id":"bad"`) || !strings.Contains(lines[6], `"line":7`) || !strings.Contains(lines[6], "want [74]") {
		t.Errorf("error line: %s", lines[6])
	}
	if _, err := runCmd(t, "predict", "--input", input); exitCode(err, io.Discard) != 2 {
		t.Errorf("no --model: %v", err)
	}
}
