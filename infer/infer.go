// Package infer answers prediction requests with a trained model. A request
// carries any subset of audio, visual and text: feature vectors, frame
// sequences, or (for a model whose text is words) the raw text. infer
// checks each input against the model's shapes, predicts from the
// modalities present (never zero-filling an absent one), and says which
// path answered: the teacher with all three modalities, the students'
// average with fewer. modistill predict is built on it.
package infer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/text"
	"github.com/modistill/modistill/models/amd"
	"github.com/modistill/modistill/systems"
	"github.com/modistill/modistill/tensor"
)

// Model is a trained model ready to answer requests. It is safe for
// concurrent use: up to GOMAXPROCS forward passes run side by side, each
// on a tape of its own, and the weights are only read. Concurrent requests
// are not merged into one pass (measured: it did not pay; see the README).
type Model struct {
	Meta  systems.Meta
	m     systems.Model
	can   []data.Subset
	vocab *text.Vocab // text as token ids or n-gram bags

	tapes chan *autodiff.Tape // one per pass that may run at once
}

// Load reads the model saved in dir (by modistill train).
func Load(dir string) (*Model, error) {
	m, meta, err := systems.Load(dir)
	if err != nil {
		return nil, err
	}
	out := &Model{Meta: meta, m: m, can: m.Subsets()}
	out.tapes = make(chan *autodiff.Tape, runtime.GOMAXPROCS(0))
	for range cap(out.tapes) {
		out.tapes <- autodiff.NewTape()
	}
	if meta.Dims.Vocab > 0 {
		if len(meta.Vocab) != meta.Dims.Vocab {
			return nil, fmt.Errorf("load %s: the model reads %d token ids but model.json lists %d words", dir, meta.Dims.Vocab, len(meta.Vocab))
		}
		out.vocab = text.FromWords(meta.Vocab)
	}
	return out, nil
}

// Subsets are the modality subsets the model answers from.
func (m *Model) Subsets() []data.Subset { return m.can }

// ReadsRawText reports whether the model can read text_raw: its text is
// word vectors it was saved with, token ids or n-gram bags, not features
// computed by another network.
func (m *Model) ReadsRawText() bool {
	d := m.Meta.Dims
	return d.Vocab > 0 || (d.TextLen > 0 && m.Meta.TextVectors != nil && len(m.Meta.TextVectors.Vocab) > 0)
}

// Request is one sample to predict: an ID chosen by the caller and any
// subset of the modalities. Text is either Text (features) or TextRaw.
type Request struct {
	ID      string    `json:"id"`
	Audio   *Features `json:"audio,omitempty"`
	Visual  *Features `json:"visual,omitempty"`
	Text    *Features `json:"text,omitempty"`
	TextRaw *string   `json:"text_raw,omitempty"`
}

// Features is one modality of a request: a vector [d] (Steps 0) or a
// sequence of Steps vectors [T][d], in JSON as an array or an array of
// arrays of numbers.
type Features struct {
	Steps, Dim int
	Data       []float32
}

// UnmarshalJSON reads [x, ...] or [[x, ...], ...]; every row must have the
// same length and every value be finite in float32.
func (f *Features) UnmarshalJSON(b []byte) error {
	var vec []float64
	if err := json.Unmarshal(b, &vec); err == nil {
		if len(vec) == 0 {
			return errors.New("an empty vector")
		}
		g, err := NewFeatures(0, len(vec), vec)
		if err == nil {
			*f = *g
		}
		return err
	}
	var seq [][]float64
	if err := json.Unmarshal(b, &seq); err != nil {
		return errors.New("want an array of numbers [d] or an array of arrays of numbers [T][d]")
	}
	if len(seq) == 0 || len(seq[0]) == 0 {
		return errors.New("an empty sequence")
	}
	flat := make([]float64, 0, len(seq)*len(seq[0]))
	for t, row := range seq {
		if len(row) != len(seq[0]) {
			return fmt.Errorf("step %d has %d values, step 0 has %d", t, len(row), len(seq[0]))
		}
		flat = append(flat, row...)
	}
	g, err := NewFeatures(len(seq), len(seq[0]), flat)
	if err == nil {
		*f = *g
	}
	return err
}

