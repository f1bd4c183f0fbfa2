package load

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/load/loadtest"
	"github.com/modistill/modistill/data/text"
)

var smallRelease = []loadtest.Video{
	{ID: "vid_a", Index: 1, Scores: []float64{2.4, -0.2, 0}},
	{ID: "vidB", Index: 2, Scores: []float64{-1.8, 1}},
	{ID: "vidC", Index: 55, Scores: []float64{0.6, -3}},
	{ID: "vidD", Index: 70, Scores: []float64{3, -2.2, 0.4}},
}

func writeRelease(t *testing.T, videos []loadtest.Video) string {
	t.Helper()
	dir, err := loadtest.WriteRelease(t.TempDir(), videos)
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestBCLSTMReleaseSplit(t *testing.T) {
	dir := writeRelease(t, smallRelease)
	if f, err := Sniff(dir); err != nil || f != BCLSTMRelease {
		t.Fatalf("Sniff: %v %v", f, err)
	}
	ds, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Release split: videos 1-52 train, 53-62 valid, 63-93 test.
	for _, c := range []struct {
		s      *data.Split
		ids    string
		labels []float32
	}{
		{ds.Train, "vidB$_$1 vidB$_$2 vid_a$_$1 vid_a$_$2 vid_a$_$3", []float32{-1.8, 1, 2.4, -0.2, 0}},
		{ds.Valid, "vidC$_$1 vidC$_$2", []float32{0.6, -3}},
		{ds.Test, "vidD$_$1 vidD$_$2 vidD$_$3", []float32{3, -2.2, 0.4}},
	} {
		if got := strings.Join(c.s.IDs, " "); got != c.ids {
			t.Errorf("ids %q, want %q", got, c.ids)
		}
		for i, y := range c.labels {
			if c.s.Labels.Data[i] != y {
				t.Errorf("%s: label %v, want %v", c.s.IDs[i], c.s.Labels.Data[i], y)
			}
		}
	}
	// Features follow the segment: transcripts.csv row + m/10 + j/1000.
	dims := ds.Dims()
	if dims.Audio != 73 || dims.Visual != 100 || dims.Text != 100 || dims.TextLen != 0 {
		t.Errorf("dims %v", dims)
	}
	// vid_a_2 is transcripts row 4 (sorted: vidB_1, vidB_2, vidC_1, vidC_2, vidD_1, ..., vid_a_1 ...).
	i := 3 // vid_a$_$2 in train
	rowOf := ds.Train.Inputs[data.Audio].Data[i*73]
	if got := ds.Train.Inputs[data.Text].Data[i*100+7]; got != rowOf+0.2+0.007 {
		t.Errorf("text feature 7 of %s = %v, want %v", ds.Train.IDs[i], got, rowOf+0.207)
	}
	if got := ds.Train.Inputs[data.Visual].Data[i*100+99]; got != rowOf+0.1+0.099 {
		t.Errorf("visual feature 99 of %s = %v, want %v", ds.Train.IDs[i], got, rowOf+0.199)
	}
	if len(ds.Warnings) != 0 {
		t.Errorf("warnings on the release split: %v", ds.Warnings)
	}
}

func TestBCLSTMStandardSplitWarns(t *testing.T) {
	dir := writeRelease(t, smallRelease)
	ds, err := Open(dir, Options{Split: StandardSplit})
	if err != nil {
		t.Fatal(err)
	}
	if ds.Train.N() != 5 || ds.Valid.N() != 2 || ds.Test.N() != 3 || ds.Valid.IDs[0] != "vidB$_$1" {
		t.Errorf("standard split %d/%d/%d, valid %v", ds.Train.N(), ds.Valid.N(), ds.Test.N(), ds.Valid.IDs)
	}
	if len(ds.Warnings) != 1 || !strings.Contains(ds.Warnings[0], "not leak-free") {
		t.Errorf("warnings %v", ds.Warnings)
	}
}

func TestBCLSTMLabelsFromCSD(t *testing.T) {
	// data/csd's fixture: vidA 3 segments, vidB 5, vid_c 1.
	scores := map[string][]float64{"vidA": {-2.228578805923462, -0.004332825541496277, 0.6089901328086853},
		"vidB":  {0.7313015460968018, -0.786041259765625, 0.06834013015031815, 0.977057695388794, -1.3481471538543701},
		"vid_c": {-0.8803508877754211}}
	dir := writeRelease(t, []loadtest.Video{{ID: "vidA", Index: 1, Scores: scores["vidA"]}, {ID: "vidB", Index: 60, Scores: scores["vidB"]}, {ID: "vid_c", Index: 80, Scores: scores["vid_c"]}})
	ds, err := Open(dir, Options{Labels: filepath.Join("..", "csd", "testdata", "seq.csd")})
	if err != nil {
		t.Fatal(err)
	}
	if ds.Train.N() != 3 || ds.Valid.N() != 5 || ds.Test.N() != 1 || ds.Valid.Labels.Data[3] != float32(scores["vidB"][3]) {
		t.Errorf("from the .csd: %d/%d/%d, %v", ds.Train.N(), ds.Valid.N(), ds.Test.N(), ds.Valid.Labels.Data)
	}
}

func TestBCLSTMBadInput(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(root, dir string)
		opt  Options
		want string
	}{
		{"missing label", func(root, dir string) {
			p := filepath.Join(root, "cmu-mosi", "OpinionLevelSentiment.csv")
			b, _ := os.ReadFile(p)
			os.WriteFile(p, []byte(strings.Replace(string(b), "2.5,vidC,2,", "2.5,vidX,2,", 1)), 0o644)
		}, Options{}, "segment vidC_2 has no label"},
		{"disagreeing label", func(root, dir string) {
			p := filepath.Join(root, "cmu-mosi", "OpinionLevelSentiment.csv")
			b, _ := os.ReadFile(p)
			os.WriteFile(p, []byte(strings.Replace(string(b), "vidD,2,-2.2", "vidD,2,2.2", 1)), 0o644)
		}, Options{}, "segment vidD_2: label 2.2"},
		{"no labels", func(root, dir string) { os.Remove(filepath.Join(root, "cmu-mosi", "OpinionLevelSentiment.csv")) }, Options{}, "give one with --labels"},
		{"bad split", func(root, dir string) {}, Options{Split: "random"}, `--split "random": want release or standard`},
		{"short audio", func(root, dir string) {
			p := filepath.Join(dir, "audio", "audio_test0.csv")
			b, _ := os.ReadFile(p)
			os.WriteFile(p, b[:strings.IndexByte(string(b), '\n')+1], 0o644)
		}, Options{}, "audio_test0.csv: 1 rows, the text file has 3"},
		{"bad number", func(root, dir string) {
			p := filepath.Join(dir, "video", "video_train0.csv")
			b, _ := os.ReadFile(p)
			os.WriteFile(p, []byte(strings.Replace(string(b), `"`, `"x`, 1)), 0o644)
		}, Options{}, "video_train0.csv: line 1: field 1"},
		{"two indices", func(root, dir string) {
			p := filepath.Join(dir, "transcripts.csv")
			b, _ := os.ReadFile(p)
			os.WriteFile(p, []byte(strings.Replace(string(b), `"SEGMENT vid_a_2","1"`, `"SEGMENT vid_a_2","2"`, 1)), 0o644)
		}, Options{}, "video vid_a has index"},
		{"unused row", func(root, dir string) {
			p := filepath.Join(dir, "transcripts.csv")
			b, _ := os.ReadFile(p)
			os.WriteFile(p, append(b, []byte(`"zzz_1","X","70","1"`+"\n")...), 0o644)
		}, Options{}, "segment zzz_1 of transcripts.csv is in no feature file"},
		{"text files disagree", func(root, dir string) {
			p := filepath.Join(dir, "text", "text_train0.csv")
			b, _ := os.ReadFile(p)
			os.WriteFile(p, []byte(strings.Replace(string(b), `"`, `"9`, 1)), 0o644)
		}, Options{}, "so the files' rows do not line up"},
		{"folds without the standard split", func(root, dir string) {}, Options{Folds: "f.json"}, "--folds goes with --split standard"},
		{"seq-len with text-CNN", func(root, dir string) {}, Options{TextLen: 5}, "--seq-len applies to transcripts"},
		{"seq-len out of range", func(root, dir string) {}, Options{TextLen: -5}, "--seq-len -5 is out of range"},
	} {
		dir := writeRelease(t, smallRelease)
		c.edit(filepath.Dir(dir), dir)
		_, err := Open(dir, c.opt)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error saying %q", c.name, err, c.want)
		}
	}
	var oe *OptionError
	if _, err := Open(writeRelease(t, smallRelease), Options{Split: "x"}); !errors.As(err, &oe) {
		t.Errorf("a bad --split is not an OptionError: %v", err)
	}
}

