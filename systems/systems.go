// Package systems names the trainable systems of the paper's tables and
// builds, saves and loads them through one interface, so the command line
// (train, eval) and the experiments treat them alike.
//
//	ours, ours-literal, ours-fixed,       the separable framework (models/amd)
//	lmf-s, tucker-s
//	lmf, tfn, df                          whole-modality systems (models/fused)
//	deep-s                                one independent network per modality (models/deeps)
//	svm                                   SVMs on the available features (models/svmbase)
//	strh                                  sparse Tikhonov-regularised hashing (models/strh)
//	mfn, marn, mv-lstm                    sequence fusion networks (models/recurrent)
//	bc-lstm                               context across a video's utterances (models/bclstm)
//	unimodal-a, unimodal-v, unimodal-t    one modality's encoder and a head (models/unimodal)
package systems

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/checkpoint"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/text"
	"github.com/modistill/modistill/models/amd"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/tensor"
	"github.com/modistill/modistill/train"
)

// Model is a system. Neural systems are also train.Model (trained by
// gradient steps); the others are Fitters.
type Model interface {
	nn.Module
	// Predict returns predictions (values, or class probabilities for
	// classification) from the modalities in use, one of Subsets.
	Predict(tp *autodiff.Tape, b *data.Batch, use data.Subset) *tensor.Tensor
	// Subsets lists the modality subsets the model can predict from: all
	// seven for the separable framework, all three modalities for
	// whole-modality systems, one modality for a unimodal model.
	Subsets() []data.Subset
}

// Noter is a system that has something to say about how it reads a
// dataset (for example, that a sequence model got utterance averages).
type Noter interface {
	Note(ds *data.Dataset) string
}

// Fitter is a system trained in one call rather than by gradient steps.
type Fitter interface {
	Fit(ctx context.Context, ds *data.Dataset) error
	// FittedConfig is the configuration with what Fit chose, to save.
	FittedConfig() any
}

// Hyper are overrides of a system's defaults, from the command line or a
// point of the search grid. A nil field (or an empty string) keeps the
// system's default, so that zero can be given where it means something
// (dropout 0, weight decay 0, alpha 0). A system ignores what it does not
// have (a rank without a fusion tensor). Validate checks the ranges.
type Hyper struct {
	LR, WeightDecay, Dropout *float64
	Rank, Hidden, EmbedDim   *int
	// The encoders' hidden sizes per modality (systems built on encoder).
	AudioHidden, VisualHidden, TextHidden *int
	Alpha, Beta, TMax                     *float64 // separable systems
	FixedT                                *float64 // ours-fixed's temperature
	Share                                 string   // what students share with the teacher: all or none
	TemperatureGrad                       string
	RegressionSoft                        string // the regression soft label: weighted, prediction or shrunk
	Hint                                  string // the representation term: standardised or projected
	Teacher                               string // where the targets come from: co-trained, frozen or cross-fitted
	Folds                                 *int   // the cross-fitted teachers' k
}

// HyperRange is the valid range of a hyperparameter, [Min, Max] with
// MinOpen or MaxOpen making that end exclusive.
type HyperRange struct {
	Name             string // as the command line spells it: lr, dropout, rank, ...
	Min, Max         float64
	MinOpen, MaxOpen bool
}

// String is the range in interval notation, such as (0, 1].
func (r HyperRange) String() string {
	lo, hi := "[", "]"
	if r.MinOpen {
		lo = "("
	}
	if r.MaxOpen {
		hi = ")"
	}
	return fmt.Sprintf("%s%g, %g%s", lo, r.Min, r.Max, hi)
}

// Contains reports whether v lies in the range (never for NaN).
func (r HyperRange) Contains(v float64) bool {
	above := v > r.Min || !r.MinOpen && v == r.Min
	below := v < r.Max || !r.MaxOpen && v == r.Max
	return above && below
}

