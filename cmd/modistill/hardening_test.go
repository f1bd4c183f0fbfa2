package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/modistill/modistill/checkpoint"
	"github.com/modistill/modistill/data/load"
	"github.com/modistill/modistill/data/synth"
)

// writeSmallMOSI writes a small synthetic MOSI file in LMF's layout; with
// zeroTest every test label is 0 (so the correlation is undefined).
func writeSmallMOSI(t *testing.T, zeroTest bool) string {
	t.Helper()
	dss, err := synth.Generate(synth.Config{Kind: synth.MOSI, Seed: 5, Sizes: synth.Sizes{Train: 60, Valid: 20, Test: 30}})
	if err != nil {
		t.Fatal(err)
	}
	if zeroTest {
		for i := range dss[0].Test.Labels.Data {
			dss[0].Test.Labels.Data[i] = 0
		}
	}
	b, err := load.EncodeLMF(dss...)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "mosi.pkl")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTrainNeverTouchesAnExistingOut(t *testing.T) {
	data := writeSmallMOSI(t, false)
	dir := t.TempDir()
	file := filepath.Join(dir, "notes.txt")
	os.WriteFile(file, []byte("precious"), 0o644)
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	link := filepath.Join(dir, "link")
	os.Symlink(file, link)
	for _, out := range []string{file, empty, link, filepath.Join(file, "model")} {
		stdout, err := runCmd(t, "train", "--data", data, "--system", "lmf", "--epochs", "1", "--quiet", "--out", out)
		if code := exitCode(err, io.Discard); code != 2 || !strings.Contains(err.Error(), "--out") {
			t.Errorf("--out %s: exit %d (%v), want 2 naming --out", out, code, err)
		}
		if strings.Contains(stdout, "training") {
			t.Errorf("--out %s: training started before the destination was refused", out)
		}
	}
	if b, _ := os.ReadFile(file); string(b) != "precious" {
		t.Errorf("the existing file now holds %q", b)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symbolic link is gone: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 3 {
		t.Errorf("%d entries in the directory, want the 3 that were there", len(entries))
	}
}

func TestUndefinedMetricsInEvalAndScore(t *testing.T) {
	data := writeSmallMOSI(t, true)
	dir := t.TempDir()
	model := filepath.Join(dir, "m")
	if _, err := runCmd(t, "train", "--data", data, "--system", "lmf-s", "--epochs", "1", "--quiet", "--out", model); err != nil {
		t.Fatal(err)
	}
	preds := filepath.Join(dir, "preds.json")
	out, err := runCmd(t, "eval", "--model", model, "--data", data, "--json", "--predictions", preds)
	if err != nil {
		t.Fatalf("eval --json with an undefined correlation: %v", err)
	}
	if !strings.Contains(out, `"corr":null`) {
		t.Errorf("eval --json: corr not null: %s", out)
	}
	var evalRes, scoreRes evalOutput
	json.Unmarshal([]byte(out), &evalRes)
	text, err := runCmd(t, "eval", "--model", model, "--data", data)
	if err != nil || !strings.Contains(text, "n/a") || !strings.Contains(text, "acc2 %") {
		t.Errorf("eval text: %v\n%s", err, text)
	}
	// score reads the predictions file and agrees with eval, subset by subset.
	out, err = runCmd(t, "score", "--task", "mosi", "--predictions", preds, "--json")
	if err != nil {
		t.Fatal(err)
	}
	json.Unmarshal([]byte(out), &scoreRes)
	if len(scoreRes.Results) != 7 {
		t.Fatalf("score: %d subsets, want 7", len(scoreRes.Results))
	}
	for sub, want := range evalRes.Results {
		a, _ := json.Marshal(want)
		b, _ := json.Marshal(scoreRes.Results[sub])
		if !bytes.Equal(a, b) {
			t.Errorf("%s: eval %s, score %s", sub, a, b)
		}
	}
	// A second eval does not overwrite the predictions file.
	before, _ := os.ReadFile(preds)
	if _, err := runCmd(t, "eval", "--model", model, "--data", data, "--predictions", preds); exitCode(err, io.Discard) != 2 {
		t.Errorf("--predictions onto an existing file: %v, want a usage error", err)
	}
	if after, _ := os.ReadFile(preds); !bytes.Equal(before, after) {
		t.Error("the predictions file changed")
	}
	// Plain rows, and bad ones.
	rows := filepath.Join(dir, "rows.csv")
	os.WriteFile(rows, []byte("pred,truth\n0.5,1\n-1,-2\n"), 0o644)
	if out, err := runCmd(t, "score", "--task", "mosi", "--predictions", rows); err != nil || !strings.Contains(out, "0.7500") {
		t.Errorf("score CSV: %v\n%s", err, out)
	}
	os.WriteFile(rows, []byte("pred,truth\n0.5,x\n"), 0o644)
	if _, err := runCmd(t, "score", "--task", "mosi", "--predictions", rows); exitCode(err, io.Discard) != 2 || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("score bad CSV: %v", err)
	}
	if _, err := runCmd(t, "score", "--task", "mosei", "--predictions", rows); exitCode(err, io.Discard) != 2 {
		t.Errorf("score --task mosei: %v", err)
	}
}

