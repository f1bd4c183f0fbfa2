package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/modistill/modistill/data/load"
	"github.com/modistill/modistill/data/synth"
)

// testDataDir holds the small dataset files the tests share (made by
// TestMain, removed after the run).
var testDataDir string

var smallDataMu sync.Mutex

// smallData returns the --data flags of a small synthetic dataset of the
// kind, written once per test run in LMF's pickle layout (IEMOCAP: all
// four emotions, the flags choosing happy): files load in milliseconds,
// where generating full-size validation and test splits takes seconds.
func smallData(t *testing.T, kind string, frames bool, sizes synth.Sizes) []string {
	t.Helper()
	smallDataMu.Lock()
	defer smallDataMu.Unlock()
	path := filepath.Join(testDataDir, fmt.Sprintf("%s-frames%v-%d-%d-%d.pkl", kind, frames, sizes.Train, sizes.Valid, sizes.Test))
	if _, err := os.Stat(path); err != nil {
		dss, err := synth.Generate(synth.Config{Kind: synth.Kind(kind), Seed: 1, Frames: frames, Sizes: sizes})
		if err != nil {
			t.Fatal(err)
		}
		b, err := load.EncodeLMF(dss...)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if kind == "iemocap" {
		return []string{"--data", path, "--emotion", "happy"}
	}
	return []string{"--data", path}
}