// HyperRanges are the ranges Validate enforces, by name. Sizes are capped
// where a larger value would only exhaust memory (a rank of 100000 asks for
// gigabytes of factors).
var HyperRanges = map[string]HyperRange{
	"lr":            {Name: "lr", Min: 0, MinOpen: true, Max: 1},
	"weight-decay":  {Name: "weight-decay", Min: 0, Max: 1},
	"dropout":       {Name: "dropout", Min: 0, Max: 1, MaxOpen: true},
	"rank":          {Name: "rank", Min: 1, Max: 256},
	"hidden":        {Name: "hidden", Min: 1, Max: 4096},
	"embed":         {Name: "embed", Min: 1, Max: 4096},
	"audio-hidden":  {Name: "audio-hidden", Min: 1, Max: 4096},
	"visual-hidden": {Name: "visual-hidden", Min: 1, Max: 4096},
	"text-hidden":   {Name: "text-hidden", Min: 1, Max: 4096},
	"alpha":         {Name: "alpha", Min: 0, Max: 1000},
	"beta":          {Name: "beta", Min: 0, Max: 1000},
	"t-max":         {Name: "t-max", Min: 1, MinOpen: true, Max: 1000},
	"fixed-t":       {Name: "fixed-t", Min: 0, MinOpen: true, Max: 1000},
	"teacher-folds": {Name: "teacher-folds", Min: 2, Max: 50},
}

// RangeError is a hyperparameter given outside its range.
type RangeError struct {
	Range HyperRange
	Value float64
}

// Error names the hyperparameter, the value and the range.
func (e *RangeError) Error() string {
	return fmt.Sprintf("%s %s is out of range: want a value in %v", e.Range.Name, strconv.FormatFloat(e.Value, 'f', -1, 64), e.Range)
}

// ChoiceError is a hyperparameter given a value outside its choices.
type ChoiceError struct {
	Name, Value string
	Choices     []string
}

// Error names the hyperparameter, the value and the choices.
func (e *ChoiceError) Error() string {
	return fmt.Sprintf("%s %q: want %s", e.Name, e.Value, strings.Join(e.Choices, " or "))
}

// Validate returns a *RangeError for the first override outside its range,
// or a *ChoiceError for a string override outside its choices.
func (h Hyper) Validate() error {
	for _, f := range h.numbers() {
		switch {
		case f.f != nil && !HyperRanges[f.name].Contains(*f.f):
			return &RangeError{HyperRanges[f.name], *f.f}
		case f.i != nil && !HyperRanges[f.name].Contains(float64(*f.i)):
			return &RangeError{HyperRanges[f.name], float64(*f.i)}
		}
	}
	for _, c := range h.choices() {
		if c.value != "" && !slices.Contains(c.allowed, c.value) {
			return &ChoiceError{c.name, c.value, c.allowed}
		}
	}
	return nil
}

// choice is one string override of a Hyper, by name, with its values.
type choice struct {
	name, value string
	allowed     []string
}

// choices lists h's string overrides, given ("" not) or not, by
// command-line name: the one list Validate and StrictConfig read.
func (h Hyper) choices() []choice {
	return []choice{{"share", h.Share, []string{"all", "none"}},
		{"temperature-grad", h.TemperatureGrad, []string{"reverse", "descend"}},
		{"regression-soft", h.RegressionSoft, []string{"weighted", "prediction", "shrunk"}},
		{"hint", h.Hint, []string{"standardised", "projected"}},
		{"teacher", h.Teacher, []string{"co-trained", "frozen", "cross-fitted"}}}
}

// number is one numeric override of a Hyper: a float or an int, by name.
type number struct {
	name string
	f    *float64
	i    *int
}

// numbers lists h's numeric overrides, given or not, by command-line name:
// the one list Validate and StrictConfig read.
func (h Hyper) numbers() []number {
	return []number{{"lr", h.LR, nil}, {"weight-decay", h.WeightDecay, nil}, {"dropout", h.Dropout, nil},
		{"rank", nil, h.Rank}, {"hidden", nil, h.Hidden}, {"embed", nil, h.EmbedDim},
		{"audio-hidden", nil, h.AudioHidden}, {"visual-hidden", nil, h.VisualHidden}, {"text-hidden", nil, h.TextHidden},
		{"alpha", h.Alpha, nil}, {"beta", h.Beta, nil}, {"t-max", h.TMax, nil}, {"fixed-t", h.FixedT, nil}, {"teacher-folds", nil, h.Folds}}
}

// Known reports whether name is one of Names.
func Known(name string) bool { return slices.Contains(Names, name) }

// Config returns the configuration of the named system with h applied, as
// a value that Build and model.json both take. Overrides the system does
// not have are ignored (a search grid sets a rank for every system);
// StrictConfig refuses them.
func Config(name string, h Hyper) (any, error) {
	c, _, err := configure(name, h)
	return c, err
}