func TestHyperparameterFlagsAreValidated(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--lr", "0"}, "--lr 0 is out of range: want a value in (0, 1]"},
		{[]string{"--lr", "-1"}, "--lr -1 is out of range"},
		{[]string{"--rank", "0"}, "--rank 0 is out of range"},
		{[]string{"--hidden", "-3"}, "--hidden -3 is out of range"},
		{[]string{"--dropout", "-0.5"}, "--dropout -0.5 is out of range"},
		{[]string{"--dropout", "1.5"}, "--dropout 1.5 is out of range: want a value in [0, 1)"},
		{[]string{"--lr", "NaN"}, "--lr NaN is out of range"},
		{[]string{"--lr", "abc"}, `invalid value "abc" for flag -lr`},
		{[]string{"--epochs", "0"}, "--epochs 0 is out of range"},
		{[]string{"--batch", "1"}, "--batch 1 is out of range"},
	} {
		args := append([]string{"train", "--data", "synth", "--system", "ours", "--quiet", "--out", filepath.Join(dir, "m")}, c.args...)
		_, err := runCmd(t, args...)
		if exitCode(err, io.Discard) != 2 || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want a usage error saying %q", c.args, err, c.want)
		}
	}
	// Zero is a value where it means something, and model.json records it.
	model := filepath.Join(dir, "zero")
	if _, err := runCmd(t, "train", "--data", "synth", "--synth-train", "40", "--system", "ours", "--epochs", "1", "--quiet",
		"--dropout", "0", "--weight-decay", "0", "--alpha", "0", "--beta", "0", "--out", model); err != nil {
		t.Fatal(err)
	}
	var meta struct {
		Config struct {
			Encoder struct {
				Dropout float64 `json:"dropout"`
			} `json:"encoder"`
			Alpha float64 `json:"alpha"`
		} `json:"config"`
	}
	if err := checkpoint.ReadMeta(model, &meta); err != nil {
		t.Fatal(err)
	}
	if meta.Config.Encoder.Dropout != 0 || meta.Config.Alpha != 0 {
		t.Errorf("model.json records dropout %g, alpha %g; want the zeros given", meta.Config.Encoder.Dropout, meta.Config.Alpha)
	}
}

