package infer

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/load"
	"github.com/modistill/modistill/data/synth"
	"github.com/modistill/modistill/infer/infertest"
	"github.com/modistill/modistill/systems"
)

// trainAndSave saves system name, trained one step on ds (infertest.Bundle),
// and loads it back through infer.
func trainAndSave(t *testing.T, name string, ds *data.Dataset) (*Model, systems.Model) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "model")
	m, err := infertest.Bundle(dir, name, ds, 3)
	if err != nil {
		t.Fatal(err)
	}
	im, err := Load(dir)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return im, m
}

// request is row i of split s as a request carrying the modalities of use,
// each with the shape the split has.
func request(s *data.Split, i int, use data.Subset) Request {
	r := Request{ID: fmt.Sprint("row", i)}
	for _, m := range data.Modalities {
		x := s.Inputs[m]
		if !use[m] || x == nil {
			continue
		}
		f := &Features{Dim: x.Shape[len(x.Shape)-1]}
		row := x.Len() / x.Shape[0]
		f.Data = x.Data[i*row : (i+1)*row]
		if len(x.Shape) == 3 {
			f.Steps = x.Shape[1]
			if s.Lengths[m] != nil { // only the valid steps: the rest is padding
				f.Steps = s.Lengths[m][i]
				f.Data = f.Data[:f.Steps*f.Dim]
			}
		}
		switch m {
		case data.Audio:
			r.Audio = f
		case data.Visual:
			r.Visual = f
		case data.Text:
			r.Text = f
		}
	}
	return r
}

// Every system answers every subset it takes as eval predicts: requests
// sent side by side from several goroutines (run it with -race to check
// that answering only reads the model), and all of them in one call.
func TestEverySystemAnswersEverySubsetItTakes(t *testing.T) {
	dss, err := synth.Generate(synth.Config{Kind: synth.MOSI, Seed: 1, Sizes: synth.Sizes{Train: 16, Valid: 4, Test: 6}})
	if err != nil {
		t.Fatal(err)
	}
	ds := dss[0]
	for _, name := range systems.Names {
		im, m := trainAndSave(t, name, ds)
		if len(im.Subsets()) != len(m.Subsets()) {
			t.Errorf("%s: %d subsets after loading, %d before", name, len(im.Subsets()), len(m.Subsets()))
		}
		type query struct {
			use  data.Subset
			row  int
			want float32
		}
		var queries []query
		for _, use := range m.Subsets() {
			whole := m.Predict(autodiff.NewTape(), ds.Test.All(), use)
			for i := range ds.Test.N() {
				queries = append(queries, query{use, i, whole.Data[i]})
			}
		}
		const clients = 4
		failures := make(chan string, clients*len(queries))
		var wg sync.WaitGroup
		for c := range clients {
			wg.Go(func() {
				for k := range queries {
					q := queries[(k*(c+1)+c)%len(queries)] // a different order per client
					a, err := im.Answer(request(ds.Test, q.row, q.use))
					switch {
					case err != nil:
						failures <- fmt.Sprintf("%s, %s, row %d: %v", name, q.use, q.row, err)
					case a.Score == nil || math.Abs(*a.Score-float64(q.want)) > 1e-6:
						failures <- fmt.Sprintf("%s, %s, row %d: answered %v, eval's prediction %v", name, q.use, q.row, a.Score, q.want)
					case len(a.Modalities) != len(q.use.String()):
						failures <- fmt.Sprintf("%s: modalities %v for %s", name, a.Modalities, q.use)
					}
				}
			})
		}
		wg.Wait()
		close(failures)
		for f := range failures {
			t.Fatal(f)
		}
		// All at once: one pass per subset.
		reqs := make([]Request, len(queries))
		for k, q := range queries {
			reqs[k] = request(ds.Test, q.row, q.use)
		}
		as, k, err := im.AnswerAll(context.Background(), reqs)
		if err != nil {
			t.Fatalf("%s: request %d: %v", name, k, err)
		}
		for k, q := range queries {
			if a := as[k]; a.ID != reqs[k].ID || math.Abs(*a.Score-float64(q.want)) > 1e-6 {
				t.Fatalf("%s, %s, row %d, answered with the others: %v %v, eval's prediction %v", name, q.use, q.row, a.ID, *a.Score, q.want)
			}
		}
	}
}

