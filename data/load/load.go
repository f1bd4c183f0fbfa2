// Package load reads the field's dataset files into a data.Dataset: LMF's
// preprocessed pickles (mosi.pkl, pom.pkl, iemocap.pkl), MMSA's pickles
// (aligned_50.pkl, unaligned_50.pkl) and the CMU-MOSI transcripts
// (train.tsv, dev.tsv, test.tsv). Open detects which from the file itself.
//
// Every error names the file, the split and key, and what was expected
// against what was found.
package load

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/pickle"
	"github.com/modistill/modistill/tensor"
)

// OptionError is a load error caused by an option (Options.Emotion,
// Options.Kind) that does not fit the file, rather than by the file: a
// command reports it as a usage error.
type OptionError struct{ Err error }

// Error is the message.
func (e *OptionError) Error() string { return e.Err.Error() }

// Unwrap returns the error.
func (e *OptionError) Unwrap() error { return e.Err }

// optionErrorf makes an OptionError.
func optionErrorf(format string, args ...any) error {
	return &OptionError{fmt.Errorf(format, args...)}
}

// Options select and interpret part of a file.
type Options struct {
	// Emotion picks one of IEMOCAP's binary tasks (happy, sad, angry,
	// neutral) from an LMF iemocap.pkl, which holds one dataset per emotion.
	Emotion string
	// Kind overrides how LMF labels are read: "mosi" (one score in
	// [-3, 3]), "pom" (16 trait scores) or "regression" (any number of
	// unbounded targets). Empty: from the label width (1: mosi, 16: pom).
	Kind string
	// TextLen is the padded length of tokenised transcripts (0: the longest
	// training transcript, at most 50).
	TextLen int
	// Split chooses the bc-LSTM release's split: ReleaseSplit (the
	// default) or StandardSplit.
	Split string
	// Labels is the file of MOSI's continuous labels for the bc-LSTM
	// release (OpinionLevelSentiment.csv or a labels .csd); empty: found
	// beside the directory (see BCLSTM).
	Labels string
	// Folds is folds.json for the standard split; empty: found beside the
	// directory.
	Folds string
	// Embeddings is a file of pretrained word vectors (GloVe's text
	// format): transcripts become word-vector sequences of TextLen words
	// (default DefaultVectorSeqLen) instead of token ids.
	Embeddings string
	// Text chooses the bc-LSTM release's text: "cnn" (its text-CNN vectors;
	// the default without Embeddings), "glove" (its transcripts through
	// Embeddings; the default with them) or TextNgrams (its transcripts as
	// bags of n-gram features); for a transcripts directory, TextWords (the
	// default) or TextNgrams.
	Text string
}

// Format names a file format Open recognises.
type Format string

// The formats Open recognises.
const (
	LMFPickle   Format = "lmf-pickle"
	MMSAPickle  Format = "mmsa-pickle"
	Transcripts Format = "transcripts"
	CSD         Format = "csd"
)

