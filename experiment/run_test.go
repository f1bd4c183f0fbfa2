package experiment

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/modistill/modistill/data/load"
)

func TestPaperTrialsShardsPartitionTheRun(t *testing.T) {
	p := Paper{Names: []string{"mosi", "pom"}, Systems: []string{"lmf", "ours", "svm"}, Seeds: 3, Settings: Settings{Protocol: "paper"}}
	whole := p.Trials()
	if len(whole) != 2*(3+3+1) { // svm is fitted once: it does not depend on the seed
		t.Fatalf("%d trials, want 14", len(whole))
	}
	if whole[0].Key() != "mosi/lmf/seed1" || whole[len(whole)-1].Key() != "pom/svm/seed1" {
		t.Errorf("order: first %s, last %s", whole[0].Key(), whole[len(whole)-1].Key())
	}
	seen := map[string]int{}
	for i := range 4 {
		p.Shard, p.Shards = i, 4
		for _, tr := range p.Trials() {
			seen[tr.Key()]++
		}
	}
	for _, tr := range whole {
		if seen[tr.Key()] != 1 {
			t.Errorf("%s in %d shards, want 1", tr.Key(), seen[tr.Key()])
		}
	}
	if len(seen) != len(whole) {
		t.Errorf("shards ran %d trials, the whole run %d", len(seen), len(whole))
	}
	p.Settings.Protocol, p.Shard, p.Shards = Both, 0, 1
	if k := p.Trials()[0].Key(); k != "both/mosi/lmf/seed1" {
		t.Errorf("both: key %s", k)
	}
}

func TestSearchTrialsAndWithBest(t *testing.T) {
	trials := []Trial{{System: "lmf", Dataset: "mosi", Seed: 1}, {System: "lmf", Dataset: "mosi", Seed: 2}, {System: "svm", Dataset: "mosi", Seed: 1}}
	search := SearchTrials(trials, 3)
	if len(search) != 3 { // svm is not searched; lmf once, not once per seed
		t.Fatalf("%d search trials, want 3: %v", len(search), search)
	}
	var results []*Result
	for i, s := range search {
		if s.Search != i+1 || s.Setting == nil || s.Seed != SearchSeed("mosi", "lmf") {
			t.Errorf("search trial %d: %+v", i, s)
		}
		results = append(results, &Result{Trial: s, ValidLoss: float64(3 - i)})
	}
	ready := WithBest(trials, results)
	if len(ready) != 3 || *ready[0].Setting != *search[2].Setting || *ready[1].Setting != *search[2].Setting || ready[2].Setting != nil {
		t.Errorf("with the best setting (the third, lowest loss): %+v", ready)
	}
	// Every lmf setting failed: its trials are left out, svm stays.
	if ready := WithBest(trials, nil); len(ready) != 1 || ready[0].System != "svm" {
		t.Errorf("no search results: %+v", ready)
	}
}

func TestCheckDirRefusesWhatIsNotARun(t *testing.T) {
	dir := t.TempDir()
	if err := CheckDir(filepath.Join(dir, "new")); err != nil {
		t.Errorf("a new directory: %v", err)
	}
	file := filepath.Join(dir, "f")
	if err := os.WriteFile(file, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	var ie *InputError
	if err := CheckDir(file); !errors.As(err, &ie) || !strings.Contains(err.Error(), "is a file") {
		t.Errorf("a file: %v", err)
	}
	if err := CheckDir(dir); !errors.As(err, &ie) || !strings.Contains(err.Error(), "no paper.json") {
		t.Errorf("a directory of someone's files: %v", err)
	}
	if b, _ := os.ReadFile(file); string(b) != "mine" {
		t.Error("the user's file was changed")
	}
}

func TestOpenDirResumesOnlyTheSameSettings(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	s := Settings{Data: "synth", Protocol: "paper", OursForm: OursForm}
	store, err := openDir(dir, s)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Append("k", 1); err != nil {
		t.Fatal(err)
	}
	store.Close()
	if store, err = openDir(dir, s); err != nil || !store.Has("k") {
		t.Fatalf("resume: %v", err)
	}
	store.Close()
	var ie *InputError
	other := s
	other.Search = 2
	if _, err := openDir(dir, other); !errors.As(err, &ie) || !strings.Contains(err.Error(), "other settings") {
		t.Errorf("other settings: %v", err)
	}
	old := s
	old.OursForm = ""
	if _, err := openDir(dir, old); !errors.As(err, &ie) || !strings.Contains(err.Error(), "before issue 11") {
		t.Errorf("a run of the old Ours: %v", err)
	}
}

func TestPaperRunResumesAndMerges(t *testing.T) {
	s := Settings{Data: "synth", Quick: true, Protocol: "paper", OursForm: OursForm}
	ds, names, err := s.Datasets("mosi", load.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tc := s.TrainConfig()
	tc.Epochs = 1
	base := t.TempDir()
	var dirs []string
	for i := range 2 {
		dir := filepath.Join(base, fmt.Sprint("shard", i))
		dirs = append(dirs, dir)
		p := Paper{Settings: s, Datasets: ds, Names: names, Systems: []string{"lmf", "svm"}, Seeds: 1, Shard: i, Shards: 2, Train: tc, Workers: 2, Log: io.Discard}
		if err := p.Run(context.Background(), dir); err != nil {
			t.Fatal(err)
		}
		var log strings.Builder
		p.Log = &log
		if err := p.Run(context.Background(), dir); err != nil || !strings.Contains(log.String(), "1 trial, 1 already recorded") {
			t.Errorf("resume: %v\n%s", err, log.String())
		}
	}
	var log strings.Builder
	out := filepath.Join(base, "merged")
	if err := Merge(dirs, out, &log); err != nil || !strings.Contains(log.String(), "2 trials from 2 directories") {
		t.Fatalf("merge: %v\n%s", err, log.String())
	}
	report, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil || !strings.Contains(string(report), "| lmf |") || !strings.Contains(string(report), "| svm |") {
		t.Errorf("merged report: %v\n%s", err, report)
	}
	var ie *InputError
	if err := Merge(dirs, out, io.Discard); !errors.As(err, &ie) {
		t.Errorf("merge into a directory of files: %v", err)
	}
	// A shard given twice: its trial is kept once, from the first, and said.
	log.Reset()
	if err := Merge(append(dirs, dirs[0]), filepath.Join(base, "again"), &log); err != nil ||
		!strings.Contains(log.String(), "keeping the first") || !strings.Contains(log.String(), "2 trials from 3 directories") {
		t.Errorf("merge with a shard twice: %v\n%s", err, log.String())
	}
}
