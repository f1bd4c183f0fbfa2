package experiment

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/modistill/modistill/data/synth"
	"github.com/modistill/modistill/experiment/runstore"
	"github.com/modistill/modistill/train"
)

// A test split whose labels are all 0 has no correlation: the trial is
// still recorded (null in the store), and the report says n/a.
func TestUndefinedMetricsAreRecordedAndReported(t *testing.T) {
	dss, err := synth.Generate(synth.Config{Kind: synth.MOSI, Seed: 3, Sizes: synth.Sizes{Train: 60, Valid: 20, Test: 30}})
	if err != nil {
		t.Fatal(err)
	}
	ds := dss[0]
	for i := range ds.Test.Labels.Data {
		ds.Test.Labels.Data[i] = 0
	}
	tc := train.DefaultConfig()
	tc.Epochs, tc.Patience = 1, 1
	store, err := runstore.Open(filepath.Join(t.TempDir(), "runs.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var results []*Result
	for seed := uint64(1); seed <= 2; seed++ {
		res, err := Run(context.Background(), Trial{System: "lmf", Dataset: "mosi", Seed: seed}, ds, tc)
		if err != nil {
			t.Fatal(err)
		}
		if !math.IsNaN(res.Scores["avt"]["corr"]) {
			t.Fatalf("corr against constant labels = %v, want NaN", res.Scores["avt"]["corr"])
		}
		if err := store.Append(res.Key(), res); err != nil {
			t.Fatalf("recording a trial with an undefined metric: %v", err)
		}
	}
	for _, rec := range store.Records() {
		if !strings.Contains(string(rec.Data), `"corr":null`) {
			t.Errorf("record %s does not hold corr as null: %s", rec.Key, rec.Data)
		}
		var back Result
		if err := json.Unmarshal(rec.Data, &back); err != nil {
			t.Fatal(err)
		}
		if !math.IsNaN(back.Scores["avt"]["corr"]) || math.IsNaN(back.Scores["avt"]["mae"]) {
			t.Errorf("read back corr %v, mae %v", back.Scores["avt"]["corr"], back.Scores["avt"]["mae"])
		}
		results = append(results, &back)
	}
	path := filepath.Join(t.TempDir(), "report.md")
	if err := WriteReport(path, "# test\n", results, false); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	var row string
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "| lmf | avt |") {
			row = line
		}
	}
	cells := strings.Split(row, "|")
	if len(cells) < 5 || strings.TrimSpace(cells[4]) != "n/a" || !strings.Contains(cells[3], "±") {
		t.Errorf("report row %q: want MAE mean ± std, then n/a for Corr", row)
	}
	if err := WriteCSV(filepath.Join(t.TempDir(), "results.csv"), results); err != nil {
		t.Fatal(err)
	}
}
