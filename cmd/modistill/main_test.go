package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/modistill/modistill/data/load"
	"github.com/modistill/modistill/data/synth"
	"github.com/modistill/modistill/systems"
)

func runCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), args, &out, io.Discard)
	return out.String(), err
}

// timing drops the parts of demo's output that measure time.
var timing = regexp.MustCompile(`[0-9.]+s\b`)

func TestDemoIsDeterministic(t *testing.T) {
	a, err := runCmd(t, "demo", "--seed", "7", "--epochs", "2")
	if err != nil {
		t.Fatal(err)
	}
	b, err := runCmd(t, "demo", "--seed", "7", "--epochs", "2")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"train L1", "MAE", "Corr (Pearson)", "Acc-2 % (y >= 0)", "test split (686 samples)"} {
		if !strings.Contains(a, want) {
			t.Errorf("demo output lacks %q:\n%s", want, a)
		}
	}
	if timing.ReplaceAllString(a, "") != timing.ReplaceAllString(b, "") {
		t.Errorf("same seed, different output:\n%s\n---\n%s", a, b)
	}
}

func TestBenchJSON(t *testing.T) {
	out, err := runCmd(t, "bench", "--model", "lmf", "--json", "--steps", "2", "--runs", "1", "--warmup", "0", "--infer-reps", "1")
	if err != nil {
		t.Fatal(err)
	}
	var r map[string]any
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, out)
	}
	for _, k := range []string{"train_steps_per_s", "infer_samples_per_s"} {
		if v, ok := r[k].(float64); !ok || v <= 0 {
			t.Errorf("%s = %v", k, r[k])
		}
	}
	if s := r["shapes"].(map[string]any); s["infer_batch"].(float64) != 686 || s["batch"].(float64) != 32 {
		t.Errorf("shapes %v", s)
	}
}

func TestBenchOurs(t *testing.T) {
	for _, args := range [][]string{{"--model", "ours"}, {"--model", "ours", "--fusion", "lmf", "--distill", "none"}} {
		out, err := runCmd(t, append([]string{"bench", "--json", "--steps", "1", "--runs", "1", "--warmup", "0", "--infer-reps", "1"}, args...)...)
		if err != nil {
			t.Fatal(err)
		}
		var r map[string]any
		if err := json.Unmarshal([]byte(out), &r); err != nil || r["train_steps_per_s"].(float64) <= 0 {
			t.Errorf("%v: %v %s", args, err, out)
		}
	}
	if _, err := runCmd(t, "bench", "--model", "ours", "--fusion", "mutan"); exitCode(err, io.Discard) != 2 {
		t.Errorf("bad fusion: %v", err)
	}
}

func TestUsageErrorsExitTwo(t *testing.T) {
	for _, args := range [][]string{
		{"nope"},
		{"demo", "--epochs", "0"},
		{"demo", "--bogus"},
		{"demo", "extra"},
		{"bench", "--model", "gpt"},
		{},
	} {
		_, err := runCmd(t, args...)
		if code := exitCode(err, io.Discard); code != 2 {
			t.Errorf("%v: exit %d (%v), want 2", args, code, err)
		}
	}
	if _, err := runCmd(t, "demo", "-h"); exitCode(err, io.Discard) != 0 {
		t.Errorf("-h: %v", err)
	}
}