func FuzzBCLSTMCSV(f *testing.F) {
	f.Add([]byte("\"a_1\",\"HELLO\",\"1\",\"1\"\n\"a_2\",\"X\",\"70\",\"0\"\n"))
	f.Add([]byte("\"1.5\",\"2\",\"x\"\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(t.TempDir(), "f.csv")
		os.WriteFile(p, b, 0o644)
		readTranscriptsCSV(p)
		readLabelledFeatures(p, 2, 1)
		readIndexedFeatures(p, 2, 3)
		readMOSILabels(p)
	})
}

func TestBCLSTMTextThroughGloVe(t *testing.T) {
	dir := writeRelease(t, smallRelease)
	glove := filepath.Join(t.TempDir(), "vectors.txt")
	// The transcripts read "SEGMENT <id>", tokenised as "segment vidd 2" or
	// "segment vid a 1": "segment" and "vidd" have vectors.
	os.WriteFile(glove, []byte("segment 1 2\nvidd 0.5 -0.5\nother 9 9\n"), 0o644)
	other := filepath.Join(t.TempDir(), "other.txt")
	os.WriteFile(other, []byte("der 1 2\ndie 3 4\n"), 0o644)
	ds, err := Open(dir, Options{Embeddings: glove, TextLen: 3})
	if err != nil {
		t.Fatal(err)
	}
	x := ds.Test.Inputs[data.Text]
	if len(x.Shape) != 3 || x.Shape[1] != 3 || x.Shape[2] != 2 {
		t.Fatalf("text %v, want (N, 3, 2)", x.Shape)
	}
	// vidD$_$2 is test sample 1: "segment vidd 2" -> [1 2], [0.5 -0.5], zeros.
	got := x.Data[1*6 : 2*6]
	want := []float32{1, 2, 0.5, -0.5, 0, 0}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("%s's vectors %v, want %v", ds.Test.IDs[1], got, want)
		}
	}
	if len(ds.Warnings) != 1 || !strings.Contains(ds.Warnings[0], "57% of the transcripts' tokens have no vector") {
		t.Errorf("warnings %v", ds.Warnings)
	}
	if ds.Test.Lengths[data.Text][1] != 3 {
		t.Errorf("length %d, want 3", ds.Test.Lengths[data.Text][1])
	}
	v := ds.TextVectors
	// 10 transcripts of 3 tokens kept (vid_a's 4 cut to 3); 10 "segment"
	// and 3 "vidd" have vectors; 9 distinct words, 7 without.
	if v == nil || v.Tokens != 30 || v.OOVTokens != 17 || v.Words != 9 || v.OOVWords != 7 || v.Truncated != 3 || v.Dim != 2 {
		t.Errorf("text vectors %+v", v)
	}
	for _, c := range []struct {
		opt  Options
		want string
	}{
		{Options{Text: "glove"}, "--text glove needs word vectors"},
		{Options{Text: "cnn", Embeddings: glove}, "--embeddings goes with --text glove"},
		{Options{Text: "bert"}, `--text "bert"`},
		{Options{Embeddings: filepath.Join(t.TempDir(), "none.txt")}, "--embeddings"},
		{Options{Embeddings: other}, "none of the transcripts' 9 words has a vector"},
	} {
		var oe *OptionError
		if _, err := Open(dir, c.opt); !errors.As(err, &oe) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want an OptionError saying %q", c.opt, err, c.want)
		}
	}
}

