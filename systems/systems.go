// Package systems names the trainable systems of the paper's tables and
// builds, saves and loads them through one interface, so the command line
// (train, eval) and the experiments treat them alike.
//
//	ours, ours-fixed, lmf-s, tucker-s      the separable framework (models/amd)
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
	"strings"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/checkpoint"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/encoder"
	"github.com/modistill/modistill/models/amd"
	"github.com/modistill/modistill/models/bclstm"
	"github.com/modistill/modistill/models/deeps"
	"github.com/modistill/modistill/models/fused"
	"github.com/modistill/modistill/models/recurrent"
	"github.com/modistill/modistill/models/strh"
	"github.com/modistill/modistill/models/svmbase"
	"github.com/modistill/modistill/models/unimodal"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/objective"
	"github.com/modistill/modistill/tensor"
	"github.com/modistill/modistill/train"
)

// Names lists the systems, separable ones first.
var Names = []string{"ours", "ours-fixed", "lmf-s", "tucker-s", "deep-s", "svm", "strh", "lmf", "tfn", "df", "mfn", "marn", "mv-lstm", "bc-lstm", "unimodal-a", "unimodal-v", "unimodal-t"}

// Model is a system. Neural systems are also train.Model (trained by
// gradient steps); the others are Fitters.
type Model interface {
	nn.Module
	// Predict returns predictions (values, or class probabilities for
	// classification) from the modalities in use, one of Subsets.
	Predict(tp *autodiff.Tape, b *data.Batch, use [3]bool) *tensor.Tensor
	// Subsets lists the modality subsets the model can predict from: all
	// seven for the separable framework, all three modalities for
	// whole-modality systems, one modality for a unimodal model.
	Subsets() [][3]bool
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

// Hyper are command-line overrides of a system's defaults; zero values
// (and empty strings) keep the default, as do negative Alpha and Beta (which
// may be set to 0). DefaultHyper keeps every default.
type Hyper struct {
	LR, WeightDecay, Dropout float64
	Rank, Hidden, EmbedDim   int
	// The encoders' hidden sizes per modality (systems built on encoder).
	AudioHidden, VisualHidden, TextHidden int
	Alpha, Beta, TMax                     float64 // separable systems; Alpha and Beta < 0 keep the default
	FixedT                                float64 // ours-fixed's temperature
	Share                                 string  // what students share with the teacher: all or none
	TemperatureGrad                       string
}

// DefaultHyper overrides nothing.
var DefaultHyper = Hyper{Alpha: -1, Beta: -1}

// Config returns the configuration of the named system with h applied, as
// a value that Build and model.json both take.
func Config(name string, h Hyper) (any, error) {
	switch name {
	case "svm":
		return svmbase.DefaultConfig(), nil
	case "bc-lstm":
		c := bclstm.DefaultConfig()
		applyEncoder(&c.Encoder, h)
		setF(&c.LR, h.LR)
		setF(&c.WeightDecay, h.WeightDecay)
		setI(&c.Context, h.Hidden)
		return c, nil
	case "strh":
		return strh.DefaultConfig(), nil
	case "mfn", "marn", "mv-lstm":
		c := recurrent.DefaultConfig()
		if h.Dropout > 0 {
			c.Dropout = float32(h.Dropout)
		}
		setI(&c.EmbedDim, h.EmbedDim)
		setI(&c.Memory, h.Hidden)
		setF(&c.LR, h.LR)
		setF(&c.WeightDecay, h.WeightDecay)
		return c, nil
	case "deep-s", "unimodal-a", "unimodal-v", "unimodal-t":
		c := unimodal.DefaultConfig()
		applyEncoder(&c.Encoder, h)
		setF(&c.LR, h.LR)
		setF(&c.WeightDecay, h.WeightDecay)
		return c, nil
	case "lmf", "tfn", "df":
		c := fused.DefaultConfig()
		c.Fusion = name
		applyEncoder(&c.Encoder, h)
		setF(&c.LR, h.LR)
		setF(&c.WeightDecay, h.WeightDecay)
		setI(&c.Rank, h.Rank)
		setI(&c.Hidden, h.Hidden)
		return c, nil
	}
	c, err := amd.Preset(name)
	if err != nil {
		return nil, fmt.Errorf("unknown system %q: want one of %v", name, Names)
	}
	applyEncoder(&c.Encoder, h)
	setF(&c.LR, h.LR)
	setF(&c.WeightDecay, h.WeightDecay)
	setI(&c.Rank, h.Rank)
	setI(&c.Hidden, h.Hidden)
	setF(&c.TMax, h.TMax)
	setF(&c.FixedT, h.FixedT)
	if h.Alpha >= 0 && c.Distill != "none" {
		c.Alpha = h.Alpha
	}
	if h.Beta >= 0 && c.Distill != "none" {
		c.Beta = h.Beta
	}
	if h.TemperatureGrad != "" {
		c.TemperatureGrad = h.TemperatureGrad
	}
	if h.Share != "" {
		c.Share = h.Share
	}
	return c, c.Validate()
}

func applyEncoder(e *encoder.Config, h Hyper) {
	if h.Dropout > 0 {
		e.Dropout = float32(h.Dropout)
	}
	setI(&e.EmbedDim, h.EmbedDim)
	setI(&e.AudioHidden, h.AudioHidden)
	setI(&e.VisualHidden, h.VisualHidden)
	setI(&e.TextHidden, h.TextHidden)
}

func setF(dst *float64, v float64) {
	if v > 0 {
		*dst = v
	}
}

func setI(dst *int, v int) {
	if v > 0 {
		*dst = v
	}
}

// Build makes the named system from its configuration (as Config returns it,
// or decoded from model.json) for data of the given dimensions and task.
func Build(name string, config any, dims data.Dims, task data.Task, rng *rand.Rand) (Model, error) {
	raw, err := json.Marshal(config)
	if err != nil {
		return nil, err
	}
	switch name {
	case "mfn", "marn", "mv-lstm":
		var c recurrent.Config
		if err := json.Unmarshal(raw, &c); err != nil {
			return nil, fmt.Errorf("%s configuration: %w", name, err)
		}
		if name == "mfn" {
			m, err := recurrent.NewMFN(dims, task, c, rng)
			if err != nil {
				return nil, err
			}
			return sequenceModel[*recurrent.MFN]{m}, nil
		}
		if name == "mv-lstm" {
			m, err := recurrent.NewMVLSTM(dims, task, c, rng)
			if err != nil {
				return nil, err
			}
			return sequenceModel[*recurrent.MVLSTM]{m}, nil
		}
		m, err := recurrent.NewMARN(dims, task, c, rng)
		if err != nil {
			return nil, err
		}
		return sequenceModel[*recurrent.MARN]{m}, nil
	case "bc-lstm":
		var c bclstm.Config
		if err := json.Unmarshal(raw, &c); err != nil {
			return nil, fmt.Errorf("%s configuration: %w", name, err)
		}
		m, err := bclstm.New(dims, task, c, rng)
		if err != nil {
			return nil, err
		}
		return bclstmModel{m}, nil
	case "strh":
		var c strh.Config
		if err := json.Unmarshal(raw, &c); err != nil {
			return nil, fmt.Errorf("%s configuration: %w", name, err)
		}
		return strh.New(dims, task, c)
	case "svm":
		var c svmbase.Config
		if err := json.Unmarshal(raw, &c); err != nil {
			return nil, fmt.Errorf("%s configuration: %w", name, err)
		}
		return svmbase.New(dims, task, c)
	case "deep-s":
		var c unimodal.Config
		if err := json.Unmarshal(raw, &c); err != nil {
			return nil, fmt.Errorf("%s configuration: %w", name, err)
		}
		m, err := deeps.New(dims, task, c, rng)
		if err != nil {
			return nil, err
		}
		return deepsModel{m}, nil
	case "unimodal-a", "unimodal-v", "unimodal-t":
		var c unimodal.Config
		if err := json.Unmarshal(raw, &c); err != nil {
			return nil, fmt.Errorf("%s configuration: %w", name, err)
		}
		mod := data.Modality(strings.Index("avt", name[len(name)-1:]))
		m, err := unimodal.New(mod, dims, task, c, rng)
		if err != nil {
			return nil, err
		}
		return unimodalModel{m}, nil
	case "lmf", "tfn", "df":
		var c fused.Config
		if err := json.Unmarshal(raw, &c); err != nil {
			return nil, fmt.Errorf("%s configuration: %w", name, err)
		}
		m, err := fused.New(dims, task, c, rng)
		if err != nil {
			return nil, err
		}
		return wholeModel{m}, nil
	}
	var c amd.Config
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("%s configuration: %w", name, err)
	}
	m, err := amd.New(dims, task, c, rng)
	if err != nil {
		return nil, err
	}
	return separableModel{m}, nil
}