// NewFeatures makes the features of steps vectors of dim values each
// (steps 0: one vector) from values, refusing what float32 cannot hold.
func NewFeatures(steps, dim int, values []float64) (*Features, error) {
	if dim < 1 || steps < 0 || len(values) != max(steps, 1)*dim {
		return nil, fmt.Errorf("%d values for %d steps of %d", len(values), steps, dim)
	}
	f := &Features{Steps: steps, Dim: dim, Data: make([]float32, len(values))}
	for i, v := range values {
		x := float32(v)
		if math.IsInf(float64(x), 0) || math.IsNaN(v) {
			return nil, fmt.Errorf("value %d (%g) is not a finite float32", i, v)
		}
		f.Data[i] = x
	}
	return f, nil
}

// Shape is the features' shape as JSON writes it: [d] or [T, d].
func (f *Features) Shape() []int {
	if f.Steps == 0 {
		return []int{f.Dim}
	}
	return []int{f.Steps, f.Dim}
}

// Answer is the model's answer to a request.
type Answer struct {
	ID string `json:"id"`
	// Score is the prediction of a task with one regression target (MOSI's
	// sentiment), Polarity "positive" for a score >= 0 and "negative" below
	// (Acc-2's reading).
	Score    *float64 `json:"score,omitempty"`
	Polarity string   `json:"polarity,omitempty"`
	// Scores holds a multi-target regression's predictions by target.
	Scores map[string]float64 `json:"scores,omitempty"`
	// Probabilities holds a classification's class probabilities by target.
	Probabilities map[string][]float64 `json:"probabilities,omitempty"`
	// Modalities are the modalities the answer came from ("audio", ...).
	Modalities []string `json:"modalities"`
	// Path says what answered: "teacher" (the separable framework with all
	// three modalities), "students" (the average of the present modalities'
	// students or networks), or "model" (a system that answers from one
	// subset only).
	Path string `json:"path"`
}

// InputError is a request the model cannot answer, naming the input and
// what was expected: the caller's to fix.
type InputError struct {
	Input string // audio, visual, text, text_raw, or "" for the request
	Msg   string
}

// Error names the input.
func (e *InputError) Error() string {
	if e.Input == "" {
		return e.Msg
	}
	return e.Input + ": " + e.Msg
}

// ParseRequest decodes one JSON request, refusing unknown fields.
func ParseRequest(b []byte) (Request, error) {
	var r Request
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return r, &InputError{Msg: "not a request: " + err.Error() + ` (want {"id": ..., "audio": [...], "visual": [...], "text": [...] or "text_raw": "..."})`}
	}
	if dec.More() {
		return r, &InputError{Msg: "more than one JSON value on the line"}
	}
	return r, nil
}

// Answer predicts for one request.
func (m *Model) Answer(r Request) (Answer, error) {
	as, _, err := m.AnswerAll(context.Background(), []Request{r})
	if err != nil {
		return Answer{ID: r.ID}, err
	}
	return as[0], nil
}

// AnswerAll predicts for several requests (the samples of a batched
// request) in one forward pass per subset among them, and returns the
// answers in order. If a request is malformed, none is answered: AnswerAll
// returns its index and an *InputError. If ctx ends while the requests
// wait for a free tape, it returns ctx's error.
func (m *Model) AnswerAll(ctx context.Context, rs []Request) ([]Answer, int, error) {
	bs := make([]*data.Batch, len(rs))
	uses := make([]data.Subset, len(rs))
	for i, r := range rs {
		b, use, err := m.batch(r)
		if err != nil {
			return nil, i, err
		}
		if !slices.Contains(m.can, use) {
			return nil, i, &InputError{Msg: fmt.Sprintf("the request has %s; %s answers from %s", describe(use), m.Meta.System, subsetList(m.can))}
		}
		bs[i], uses[i] = b, use
	}
	var tp *autodiff.Tape
	select {
	case tp = <-m.tapes:
		defer func() { m.tapes <- tp }()
	case <-ctx.Done():
		return nil, 0, ctx.Err()
	}
	answers := make([]Answer, len(rs))
	for _, use := range m.can {
		var rows []int
		for i, u := range uses {
			if u == use {
				rows = append(rows, i)
			}
		}
		if len(rows) == 0 {
			continue
		}
		b := bs[rows[0]]
		if len(rows) > 1 {
			same := make([]*data.Batch, len(rows))
			for k, i := range rows {
				same[k] = bs[i]
			}
			b = data.Stack(same)
		}
		pred := m.m.Predict(tp, b, use)
		w := pred.Cols()
		for k, i := range rows {
			answers[i] = m.answer(rs[i].ID, use, pred.Data[k*w:(k+1)*w])
		}
	}
	return answers, 0, nil
}

