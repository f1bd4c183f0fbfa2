package experiment

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/modistill/modistill/data/synth"
	"github.com/modistill/modistill/metrics"
	"github.com/modistill/modistill/train"
)

func TestRunTrainedAndFittedSystems(t *testing.T) {
	dss, err := synth.Generate(synth.Config{Kind: synth.MOSI, Seed: 3, Sizes: synth.Sizes{Train: 120, Valid: 40, Test: 60}})
	if err != nil {
		t.Fatal(err)
	}
	tc := train.DefaultConfig()
	tc.Epochs, tc.Patience = 2, 2
	for _, tt := range []struct {
		system, status string
		conditions     int
	}{
		{"ours", "", 7},      // separable: every non-empty subset
		{"lmf", "", 1},       // fused: all modalities only
		{"svm", "fitted", 7}, // per-subset fitted baseline
	} {
		res, err := Run(context.Background(), Trial{System: tt.system, Dataset: "mosi", Seed: 1}, dss[0], tc)
		if err != nil {
			t.Fatalf("%s: %v", tt.system, err)
		}
		if len(res.Scores) != tt.conditions {
			t.Errorf("%s: scored %d conditions, want %d: %v", tt.system, len(res.Scores), tt.conditions, res.Scores)
		}
		if _, ok := res.Scores["avt"]["mae"]; !ok {
			t.Errorf("%s: no avt MAE: %v", tt.system, res.Scores)
		}
		if learns := tt.system == "ours"; learns != (len(res.Temperatures) == 6) {
			t.Errorf("%s: temperatures %v", tt.system, res.Temperatures)
		}
		if tt.status != "" && res.Status != tt.status {
			t.Errorf("%s: status %q, want %q", tt.system, res.Status, tt.status)
		}
		if tt.status == "" && (res.Epochs < 1 || res.Epochs > 2) {
			t.Errorf("%s: %d epochs, want 1 or 2", tt.system, res.Epochs)
		}
	}
	if _, err := Run(context.Background(), Trial{System: "no-such", Dataset: "mosi", Seed: 1}, dss[0], tc); err == nil {
		t.Error("unknown system: no error")
	}
}

func fakeResults() []*Result {
	mk := func(sys string, seed uint64, mae float64) *Result {
		return &Result{Trial: Trial{System: sys, Dataset: "mosi", Seed: seed}, Status: "fitted",
			Scores: map[string]metrics.Scores{"avt": {"mae": mae, "corr": 0.5}, "t": {"mae": mae + 1}}}
	}
	rs := []*Result{mk("ours", 1, 1.0), mk("ours", 2, 2.0), mk("svm", 1, 0.75)}
	rs[0].Temperatures = map[string][]float64{"T_s_a": {1, 2}, "T_z_a": {2, 2}}
	return rs
}

func TestWriteReportMeanAndStd(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.md")
	if err := WriteReport(path, "# header\n", fakeResults(), false); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	// ours: MAE 1 and 2 -> mean 1.5, sample std 0.707; one seed prints no ±.
	for _, want := range []string{"# header", "| ours | avt | 1.500 ± 0.707 | 0.500 ± 0.000 |", "| svm | avt | 0.750 | 0.500 |",
		"| ours | t | 2.500 ± 0.707 |", "| ours | av | - |", "Table 3: two modalities missing"} {
		if !strings.Contains(s, want) {
			t.Errorf("report lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "POM") || strings.Contains(s, "IEMOCAP") || strings.Contains(s, "(paper)") {
		t.Errorf("report has columns for datasets not run, or the paper's numbers unasked:\n%s", s)
	}
	if err := WriteReport(path, "", fakeResults(), true); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(path)
	// Rows of the paper's Tables 1, 2 and 3, as printed.
	for _, want := range []string{"| ours (paper) | avt | 0.996 | 0.606 | 74.0 | 74.0 | 34.3 |", "| svm (paper) | avt | 1.864 |",
		"| ours (paper) | t | 1.074 | 0.570 | 71.8 | 70.9 | 30.5 |", "| strh (paper) | v | 1.458 |", "| ours-fixed (paper) | at | 1.091 |", "| svm (paper) | vt | 1.977 |", "| ours (paper) | av | 1.374 | 0.126 |"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("report lacks %q:\n%s", want, b)
		}
	}
}

func TestWriteCSVOneRowPerCondition(t *testing.T) {
	path := filepath.Join(t.TempDir(), "results.csv")
	if err := WriteCSV(path, fakeResults()); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := "system,dataset,condition,seed,hyperparameters,batch_size,corr,mae,epochs,seconds,status"
	if got := strings.Join(rows[0], ","); got != want {
		t.Errorf("header %s, want %s", got, want)
	}
	if len(rows) != 1+6 {
		t.Fatalf("%d rows, want 7", len(rows))
	}
	if r := rows[2]; r[0] != "ours" || r[2] != "t" || r[6] != "" || r[7] != "2" {
		t.Errorf("row 2 = %v, want ours condition t with no corr and MAE 2", r)
	}
}

func TestSystemsForListsEachRowOnce(t *testing.T) {
	got := SystemsFor()
	seen := map[string]bool{}
	for _, s := range got {
		if seen[s] {
			t.Errorf("%s listed twice", s)
		}
		seen[s] = true
	}
	for _, s := range append(append([]string{}, Table1Systems...), Table2Systems...) {
		if !seen[s] {
			t.Errorf("%s missing", s)
		}
	}
}

func TestWritePlots(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "plots")
	files, err := WritePlots(dir, fakeResults())
	if err != nil {
		t.Fatal(err)
	}
	// MOSI has five table metrics; the fake results have two of them, and
	// one system with temperatures.
	if len(files) != 2*2+2 {
		t.Errorf("%d files: %v", len(files), files)
	}
	b, err := os.ReadFile(filepath.Join(dir, "mosi-mae.svg"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ours", "svm", "vt"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("mosi-mae.svg lacks %q", want)
		}
	}
}