// Sniff tells a file's format from its content (and, for transcripts, its
// name): HDF5 for .csd, a pickle whose splits hold covarep/facet/glove (or
// emotions) for LMF, text/audio/vision for MMSA, a TSV or a directory of
// them for transcripts.
func Sniff(path string) (Format, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if st.IsDir() {
		if isBCLSTMRelease(path) {
			return BCLSTMRelease, nil
		}
		if _, err := os.Stat(filepath.Join(path, "train.tsv")); err == nil {
			return Transcripts, nil
		}
		return "", fmt.Errorf("%s: a directory with neither train.tsv (transcripts) nor transcripts.csv, text_train.csv and audio/ (the bc-LSTM release)", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	head := make([]byte, 8)
	n, _ := f.Read(head)
	head = head[:n]
	switch {
	case bytes.Equal(head, []byte("\x89HDF\r\n\x1a\n")):
		return CSD, nil
	case len(head) > 0 && (head[0] == 0x80 || head[0] == '(' || head[0] == '}'):
		st, err := f.Stat()
		if err != nil {
			return "", err
		}
		v, err := pickle.Decode(f, st.Size()) // the structure only: no array is read
		if err != nil {
			return "", fmt.Errorf("%s: %w", path, err)
		}
		return pickleFormat(path, v)
	case strings.HasSuffix(path, ".tsv"):
		return Transcripts, nil
	}
	return "", fmt.Errorf("%s: not a pickle, an HDF5 file or a .tsv (first bytes %q)", path, head)
}

func pickleFormat(path string, v any) (Format, error) {
	top, ok := v.(*pickle.Dict)
	if !ok {
		return "", fmt.Errorf("%s: the pickle holds a %s, want a dict of splits", path, pickle.TypeName(v))
	}
	split, ok := top.Get("train")
	if !ok { // IEMOCAP in LMF's layout: emotions first
		for _, e := range top.KeyStrings() {
			if inner, ok := top.Get(e); ok {
				if d, ok := inner.(*pickle.Dict); ok {
					if _, ok := d.Get("train"); ok {
						return LMFPickle, nil
					}
				}
			}
		}
		return "", fmt.Errorf("%s: no key \"train\" (keys: %s)", path, strings.Join(top.KeyStrings(), ", "))
	}
	d, ok := split.(*pickle.Dict)
	if !ok {
		return "", fmt.Errorf("%s: train is a %s, want a dict", path, pickle.TypeName(split))
	}
	if _, ok := d.Get("covarep"); ok {
		return LMFPickle, nil
	}
	if _, ok := d.Get("vision"); ok {
		return MMSAPickle, nil
	}
	return "", fmt.Errorf("%s: train holds %s; want LMF's covarep/facet/glove/label or MMSA's text/audio/vision", path, strings.Join(d.KeyStrings(), ", "))
}

// Open reads the dataset at path in whichever format it is.
func Open(path string, opt Options) (*data.Dataset, error) {
	f, err := Sniff(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) && pe.Path == path { // "load x: stat x: ..." says x twice
			err = fmt.Errorf("%s: %w", path, pe.Err)
		}
		return nil, fmt.Errorf("load %w", err) // Sniff's errors start with the path
	}
	if opt.TextLen < 0 || opt.TextLen > 1000 {
		return nil, optionErrorf("load %s: --seq-len %d is out of range: want a value in [1, 1000] (or 0 for the default)", path, opt.TextLen)
	}
	if f != BCLSTMRelease && f != Transcripts && opt.Embeddings != "" {
		return nil, optionErrorf("load %s: --embeddings applies to transcripts (a transcripts directory or the bc-LSTM release); %s has its text as vectors already", path, f)
	}
	if f != LMFPickle && opt.Emotion != "" {
		return nil, optionErrorf("load %s: --emotion applies to LMF's IEMOCAP pickle; this is %s", path, f)
	}
	if f != LMFPickle && opt.Kind != "" && opt.Kind != "mosi" {
		return nil, optionErrorf("load %s: %s holds MOSI's sentiment labels, not --kind (or --dataset) %s", path, f, opt.Kind)
	}
	if f != BCLSTMRelease && (opt.Split != "" || opt.Labels != "" || opt.Folds != "") {
		return nil, optionErrorf("load %s: --split, --labels and --folds apply to the bc-LSTM release only; this is %s", path, f)
	}
	if f != BCLSTMRelease && f != Transcripts && opt.Text != "" {
		return nil, optionErrorf("load %s: --text applies to the bc-LSTM release and to transcripts; this is %s", path, f)
	}
	var ds *data.Dataset
	switch f {
	case LMFPickle:
		ds, err = LMF(path, opt)
	case MMSAPickle:
		ds, err = MMSA(path)
	case Transcripts:
		ds, err = TranscriptsDir(path, opt)
	case BCLSTMRelease:
		ds, err = BCLSTM(path, opt)
	case CSD:
		return nil, fmt.Errorf("load %s: a .csd file is one computational sequence (labels or one feature set), not a dataset; inspect it with 'modistill data inspect'", path)
	}
	if err != nil {
		return nil, err
	}
	return ds, nil
}

// openPickle opens a pickle file for decodePickle; the caller closes it once
// it has read the arrays it wants.
func openPickle(path string) (*os.File, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, st.Size(), nil
}

// decodePickle decodes a pickle whose top level is a dict, leaving its
// arrays' data in r until toTensor reads them: only the arrays a caller
// asks for are read, each straight into a tensor.
func decodePickle(r io.ReaderAt, size int64) (*pickle.Dict, error) {
	v, err := pickle.Decode(r, size)
	if err != nil {
		return nil, err
	}
	d, ok := v.(*pickle.Dict)
	if !ok {
		return nil, fmt.Errorf("the pickle holds a %s, want a dict", pickle.TypeName(v))
	}
	return d, nil
}

// field fetches key from a dict, naming what was there if it is missing.
func field(d *pickle.Dict, where, key string) (any, error) {
	v, ok := d.Get(key)
	if !ok {
		keys := d.KeyStrings()
		sort.Strings(keys)
		return nil, fmt.Errorf("%s: no key %q (keys: %s)", where, key, strings.Join(keys, ", "))
	}
	return v, nil
}

func dictField(d *pickle.Dict, where, key string) (*pickle.Dict, error) {
	v, err := field(d, where, key)
	if err != nil {
		return nil, err
	}
	out, ok := v.(*pickle.Dict)
	if !ok {
		return nil, fmt.Errorf("%s: %s is a %s, want a dict", where, key, pickle.TypeName(v))
	}
	return out, nil
}

// arrayField fetches a numeric array of one of the given ranks.
func arrayField(d *pickle.Dict, where, key string, ranks ...int) (*pickle.Array, error) {
	v, err := field(d, where, key)
	if err != nil {
		return nil, err
	}
	a, ok := v.(*pickle.Array)
	if !ok || !a.Numeric() && a.Size() > 0 {
		return nil, fmt.Errorf("%s: %s is a %s, want a numeric numpy array", where, key, pickle.TypeName(v))
	}
	for _, r := range ranks {
		if len(a.Shape) == r {
			return a, nil
		}
	}
	want := make([]string, len(ranks))
	for i, r := range ranks {
		want[i] = fmt.Sprintf("%d-d", r)
	}
	return nil, fmt.Errorf("%s: %s has shape %s, want a %s array", where, key, a.ShapeString(), strings.Join(want, " or "))
}

// toTensor reads an array into a new float32 tensor, replacing non-finite
// values (float64 values too large for float32 among them) by 0 and
// returning how many it replaced.
func toTensor(a *pickle.Array) (*tensor.Tensor, int, error) {
	if !a.Numeric() { // a 0-size object array, which arrayField lets through
		return tensor.New(a.Shape...), 0, nil
	}
	vals, err := a.Float32s()
	if err != nil {
		return nil, 0, err
	}
	bad := data.ZeroNonFinite(vals)
	return tensor.From(vals, a.Shape...), bad, nil
}

// splitNames are the three splits, with the key each format uses.
var splitNames = []string{"train", "valid", "test"}

func setSplit(ds *data.Dataset, name string, s *data.Split) {
	switch name {
	case "train":
		ds.Train = s
	case "valid":
		ds.Valid = s
	case "test":
		ds.Test = s
	}
}