func TestDataSynthThenInspect(t *testing.T) {
	p := t.TempDir() + "/pom.pkl"
	if _, err := runCmd(t, "data", "synth", "--kind", "pom", "--seed", "3", "--out", p); err != nil {
		t.Fatal(err)
	}
	out, err := runCmd(t, "data", "inspect", p, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Format  string   `json:"format"`
		Task    string   `json:"task"`
		Targets []string `json:"targets"`
		Splits  map[string]struct {
			N     int   `json:"n"`
			Audio []int `json:"audio"`
			Text  []int `json:"text"`
			Label []int `json:"label"`
		} `json:"splits"`
		NonFinite map[string]int `json:"nonfinite_replaced"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	tr := r.Splits["train"]
	if r.Format != "lmf-pickle" || r.Task != "regression" || len(r.Targets) != 16 || tr.N != 600 ||
		tr.Audio[1] != 43 || tr.Text[2] != 300 || tr.Label[1] != 16 || r.Splits["test"].N != 203 || r.NonFinite == nil {
		t.Errorf("inspect: %+v", r)
	}
}

func TestDataBadInput(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"data"},
		{"data", "frob"},
		{"data", "synth", "--kind", "mosei", "--out", dir + "/x.pkl"},
		{"data", "synth", "--kind", "mosi"},
		{"data", "inspect"},
	} {
		if _, err := runCmd(t, args...); exitCode(err, io.Discard) != 2 {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
	bad := dir + "/bad.pkl"
	os.WriteFile(bad, []byte{0x80, 2, ']', 'K'}, 0o644)
	_, err := runCmd(t, "data", "inspect", bad)
	if exitCode(err, io.Discard) != 1 || !strings.Contains(err.Error(), "bad.pkl") {
		t.Errorf("corrupt file: %v", err)
	}
	if _, err := os.Stat(dir + "/x.pkl"); !os.IsNotExist(err) {
		t.Error("a failed synth left a file behind")
	}
}

func TestPredictionsFile(t *testing.T) {
	dir := t.TempDir()
	// IEMOCAP: a classification task.
	out := dir + "/iemocap"
	data := smallData(t, "iemocap", false, synth.Sizes{Train: 60, Valid: 20, Test: 30})
	if _, err := runCmd(t, append([]string{"train", "--system", "ours", "--epochs", "1", "--quiet", "--out", out}, data...)...); err != nil {
		t.Fatal(err)
	}
	pred := dir + "/pred.json"
	res, err := runCmd(t, append([]string{"eval", "--model", out, "--subsets", "t,avt", "--json", "--predictions", pred}, data...)...)
	if err != nil || !strings.Contains(res, `"f1_happy"`) {
		t.Fatalf("%v %s", err, res)
	}
	var p struct {
		Truth       [][]float32            `json:"truth"`
		Predictions map[string][][]float32 `json:"predictions"`
	}
	b, _ := os.ReadFile(pred)
	if err := json.Unmarshal(b, &p); err != nil || len(p.Predictions) != 2 || len(p.Predictions["t"][0]) != 2 || len(p.Truth) != 30 {
		t.Errorf("predictions file: %v, %d subsets", err, len(p.Predictions))
	}
}

func TestTrainEvalBadInput(t *testing.T) {
	dir := t.TempDir()
	model := dir + "/lmf"
	if _, err := runCmd(t, "train", "--data", "synth", "--system", "lmf", "--epochs", "1", "--quiet", "--out", model); err != nil {
		t.Fatal(err)
	}
	usage := [][]string{
		{"train", "--data", "synth", "--system", "mult", "--out", dir + "/x"},
		{"train", "--data", "synth", "--system", "lmf"},
		{"train", "--data", "synth", "--system", "lmf", "--out", model}, // exists
		{"train", "--data", "synth", "--kind", "mosei", "--out", dir + "/y"},
		{"train", "--data", "synth", "--system", "ours", "--temperature-grad", "sideways", "--out", dir + "/z"},
		{"eval", "--model", model, "--data", "synth", "--subsets", "t"}, // LMF needs all three
		{"eval", "--model", model, "--data", "synth", "--subsets", "avx"},
		{"eval", "--data", "synth"},
	}
	for _, args := range usage {
		if _, err := runCmd(t, args...); exitCode(err, io.Discard) != 2 {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
	_, err := runCmd(t, "eval", "--model", model, "--data", "synth", "--kind", "pom")
	if exitCode(err, io.Discard) != 2 || !strings.Contains(err.Error(), "does not fit the model") {
		t.Errorf("mismatched data: %v", err)
	}
	if _, err := runCmd(t, "eval", "--model", dir+"/none", "--data", "synth"); exitCode(err, io.Discard) != 1 {
		t.Errorf("missing model: %v", err)
	}
	if _, err := os.Stat(dir + "/x"); !os.IsNotExist(err) {
		t.Error("a failed train left a directory behind")
	}
}

func TestRidgeOnTranscripts(t *testing.T) {
	dir := t.TempDir()
	rows := map[string][]string{
		"train.tsv": {"A GOOD MOVIE\t2", "A BAD MOVIE\t-2", "GOOD FUN\t1.5", "BAD AND DULL\t-1.5", "GOOD\t1", "BAD\t-1", "THE MOVIE\t0"},
		"dev.tsv":   {"GOOD MOVIE\t1.5", "BAD MOVIE\t-1.5"},
		"test.tsv":  {"GOOD GOOD\t2", "DULL BAD\t-2"},
	}
	for name, r := range rows {
		os.WriteFile(dir+"/"+name, []byte("text\tlabel\n"+strings.Join(r, "\n")+"\n"), 0o644)
	}
	out, err := runCmd(t, "ridge", "--data", dir, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Lambda float64            `json:"lambda"`
		Test   map[string]float64 `json:"test"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.Test["acc2"] != 1 || r.Lambda <= 0 {
		t.Errorf("%v %s", err, out)
	}
	if _, err := runCmd(t, "ridge", "--data", "synth"); exitCode(err, io.Discard) != 1 {
		t.Errorf("word-vector data: %v", err)
	}
}

func TestSmallSyntheticTrainingSplitAndOwnStudents(t *testing.T) {
	out := t.TempDir() + "/own"
	if _, err := runCmd(t, "train", "--data", "synth", "--synth-train", "64", "--system", "ours", "--share", "none", "--epochs", "1", "--quiet", "--out", out); err != nil {
		t.Fatal(err)
	}
	res, err := runCmd(t, "eval", "--model", out, "--data", "synth", "--synth-train", "64", "--subsets", "t", "--json")
	if err != nil || !strings.Contains(res, `"t"`) {
		t.Fatalf("%v %s", err, res)
	}
	var meta struct {
		Config struct {
			Share string `json:"share"`
		} `json:"config"`
		Data string `json:"data"`
	}
	b, _ := os.ReadFile(out + "/model.json")
	if err := json.Unmarshal(b, &meta); err != nil || meta.Config.Share != "none" || !strings.Contains(meta.Data, "train=64") {
		t.Errorf("model.json: %v %+v", err, meta)
	}
	if _, err := runCmd(t, "train", "--data", "synth", "--system", "ours", "--share", "some", "--out", t.TempDir()+"/x"); exitCode(err, io.Discard) != 2 {
		t.Errorf("bad --share: %v", err)
	}
}

func TestTrainThenEvalFittedSystems(t *testing.T) {
	for _, system := range []string{"strh", "svm"} {
		testFitted(t, system)
	}
}

func testFitted(t *testing.T, system string) {
	out := t.TempDir() + "/" + system
	data := smallData(t, "mosi", false, synth.Sizes{Train: 120, Valid: 40, Test: 40})
	if _, err := runCmd(t, append(append([]string{"train"}, data...), "--system", system, "--out", out)...); err != nil {
		t.Fatal(err)
	}
	res, err := runCmd(t, append(append([]string{"eval", "--model", out}, data...), "--json")...)
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Results map[string]map[string]float64 `json:"results"`
	}
	if err := json.Unmarshal([]byte(res), &r); err != nil || len(r.Results) != 7 || r.Results["t"]["mae"] <= 0 {
		t.Errorf("%v %s", err, res)
	}
	b, _ := os.ReadFile(out + "/model.json")
	if !strings.Contains(string(b), `"fitted"`) && !strings.Contains(string(b), `"chosen"`) {
		t.Errorf("%s: model.json does not keep the chosen settings", system)
	}
}