func TestTemperatures(t *testing.T) {
	h := []train.Epoch{
		{Metrics: map[string]float64{"T_s_a": 1, "T_z_t": 4}},
		{Metrics: map[string]float64{"T_s_a": 3, "T_z_t": math.NaN()}},
	}
	got := TemperaturesOf(h)
	if len(got) != 2 || len(got["T_s_a"]) != 2 || len(got["T_z_t"]) != 1 {
		t.Fatalf("TemperaturesOf = %v; want T_s_a over 2 epochs, T_z_t cut at the NaN", got)
	}
	if TemperaturesOf([]train.Epoch{{TrainLoss: 1}}) != nil {
		t.Error("a history without temperatures gave some")
	}
	// Two runs: the second is one epoch longer; epoch 3 averages one run.
	s := TemperatureSeries([]map[string][]float64{{"T_s_a": {1, 2}}, {"T_s_a": {3, 4, 5}}})
	if len(s) != 1 || s[0].Name != "T_s audio" || fmt.Sprint(s[0].Y) != "[2 3 5]" || s[0].Dashed {
		t.Errorf("TemperatureSeries = %+v", s)
	}
}

func TestSampleSettings(t *testing.T) {
	a, b := SampleSettings(20, 7), SampleSettings(20, 7)
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Error("the same seed drew different settings")
	}
	if fmt.Sprint(a) == fmt.Sprint(SampleSettings(20, 8)) {
		t.Error("another seed drew the same settings")
	}
	seen := map[Setting]bool{}
	in := func(v int, set []int) bool {
		for _, x := range set {
			if x == v {
				return true
			}
		}
		return false
	}
	for _, s := range a {
		if seen[s] {
			t.Errorf("%+v drawn twice", s)
		}
		seen[s] = true
		if !in(s.Rank, Grid.Rank) || !in(s.BatchSize, Grid.BatchSize) || !in(s.TextHidden, Grid.TextHidden) || s.LR <= 0 {
			t.Errorf("%+v is not in the grid", s)
		}
	}
}

func TestBestPicksLowestValidationLoss(t *testing.T) {
	rs := []*Result{
		{Trial: Trial{Search: 1}, ValidLoss: 2},
		{Trial: Trial{Search: 2}, ValidLoss: 1},
		{Trial: Trial{Search: 3}, ValidLoss: 1},
	}
	if b, err := Best(rs); err != nil || b.Search != 2 {
		t.Errorf("Best = %+v, %v; want setting 2 (lowest, earlier on a tie)", b, err)
	}
	if _, err := Best(nil); err == nil {
		t.Error("no trials: no error")
	}
	if _, err := Best([]*Result{{}}); err == nil {
		t.Error("a main trial taken for a search trial")
	}
}

