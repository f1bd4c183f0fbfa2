// Package data is modistill's dataset model: per sample an audio input, a
// visual input and a text input, the labels, and the task they define, in
// train / valid / test splits. Loaders for the field's file formats and the
// synthetic benchmark produce a Dataset; models consume Batches.
//
// Audio and visual inputs are vectors (N, d) or sequences (N, L, d) with
// per-sample lengths; text is a sequence of vectors (N, L, d) or of token ids
// (Tokens, with the dataset's Vocab). A dataset may lack a modality
// altogether (the CMU-MOSI transcripts are text only), and a sample may lack
// one (Present). Every modality of a split has the same sample count.
package data

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/modistill/modistill/tensor"
)

// TaskKind is regression or classification.
type TaskKind int

const (
	// Regression predicts real-valued targets (MOSI's sentiment, POM's traits).
	Regression TaskKind = iota
	// Classification predicts one class per target (IEMOCAP's emotions).
	Classification
)

// String names the kind.
func (k TaskKind) String() string {
	if k == Classification {
		return "classification"
	}
	return "regression"
}

// MarshalText writes the kind's name.
func (k TaskKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText reads a kind's name.
func (k *TaskKind) UnmarshalText(b []byte) error {
	switch string(b) {
	case "regression":
		*k = Regression
	case "classification":
		*k = Classification
	default:
		return fmt.Errorf("task kind %q: want regression or classification", b)
	}
	return nil
}

// Task says what the labels mean.
type Task struct {
	Kind TaskKind `json:"kind"`
	// Targets names the label columns: one for MOSI, 16 traits for POM, one
	// binary task per emotion for IEMOCAP.
	Targets []string `json:"targets"`
	// Classes is the number of classes per target (classification only).
	Classes int `json:"classes,omitempty"`
	// Range, when Lo < Hi, is the interval regression labels lie in.
	Lo float64 `json:"lo,omitempty"`
	Hi float64 `json:"hi,omitempty"`
}

// MOSITask is MOSI's (and MOSEI's) task: one sentiment score in [-3, 3].
// A function, so that callers never share its Targets slice.
func MOSITask() Task {
	return Task{Kind: Regression, Targets: []string{"sentiment"}, Lo: -3, Hi: 3}
}

// ZeroNonFinite replaces NaN and infinite values in x by 0 and returns how
// many it replaced, as LMF's loader does to its inputs.
func ZeroNonFinite(x []float32) int {
	bad := 0
	for i, v := range x {
		if v != v || math.IsInf(float64(v), 0) {
			x[i], bad = 0, bad+1
		}
	}
	return bad
}

// Modality names one input stream.
type Modality int

// The three modalities, in the order the paper writes them (a, v, t).
const (
	Audio Modality = iota
	Visual
	Text
)

// Modalities lists the three modalities in order.
var Modalities = []Modality{Audio, Visual, Text}

// String names the modality.
func (m Modality) String() string { return [...]string{"audio", "visual", "text"}[m] }

// Letter is the modality's one-letter code: a, v or t.
func (m Modality) Letter() string { return [...]string{"a", "v", "t"}[m] }

// Tokens is text as token ids: N sequences of L ids, padded with 0 past
// each sequence's length.
type Tokens struct {
	IDs []int32 // N*L ids, row-major
	L   int     // padded sequence length
}

// Split is one partition of a dataset.
type Split struct {
	// Inputs holds one tensor per modality, indexed by Modality: (N, d) or
	// (N, L, d); nil for a modality the dataset lacks, and for text given as
	// Tokens.
	Inputs [3]*tensor.Tensor
	// Tokens holds the text as token ids when the dataset has a Vocab.
	Tokens *Tokens
	// Lengths holds, for sequence inputs, each sample's number of valid
	// steps (the rest is padding); nil means every step is valid.
	Lengths [3][]int
	// Present says, per modality and sample, whether the sample has that
	// modality; nil means all samples have it.
	Present [3][]bool
	// Labels is (N, len(Task.Targets)): regression values, or class indices
	// stored as floats for classification.
	Labels *tensor.Tensor
	// IDs optionally names the samples (for example MMSA's "video$_$clip").
	IDs []string
}

// N is the number of samples.
func (s *Split) N() int { return s.Labels.Shape[0] }

// Has reports whether the split carries modality m.
func (s *Split) Has(m Modality) bool {
	return s.Inputs[m] != nil || (m == Text && s.Tokens != nil)
}

// Validate returns an error naming the first inconsistency: sample counts
// that disagree, lengths outside the sequence, or an empty split.
func (s *Split) Validate(name string) error {
	if s.Labels == nil || len(s.Labels.Shape) != 2 {
		return fmt.Errorf("split %s: labels must be (N, targets)", name)
	}
	n := s.N()
	if n == 0 {
		return fmt.Errorf("split %s: no samples", name)
	}
	for _, m := range Modalities {
		x := s.Inputs[m]
		if x != nil {
			if len(x.Shape) != 2 && len(x.Shape) != 3 {
				return fmt.Errorf("split %s: %s is %s, want (N, d) or (N, L, d)", name, m, tensor.ShapeString(x.Shape))
			}
			if x.Shape[0] != n {
				return fmt.Errorf("split %s: %s has %d samples, labels have %d", name, m, x.Shape[0], n)
			}
		}
		if l := s.Lengths[m]; l != nil {
			steps := 0
			switch {
			case m == Text && s.Tokens != nil:
				steps = s.Tokens.L
			case x != nil && len(x.Shape) == 3:
				steps = x.Shape[1]
			default:
				return fmt.Errorf("split %s: %s has lengths but is not a sequence", name, m)
			}
			if len(l) != n {
				return fmt.Errorf("split %s: %d %s lengths for %d samples", name, len(l), m, n)
			}
			for i, v := range l {
				if v < 0 || v > steps {
					return fmt.Errorf("split %s: %s length %d of sample %d outside [0, %d]", name, m, v, i, steps)
				}
			}
		}
		if p := s.Present[m]; p != nil && len(p) != n {
			return fmt.Errorf("split %s: %d %s presence flags for %d samples", name, len(p), m, n)
		}
	}
	if t := s.Tokens; t != nil {
		if t.L <= 0 || len(t.IDs) != n*t.L {
			return fmt.Errorf("split %s: %d token ids for %d samples of length %d", name, len(t.IDs), n, t.L)
		}
	}
	if s.IDs != nil && len(s.IDs) != n {
		return fmt.Errorf("split %s: %d ids for %d samples", name, len(s.IDs), n)
	}
	return nil
}

// Dataset is a named, split dataset with its task.
type Dataset struct {
	Name string
	// Format says where the data came from ("lmf-pickle", "mmsa-pickle",
	// "transcripts", "synthetic").
	Format             string
	Task               Task
	Train, Valid, Test *Split
	// Vocab lists the token strings when text is given as Tokens; id 0 is
	// padding and id 1 the unknown word.
	Vocab []string
	// TextBag says the Tokens are a bag of feature ids (word, bigram and
	// character n-grams, text.Ngrams) per sample, in no meaningful order,
	// with Vocab naming the features, rather than a sequence of words.
	TextBag bool
	// NonFinite counts the NaN and infinite input values replaced by 0 when
	// loading, by "split/modality" (as LMF's loader does, but reported).
	NonFinite map[string]int
	// Notes say how the loader read or split the data, one line each.
	Notes []string
	// TextVectors, when the text was turned into pretrained word vectors,
	// says from where and how much of it the vectors covered.
	TextVectors *TextVectors
	// Warnings are what a user must know about results on this data (for
	// example, features learned on some of the test videos).
	Warnings []string
}

// Has reports whether the dataset carries modality m.
func (d *Dataset) Has(m Modality) bool { return d.Train.Has(m) }

// Splits returns the splits with their names, in order.
func (d *Dataset) Splits() []NamedSplit {
	return []NamedSplit{{"train", d.Train}, {"valid", d.Valid}, {"test", d.Test}}
}

// NamedSplit pairs a split with its name.
type NamedSplit struct {
	Name string
	*Split
}

// Validate checks every split and that the splits agree on input shapes.
func (d *Dataset) Validate() error {
	for _, s := range d.Splits() {
		if s.Split == nil {
			return fmt.Errorf("dataset %s: no %s split", d.Name, s.Name)
		}
		if err := s.Validate(s.Name); err != nil {
			return fmt.Errorf("dataset %s: %w", d.Name, err)
		}
		for _, m := range Modalities {
			if s.Has(m) != d.Train.Has(m) {
				return fmt.Errorf("dataset %s: split %s has %s: %v, train: %v", d.Name, s.Name, m, s.Has(m), d.Train.Has(m))
			}
			if s.Inputs[m] == nil {
				continue
			}
			want := d.Train.Inputs[m].Shape[1:]
			if got := s.Inputs[m].Shape[1:]; !tensor.EqualShapes(got, want) {
				return fmt.Errorf("dataset %s: split %s: %s is %s per sample, train has %s", d.Name, s.Name, m, tensor.ShapeString(got), tensor.ShapeString(want))
			}
		}
		if (s.Tokens == nil) != (d.Vocab == nil) {
			return fmt.Errorf("dataset %s: split %s: token ids and a vocabulary must come together", d.Name, s.Name)
		}
		if s.Tokens != nil {
			for i, id := range s.Tokens.IDs {
				if id < 0 || int(id) >= len(d.Vocab) {
					return fmt.Errorf("dataset %s: split %s: token id %d at %d outside a vocabulary of %d", d.Name, s.Name, id, i, len(d.Vocab))
				}
			}
		}
		if got, want := s.Labels.Shape[1], len(d.Task.Targets); got != want {
			return fmt.Errorf("dataset %s: split %s: %d label columns, task has %d targets", d.Name, s.Name, got, want)
		}
		if err := d.Task.checkLabels(s.Labels); err != nil {
			return fmt.Errorf("dataset %s: split %s: %w", d.Name, s.Name, err)
		}
	}
	return nil
}

// checkLabels returns an error for a label the task cannot have: not
// finite, outside the regression range, or not a class index.
func (t Task) checkLabels(labels *tensor.Tensor) error {
	k := labels.Cols()
	for i, v := range labels.Data {
		f := float64(v)
		switch {
		case math.IsNaN(f) || math.IsInf(f, 0):
			return fmt.Errorf("label %v of sample %d, target %s is not finite", v, i/k, t.Targets[i%k])
		case t.Kind == Classification && (f != math.Trunc(f) || f < 0 || int(f) >= t.Classes):
			return fmt.Errorf("label %v of sample %d, target %s: want a class index in [0, %d)", v, i/k, t.Targets[i%k], t.Classes)
		case t.Kind == Regression && t.Lo < t.Hi && (f < t.Lo || f > t.Hi):
			return fmt.Errorf("label %v of sample %d, target %s outside [%g, %g]", v, i/k, t.Targets[i%k], t.Lo, t.Hi)
		}
	}
	return nil
}

// Dims are the per-sample input shapes of a dataset, which size a model.
// A size of 0 means the dataset lacks the modality.
type Dims struct {
	Audio     int `json:"audio"`      // feature sizes
	Visual    int `json:"visual"`     //
	AudioLen  int `json:"audio_len"`  // sequence lengths; 0 for utterance-level vectors
	VisualLen int `json:"visual_len"` //
	TextLen   int `json:"text_len"`   // sequence length; 0 for one vector per utterance
	Text      int `json:"text"`       // word-vector size (0 with tokens)
	Vocab     int `json:"vocab"`      // vocabulary size when text is token ids
	// TextBag: the token ids are a bag of n-gram features (TextLen its
	// padded size), to be pooled, not read in order.
	TextBag bool `json:"text_bag,omitempty"`
	Outputs int  `json:"outputs"` // label columns
}

// Size is modality m's feature size: 0 where the dataset lacks it, and for
// text given as token ids.
func (d Dims) Size(m Modality) int { return [3]int{d.Audio, d.Visual, d.Text}[m] }

// Steps is modality m's sequence length, 0 for one vector per utterance.
func (d Dims) Steps(m Modality) int { return [3]int{d.AudioLen, d.VisualLen, d.TextLen}[m] }

// String describes the shapes for people: "audio 74, visual 46, text 20 x
// 300, 1 output" (frame sequences as "20 x 74").
func (d Dims) String() string {
	seq := func(n, dim int) string {
		if n > 0 {
			return fmt.Sprintf("%d x %d", n, dim)
		}
		return fmt.Sprint(dim)
	}
	text := seq(d.TextLen, d.Text)
	if d.Vocab > 0 {
		text = fmt.Sprintf("%d token ids (vocabulary %d)", d.TextLen, d.Vocab)
	}
	if d.TextBag {
		text = fmt.Sprintf("bags of up to %d n-gram ids (%d features)", d.TextLen, d.Vocab)
	}
	outputs := "outputs"
	if d.Outputs == 1 {
		outputs = "output"
	}
	return fmt.Sprintf("audio %s, visual %s, text %s, %d %s", seq(d.AudioLen, d.Audio), seq(d.VisualLen, d.Visual), text, d.Outputs, outputs)
}

// Dims returns the per-sample shapes of d's inputs.
func (d *Dataset) Dims() Dims {
	in := d.Train.Inputs
	dims := Dims{Outputs: len(d.Task.Targets), Vocab: len(d.Vocab), TextBag: d.TextBag}
	if x := in[Audio]; x != nil {
		dims.Audio = x.Cols()
		if len(x.Shape) == 3 {
			dims.AudioLen = x.Shape[1]
		}
	}
	if x := in[Visual]; x != nil {
		dims.Visual = x.Cols()
		if len(x.Shape) == 3 {
			dims.VisualLen = x.Shape[1]
		}
	}
	if x := in[Text]; x != nil {
		dims.Text = x.Cols()
		if len(x.Shape) == 3 {
			dims.TextLen = x.Shape[1]
		}
	} else if t := d.Train.Tokens; t != nil {
		dims.TextLen = t.L
	}
	return dims
}

// Batch is a set of samples gathered from a split.
type Batch struct {
	Inputs  [3]*tensor.Tensor
	Tokens  *Tokens
	Lengths [3][]int
	Present [3][]bool
	Labels  *tensor.Tensor
	IDs     []string // when the split has them
	// Rows are the split's rows the batch holds, in order, when it was
	// gathered; nil for All, whose rows are 0..N-1.
	Rows []int
}

// SplitRows returns the split's rows the batch holds: Rows, or 0..N-1 for
// a batch made by All.
func (b *Batch) SplitRows() []int {
	if b.Rows != nil {
		return b.Rows
	}
	rows := make([]int, b.N())
	for i := range rows {
		rows[i] = i
	}
	return rows
}

// N is the batch size.
func (b *Batch) N() int { return b.Labels.Shape[0] }

// Gather copies the samples at idx into b, reusing b's memory when the batch
// size is unchanged, and returns b (a new Batch if b is nil).
func (s *Split) Gather(idx []int, b *Batch) *Batch {
	if b == nil {
		b = &Batch{}
	}
	for _, m := range Modalities {
		if s.Inputs[m] != nil {
			b.Inputs[m] = tensor.GatherRows(s.Inputs[m], idx, b.Inputs[m])
		} else {
			b.Inputs[m] = nil
		}
		b.Lengths[m] = gatherInts(s.Lengths[m], idx, b.Lengths[m])
		b.Present[m] = gatherBools(s.Present[m], idx, b.Present[m])
	}
	if t := s.Tokens; t != nil {
		if b.Tokens == nil || len(b.Tokens.IDs) != len(idx)*t.L {
			b.Tokens = &Tokens{IDs: make([]int32, len(idx)*t.L), L: t.L}
		}
		b.Tokens.L = t.L
		for i, r := range idx {
			copy(b.Tokens.IDs[i*t.L:(i+1)*t.L], t.IDs[r*t.L:(r+1)*t.L])
		}
	} else {
		b.Tokens = nil
	}
	b.IDs = b.IDs[:0]
	if s.IDs != nil {
		for _, r := range idx {
			b.IDs = append(b.IDs, s.IDs[r])
		}
	} else {
		b.IDs = nil
	}
	b.Labels = tensor.GatherRows(s.Labels, idx, b.Labels)
	b.Rows = append(b.Rows[:0], idx...)
	return b
}

// Subset returns a new split holding copies of the rows idx of s, in order
// (for example the training folds of cross-fitting).
func (s *Split) Subset(idx []int) *Split {
	b := s.Gather(idx, nil)
	return &Split{Inputs: b.Inputs, Tokens: b.Tokens, Lengths: b.Lengths, Present: b.Present, Labels: b.Labels, IDs: b.IDs}
}

// All returns the whole split as one batch (sharing the split's memory).
func (s *Split) All() *Batch {
	return &Batch{Inputs: s.Inputs, Tokens: s.Tokens, Lengths: s.Lengths, Present: s.Present, Labels: s.Labels, IDs: s.IDs}
}

// Stack returns one batch holding the rows of bs in order, in new memory
// (for example requests answered in one forward pass). The batches must
// agree on what they hold: the same inputs with the same shapes beyond the
// first dimension, token ids of one length, lengths and presence for the
// same modalities; a batch that does not is a programmer's error. Ids are
// kept only when every batch has them.
func Stack(bs []*Batch) *Batch {
	first := bs[0]
	n := 0
	for _, b := range bs {
		n += b.N()
	}
	out := &Batch{Labels: stackRows(bs, n, func(b *Batch) *tensor.Tensor { return b.Labels })}
	for _, m := range Modalities {
		if first.Inputs[m] != nil {
			out.Inputs[m] = stackRows(bs, n, func(b *Batch) *tensor.Tensor { return b.Inputs[m] })
		}
		for _, b := range bs {
			if first.Lengths[m] != nil {
				out.Lengths[m] = append(out.Lengths[m], b.Lengths[m]...)
			}
			if first.Present[m] != nil {
				out.Present[m] = append(out.Present[m], b.Present[m]...)
			}
		}
	}
	if first.Tokens != nil {
		out.Tokens = &Tokens{L: first.Tokens.L, IDs: make([]int32, 0, n*first.Tokens.L)}
		for _, b := range bs {
			if b.Tokens.L != first.Tokens.L {
				panic(fmt.Sprintf("data.Stack: token sequences of %d and %d", first.Tokens.L, b.Tokens.L))
			}
			out.Tokens.IDs = append(out.Tokens.IDs, b.Tokens.IDs...)
		}
	}
	for _, b := range bs {
		if b.IDs == nil {
			out.IDs = nil
			break
		}
		out.IDs = append(out.IDs, b.IDs...)
	}
	return out
}

// stackRows stacks the tensors of bs that of picks, n rows in all.
func stackRows(bs []*Batch, n int, of func(*Batch) *tensor.Tensor) *tensor.Tensor {
	shape := slices.Clone(of(bs[0]).Shape)
	shape[0] = n
	out := tensor.New(shape...)
	off := 0
	for _, b := range bs {
		t := of(b)
		if !slices.Equal(t.Shape[1:], shape[1:]) {
			panic(fmt.Sprintf("data.Stack: rows shaped %v and %v", shape[1:], t.Shape[1:]))
		}
		off += copy(out.Data[off:], t.Data)
	}
	return out
}

func gatherInts(src, idx, dst []int) []int {
	if src == nil {
		return nil
	}
	dst = append(dst[:0], make([]int, len(idx))...)
	for i, r := range idx {
		dst[i] = src[r]
	}
	return dst
}

func gatherBools(src []bool, idx []int, dst []bool) []bool {
	if src == nil {
		return nil
	}
	dst = append(dst[:0], make([]bool, len(idx))...)
	for i, r := range idx {
		dst[i] = src[r]
	}
	return dst
}

// Column returns label column j of a split as float64 values.
func (s *Split) Column(j int) []float64 {
	n, k := s.N(), s.Labels.Shape[1]
	out := make([]float64, n)
	for i := range out {
		out[i] = float64(s.Labels.Data[i*k+j])
	}
	return out
}

// VideoOf splits a segment id as MMSA writes it, "video$_$clip", into the
// video and the clip number; an id without the separator is its own video,
// clip 0.
func VideoOf(id string) (video string, clip int) {
	i := strings.LastIndex(id, "$_$")
	if i < 0 {
		return id, 0
	}
	n, err := strconv.Atoi(id[i+3:])
	if err != nil {
		return id, 0
	}
	return id[:i], n
}

// Videos groups the samples of a batch by video: each group lists batch
// rows in clip order, groups in order of first appearance. Without ids every
// sample is its own group.
func (b *Batch) Videos() [][]int {
	if b.IDs == nil {
		g := make([][]int, b.N())
		for i := range g {
			g[i] = []int{i}
		}
		return g
	}
	index := map[string]int{}
	var groups [][]int
	clips := make([]int, b.N())
	for i, id := range b.IDs {
		v, c := VideoOf(id)
		clips[i] = c
		k, ok := index[v]
		if !ok {
			k = len(groups)
			index[v] = k
			groups = append(groups, nil)
		}
		groups[k] = append(groups[k], i)
	}
	for _, g := range groups {
		sort.SliceStable(g, func(a, b int) bool { return clips[g[a]] < clips[g[b]] })
	}
	return groups
}

// AllNotes are the loader's Notes followed by InputNotes.
func (d *Dataset) AllNotes() []string {
	return append(append([]string{}, d.Notes...), d.InputNotes()...)
}

// InputNotes says, one line per modality that needs it, how the systems
// read the dataset's inputs: audio or visual given as frame sequences
// (rank 3) are averaged over each sample's valid frames by the
// utterance-level systems and read frame by frame by the sequence models.
func (d *Dataset) InputNotes() []string {
	var notes []string
	for _, m := range []Modality{Audio, Visual} {
		if x := d.Train.Inputs[m]; x != nil && len(x.Shape) == 3 {
			notes = append(notes, fmt.Sprintf("%s: frame sequences of %d (%d features per frame), averaged over valid frames for utterance-level systems, read frame by frame by sequence models",
				m, x.Shape[1], x.Shape[2]))
		}
	}
	return notes
}

// TextVectors describes transcripts turned into pretrained word vectors,
// or, with text as bags of n-grams (Dataset.TextBag; SeqLen 0), the
// vectors the word features' embeddings start from.
type TextVectors struct {
	File   string `json:"file"`
	Dim    int    `json:"dim"`
	SeqLen int    `json:"seq_len"` // words kept per transcript
	// Tokens counts the words kept over all splits; OOVTokens those the file
	// has no vector for (zero vectors).
	Tokens    int `json:"tokens"`
	OOVTokens int `json:"oov_tokens"`
	// Words and OOVWords count distinct words.
	Words    int `json:"words"`
	OOVWords int `json:"oov_words"`
	// Truncated counts transcripts longer than SeqLen.
	Truncated int `json:"truncated"`
	// Vocab lists, sorted, the words that have a vector, and Table holds
	// their vectors (len(Vocab) x Dim): the rows of the file the data
	// needs, kept with a trained model so that it can read raw text.
	Vocab []string  `json:"vocab,omitempty"`
	Table []float32 `json:"-"`
}

// Embed writes the vectors of the first len(dst)/Dim tokens into dst,
// valid steps first (zeros after them, and for a word without a vector),
// and returns how many steps are valid and how many of them had no vector:
// the reading of a transcript that the loaders and a served model share.
// Vocab must be sorted, as the loaders keep it.
func (v *TextVectors) Embed(tokens []string, dst []float32) (n, oov int) {
	clear(dst)
	n = min(len(tokens), len(dst)/v.Dim)
	for s, w := range tokens[:n] {
		i, ok := slices.BinarySearch(v.Vocab, w)
		if !ok {
			oov++
			continue
		}
		copy(dst[s*v.Dim:(s+1)*v.Dim], v.Table[i*v.Dim:(i+1)*v.Dim])
	}
	return n, oov
}

// OOVRate is the fraction of tokens without a vector.
func (v TextVectors) OOVRate() float64 {
	if v.Tokens == 0 {
		return 0
	}
	return float64(v.OOVTokens) / float64(v.Tokens)
}