func TestTrainThenEvalSequenceModels(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		system string
		frames bool
	}{{"mfn", true}, {"mfn", false}, {"marn", true}, {"mv-lstm", true}, {"bc-lstm", false}} {
		system, frames := c.system, c.frames
		out := fmt.Sprintf("%s/%s-%v", dir, system, frames)
		data := []string{"--data", "synth", "--synth-train", "64", fmt.Sprintf("--frames=%v", frames)}
		res, err := runCmd(t, append(append([]string{"train"}, data...), "--system", system, "--epochs", "1", "--quiet", "--out", out)...)
		if err != nil {
			t.Fatal(err)
		}
		want := !frames // the sequence models say when they get utterance averages
		if system == "bc-lstm" {
			want = true // and BC-LSTM when the data has no video ids
		}
		if said := strings.Contains(res, "note:"); said != want {
			t.Errorf("%s, frames=%v: note %v:\n%s", system, frames, said, res)
		}
		if _, err := runCmd(t, append(append([]string{"eval", "--model", out}, data...), "--json")...); err != nil {
			t.Fatal(err)
		}
	}
}

// Every system trains and evaluates on a small synthetic MOSI and a small
// synthetic IEMOCAP (frame sequences, so the sequence models read them as
// such; the others average them).
func TestEverySystemOnSmallMOSIAndIEMOCAP(t *testing.T) {
	dir := t.TempDir()
	for _, kind := range []string{"mosi", "iemocap"} {
		data := smallData(t, kind, true, synth.Sizes{Train: 48, Valid: 16, Test: 16})
		for _, system := range systemNames() {
			out := fmt.Sprintf("%s/%s-%s", dir, kind, system)
			args := append(append([]string{"train"}, data...), "--system", system, "--epochs", "1", "--quiet", "--out", out)
			if system == "tfn" {
				args = append(args, "--hidden", "8")
			}
			if _, err := runCmd(t, args...); err != nil {
				t.Fatalf("%s on %s: train: %v", system, kind, err)
			}
			res, err := runCmd(t, append(append([]string{"eval", "--model", out}, data...), "--json")...)
			if err != nil {
				t.Fatalf("%s on %s: eval: %v", system, kind, err)
			}
			var r struct {
				Task    string                        `json:"task"`
				Results map[string]map[string]float64 `json:"results"`
			}
			if err := json.Unmarshal([]byte(res), &r); err != nil || len(r.Results) == 0 {
				t.Fatalf("%s on %s: %v %s", system, kind, err, res)
			}
			want := 7 // subsets each system answers
			switch system {
			case "lmf", "tfn", "df", "mfn", "marn", "mv-lstm", "bc-lstm", "unimodal-a", "unimodal-v", "unimodal-t":
				want = 1
			}
			if len(r.Results) != want {
				t.Errorf("%s on %s: %d subsets, want %d", system, kind, len(r.Results), want)
			}
			metric := "mae"
			if kind == "iemocap" {
				metric = "f1_happy"
			}
			for subset, scores := range r.Results {
				if _, ok := scores[metric]; !ok {
					t.Errorf("%s on %s, %s: no %s in %v", system, kind, subset, metric, scores)
				}
			}
		}
	}
}

