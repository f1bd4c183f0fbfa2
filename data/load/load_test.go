package load

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/pickle"
	"github.com/modistill/modistill/data/synth"
	"github.com/modistill/modistill/data/text"
	"github.com/modistill/modistill/tensor"
)

func small(kind synth.Kind) []*data.Dataset {
	dss, err := synth.Generate(synth.Config{Kind: kind, Seed: 4, Sizes: synth.Sizes{Train: 6, Valid: 3, Test: 4}})
	if err != nil {
		panic(err)
	}
	return dss
}

func write(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLMFRoundTripAllKinds(t *testing.T) {
	for _, kind := range []synth.Kind{synth.MOSI, synth.POM, synth.IEMOCAP} {
		dss := small(kind)
		b, err := EncodeLMF(dss...)
		if err != nil {
			t.Fatal(err)
		}
		p := write(t, string(kind)+".pkl", b)
		if f, err := Sniff(p); err != nil || f != LMFPickle {
			t.Fatalf("%s: sniffed %q, %v", kind, f, err)
		}
		opt := Options{}
		if kind == synth.IEMOCAP {
			opt.Emotion = "angry"
		}
		got, err := Open(p, opt)
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		want := dss[0]
		if kind == synth.IEMOCAP {
			want = dss[2]
		}
		if got.Task.Kind != want.Task.Kind || len(got.Task.Targets) != len(want.Task.Targets) {
			t.Errorf("%s: task %+v, want %+v", kind, got.Task, want.Task)
		}
		for i, s := range got.Splits() {
			w := want.Splits()[i]
			for m := range 3 {
				if !equal(s.Inputs[m].Data, w.Inputs[m].Data) {
					t.Errorf("%s %s: %s differs", kind, s.Name, data.Modality(m))
				}
			}
			if !equal(s.Labels.Data, w.Labels.Data) {
				t.Errorf("%s %s: labels differ", kind, s.Name)
			}
		}
	}
}

func equal(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// lmfDict builds a MOSI-shaped LMF dict that tests then damage.
func lmfDict(t *testing.T) *pickle.Dict {
	b, err := EncodeLMF(small(synth.MOSI)[0])
	if err != nil {
		t.Fatal(err)
	}
	v, err := pickle.Load(b)
	if err != nil {
		t.Fatal(err)
	}
	return v.(*pickle.Dict)
}

func setKey(d *pickle.Dict, key string, v any) {
	for i, k := range d.Keys {
		if string(k.([]byte)) == key {
			if v == nil {
				d.Keys = append(d.Keys[:i], d.Keys[i+1:]...)
				d.Values = append(d.Values[:i], d.Values[i+1:]...)
			} else {
				d.Values[i] = v
			}
			return
		}
	}
	d.Keys = append(d.Keys, []byte(key))
	d.Values = append(d.Values, v)
}

func split(d *pickle.Dict, name string) *pickle.Dict {
	v, _ := d.Get(name)
	return v.(*pickle.Dict)
}

// reencode turns a decoded dict back into pickle bytes.
func reencode(t *testing.T, d *pickle.Dict) []byte {
	conv := &pickle.Dict{}
	for i, k := range d.Keys {
		conv.Keys = append(conv.Keys, k)
		switch v := d.Values[i].(type) {
		case *pickle.Dict:
			conv.Values = append(conv.Values, reencodeDict(v))
		default:
			conv.Values = append(conv.Values, v)
		}
	}
	b, err := pickle.Dump(conv)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func reencodeDict(d *pickle.Dict) *pickle.Dict {
	out := &pickle.Dict{}
	for i, k := range d.Keys {
		out.Keys = append(out.Keys, k)
		switch v := d.Values[i].(type) {
		case *pickle.Array:
			f := make([]float32, len(v.Values))
			for j, x := range v.Values {
				f[j] = float32(x)
			}
			out.Values = append(out.Values, &pickle.Float32Array{Shape: v.Shape, Data: f})
		case *pickle.Dict:
			out.Values = append(out.Values, reencodeDict(v))
		default:
			out.Values = append(out.Values, v)
		}
	}
	return out
}

func arr(shape []int, fill float32) *pickle.Float32Array {
	n := 1
	for _, d := range shape {
		n *= d
	}
	a := &pickle.Float32Array{Shape: shape, Data: make([]float32, n)}
	for i := range a.Data {
		a.Data[i] = fill
	}
	return a
}

func TestLMFBadInputs(t *testing.T) {
	cases := []struct {
		name   string
		damage func(d *pickle.Dict)
		want   string
	}{
		{"missing key", func(d *pickle.Dict) { setKey(split(d, "valid"), "facet", nil) }, `split valid: no key "facet" (keys: covarep, glove, label)`},
		{"missing split", func(d *pickle.Dict) { setKey(d, "test", nil) }, `no key "test"`},
		{"wrong rank", func(d *pickle.Dict) { setKey(split(d, "train"), "glove", arr([]int{6, 300}, 0)) }, "glove has shape (6, 300), want a 3-d array"},
		{"count mismatch", func(d *pickle.Dict) { setKey(split(d, "train"), "covarep", arr([]int{5, 74}, 0)) }, "audio has 5 samples, labels have 6"},
		{"dimension mismatch", func(d *pickle.Dict) { setKey(split(d, "test"), "facet", arr([]int{4, 45}, 0)) }, "visual is (45) per sample, train has (46)"},
		{"empty split", func(d *pickle.Dict) {
			s := split(d, "valid")
			setKey(s, "covarep", arr([]int{0, 74}, 0))
			setKey(s, "facet", arr([]int{0, 46}, 0))
			setKey(s, "glove", arr([]int{0, 20, 300}, 0))
			setKey(s, "label", arr([]int{0, 1}, 0))
		}, "split valid: no samples"},
		{"label out of range", func(d *pickle.Dict) { setKey(split(d, "train"), "label", arr([]int{6, 1}, 3.5)) }, "label 3.5 of sample 0, target sentiment outside [-3, 3]"},
		{"not a dict", func(d *pickle.Dict) { setKey(d, "train", []byte("oops")) }, "train is a bytes, want a dict"},
		{"labels not finite", func(d *pickle.Dict) { setKey(split(d, "train"), "label", arr([]int{6, 1}, float32(math.NaN()))) }, "label has 6 NaN or infinite values"},
	}
	for _, c := range cases {
		d := lmfDict(t)
		c.damage(d)
		_, err := DecodeLMF(reencode(t, d), "mosi.pkl", Options{})
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "mosi.pkl") {
			t.Errorf("%s: err = %v, want it to name the file and contain %q", c.name, err, c.want)
		}
	}
}

func TestLMFNonFiniteReplacedAndCounted(t *testing.T) {
	d := lmfDict(t)
	cov := arr([]int{6, 74}, 0.5)
	cov.Data[3] = float32(math.NaN())
	cov.Data[80] = float32(math.Inf(-1))
	setKey(split(d, "train"), "covarep", cov)
	ds, err := DecodeLMF(reencode(t, d), "mosi.pkl", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ds.NonFinite["train/audio"] != 2 || ds.Train.Inputs[0].Data[3] != 0 || ds.Train.Inputs[0].Data[80] != 0 {
		t.Errorf("non-finite: %v, values %v %v", ds.NonFinite, ds.Train.Inputs[0].Data[3], ds.Train.Inputs[0].Data[80])
	}
}

func TestIEMOCAPNeedsEmotionAndOneHot(t *testing.T) {
	b, err := EncodeLMF(small(synth.IEMOCAP)...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := DecodeLMF(b, "iemocap.pkl", Options{}); err == nil || !strings.Contains(err.Error(), "angry, happy, neutral, sad") {
		t.Errorf("no emotion: %v", err)
	}
	var oe *OptionError
	if _, err := DecodeLMF(b, "iemocap.pkl", Options{Emotion: "bored"}); !errors.As(err, &oe) || !strings.Contains(err.Error(), `--emotion "bored": the file has angry, happy, neutral, sad`) {
		t.Errorf("unknown emotion: %v, want an OptionError naming the emotions", err)
	}
	v, _ := pickle.Load(b)
	d := v.(*pickle.Dict)
	happy, _ := d.Get("happy")
	setKey(split(happy.(*pickle.Dict), "train"), "label", arr([]int{6, 2}, 1))
	_, err = DecodeLMF(reencode(t, d), "iemocap.pkl", Options{Emotion: "happy"})
	if err == nil || !strings.Contains(err.Error(), "want one-hot") {
		t.Errorf("not one-hot: %v", err)
	}
}

// mmsaFile writes an MMSA-shaped pickle as Python 3 writes it (str keys).
func mmsaFile(t *testing.T, lengths bool) []byte {
	top := &pickle.Dict{}
	for _, sn := range []string{"train", "valid", "test"} {
		s := &pickle.Dict{}
		n := 3
		s.Keys = append(s.Keys, "text", "audio", "vision", "regression_labels")
		s.Values = append(s.Values, arr([]int{n, 5, 4}, 0.1), arr([]int{n, 6, 2}, 0.2), arr([]int{n, 6, 3}, 0.3), arr([]int{n}, -0.5))
		if lengths {
			l := pickle.List{int64(6), int64(2), int64(0)}
			s.Keys = append(s.Keys, "audio_lengths", "vision_lengths")
			s.Values = append(s.Values, &l, &l)
		}
		top.Keys = append(top.Keys, sn)
		top.Values = append(top.Values, s)
	}
	b, err := pickle.Dump(top)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestMMSA(t *testing.T) {
	p := write(t, "unaligned_50.pkl", mmsaFile(t, true))
	if f, err := Sniff(p); err != nil || f != MMSAPickle {
		t.Fatalf("sniffed %q, %v", f, err)
	}
	ds, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := ds.Dims()
	if d.AudioLen != 6 || d.Audio != 2 || d.Visual != 3 || d.TextLen != 5 || d.Text != 4 {
		t.Errorf("dims %+v", d)
	}
	if l := ds.Test.Lengths[data.Audio]; len(l) != 3 || l[1] != 2 {
		t.Errorf("audio lengths %v", l)
	}
	if ds.Train.Labels.Data[0] != -0.5 {
		t.Errorf("labels %v", ds.Train.Labels.Data)
	}
	aligned, err := DecodeMMSA(mmsaFile(t, false), "aligned_50.pkl")
	if err != nil || aligned.Train.Lengths[data.Audio] != nil {
		t.Errorf("aligned: %v, lengths %v", err, aligned.Train.Lengths)
	}
	// A length longer than the sequence is an error.
	top, _ := pickle.Load(mmsaFile(t, true))
	tr, _ := top.(*pickle.Dict).Get("train")
	l := pickle.List{int64(9), int64(2), int64(0)}
	setStrKey(tr.(*pickle.Dict), "audio_lengths", &l)
	b, _ := pickle.Dump(reencodeDict(top.(*pickle.Dict)))
	if _, err := DecodeMMSA(b, "bad.pkl"); err == nil || !strings.Contains(err.Error(), "audio length 9 of sample 0 outside [0, 6]") {
		t.Errorf("long length: %v", err)
	}
}

func setStrKey(d *pickle.Dict, key string, v any) {
	for i, k := range d.Keys {
		if k == key {
			d.Values[i] = v
		}
	}
}

func TestTranscripts(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"train.tsv": "text\tlabel\nA GOOD MOVIE\t2.0\nA BAD MOVIE\t-1.5\nNOT GOOD AT ALL REALLY\t-0.4\n",
		"dev.tsv":   "text\tlabel\nGOOD\t1\n",
		"test.tsv":  "text\tlabel\nAN AWFUL MOVIE\t-3\nGOOD GOOD\t0\n",
	}
	for n, c := range files {
		os.WriteFile(filepath.Join(dir, n), []byte(c), 0o644)
	}
	ds, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ds.Train.N() != 3 || ds.Valid.N() != 1 || ds.Test.N() != 2 || ds.Has(data.Audio) || !ds.Has(data.Text) {
		t.Fatalf("sizes %d/%d/%d", ds.Train.N(), ds.Valid.N(), ds.Test.N())
	}
	if ds.Dims().TextLen != 5 || ds.Train.Lengths[data.Text][0] != 3 {
		t.Errorf("text length %d, lengths %v", ds.Dims().TextLen, ds.Train.Lengths[data.Text])
	}
	// "an" and "awful" are not in the training vocabulary.
	ids := ds.Test.Tokens.IDs[:3]
	if ids[0] != 1 || ids[1] != 1 || ds.Vocab[ids[2]] != "movie" {
		t.Errorf("test ids %v (vocab %v)", ids, ds.Vocab)
	}
	os.WriteFile(filepath.Join(dir, "dev.tsv"), []byte("text\tlabel\nGOOD 1\n"), 0o644)
	if _, err := Open(dir, Options{}); err == nil || !strings.Contains(err.Error(), "dev.tsv: line 2: no tab") {
		t.Errorf("no tab: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "dev.tsv"), []byte("text\tlabel\nGOOD\t7\n"), 0o644)
	if _, err := Open(dir, Options{}); err == nil || !strings.Contains(err.Error(), "label 7 of sample 0, target sentiment outside [-3, 3]") {
		t.Errorf("out of range: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "dev.tsv"), []byte("text\tlabel\n"), 0o644)
	if _, err := Open(dir, Options{}); err == nil || !strings.Contains(err.Error(), "no samples") {
		t.Errorf("empty: %v", err)
	}
}

func TestSniffRejects(t *testing.T) {
	p := write(t, "x.bin", []byte("hello world"))
	if _, err := Open(p, Options{}); err == nil || !strings.Contains(err.Error(), "not a pickle, an HDF5 file or a .tsv") {
		t.Errorf("unknown format: %v", err)
	}
	b, _ := pickle.Dump(&pickle.Dict{Keys: []any{"train"}, Values: []any{&pickle.Dict{Keys: []any{"x"}, Values: []any{int64(1)}}}})
	if _, err := Open(write(t, "y.pkl", b), Options{}); err == nil || !strings.Contains(err.Error(), "want LMF's covarep/facet/glove/label or MMSA's text/audio/vision") {
		t.Errorf("unknown layout: %v", err)
	}
	if _, err := Open(write(t, "z.pkl", []byte{0x80, 2, 'K'}), Options{}); err == nil || !strings.Contains(err.Error(), "corrupt pickle") {
		t.Errorf("truncated: %v", err)
	}
}

func FuzzDecodeLMF(f *testing.F) {
	sp := func() *data.Split {
		return &data.Split{Inputs: [3]*tensor.Tensor{tensor.From([]float32{1, 2, 3, 4}, 2, 2), tensor.From([]float32{1, 0}, 2, 1),
			tensor.From([]float32{1, 2, 3, 4, 5, 6}, 2, 1, 3)}, Labels: tensor.From([]float32{0.5, -1}, 2, 1)}
	}
	tiny := &data.Dataset{Name: "tiny", Task: data.Task{Kind: data.Regression, Targets: []string{"sentiment"}}, Train: sp(), Valid: sp(), Test: sp()}
	b, err := EncodeLMF(tiny)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		DecodeLMF(b, "fuzz.pkl", Options{})
		DecodeMMSA(b, "fuzz.pkl")
	})
}

func FuzzParseTSV(f *testing.F) {
	f.Add("text\tlabel\nA GOOD MOVIE\t2.0\n")
	f.Add("x\t1e400\n\t\t\n")
	f.Fuzz(func(t *testing.T, s string) {
		ParseTSV(strings.NewReader(s))
	})
}

func TestOptionsOnlyWhereTheyApply(t *testing.T) {
	p := write(t, "unaligned_50.pkl", mmsaFile(t, true))
	for _, c := range []struct {
		opt  Options
		want string
	}{
		{Options{Emotion: "happy"}, "--emotion applies to LMF's IEMOCAP pickle"},
		{Options{Kind: "pom"}, "not --kind (or --dataset) pom"},
		{Options{Split: "standard"}, "apply to the bc-LSTM release only"},
	} {
		var oe *OptionError
		if _, err := Open(p, c.opt); !errors.As(err, &oe) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v on MMSA: %v, want an OptionError saying %q", c.opt, err, c.want)
		}
	}
	if _, err := Open(p, Options{Kind: "mosi"}); err != nil {
		t.Errorf("--kind mosi on MMSA: %v", err)
	}
}

func TestTranscriptsThroughGloVe(t *testing.T) {
	dir := t.TempDir()
	for name, rows := range map[string]string{
		"train.tsv": "text\tlabel\nA GOOD MOVIE\t2\nBAD\t-1\n",
		"dev.tsv":   "text\tlabel\nGOOD\t1\n",
		"test.tsv":  "text\tlabel\nA BAD ZORK\t-2\n",
	} {
		os.WriteFile(filepath.Join(dir, name), []byte(rows), 0o644)
	}
	glove := filepath.Join(dir, "v.txt")
	os.WriteFile(glove, []byte("good 1 0\nbad -1 0\nmovie 0 1\na 0 0.1\n"), 0o644)
	ds, err := Open(dir, Options{Embeddings: glove})
	if err != nil {
		t.Fatal(err)
	}
	if ds.Vocab != nil || ds.Train.Tokens != nil {
		t.Error("text still token ids")
	}
	x := ds.Test.Inputs[data.Text]
	if x.Shape[1] != DefaultVectorSeqLen || x.Shape[2] != 2 || ds.Test.Lengths[data.Text][0] != 3 {
		t.Fatalf("test text %v, lengths %v", x.Shape, ds.Test.Lengths[data.Text])
	}
	// "a bad zork": a, bad, then zork (no vector) as zeros.
	if x.Data[1] != 0.1 || x.Data[2] != -1 || x.Data[4] != 0 || x.Data[5] != 0 {
		t.Errorf("vectors %v", x.Data[:6])
	}
	if v := ds.TextVectors; v.OOVTokens != 1 || v.Tokens != 8 || v.OOVWords != 1 {
		t.Errorf("oov %+v", v)
	}
	b, err := EncodeLMF(small(synth.MOSI)[0])
	if err != nil {
		t.Fatal(err)
	}
	lmf := write(t, "mosi.pkl", b)
	var oe *OptionError
	if _, err := Open(lmf, Options{Embeddings: glove}); !errors.As(err, &oe) {
		t.Errorf("--embeddings on an LMF pickle: %v", err)
	}
}

func TestEncodeMMSARoundTrip(t *testing.T) {
	ds := small(synth.MOSI)[0]
	for _, s := range ds.Splits() { // MMSA's layout is sequences
		for m := range s.Inputs {
			x := s.Inputs[m]
			if len(x.Shape) == 2 {
				s.Inputs[m] = x.Reshape(x.Shape[0], 1, x.Shape[1])
			}
		}
		s.IDs = nil
		for i := range s.N() {
			s.IDs = append(s.IDs, fmt.Sprintf("vid$_$%d", i+1))
		}
	}
	b, err := EncodeMMSA(ds)
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeMMSA(b, "x.pkl")
	if err != nil {
		t.Fatal(err)
	}
	if back.Test.IDs[2] != "vid$_$3" || back.Dims() != ds.Dims() || back.Test.Labels.Data[1] != ds.Test.Labels.Data[1] ||
		back.Train.Inputs[data.Text].Data[7] != ds.Train.Inputs[data.Text].Data[7] {
		t.Errorf("round trip: dims %v vs %v, ids %v", back.Dims(), ds.Dims(), back.Test.IDs)
	}
}

func TestTranscriptsAsNgramBags(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"train.tsv": "text\tlabel\nA GOOD MOVIE\t2.0\nA BAD MOVIE\t-1.5\nNOT GOOD\t-0.4\n",
		"dev.tsv":   "text\tlabel\nGOOD\t1\n",
		"test.tsv":  "text\tlabel\nAN AWFUL MOVIE\t-3\nNOT GOOD A GOOD MOVIE A GOOD MOVIE\t0\n",
	}
	for n, c := range files {
		os.WriteFile(filepath.Join(dir, n), []byte(c), 0o644)
	}
	ds, err := Open(dir, Options{Text: TextNgrams})
	if err != nil {
		t.Fatal(err)
	}
	if !ds.TextBag || !ds.Dims().TextBag || ds.Train.Tokens == nil {
		t.Fatal("the text should be bags of n-gram ids")
	}
	vocab := text.FromWords(ds.Vocab)
	// Features seen once in training ("w:bad") have no id; twice ("w:good",
	// "w:movie", "w:a") do; the bags are padded to the longest of any split
	// (the test's second, longer than any training one), so none is cut.
	if vocab.ID("w:bad") != text.Unknown || vocab.ID("w:good") == text.Unknown || vocab.ID("b:a good") != text.Unknown {
		t.Errorf("vocabulary %q", ds.Vocab)
	}
	if want := vocab.KnownCount(text.Ngrams([]string{"not", "good", "a", "good", "movie", "a", "good", "movie"})); ds.Test.Lengths[data.Text][1] != want {
		t.Errorf("test bag of %d features, want %d", ds.Test.Lengths[data.Text][1], want)
	}
	longest := 0
	for _, s := range ds.Splits() {
		longest = max(longest, slices.Max(s.Lengths[data.Text]))
	}
	if ds.Dims().TextLen != longest {
		t.Errorf("bags padded to %d, the longest is %d", ds.Dims().TextLen, longest)
	}
	for _, id := range ds.Test.Tokens.IDs {
		if id == text.Unknown {
			t.Fatal("an unknown feature should be left out of a bag, not written as the unknown id")
		}
	}
	// With word vectors: those of the word features' words, for their
	// embeddings to start from.
	vecs := filepath.Join(dir, "vectors.txt")
	os.WriteFile(vecs, []byte("good 1 2\nawful 3 4\nmovie 5 6\n"), 0o644)
	dv, err := Open(dir, Options{Text: TextNgrams, Embeddings: vecs})
	if err != nil {
		t.Fatal(err)
	}
	// Word features: "a", "good", "movie" (twice each in training); "awful"
	// has a vector but no feature.
	if tv := dv.TextVectors; tv == nil || !slices.Equal(tv.Vocab, []string{"good", "movie"}) || tv.Words != 3 || tv.Dim != 2 || !slices.Equal(tv.Table, []float32{1, 2, 5, 6}) {
		t.Errorf("bag vectors %+v", dv.TextVectors)
	}
	for _, c := range []struct {
		opt  Options
		want string
	}{
		{Options{Text: TextNgrams, TextLen: 5}, "--seq-len applies to word sequences"},
		{Options{Text: "cnn"}, `--text "cnn": want words`},
	} {
		if _, err := Open(dir, c.opt); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want an error saying %q", c.opt, err, c.want)
		}
	}
}