// batch turns a request into a batch of one sample for the model, and the
// subset it carries.
func (m *Model) batch(r Request) (*data.Batch, data.Subset, error) {
	d := m.Meta.Dims
	b := &data.Batch{Labels: tensor.New(1, max(d.Outputs, 1))}
	var use data.Subset
	for i, f := range [...]*Features{data.Audio: r.Audio, data.Visual: r.Visual} {
		mod := data.Modality(i)
		if f == nil {
			continue
		}
		x, n, err := shaped(mod.String(), f, d.Size(mod), d.Steps(mod), m.hasLengths(mod))
		if err != nil {
			return nil, use, err
		}
		b.Inputs[mod], use[mod] = x, true
		if d.Steps(mod) > 0 {
			b.Lengths[mod] = []int{n}
		}
	}
	switch {
	case r.Text != nil && r.TextRaw != nil:
		return nil, use, &InputError{Input: "text", Msg: "give text or text_raw, not both"}
	case r.Text != nil:
		if d.Vocab > 0 {
			return nil, use, &InputError{Input: "text", Msg: "this model reads words, not text features; send text_raw"}
		}
		x, n, err := shaped("text", r.Text, d.Text, d.TextLen, m.hasLengths(data.Text))
		if err != nil {
			return nil, use, err
		}
		b.Inputs[data.Text], use[data.Text] = x, true
		if d.TextLen > 0 {
			b.Lengths[data.Text] = []int{n}
		}
	case r.TextRaw != nil:
		if err := m.rawText(*r.TextRaw, b); err != nil {
			return nil, use, err
		}
		use[data.Text] = true
	}
	if use == (data.Subset{}) {
		return nil, use, &InputError{Msg: "no modality given: want at least one of audio, visual, text, text_raw"}
	}
	// Inputs the subset leaves out are never read; the batch still holds
	// a tensor of the right shape for each, as a split would.
	for _, mod := range data.Modalities {
		if b.Inputs[mod] == nil && !(mod == data.Text && b.Tokens != nil) {
			b.Inputs[mod] = emptyInput(d, mod)
		}
	}
	return b, use, nil
}

// emptyInput is a zero input of modality mod's shape for one sample, or nil
// where the model reads text as token ids.
func emptyInput(d data.Dims, mod data.Modality) *tensor.Tensor {
	dim, n := d.Size(mod), d.Steps(mod)
	switch {
	case mod == data.Text && d.Vocab > 0:
		return nil
	case n > 0:
		return tensor.New(1, n, dim)
	}
	return tensor.New(1, dim)
}

// hasLengths reports whether the model's training sequences of modality
// mod carried their lengths (valid steps first, zeros after).
func (m *Model) hasLengths(mod data.Modality) bool {
	return slices.Contains(m.Meta.Lengths, mod.String())
}

// shaped checks features against a modality's size dim and sequence length
// L (0: one vector per utterance) and returns them as a batch of one, with
// the number of valid steps. Where the training sequences had lengths, a
// shorter sequence is padded with zeros after its steps, as the loaders
// pad; where they had none, the model saw whole sequences of L steps, so
// exactly L are wanted.
func shaped(name string, f *Features, dim, L int, withLengths bool) (*tensor.Tensor, int, error) {
	if dim == 0 {
		return nil, 0, &InputError{Input: name, Msg: "the model has no such input"}
	}
	if f.Dim != dim {
		return nil, 0, &InputError{Input: name, Msg: fmt.Sprintf("shape %v: want %s", f.Shape(), wantShape(dim, L, withLengths))}
	}
	if L == 0 {
		if f.Steps > 0 {
			return nil, 0, &InputError{Input: name, Msg: fmt.Sprintf("shape %v: the model reads one vector per utterance, want [%d]", f.Shape(), dim)}
		}
		return tensor.From(slices.Clone(f.Data), 1, dim), 1, nil
	}
	steps := max(f.Steps, 1)
	if steps > L || (!withLengths && steps != L) {
		return nil, 0, &InputError{Input: name, Msg: fmt.Sprintf("shape %v: want %s", f.Shape(), wantShape(dim, L, withLengths))}
	}
	x := tensor.New(1, L, dim)
	copy(x.Data, f.Data)
	return x, steps, nil
}