func systemNames() []string { return systems.Names }

func TestPaperQuickResumes(t *testing.T) {
	dir := t.TempDir()
	args := []string{"paper", "--quick", "--quiet", "--seeds", "2", "--out", dir}
	out, err := runCmd(t, append(args, "--systems", "lmf")...)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "2 trials, 0 already recorded") {
		t.Errorf("first run:\n%s", out)
	}
	// A second run with one more system runs only the new trials.
	out, err = runCmd(t, append(args, "--systems", "lmf,svm")...)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "3 trials, 2 already recorded") || !strings.Contains(out, "1 to run") { // svm is fitted once
		t.Errorf("second run did not resume:\n%s", out)
	}
	report, err := os.ReadFile(dir + "/report.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| lmf | avt | ", "| svm | t | ", "±"} {
		if !strings.Contains(string(report), want) {
			t.Errorf("report.md lacks %q:\n%s", want, report)
		}
	}
	if strings.Contains(string(report), "(paper)") {
		t.Error("the paper's numbers shown beside synthetic results")
	}
	for _, f := range []string{"mosi-mae.svg", "mosi-mae.png", "mosi-acc7.svg"} {
		if _, err := os.Stat(dir + "/plots/" + f); err != nil {
			t.Errorf("no chart: %v", err)
		}
	}
	csvText, err := os.ReadFile(dir + "/results.csv")
	if err != nil {
		t.Fatal(err)
	}
	// lmf: 2 seeds x avt; svm, fitted once: 7 conditions; plus the header.
	if n := strings.Count(string(csvText), "\n"); n != 1+2+7 {
		t.Errorf("results.csv has %d lines, want 10", n)
	}
}

