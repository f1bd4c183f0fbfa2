package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/modistill/modistill/checkpoint"
	"github.com/modistill/modistill/data/load/loadtest"
	"github.com/modistill/modistill/experiment"
	"github.com/modistill/modistill/systems"
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
	glove := filepath.Join(dir, "vectors.txt")
	os.WriteFile(glove, []byte("segment 0.1 0.2 0.3\nv1 -1 0 1\nx 0.5 0.5 -0.5\n"), 0o644)
	if out, err := runCmd(t, "data", "inspect", rel, "--embeddings", glove, "--seq-len", "4"); err != nil || !strings.Contains(out, "text (20, 4, 3)") || !strings.Contains(out, "out of vocabulary") {
		t.Errorf("inspect --embeddings: %v\n%s", err, out)
	}
	for _, route := range [][]string{{"--text", "cnn"}, {"--text", "glove", "--embeddings", glove}} {
		data := append([]string{"--data", rel}, route...)
		for _, system := range experiment.SystemsFor() {
			model := filepath.Join(dir, route[1]+"-"+system)
			if _, err := runCmd(t, append([]string{"train", "--system", system, "--epochs", "1", "--quiet", "--out", model}, data...)...); err != nil {
				t.Fatalf("%s, %s: train: %v", system, route[1], err)
			}
			res, err := runCmd(t, append([]string{"eval", "--model", model, "--json"}, data...)...)
			if err != nil {
				t.Fatalf("%s, %s: eval: %v", system, route[1], err)
			}
			var r evalOutput
			if err := json.Unmarshal([]byte(res), &r); err != nil || len(r.Results["avt"]) == 0 {
				t.Errorf("%s, %s: eval output %v %s", system, route[1], err, res)
			}
		}
	}
	// Text as bags of n-grams: the systems whose text encoder pools
	// (METHOD.md's encoders) train on them; the sequence models, the SVM
	// and STRH refuse, saying why.
	refuse := map[string]string{"svm": "the text is token ids", "strh": "needs feature vectors", "mfn": "no word order", "marn": "no word order", "mv-lstm": "no word order"}
	for _, system := range experiment.SystemsFor() {
		model := filepath.Join(dir, "ngrams-"+system)
		data := []string{"--data", rel, "--text", "ngrams"}
		_, err := runCmd(t, append([]string{"train", "--system", system, "--epochs", "1", "--quiet", "--out", model}, data...)...)
		if why, ok := refuse[system]; ok {
			if err == nil || !strings.Contains(err.Error(), why) {
				t.Errorf("%s on n-gram bags: %v, want a refusal saying %q", system, err, why)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s, ngrams: train: %v", system, err)
		}
		if _, err := runCmd(t, append([]string{"eval", "--model", model}, data...)...); err != nil {
			t.Fatalf("%s, ngrams: eval: %v", system, err)
		}
	}
	if _, err := runCmd(t, "eval", "--model", filepath.Join(dir, "ngrams-ours"), "--data", rel); err == nil || !strings.Contains(err.Error(), "bags of n-grams (--text ngrams)") {
		t.Errorf("eval of an n-gram model on text-CNN data: %v, want a hint at --text ngrams", err)
	}
	var meta struct {
		TextVectors struct {
			Dim, Tokens int
		} `json:"text_vectors"`
	}
	if err := checkpoint.ReadMeta(filepath.Join(dir, "glove-ours"), &meta); err != nil || meta.TextVectors.Dim != 3 || meta.TextVectors.Tokens == 0 {
		t.Errorf("model.json does not record the word vectors: %+v %v", meta, err)
	}
	// The vectors of the words the data had travel with the model.
	_, m, err := systems.Load(filepath.Join(dir, "glove-ours"))
	if err != nil {
		t.Fatal(err)
	}
	tv := m.TextVectors
	if !reflect.DeepEqual(tv.Vocab, []string{"segment", "v1", "x"}) || !reflect.DeepEqual(tv.Table, []float32{0.1, 0.2, 0.3, -1, 0, 1, 0.5, 0.5, -0.5}) {
		t.Errorf("saved word vectors: %v %v", tv.Vocab, tv.Table)
	}
}