type separableModel struct{ *amd.Model }

// Subsets: the separable framework answers for all seven.
func (separableModel) Subsets() [][3]bool { return data.Subsets }

type deepsModel struct{ *deeps.Model }

// Subsets: Deep-S answers for all seven.
func (deepsModel) Subsets() [][3]bool { return data.Subsets }

// sequenceNet is what MFN and MARN offer.
type sequenceNet interface {
	train.Model
	Predict(tp *autodiff.Tape, b *data.Batch) *tensor.Tensor
	NoteText() string
}

type sequenceModel[N sequenceNet] struct{ net N }

// Params returns the network's parameters.
func (s sequenceModel[N]) Params() []*nn.Param { return s.net.Params() }

// Step runs one training step.
func (s sequenceModel[N]) Step(tp *autodiff.Tape, mode nn.Mode, b *data.Batch) float64 {
	return s.net.Step(tp, mode, b)
}

// ValidationLoss is the task loss on a split.
func (s sequenceModel[N]) ValidationLoss(tp *autodiff.Tape, sp *data.Split) float64 {
	return s.net.ValidationLoss(tp, sp)
}

// Subsets: a sequence fusion network needs all three modalities.
func (sequenceModel[N]) Subsets() [][3]bool { return [][3]bool{encoder.All} }