func TestPaperBadFlags(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"paper", "--quick"},
		{"paper", "--quick", "--out", dir, "--systems", "lmf,nope"},
		{"paper", "--quick", "--out", dir, "--dataset", "imdb"},
		{"paper", "--quick", "--out", dir, "--data", "x.pkl"},
		{"paper", "--quick", "--out", dir, "--seeds", "0"},
	} {
		if _, err := runCmd(t, args...); err == nil {
			t.Errorf("%v: no error", args)
		} else if c := exitCode(err, io.Discard); c != 2 {
			t.Errorf("%v: exit %d (%v), want 2", args, c, err)
		}
	}
}

// csvWithoutSeconds reads results.csv, dropping the wall-time column.
func csvWithoutSeconds(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	for i, l := range lines {
		f := strings.Split(l, ",")
		lines[i] = strings.Join(append(f[:len(f)-2:len(f)-2], f[len(f)-1]), ",")
	}
	return strings.Join(lines, "\n")
}

func TestPaperShardsMergeToTheUnshardedRun(t *testing.T) {
	whole, a, b, merged := t.TempDir(), t.TempDir(), t.TempDir(), t.TempDir()
	args := append([]string{"paper", "--quick", "--quiet", "--seeds", "2", "--systems", "lmf,svm", "--dataset", "mosi"},
		smallData(t, "mosi", false, synth.Sizes{Train: 160, Valid: 60, Test: 80})...)
	// Three trials: lmf seeds 1 and 2, svm fitted once; shard 0/2 takes
	// the first and the third.
	for _, run := range []struct {
		flags []string
		want  string
	}{{[]string{"--out", whole}, "3 trials, 0 already recorded"}, {[]string{"--out", a, "--shard", "0/2"}, "2 trials, 0 already recorded"},
		{[]string{"--out", b, "--shard", "1/2"}, "1 trial, 0 already recorded"}} {
		out, err := runCmd(t, append(append([]string{}, args...), run.flags...)...)
		if err != nil {
			t.Fatalf("%v: %v", run.flags, err)
		}
		if !strings.Contains(out, run.want) {
			t.Errorf("%v: want %q:\n%s", run.flags, run.want, out)
		}
	}
	out, err := runCmd(t, "report", "--in", a, "--in", b, "--out", merged)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "3 trials from 2 directories") {
		t.Errorf("report output:\n%s", out)
	}
	want, got := csvWithoutSeconds(t, whole+"/results.csv"), csvWithoutSeconds(t, merged+"/results.csv")
	if got != want {
		t.Errorf("merged shards:\n%s\nunsharded run:\n%s", got, want)
	}
	wantMD, _ := os.ReadFile(whole + "/report.md")
	gotMD, _ := os.ReadFile(merged + "/report.md")
	if string(gotMD) != string(wantMD) {
		t.Errorf("merged report.md differs from the unsharded one:\n%s\n---\n%s", gotMD, wantMD)
	}
	for _, bad := range [][]string{{"report", "--out", merged}, {"report", "--in", t.TempDir(), "--out", merged}} {
		if _, err := runCmd(t, bad...); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
	for _, bad := range []string{"2/2", "x", "1/0", "-1/3"} {
		if _, err := runCmd(t, append(append([]string{}, args...), "--out", a, "--shard", bad)...); exitCode(err, io.Discard) != 2 {
			t.Errorf("--shard %s: %v, want a usage error", bad, err)
		}
	}
}