// StrictConfig is Config for a person's request: an override the system
// does not have is an error naming it, not silently ignored.
func StrictConfig(name string, h Hyper) (any, error) {
	c, took, err := configure(name, h)
	if err != nil {
		return nil, err
	}
	var unused []string
	for _, g := range h.given() {
		if !took[g.ptr] {
			unused = append(unused, g.name)
		}
	}
	if len(unused) > 0 {
		return nil, &NotApplicableError{System: name, Names: unused}
	}
	return c, nil
}

// NotApplicableError is an override given for a system that lacks it.
type NotApplicableError struct {
	System string
	Names  []string // as the command line spells them
}

// Error names the overrides and the system.
func (e *NotApplicableError) Error() string {
	verb := "does"
	if len(e.Names) > 1 {
		verb = "do"
	}
	return fmt.Sprintf("%s %s not apply to %s", strings.Join(e.Names, ", "), verb, e.System)
}

// given lists the overrides set in h, by name, each with the key that
// configure records it under when applied (the pointer; for the strings,
// the name).
func (h Hyper) given() []struct {
	name string
	ptr  any
} {
	type g = struct {
		name string
		ptr  any
	}
	var out []g
	for _, n := range h.numbers() {
		switch {
		case n.f != nil:
			out = append(out, g{n.name, n.f})
		case n.i != nil:
			out = append(out, g{n.name, n.i})
		}
	}
	for _, c := range h.choices() {
		if c.value != "" {
			out = append(out, g{c.name, c.name})
		}
	}
	return out
}

// configure builds the configuration and records which overrides of h it
// applied.
func configure(name string, h Hyper) (any, applied, error) {
	sys, err := lookup(name)
	if err != nil {
		return nil, nil, err
	}
	if err := h.Validate(); err != nil {
		return nil, nil, err
	}
	a := applied{}
	c, err := sys.apply(sys.defaults(), h, a)
	return c, a, err
}

// Build makes the named system from its configuration (as Config returns it,
// or decoded from model.json) for data of the given dimensions and task.
func Build(name string, config any, dims data.Dims, task data.Task, rng *rand.Rand) (Model, error) {
	sys, err := lookup(name)
	if err != nil {
		return nil, err
	}
	return sys.build(config, dims, task, rng)
}

// separableModel is the separable framework with the stage a frozen or
// cross-fitted teacher is trained in first (teacher.go).
type separableModel struct {
	*amd.Model
	staged *stagedTeacher
}

// InitTextBag starts the embeddings of m's bag text encoders (parameters
// named *.t.bag.weight) for the word features (text.WordFeature) from ds's
// pretrained word vectors, when ds's text is bags of n-grams with vectors
// (load's --text ngrams --embeddings), and returns how many rows it set.
func InitTextBag(m Model, ds *data.Dataset) (int, error) {
	tv := ds.TextVectors
	if !ds.TextBag || tv == nil || len(tv.Vocab) == 0 {
		return 0, nil
	}
	ids := text.FromWords(ds.Vocab)
	n := 0
	for _, p := range m.Params() {
		if !strings.HasSuffix(p.Name, ".t.bag.weight") {
			continue
		}
		D := p.Value.Shape[1]
		if D != tv.Dim {
			return 0, fmt.Errorf("the text embeddings have %d values per feature, the word vectors of %s %d: set the embedding size to %d (--embed)", D, tv.File, tv.Dim, tv.Dim)
		}
		for i, w := range tv.Vocab {
			if id := ids.ID(text.WordFeature(w)); id != text.Unknown {
				copy(p.Value.Data[int(id)*D:(int(id)+1)*D], tv.Table[i*D:(i+1)*D])
				n++
			}
		}
	}
	return n, nil
}

// FormatVersion is the version of the model directory this build writes
// (Meta.FormatVersion). Version 1 added format_version and subsets; a
// directory without them (version 0, from before) loads the same way. A
// later version is refused, since its fields may mean what this build does
// not know.
const FormatVersion = 1