func TestCorruptWeightsAndUnknownSystem(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "m")
	if _, err := runCmd(t, "train", "--data", "synth", "--synth-train", "40", "--system", "lmf", "--epochs", "1", "--quiet", "--out", model); err != nil {
		t.Fatal(err)
	}
	wf := filepath.Join(model, checkpoint.WeightsFile)
	b, _ := os.ReadFile(wf)
	b[len(b)-2] ^= 0x40 // one bit of the last weight
	os.WriteFile(wf, b, 0o644)
	_, err := runCmd(t, "eval", "--model", model, "--data", "synth")
	if exitCode(err, io.Discard) != 1 || !strings.Contains(err.Error(), "model.safetensors is corrupt") {
		t.Errorf("a flipped bit: %v", err)
	}
	mf := filepath.Join(model, checkpoint.MetaFile)
	mj, _ := os.ReadFile(mf)
	os.WriteFile(mf, bytes.Replace(mj, []byte(`"system": "lmf"`), []byte(`"system": "distill"`), 1), 0o644)
	_, err = runCmd(t, "eval", "--model", model, "--data", "synth")
	if err == nil || !strings.Contains(err.Error(), `unknown system "distill" (known: ours,`) {
		t.Errorf("unknown system: %v", err)
	}
}

func TestHelpForEveryCommand(t *testing.T) {
	cmds := [][]string{{"data", "synth"}, {"data", "inspect"}, {"data", "assemble"}, {"data"}}
	for _, c := range commands() {
		cmds = append(cmds, []string{c.name})
	}
	for _, c := range cmds {
		for _, h := range []string{"-h", "--help"} {
			out, err := runCmd(t, append(c, h)...)
			if code := exitCode(err, io.Discard); code != 0 || !strings.Contains(out, "usage: modistill "+strings.Join(c, " ")) {
				t.Errorf("%v %s: exit %d (%v), output %q", c, h, code, err, out)
			}
			for _, line := range strings.Split(out, "\n") {
				if strings.Count(line, "(default") > 1 {
					t.Errorf("%v %s: a default printed twice: %q", c, h, line)
				}
			}
		}
	}
	if out, err := runCmd(t, "--version"); err != nil || !strings.HasPrefix(out, "modistill ") {
		t.Errorf("--version: %v %q", err, out)
	}
}