func TestPlotTemperatures(t *testing.T) {
	dir := t.TempDir()
	for _, m := range []string{"ours", "lmf"} {
		if _, err := runCmd(t, "train", "--data", "synth", "--synth-train", "64", "--system", m, "--epochs", "2", "--quiet", "--out", dir+"/"+m); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := runCmd(t, "plot-temperatures", "--out", dir+"/t.svg", dir+"/ours"); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(dir + "/t.svg")
	for _, want := range []string{"T_s audio", "T_z text"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("t.svg lacks %q", want)
		}
	}
	if _, err := runCmd(t, "plot-temperatures", "--out", dir+"/l.svg", dir+"/lmf"); err == nil || !strings.Contains(err.Error(), "no temperatures") {
		t.Errorf("lmf has no temperatures: %v", err)
	}
	if _, err := os.Stat(dir + "/l.svg"); err == nil {
		t.Error("a failed plot left a file")
	}
}

func TestPaperSearchKeepsTheChosenSetting(t *testing.T) {
	dir := t.TempDir()
	small := append([]string{"--dataset", "mosi"}, smallData(t, "mosi", false, synth.Sizes{Train: 160, Valid: 60, Test: 80})...)
	args := append([]string{"paper", "--quick", "--quiet", "--seeds", "1", "--systems", "lmf,svm", "--search", "2", "--out", dir}, small...)
	out, err := runCmd(t, args...)
	if err != nil {
		t.Fatal(err)
	}
	// svm chooses its own settings when fitted: only lmf is searched.
	if !strings.Contains(out, "2 search, 0 already recorded") || !strings.Contains(out, "2 trials, 0 already recorded") {
		t.Errorf("output:\n%s", out)
	}
	log, _ := os.ReadFile(dir + "/runs.log")
	type record struct {
		Setting   json.RawMessage `json:"setting"`
		ValidLoss float64         `json:"valid_loss"`
	}
	best, chosen := record{ValidLoss: 1e300}, record{}
	for _, line := range strings.Split(strings.TrimSpace(string(log)), "\n") {
		f := strings.SplitN(line, " ", 3)
		var r record
		if err := json.Unmarshal([]byte(f[2]), &r); err != nil {
			t.Fatal(err)
		}
		switch {
		case strings.HasPrefix(f[1], "search/") && r.ValidLoss < best.ValidLoss:
			best = r
		case f[1] == "mosi/lmf/seed1":
			chosen = r
		}
	}
	if len(chosen.Setting) == 0 || string(chosen.Setting) != string(best.Setting) {
		t.Errorf("lmf trained with %s, the best search setting is %s", chosen.Setting, best.Setting)
	}
	report, _ := os.ReadFile(dir + "/report.md")
	if !strings.Contains(string(report), "best of 2 random settings") {
		t.Errorf("report.md does not state the search:\n%s", report)
	}
	// The same directory with another search size is refused.
	if _, err := runCmd(t, append([]string{"paper", "--quick", "--quiet", "--seeds", "1", "--systems", "lmf", "--search", "3", "--out", dir}, small...)...); exitCode(err, io.Discard) != 2 {
		t.Errorf("another --search into the same --out: %v", err)
	}
}

func TestPaperRandomRateProtocol(t *testing.T) {
	dir := t.TempDir()
	out, err := runCmd(t, append([]string{"paper", "--quick", "--quiet", "--seeds", "1", "--systems", "lmf,ours", "--protocol", "random-rate", "--out", dir, "--dataset", "mosi"},
		smallData(t, "mosi", true, synth.Sizes{Train: 160, Valid: 60, Test: 80})...)...)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "2 trials, 0 already recorded") {
		t.Errorf("output:\n%s", out)
	}
	report, _ := os.ReadFile(dir + "/report.md")
	for _, want := range []string{"random missing rate (MMSA, LNLN)", "| lmf | avt@avg | ", "| ours | avt@avg | "} {
		if !strings.Contains(string(report), want) {
			t.Errorf("report.md lacks %q:\n%s", want, report)
		}
	}
	csvText, _ := os.ReadFile(dir + "/results.csv")
	if n := strings.Count(string(csvText), "avt@0.5"); n != 2 {
		t.Errorf("results.csv has %d rows at rate 0.5, want 2", n)
	}
	if _, err := os.Stat(dir + "/plots/mosi-mae.svg"); err != nil {
		t.Error(err)
	}
	if _, err := runCmd(t, "paper", "--quick", "--out", t.TempDir(), "--protocol", "sometimes"); exitCode(err, io.Discard) != 2 {
		t.Errorf("bad --protocol: %v", err)
	}
}