// wantShape describes the shape a modality takes.
func wantShape(dim, L int, withLengths bool) string {
	switch {
	case L == 0:
		return fmt.Sprintf("[%d]", dim)
	case !withLengths:
		return fmt.Sprintf("[%d, %d] (the model was trained on whole sequences of %d steps, padded as in its data file)", L, dim, L)
	}
	return fmt.Sprintf("[T, %d] with 1 <= T <= %d (or [%d], one step)", dim, L, dim)
}

// rawText reads a transcript into b the way the model's training data was
// read: word vectors, token ids, or a bag of n-grams.
func (m *Model) rawText(s string, b *data.Batch) error {
	d := m.Meta.Dims
	tokens := text.Tokenize(s)
	if len(tokens) == 0 {
		return &InputError{Input: "text_raw", Msg: "no words in the text"}
	}
	switch {
	case d.TextBag:
		ids := make([]int32, d.TextLen)
		n := m.vocab.EncodeBag(text.Ngrams(tokens), ids)
		b.Tokens, b.Lengths[data.Text] = &data.Tokens{IDs: ids, L: d.TextLen}, []int{n}
	case d.Vocab > 0:
		ids := make([]int32, d.TextLen)
		n := m.vocab.Encode(tokens, ids)
		b.Tokens, b.Lengths[data.Text] = &data.Tokens{IDs: ids, L: d.TextLen}, []int{n}
	case m.ReadsRawText():
		v := m.Meta.TextVectors
		x := tensor.New(1, d.TextLen, d.Text)
		n, _ := v.Embed(tokens, x.Data)
		b.Inputs[data.Text], b.Lengths[data.Text] = x, []int{n}
	default:
		return &InputError{Input: "text_raw", Msg: fmt.Sprintf("this model reads text as %d-d features computed elsewhere (such as the release's text-CNN vectors), not words; send text as [%d]", d.Text, d.Text)}
	}
	return nil
}

// answer turns one sample's predictions into an Answer.
func (m *Model) answer(id string, use data.Subset, pred []float32) Answer {
	task := m.Meta.Task
	a := Answer{ID: id, Path: path(m.Meta.System, use, len(m.can))}
	for _, mod := range data.Modalities {
		if use[mod] {
			a.Modalities = append(a.Modalities, mod.String())
		}
	}
	switch {
	case task.Kind == data.Classification:
		a.Probabilities = map[string][]float64{}
		for k, name := range task.Targets {
			p := make([]float64, task.Classes)
			for c := range p {
				p[c] = float64(pred[k*task.Classes+c])
			}
			a.Probabilities[name] = p
		}
	case len(task.Targets) == 1:
		v := float64(pred[0])
		a.Score, a.Polarity = &v, "negative"
		if v >= 0 {
			a.Polarity = "positive"
		}
	default:
		a.Scores = map[string]float64{}
		for k, name := range task.Targets {
			a.Scores[name] = float64(pred[k])
		}
	}
	return a
}

// path names what answered a request of subset use.
func path(system string, use data.Subset, subsets int) string {
	switch {
	case subsets == 1:
		return "model"
	case use == data.All && slices.Contains(amd.Presets, system):
		return "teacher"
	}
	return "students"
}

// describe lists a subset's modalities for a message.
func describe(use data.Subset) string {
	var names []string
	for _, m := range data.Modalities {
		if use[m] {
			names = append(names, m.String())
		}
	}
	if len(names) == 0 {
		return "no modality"
	}
	return fmt.Sprint(names)
}

// subsetList lists subsets for a message.
func subsetList(s []data.Subset) string {
	out := ""
	for i, u := range s {
		if i > 0 {
			out += ", "
		}
		out += u.String()
	}
	return out
}
