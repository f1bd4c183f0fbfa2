package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/modistill/modistill/data/load/loadtest"
	"github.com/modistill/modistill/experiment"
)

// smallRelease writes a small bc-LSTM release (real layout, made-up
// values): four training videos, one validation video, two test videos.
func smallRelease(t *testing.T) string {
	t.Helper()
	var videos []loadtest.Video
	for i, idx := range []int{1, 2, 3, 4, 55, 70, 71} {
		v := loadtest.Video{ID: fmt.Sprintf("v%d_x", i), Index: idx}
		for j := range 5 {
			v.Scores = append(v.Scores, float64((i*5+j)%13)/2-3)
		}
		videos = append(videos, v)
	}
	dir, err := loadtest.WriteRelease(t.TempDir(), videos)
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// Every system of the paper's tables trains and evaluates on the bc-LSTM
// release's layout (text as the release's text-CNN vectors).
func TestEverySystemOnTheBCLSTMRelease(t *testing.T) {
	rel := smallRelease(t)
	out, err := runCmd(t, "data", "inspect", rel)
	if err != nil || !strings.Contains(out, "format: bclstm-release") || !strings.Contains(out, "samples: 35 distinct ids") ||
		!strings.Contains(out, "train: n 20, audio (20, 73), visual (20, 100), text (20, 100)") {
		t.Fatalf("inspect: %v\n%s", err, out)
	}
	if out, err := runCmd(t, "data", "inspect", rel, "--split", "standard"); err != nil || !strings.Contains(out, "warning: the standard folds") {
		t.Errorf("inspect --split standard: %v\n%s", err, out)
	}
	dir := t.TempDir()
	for _, system := range experiment.SystemsFor() {
		model := filepath.Join(dir, system)
		if _, err := runCmd(t, "train", "--data", rel, "--system", system, "--epochs", "1", "--quiet", "--out", model); err != nil {
			t.Fatalf("%s: train: %v", system, err)
		}
		res, err := runCmd(t, "eval", "--model", model, "--data", rel, "--json")
		if err != nil {
			t.Fatalf("%s: eval: %v", system, err)
		}
		var r evalOutput
		if err := json.Unmarshal([]byte(res), &r); err != nil || len(r.Results["avt"]) == 0 {
			t.Errorf("%s: eval output %v %s", system, err, res)
		}
	}
}