func TestProgressInALogIsOneLinePerEpoch(t *testing.T) {
	cmd := child("train", "--data", "synth", "--synth-train", "40", "--system", "lmf", "--epochs", "2", "--patience", "5",
		"--out", filepath.Join(t.TempDir(), "m"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v: %s", err, stderr.String())
	}
	s := stderr.String()
	if strings.ContainsRune(s, '\r') || strings.Contains(s, "\x1b[") {
		t.Errorf("a redrawn bar in a log: %q", s)
	}
	if !strings.Contains(s, "epoch 1/2: train ") || !strings.Contains(s, "epoch 2/2: train ") {
		t.Errorf("want one line per epoch, got %q", s)
	}
}

func TestSummarizeRejectsWhatItCannotRead(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "lmf-1.json"), []byte(`{"task":"regression","system":"lmf","split":"test","results":{"avt":{"mae":0.9,"corr":null}}}`), 0o644)
	out, err := runCmd(t, "summarize", "--in", dir, "--metrics", "mae,corr")
	if err != nil || !strings.Contains(out, "| lmf (1) |") || !strings.Contains(out, " 0.900 |") || strings.Contains(out, "± 0.000") || !strings.Contains(out, "n/a") {
		t.Errorf("one seed: %v\n%s", err, out)
	}
	for _, args := range [][]string{{"--metrics", "mea"}, {"--systems", "lmf,ours"}} {
		if _, err := runCmd(t, append([]string{"summarize", "--in", dir}, args...)...); exitCode(err, io.Discard) != 2 {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
	os.WriteFile(filepath.Join(dir, "ours-2.json"), []byte(`{"rows": [1, 2]}`), 0o644)
	if _, err := runCmd(t, "summarize", "--in", dir); exitCode(err, io.Discard) != 2 || !strings.Contains(err.Error(), "ours-2.json is not the output") {
		t.Errorf("a JSON file that is not eval's: %v", err)
	}
}

func TestPaperAndReportNeverOverwriteOthersFiles(t *testing.T) {
	small := append([]string{"--dataset", "mosi"}, smallData(t, "mosi", false, synth.Sizes{Train: 60, Valid: 20, Test: 30})...)
	mine := t.TempDir()
	os.WriteFile(filepath.Join(mine, "report.md"), []byte("my own notes"), 0o644)
	args := append([]string{"paper", "--quick", "--quiet", "--seeds", "1", "--systems", "lmf"}, small...)
	if _, err := runCmd(t, append(args, "--out", mine)...); exitCode(err, io.Discard) != 2 || !strings.Contains(err.Error(), "not a modistill paper run") {
		t.Errorf("paper into a directory of other files: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(mine, "report.md")); string(b) != "my own notes" {
		t.Errorf("report.md now holds %q", b)
	}
	run := filepath.Join(t.TempDir(), "run")
	if _, err := runCmd(t, append(args, "--out", run)...); err != nil {
		t.Fatal(err)
	}
	settings := filepath.Join(run, "paper.json")
	b, _ := os.ReadFile(settings) // a store made before issue 11's Ours: no ours_form
	var before map[string]any
	json.Unmarshal(b, &before)
	delete(before, "ours_form")
	b, _ = json.Marshal(before)
	os.WriteFile(settings, b, 0o644)
	if _, err := runCmd(t, append(args, "--out", run)...); exitCode(err, io.Discard) != 2 || !strings.Contains(err.Error(), "before issue 11 changed Ours") {
		t.Errorf("resuming a store made before issue 11: %v", err)
	}
	os.WriteFile(settings, []byte("garbage"), 0o644)
	if _, err := runCmd(t, append(args, "--out", run)...); exitCode(err, io.Discard) != 2 || !strings.Contains(err.Error(), "paper.json is corrupt") {
		t.Errorf("resuming with a corrupt paper.json: %v", err)
	}
	if b, _ := os.ReadFile(settings); string(b) != "garbage" {
		t.Error("the corrupt paper.json was rewritten")
	}
	if _, err := runCmd(t, "report", "--in", run, "--out", mine); exitCode(err, io.Discard) != 2 {
		t.Errorf("report into a directory of other files: %v", err)
	}
}

func TestOptionsThatDoNotFitTheData(t *testing.T) {
	iemocap := smallData(t, "iemocap", false, synth.Sizes{Train: 20, Valid: 10, Test: 10})[1]
	mosi := smallData(t, "mosi", false, synth.Sizes{Train: 60, Valid: 20, Test: 30})[1]
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"data", "inspect", iemocap}, "choose one with --emotion"},
		{[]string{"data", "inspect", iemocap, "--emotion", "joy"}, `--emotion "joy": the file has angry, happy, neutral, sad`},
		{[]string{"data", "inspect", mosi, "--kind", "pom"}, "POM has 16 trait columns"},
		{[]string{"train", "--data", mosi, "--frames", "--out", dir + "/m"}, "--frames applies to the synthetic benchmark (--data synth) only"},
		{[]string{"train", "--data", mosi, "--system", "lmf", "--alpha", "5", "--out", dir + "/m"}, "--alpha does not apply to lmf"},
		{[]string{"train", "--data", "synth", "--synth-train", "-5", "--out", dir + "/m"}, "--synth-train -5 is out of range"},
		{[]string{"train", "--data", "synth", "--split", "standard", "--out", dir + "/m"}, "--split applies to a dataset file or directory"},
		{[]string{"train", "--data", "synth", "--synth-params", "loudness=1", "--out", dir + "/m"}, `unknown synthetic parameter "loudness"`},
		{[]string{"train", "--data", mosi, "--synth-params", "sarcasm=0", "--out", dir + "/m"}, "--synth-params applies to the synthetic benchmark"},
		{[]string{"paper", "--data", mosi, "--dataset", "mosi", "--synth-params", "sarcasm=0", "--out", dir + "/p"}, "--synth-params shapes the synthetic benchmark"},
		{[]string{"eval", "--model", dir + "/none", "--data", "synth", "--eval-split", "dev"}, `--eval-split "dev"`},
		{[]string{"bench", "--rank", "100000"}, "--rank 100000 is out of range"},
		{[]string{"bench", "--model", "lmf", "--fusion", "tucker"}, "--fusion does not apply to --model lmf"},
		{[]string{"score", "--task", "mosi"}, "--task and --predictions are required"},
	} {
		_, err := runCmd(t, c.args...)
		if exitCode(err, io.Discard) != 2 || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want a usage error saying %q", c.args, err, c.want)
		}
	}
	model := filepath.Join(dir, "lmf")
	if _, err := runCmd(t, "train", "--data", mosi, "--system", "lmf", "--epochs", "1", "--quiet", "--out", model); err != nil {
		t.Fatal(err)
	}
	if _, err := runCmd(t, "eval", "--model", model, "--data", mosi, "--subsets", "avt,AVT"); exitCode(err, io.Discard) != 2 || !strings.Contains(err.Error(), "given twice") {
		t.Errorf("a subset twice: %v", err)
	}
	// A hand-edited model.json is an error, not a panic.
	mf := filepath.Join(model, checkpoint.MetaFile)
	mj, _ := os.ReadFile(mf)
	os.WriteFile(mf, bytes.Replace(mj, []byte(`"rank": 4`), []byte(`"rank": -5`), 1), 0o644)
	if _, err := runCmd(t, "eval", "--model", model, "--data", mosi); err == nil || !strings.Contains(err.Error(), "cannot be built") {
		t.Errorf("model.json with rank -5: %v", err)
	}
}