func TestPathAndRefusals(t *testing.T) {
	dss, err := synth.Generate(synth.Config{Kind: synth.MOSI, Seed: 1, Sizes: synth.Sizes{Train: 16, Valid: 4, Test: 6}})
	if err != nil {
		t.Fatal(err)
	}
	ds := dss[0]
	ours, _ := trainAndSave(t, "ours", ds)
	lmf, _ := trainAndSave(t, "lmf", ds)
	for _, tt := range []struct {
		m    *Model
		use  data.Subset
		path string
	}{{ours, data.All, "teacher"}, {ours, data.Only(data.Text), "students"}, {lmf, data.All, "model"}} {
		a, err := tt.m.Answer(request(ds.Test, 0, tt.use))
		if err != nil || a.Path != tt.path {
			t.Errorf("%s from %s: path %q, %v; want %s", tt.m.Meta.System, tt.use, a.Path, err, tt.path)
		}
	}
	var ie *InputError
	short := Request{Text: &Features{Steps: 5, Dim: 300, Data: make([]float32, 5*300)}} // synth text has no lengths
	if _, err := ours.Answer(short); !errors.As(err, &ie) || !strings.Contains(err.Error(), "whole sequences of 20 steps") {
		t.Errorf("5 of 20 steps of text without lengths: %v", err)
	}
	if _, err := lmf.Answer(request(ds.Test, 0, data.Only(data.Text))); !errors.As(err, &ie) || !strings.Contains(err.Error(), "answers from avt") {
		t.Errorf("LMF from text alone: %v", err)
	}
	for _, bad := range []struct{ line, want string }{
		{`{"id": "x", "audio": [1, 2]}`, "audio: shape [2]: want [74]"},
		{`{"id": "x"}`, "no modality given"},
		{`{"id": "x", "video": [1]}`, "unknown field"},
		{`{"id": "x", "text": [[1, 2], [3]]}`, "step 1 has 1 values"},
		{`{"id": "x", "audio": [1e39]}`, "not a finite float32"},
		{`{"id": "x", "text_raw": "hello"}`, "not words"},
		{`[1, 2]`, "not a request"},
	} {
		r, err := ParseRequest([]byte(bad.line))
		if err == nil {
			_, err = ours.Answer(r)
		}
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s: %v, want an input error with %q", bad.line, err, bad.want)
		}
	}
}

// A model trained on transcripts answers their raw text as it answered the
// loaded data: GloVe-style word vectors saved with the model, and bags of
// n-grams.
func TestRawTextAnswersAsTheLoadedText(t *testing.T) {
	dir, vectors, err := infertest.TextRelease(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		text, system string
		opt          load.Options
	}{
		{"glove", "ours", load.Options{Kind: "mosi", Text: "glove", Embeddings: vectors}},
		{"ngrams", "lmf-s", load.Options{Kind: "mosi", Text: load.TextNgrams}},
	} {
		ds, err := load.Open(dir, tt.opt)
		if err != nil {
			t.Fatalf("%s: %v", tt.text, err)
		}
		im, m := trainAndSave(t, tt.system, ds)
		if !im.ReadsRawText() {
			t.Fatalf("%s: the model does not read raw text", tt.text)
		}
		whole := m.Predict(autodiff.NewTape(), ds.Test.All(), data.Only(data.Text))
		for i, id := range ds.Test.IDs {
			video, clip, _ := strings.Cut(id, "$_$")
			transcript := "SEGMENT " + video + "_" + clip
			a, err := im.Answer(Request{ID: id, TextRaw: &transcript})
			if err != nil {
				t.Fatalf("%s, %s: %v", tt.text, id, err)
			}
			if math.Abs(*a.Score-float64(whole.Data[i])) > 1e-6 || a.Path != "students" {
				t.Errorf("%s, %s: answered %v (%s), the loaded text gives %v", tt.text, id, *a.Score, a.Path, whole.Data[i])
			}
			if tt.text == "glove" { // the same text as features: its valid steps only
				f := request(ds.Test, i, data.Only(data.Text))
				if a2, err := im.Answer(f); err != nil || *a2.Score != *a.Score || f.Text.Steps >= ds.Dims().TextLen {
					t.Errorf("%s as %d steps of features: %v, %v", id, f.Text.Steps, err, a2.Score)
				}
			}
		}
	}
}

func FuzzParseRequest(f *testing.F) {
	for _, s := range []string{`{"id": "a", "audio": [1, 2], "text_raw": "good"}`, `{"visual": [[1], [2]]}`, `{"text": []}`, `{`, `[[[]]]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		r, err := ParseRequest([]byte(line))
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Errorf("%q: %T, want an InputError", line, err)
			}
			return
		}
		// What parses has consistent shapes: Steps vectors of Dim values.
		for _, f := range []*Features{r.Audio, r.Visual, r.Text} {
			if f != nil && (f.Dim == 0 || len(f.Data) != max(f.Steps, 1)*f.Dim) {
				t.Errorf("%q: features %d x %d with %d values", line, f.Steps, f.Dim, len(f.Data))
			}
		}
	})
}

func ptr[T any](v T) *T { return &v }