// Both protocols from one training per trial, on utterance-level features
// (masked as sequences of one step).
func TestPaperBothProtocols(t *testing.T) {
	dir := t.TempDir()
	_, err := runCmd(t, append([]string{"paper", "--quick", "--quiet", "--seeds", "1", "--systems", "lmf,ours", "--protocol", "both", "--out", dir, "--dataset", "mosi"},
		smallData(t, "mosi", false, synth.Sizes{Train: 160, Valid: 60, Test: 80})...)...)
	if err != nil {
		t.Fatal(err)
	}
	report, _ := os.ReadFile(dir + "/report.md")
	for _, want := range []string{"protocols: each trial trained once", "Table 1: all modalities", "| ours | t | ", "| lmf | avt@avg | ", "| ours | avt@avg | "} {
		if !strings.Contains(string(report), want) {
			t.Errorf("report.md lacks %q:\n%s", want, report)
		}
	}
	if strings.Contains(string(report), "ours - tucker-s") { // Tucker-S was not run: no pair
		t.Errorf("report.md pairs with a system not run:\n%s", report)
	}
	csvText, err := os.ReadFile(dir + "/results.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(csvText)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	mae := map[string]string{} // system/condition -> MAE
	col := slices.Index(rows[0], "mae")
	for _, r := range rows[1:] {
		mae[r[0]+"/"+r[2]] = r[col]
	}
	for _, sys := range []string{"lmf", "ours"} {
		// Rate 0 masks nothing: the same model on the same input.
		if mae[sys+"/avt"] == "" || mae[sys+"/avt"] != mae[sys+"/avt@0.0"] || mae[sys+"/avt@0.5"] == "" {
			t.Errorf("%s: MAE avt %q, avt@0.0 %q, avt@0.5 %q", sys, mae[sys+"/avt"], mae[sys+"/avt@0.0"], mae[sys+"/avt@0.5"])
		}
	}
	for _, f := range []string{"mosi-mae.svg", "mosi-mae-random-rate.svg"} {
		if _, err := os.Stat(dir + "/plots/" + f); err != nil {
			t.Error(err)
		}
	}
}

func TestPaperOnADatasetFile(t *testing.T) {
	dir := t.TempDir()
	dss, err := synth.Generate(synth.Config{Kind: synth.MOSI, Seed: 4, Sizes: synth.Sizes{Train: 80, Valid: 30, Test: 40}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := load.EncodeLMF(dss[0])
	if err != nil {
		t.Fatal(err)
	}
	file := dir + "/mosi.pkl"
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := runCmd(t, "paper", "--data", file, "--out", dir+"/x"); exitCode(err, io.Discard) != 2 {
		t.Errorf("a file without --dataset: %v", err)
	}
	out, err := runCmd(t, "paper", "--data", file, "--dataset", "mosi", "--quick", "--quiet", "--seeds", "1", "--systems", "lmf,svm", "--out", dir+"/run")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "2 trials, 0 already recorded") {
		t.Errorf("output:\n%s", out)
	}
	report, _ := os.ReadFile(dir + "/run/report.md")
	for _, want := range []string{"# The paper's tables on mosi.pkl", "| lmf | avt | ", "| svm | t | ", "| lmf (paper) | avt | 0.912 | 0.668 | 76.4 |"} {
		if !strings.Contains(string(report), want) {
			t.Errorf("report.md lacks %q:\n%s", want, report)
		}
	}
	if _, err := runCmd(t, "paper", "--data", dir+"/nope.pkl", "--dataset", "mosi", "--out", dir+"/y"); err == nil || !strings.Contains(err.Error(), "nope.pkl") {
		t.Errorf("a missing file: %v", err)
	}
	if _, err := os.Stat(dir + "/y"); err == nil {
		t.Error("a failed run left its --out directory")
	}
}
