package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/modistill/modistill/data/synth"
)

// TestMain lets a test run this binary's main in a child process, so that
// the child can be killed.
func TestMain(m *testing.M) {
	if os.Getenv("MODISTILL_RUN_MAIN") == "1" {
		main()
		return
	}
	dir, err := os.MkdirTemp("", "modistill-test-data")
	if err != nil {
		panic(err)
	}
	testDataDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func child(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "MODISTILL_RUN_MAIN=1")
	return cmd
}

// wholeLines returns the newline-terminated lines of a file.
func wholeLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
		return strings.Split(string(b[:i]), "\n")
	}
	return nil
}

func TestPaperKilledPartwayResumes(t *testing.T) {
	killed, whole := t.TempDir(), t.TempDir()
	args := append([]string{"paper", "--quick", "--quiet", "--seeds", "2", "--systems", "ours,svm", "--workers", "1", "--dataset", "mosi"},
		smallData(t, "mosi", false, synth.Sizes{Train: 160, Valid: 60, Test: 80})...)
	log := filepath.Join(killed, "runs.log")

	cmd := child(append(args, "--out", killed)...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if b, err := os.ReadFile(log); err == nil && bytes.Count(b, []byte("\n")) >= 1 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("no trial finished in 2 minutes")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no chance to clean up
		t.Fatal(err)
	}
	cmd.Wait()
	before := wholeLines(t, log)
	t.Logf("killed after %d of 3 trials", len(before)) // ours 2 seeds, svm fitted once
	if len(before) >= 3 {
		t.Fatalf("the run finished all %d trials before the kill; nothing was tested", len(before))
	}

	out, err := child(append(args, "--out", killed)...).CombinedOutput()
	if err != nil {
		t.Fatalf("rerun: %v\n%s", err, out)
	}
	if want := "3 trials, " + string(rune('0'+len(before))) + " already recorded"; !strings.Contains(string(out), want) {
		t.Errorf("rerun: want %q:\n%s", want, out)
	}
	after := wholeLines(t, log)
	for i, l := range before {
		if after[i] != l {
			t.Errorf("record %d changed after the restart:\n%s\n%s", i, l, after[i])
		}
	}
	keys := map[string]bool{}
	for _, l := range after {
		key := strings.Fields(l)[1]
		if keys[key] {
			t.Errorf("%s recorded twice", key)
		}
		keys[key] = true
	}
	if len(keys) != 3 {
		t.Errorf("%d trials recorded, want 3", len(keys))
	}

	if out, err := child(append(args, "--out", whole)...).CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted run: %v\n%s", err, out)
	}
	got, _ := os.ReadFile(filepath.Join(killed, "report.md"))
	want, _ := os.ReadFile(filepath.Join(whole, "report.md"))
	if len(want) == 0 || string(got) != string(want) {
		t.Errorf("report after kill and restart:\n%s\nuninterrupted:\n%s", got, want)
	}
	if g, w := csvWithoutSeconds(t, filepath.Join(killed, "results.csv")), csvWithoutSeconds(t, filepath.Join(whole, "results.csv")); g != w {
		t.Errorf("results.csv after kill and restart:\n%s\nuninterrupted:\n%s", g, w)
	}
}
