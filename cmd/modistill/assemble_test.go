package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// data assemble on small .csd files (data/align/testdata, made by h5py)
// writes a dataset that loads and trains, in both layouts.
func TestDataAssembleThenTrain(t *testing.T) {
	td := filepath.Join("..", "..", "data", "align", "testdata")
	in := []string{"--labels", filepath.Join(td, "labels.csd"), "--audio", filepath.Join(td, "audio.csd"),
		"--visual", filepath.Join(td, "visual.csd"), "--text", filepath.Join(td, "words.csd"), "--folds", filepath.Join(td, "folds.json")}
	dir := t.TempDir()
	for _, c := range []struct {
		layout, wrote string
		systems       []string
	}{
		{"sequences", "(MMSA's pickle): train/valid/test 12/3/3 segments; audio 50 x 3, visual 50 x 2, text 50 x 4", []string{"mfn", "ours"}},
		{"lmf", "(LMF's pickle): train/valid/test 12/3/3 segments; audio 3, visual 2, text 20 x 4", []string{"lmf", "ours"}},
	} {
		out := filepath.Join(dir, c.layout+".pkl")
		res, err := runCmd(t, append([]string{"data", "assemble", "--layout", c.layout, "--out", out}, in...)...)
		if err != nil {
			t.Fatalf("%s: %v", c.layout, err)
		}
		for _, want := range []string{"dropped: v8", "audio (COVAREP) had no row within 1 word", "skipped: v7", c.wrote} {
			if !strings.Contains(res, want) {
				t.Errorf("%s: output lacks %q:\n%s", c.layout, want, res)
			}
		}
		for _, sys := range c.systems {
			if _, err := runCmd(t, "train", "--data", out, "--system", sys, "--epochs", "1", "--quiet", "--out", filepath.Join(dir, c.layout+"-"+sys)); err != nil {
				t.Errorf("%s: train %s: %v", c.layout, sys, err)
			}
		}
		// The output is never replaced.
		before, _ := os.ReadFile(out)
		if _, err := runCmd(t, append([]string{"data", "assemble", "--layout", c.layout, "--out", out}, in...)...); exitCode(err, io.Discard) != 2 {
			t.Errorf("assemble onto an existing file: %v", err)
		}
		if after, _ := os.ReadFile(out); string(after) != string(before) {
			t.Error("the existing file changed")
		}
	}
	if _, err := runCmd(t, "data", "assemble", "--out", filepath.Join(dir, "x.pkl")); exitCode(err, io.Discard) != 2 {
		t.Errorf("missing inputs: %v", err)
	}
}