// Meta is what model.json holds.
type Meta struct {
	// FormatVersion is the directory's FormatVersion (0: written before
	// versions were recorded).
	FormatVersion int    `json:"format_version"`
	System        string `json:"system"`
	// Subsets lists the modality subsets the model answers from ("avt",
	// "t", ...), as its Subsets method says; Save fills it in.
	Subsets []string        `json:"subsets,omitempty"`
	Config  json.RawMessage `json:"config"`
	Dims    data.Dims       `json:"dims"`
	Task    data.Task       `json:"task"`
	// Vocab is the training vocabulary when text is token ids; eval checks
	// that its data has the same.
	Vocab []string `json:"vocab,omitempty"`
	// TextVectors says which pretrained word vectors the text was read
	// through, and how many words they lacked.
	TextVectors *data.TextVectors `json:"text_vectors,omitempty"`
	// Lengths lists the modalities whose sequences came with their lengths
	// ("audio", "visual", "text"): valid steps first, zeros after. A
	// sequence modality not listed was read as whole fixed-length
	// sequences, padded however its data file padded them, so a request
	// must give all of its steps.
	Lengths []string       `json:"lengths,omitempty"`
	Seed    uint64         `json:"seed"`
	Data    string         `json:"data"`
	Train   train.Config   `json:"train"`
	Fit     *train.Result  `json:"fit,omitempty"`
	Extra   map[string]any `json:"extra,omitempty"`
}

// DataMeta is the part of a model's description that comes from the data
// it was trained on: dimensions, task, vocabulary, word vectors, and which
// sequences carried lengths.
func DataMeta(ds *data.Dataset) Meta {
	d := ds.Dims()
	meta := Meta{Dims: d, Task: ds.Task, Vocab: ds.Vocab, TextVectors: ds.TextVectors}
	for _, m := range data.Modalities {
		if d.Steps(m) > 0 && ds.Train.Lengths[m] != nil {
			meta.Lengths = append(meta.Lengths, m.String())
		}
	}
	return meta
}

// Save writes m and its description to dir (see package checkpoint), with
// the word vectors of meta.TextVectors (the rows its vocabulary needs) as
// the tensor TextVectorsName.
func Save(dir string, m Model, meta Meta) error {
	meta.FormatVersion, meta.Subsets = FormatVersion, nil
	for _, s := range m.Subsets() {
		meta.Subsets = append(meta.Subsets, s.String())
	}
	return checkpoint.Save(dir, m.Params(), append(nn.JoinBuffers(m), textVectors(meta)...), meta)
}

// TextVectorsName names the word vectors saved with a model.
const TextVectorsName = "text_vectors"

// textVectors is the saved word-vector table of meta, if any, as a buffer.
func textVectors(meta Meta) []*nn.Buffer {
	v := meta.TextVectors
	if v == nil || len(v.Vocab) == 0 {
		return nil
	}
	if len(v.Table) != len(v.Vocab)*v.Dim {
		v.Table = make([]float32, len(v.Vocab)*v.Dim) // to be read by LoadWeights
	}
	return []*nn.Buffer{{Name: TextVectorsName, Value: tensor.From(v.Table, len(v.Vocab), v.Dim)}}
}

// Load rebuilds the model saved in dir.
func Load(dir string) (Model, Meta, error) {
	var meta Meta
	if err := checkpoint.ReadMeta(dir, &meta); err != nil {
		return nil, meta, err
	}
	if meta.FormatVersion > FormatVersion {
		return nil, meta, fmt.Errorf("load %s: %s is format version %d, written by a later modistill; this one reads versions up to %d (update modistill)", dir, checkpoint.MetaFile, meta.FormatVersion, FormatVersion)
	}
	var config any
	if err := json.Unmarshal(meta.Config, &config); err != nil {
		return nil, meta, fmt.Errorf("load %s: config: %w", dir, err)
	}
	m, err := buildSaved(meta, config)
	if err != nil {
		return nil, meta, fmt.Errorf("load %s: %w", dir, err)
	}
	if err := checkpoint.LoadWeights(dir, m.Params(), append(nn.JoinBuffers(m), textVectors(meta)...)); err != nil {
		return nil, meta, err
	}
	return m, meta, nil
}

// buildSaved builds the model model.json describes. model.json is a file a
// person can edit, and the models check their configuration only as far as
// training needs (a negative size panics deep in a layer), so a panic while
// building is reported as a bad description, not a crash.
func buildSaved(meta Meta, config any) (m Model, err error) {
	defer func() {
		if r := recover(); r != nil {
			m, err = nil, fmt.Errorf("%s: %s's configuration cannot be built (%v); was it edited?", checkpoint.MetaFile, meta.System, r)
		}
	}()
	return Build(meta.System, config, meta.Dims, meta.Task, nn.NewRNG(meta.Seed))
}

// MarshalConfig encodes a configuration for Meta.Config.
func MarshalConfig(config any) (json.RawMessage, error) { return json.Marshal(config) }