func TestBCLSTMTextAsNgramBags(t *testing.T) {
	dir := writeRelease(t, smallRelease)
	ds, err := Open(dir, Options{Text: TextNgrams})
	if err != nil {
		t.Fatal(err)
	}
	d := ds.Dims()
	if !d.TextBag || d.Vocab == 0 || d.Audio == 0 || d.Visual == 0 || ds.Train.Inputs[data.Text] != nil {
		t.Fatalf("dims %+v: want audio, visual and text as n-gram bags", d)
	}
	// Every transcript says "SEGMENT <id>": "w:segment" occurs in every
	// training one, so it has an id and is in every bag.
	vocab := text.FromWords(ds.Vocab)
	id := vocab.ID("w:segment")
	if id == text.Unknown {
		t.Fatalf("vocabulary %q lacks w:segment", ds.Vocab)
	}
	L := ds.Test.Tokens.L
	for i := range ds.Test.N() {
		if !slices.Contains(ds.Test.Tokens.IDs[i*L:(i+1)*L], id) {
			t.Errorf("test bag %d lacks w:segment", i)
		}
	}
	for _, c := range []struct {
		opt  Options
		want string
	}{
		{Options{Text: TextNgrams, Embeddings: "none.txt"}, "--embeddings"},
		{Options{Text: TextNgrams, TextLen: 4}, "--text ngrams keeps no word sequence"},
	} {
		var oe *OptionError
		if _, err := Open(dir, c.opt); !errors.As(err, &oe) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want an OptionError saying %q", c.opt, err, c.want)
		}
	}
}