// Note says how the network reads the data.
func (s sequenceModel[N]) Note(*data.Dataset) string { return s.net.NoteText() }

// Predict answers only with all modalities.
func (s sequenceModel[N]) Predict(tp *autodiff.Tape, b *data.Batch, use [3]bool) *tensor.Tensor {
	if use != encoder.All {
		panic("systems: a sequence fusion network predicts only from all three modalities")
	}
	return s.net.Predict(tp, b)
}

type bclstmModel struct{ *bclstm.Model }

// Subsets: BC-LSTM needs all three modalities.
func (bclstmModel) Subsets() [][3]bool { return [][3]bool{encoder.All} }

// Predict answers only with all modalities.
func (b bclstmModel) Predict(tp *autodiff.Tape, batch *data.Batch, use [3]bool) *tensor.Tensor {
	if use != encoder.All {
		panic("systems: BC-LSTM predicts only from all three modalities")
	}
	return b.Model.Predict(tp, batch)
}

type wholeModel struct{ *fused.Model }

// Subsets: a whole-modality system needs all three modalities.
func (wholeModel) Subsets() [][3]bool { return [][3]bool{encoder.All} }

type unimodalModel struct{ *unimodal.Model }

// Subsets: a unimodal model answers from its own modality.
func (u unimodalModel) Subsets() [][3]bool {
	var use [3]bool
	use[u.Modality] = true
	return [][3]bool{use}
}

// Predict answers only from the model's modality.
func (u unimodalModel) Predict(tp *autodiff.Tape, b *data.Batch, use [3]bool) *tensor.Tensor {
	if use != u.Subsets()[0] {
		panic("systems: a unimodal model predicts only from its own modality")
	}
	return objective.Predictions(u.Task, u.Model.Predict(tp, b))
}

// Predict answers only with all modalities.
func (w wholeModel) Predict(tp *autodiff.Tape, b *data.Batch, use [3]bool) *tensor.Tensor {
	if use != encoder.All {
		panic("systems: a whole-modality system predicts only from all three modalities")
	}
	return objective.Predictions(w.Task, w.Model.Predict(tp, b))
}

// Meta is what model.json holds.
type Meta struct {
	System string          `json:"system"`
	Config json.RawMessage `json:"config"`
	Dims   data.Dims       `json:"dims"`
	Task   data.Task       `json:"task"`
	// Vocab is the training vocabulary when text is token ids; eval checks
	// that its data has the same.
	Vocab []string       `json:"vocab,omitempty"`
	Seed  uint64         `json:"seed"`
	Data  string         `json:"data"`
	Train train.Config   `json:"train"`
	Fit   *train.Result  `json:"fit,omitempty"`
	Extra map[string]any `json:"extra,omitempty"`
}

// Save writes m and its description to dir (see package checkpoint).
func Save(dir string, m Model, meta Meta) error {
	return checkpoint.Save(dir, m.Params(), nn.JoinBuffers(m), meta)
}

// Load rebuilds the model saved in dir.
func Load(dir string) (Model, Meta, error) {
	var meta Meta
	if err := checkpoint.ReadMeta(dir, &meta); err != nil {
		return nil, meta, err
	}
	var config any
	if err := json.Unmarshal(meta.Config, &config); err != nil {
		return nil, meta, fmt.Errorf("load %s: config: %w", dir, err)
	}
	m, err := Build(meta.System, config, meta.Dims, meta.Task, nn.NewRNG(meta.Seed))
	if err != nil {
		return nil, meta, fmt.Errorf("load %s: %w", dir, err)
	}
	if err := checkpoint.LoadWeights(dir, m.Params(), nn.JoinBuffers(m)); err != nil {
		return nil, meta, err
	}
	return m, meta, nil
}

// MarshalConfig encodes a configuration for Meta.Config.
func MarshalConfig(config any) (json.RawMessage, error) { return json.Marshal(config) }