func TestRunAppliesTheSetting(t *testing.T) {
	dss, err := synth.Generate(synth.Config{Kind: synth.MOSI, Seed: 3, Sizes: synth.Sizes{Train: 60, Valid: 20, Test: 20}})
	if err != nil {
		t.Fatal(err)
	}
	tc := train.DefaultConfig()
	tc.Epochs, tc.Patience = 1, 1
	st := Setting{AudioHidden: 4, VisualHidden: 8, TextHidden: 128, Dropout: 0.3, LR: 3e-3, BatchSize: 16, WeightDecay: 0.01, Rank: 8}
	res, err := Run(context.Background(), Trial{System: "lmf", Dataset: "mosi", Seed: 5, Setting: &st, Search: 1}, dss[0], tc)
	if err != nil {
		t.Fatal(err)
	}
	cfg, _ := json.Marshal(res.Config)
	for _, want := range []string{`"rank":8`, `"text_hidden":128`, `"audio_hidden":4`, `"lr":0.003`} {
		if !strings.Contains(string(cfg), want) {
			t.Errorf("config %s lacks %s", cfg, want)
		}
	}
	if res.BatchSize != 16 || res.ValidLoss <= 0 {
		t.Errorf("batch size %d, valid loss %g", res.BatchSize, res.ValidLoss)
	}
	if len(res.Scores) != 0 {
		t.Errorf("a search trial was scored on test: %v", res.Scores)
	}
	if k := res.Key(); k != "search/mosi/lmf/1" {
		t.Errorf("key %s", k)
	}
}

func TestRunRandomRate(t *testing.T) {
	dss, err := synth.Generate(synth.Config{Kind: synth.MOSI, Seed: 3, Frames: true, Sizes: synth.Sizes{Train: 60, Valid: 20, Test: 40}})
	if err != nil {
		t.Fatal(err)
	}
	tc := train.DefaultConfig()
	tc.Epochs, tc.Patience = 1, 1
	paper, err := Run(context.Background(), Trial{System: "lmf", Dataset: "mosi", Seed: 2}, dss[0], tc)
	if err != nil {
		t.Fatal(err)
	}
	rr, err := Run(context.Background(), Trial{System: "lmf", Dataset: "mosi", Seed: 2, Protocol: RandomRate}, dss[0], tc)
	if err != nil {
		t.Fatal(err)
	}
	if len(rr.Scores) != len(Rates)+1 {
		t.Fatalf("%d conditions, want %d: %v", len(rr.Scores), len(Rates)+1, rr.Scores)
	}
	// Rate 0 masks nothing: the same model scores as under the paper's protocol.
	if got, want := rr.Scores["avt@0.0"]["mae"], paper.Scores["avt"]["mae"]; got != want {
		t.Errorf("MAE at rate 0 = %g, paper protocol %g", got, want)
	}
	var sum float64
	for _, c := range RateConditions[:len(Rates)] {
		sum += rr.Scores[c]["mae"]
	}
	if got := rr.Scores["avt@avg"]["mae"]; math.Abs(got-sum/float64(len(Rates))) > 1e-9 {
		t.Errorf("avg MAE %g, mean of the rates %g", got, sum/float64(len(Rates)))
	}
	if rr.Scores["avt@0.9"]["mae"] == rr.Scores["avt@0.0"]["mae"] {
		t.Error("masking 90% of the steps changed nothing")
	}
	if !strings.HasPrefix(rr.Key(), "random-rate/") {
		t.Errorf("key %s", rr.Key())
	}
	path := filepath.Join(t.TempDir(), "report.md")
	if err := WriteReport(path, "", []*Result{rr}, false); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), "Random missing rate") || !strings.Contains(string(b), "| lmf | avt@avg | ") || strings.Contains(string(b), "Table 1") {
		t.Errorf("random-rate report:\n%s", b)
	}
}

func TestWriteReportPairedDifferences(t *testing.T) {
	mk := func(sys string, seed uint64, mae float64) *Result {
		return &Result{Trial: Trial{System: sys, Dataset: "mosi", Seed: seed}, Status: "converged",
			Scores: map[string]metrics.Scores{"avt": {"mae": mae, "corr": 0.5, "acc2": 0.7}, "t": {"mae": mae + 0.5, "corr": 0.4, "acc2": 0.6}}}
	}
	// Ours beats Tucker-S by 0.1 and 0.3 on seeds 1 and 2; seed 3 has no
	// Tucker-S to pair with; LMF-S and Deep-S were not run.
	rs := []*Result{mk("ours", 1, 1.0), mk("ours", 2, 1.0), mk("ours", 3, 5.0), mk("tucker-s", 1, 1.1), mk("tucker-s", 2, 1.3)}
	path := filepath.Join(t.TempDir(), "report.md")
	if err := WriteReport(path, "", rs, false); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	s := string(b)
	// Differences -0.1 and -0.3: mean -0.2, std 0.141, standard error 0.1.
	for _, want := range []string{"## Does distillation help? mosi, MAE: paired differences", "| ours - tucker-s | -0.200 ± 0.100 | - | - | - | - | - | -0.200 ± 0.100 |",
		"## Does distillation help? mosi, Acc-2: paired differences", "| ours - tucker-s | +0.00 ± 0.00 |"} {
		if !strings.Contains(s, want) {
			t.Errorf("report lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "ours - lmf-s") {
		t.Errorf("a pair with a system not run:\n%s", s)
	}
}