// --paired-with tabulates per-seed differences on the seeds both systems
// have: seeds 1 and 2 give differences +0.1 and +0.3 (mean +0.2, standard
// error 0.1); seed 10, which only one system has, is left out.
func TestSummarizePairedDifferences(t *testing.T) {
	dir := t.TempDir()
	write := func(sys string, seed int, mae float64) {
		b := fmt.Sprintf(`{"task":"regression","system":%q,"split":"test","results":{"t":{"mae":%g}}}`, sys, mae)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.json", sys, seed)), []byte(b), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("base", 1, 1.0)
	write("base", 2, 1.1)
	write("ours", 1, 1.1)
	write("ours", 2, 1.4)
	write("ours", 10, 9)
	for seed, mae := range map[int]float64{1: 0.5, 2: 0.7} { // ours's teacher reports, as train saves them
		os.Mkdir(filepath.Join(dir, fmt.Sprintf("ours-%d", seed)), 0o755)
		b := fmt.Sprintf(`{"system":"ours","extra":{"teacher":{"teacher":"frozen","train":{"mae":%g},"test":{"mae":1}}}}`, mae)
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("ours-%d", seed), "model.json"), []byte(b), 0o644)
	}
	out, err := runCmd(t, "summarize", "--in", dir, "--metrics", "mae", "--paired-with", "base")
	if err != nil || !strings.Contains(out, "| ours (2) | - | - | - | - | - | - | +0.200 ± 0.100 |") || !strings.Contains(out, "| ours (2) | frozen | 0.600 ± 0.141 | 1.000 ± 0.000 |") {
		t.Errorf("%v\n%s", err, out)
	}
	if _, err := runCmd(t, "summarize", "--in", dir, "--paired-with", "lmf"); exitCode(err, io.Discard) != 2 {
		t.Errorf("--paired-with a system without files: %v, want a usage error", err)
	}
}

// --synth-oracle is for synthetic MOSI only.
func TestSynthOracleIsRefusedWhereItHasNoMeaning(t *testing.T) {
	for _, args := range [][]string{{"--data", "synth", "--kind", "pom", "--synth-oracle"}, {"--data", t.TempDir(), "--synth-oracle"}} {
		_, err := runCmd(t, append(append([]string{"train", "--system", "lmf"}, args...), "--out", filepath.Join(t.TempDir(), "m"))...)
		if exitCode(err, io.Discard) != 2 || !strings.Contains(err.Error(), "synth-oracle") {
			t.Errorf("%v: %v, want a usage error naming --synth-oracle", args, err)
		}
	}
}
