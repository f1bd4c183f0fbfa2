package runstore

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

type trial struct {
	N   int     `json:"n"`
	MAE float64 `json:"mae"`
}

func TestAppendReopenAndDuplicates(t *testing.T) {
	p := filepath.Join(t.TempDir(), "runs.log")
	s, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if err := s.Append(fmt.Sprintf("ours/mosi/seed%d", i), trial{i, 0.9}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Append("ours/mosi/seed1", trial{99, 0}); err != nil || len(s.Records()) != 3 {
		t.Fatalf("a duplicate key was recorded: %v, %d records", err, len(s.Records()))
	}
	if err := s.Append("bad key", trial{}); err == nil {
		t.Error("a key with a space accepted")
	}
	s.Close()
	s, err = Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	recs := s.Records()
	var tr trial
	if len(recs) != 3 || !s.Has("ours/mosi/seed2") || json.Unmarshal(recs[1].Data, &tr) != nil || tr.N != 1 {
		t.Fatalf("records after reopening: %v", recs)
	}
}

func TestTornLastLineIsCutAndCorruptMiddleIsAnError(t *testing.T) {
	p := filepath.Join(t.TempDir(), "runs.log")
	s, _ := Open(p)
	s.Append("a", trial{1, 1})
	s.Append("b", trial{2, 2})
	s.Close()
	f, _ := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`1234abcd c {"n":3,"ma`) // a crash mid-write
	f.Close()
	s, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Records()) != 2 || s.Dropped == 0 {
		t.Fatalf("%d records, %d bytes dropped", len(s.Records()), s.Dropped)
	}
	if err := s.Append("c", trial{3, 3}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if recs, err := Read(p); err != nil || len(recs) != 3 || recs[2].Key != "c" {
		t.Fatalf("after the cut: %v %v", recs, err)
	}
	// A damaged record in the middle cannot come from a crash.
	b, _ := os.ReadFile(p)
	b[12] ^= 1
	os.WriteFile(p, b, 0o644)
	if _, err := Open(p); !errors.Is(err, ErrCorrupt) {
		t.Errorf("corrupt middle record: %v", err)
	}
}

// TestKillNine kills a writer with SIGKILL while it appends as fast as it
// can, then checks that reopening finds a gap-free prefix of its records,
// each whole, and that appending goes on from there.
func TestKillNine(t *testing.T) {
	if os.Getenv("RUNSTORE_WRITER") != "" {
		writer(os.Getenv("RUNSTORE_WRITER"))
		return
	}
	p := filepath.Join(t.TempDir(), "runs.log")
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillNine$")
	cmd.Env = append(os.Environ(), "RUNSTORE_WRITER="+p)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; { // let it write a while
		if st, err := os.Stat(p); err == nil && st.Size() > 4000 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the writer wrote nothing")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Kill() // SIGKILL on Unix
	cmd.Wait()
	s, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	recs := s.Records()
	for i, r := range recs {
		var tr trial
		if r.Key != "trial"+strconv.Itoa(i) || json.Unmarshal(r.Data, &tr) != nil || tr.N != i {
			t.Fatalf("record %d is %s %s", i, r.Key, r.Data)
		}
	}
	if err := s.Append("trial"+strconv.Itoa(len(recs)), trial{len(recs), 0}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if again, err := Read(p); err != nil || len(again) != len(recs)+1 {
		t.Fatalf("after resuming: %d records, %v", len(again), err)
	}
	t.Logf("%d records survived the kill; %d bytes of a torn record cut", len(recs), s.Dropped)
}

func writer(path string) {
	s, err := Open(path)
	if err != nil {
		os.Exit(3)
	}
	for i := 0; ; i++ {
		s.Append("trial"+strconv.Itoa(i), trial{i, float64(i) / 7})
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte("2b5b0f6e a {\"n\":1}\n"))
	f.Add([]byte("00000000 x 1\nzz"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(t.TempDir(), "runs.log")
		os.WriteFile(p, b, 0o644)
		Read(p)
		if s, err := Open(p); err == nil {
			s.Append("k", 1)
			s.Close()
		}
	})
}
