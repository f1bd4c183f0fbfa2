package systems

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"

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
)

// registry lists every system, separable ones first: a system is its model
// package and one line here.
var registry = []system{
	register("ours", amdPreset("ours"), applyAMD, separable),
	register("ours-literal", amdPreset("ours-literal"), applyAMD, separable),
	register("ours-fixed", amdPreset("ours-fixed"), applyAMD, separable),
	register("lmf-s", amdPreset("lmf-s"), applyAMD, separable),
	register("tucker-s", amdPreset("tucker-s"), applyAMD, separable),
	register("deep-s", unimodal.DefaultConfig, applyUnimodal, trained(deeps.New)),
	seedless(register("svm", svmbase.DefaultConfig, nil, fitted(svmbase.New))),
	seedless(register("strh", strh.DefaultConfig, nil, fitted(strh.New))),
	register("lmf", fusedPreset("lmf"), applyFused, trained(fused.New)),
	register("tfn", fusedPreset("tfn"), applyFused, trained(fused.New)),
	register("df", fusedPreset("df"), applyFused, trained(fused.New)),
	register("mfn", recurrent.DefaultConfig, applyRecurrent, trained(recurrent.NewMFN)),
	register("marn", recurrent.DefaultConfig, applyRecurrent, trained(recurrent.NewMARN)),
	register("mv-lstm", recurrent.DefaultConfig, applyRecurrent, trained(recurrent.NewMVLSTM)),
	register("bc-lstm", bclstm.DefaultConfig, applyBCLSTM, trained(bclstm.New)),
	register("unimodal-a", unimodal.DefaultConfig, applyUnimodal, unimodalOf(data.Audio)),
	register("unimodal-v", unimodal.DefaultConfig, applyUnimodal, unimodalOf(data.Visual)),
	register("unimodal-t", unimodal.DefaultConfig, applyUnimodal, unimodalOf(data.Text)),
}

// Names lists the systems, separable ones first.
var Names = func() []string {
	names := make([]string, len(registry))
	for i, s := range registry {
		names[i] = s.name
	}
	return names
}()

// A system is a row of the registry: the name a person gives, its model's
// default configuration, how the overrides of a Hyper apply to it, and its
// constructor. register makes one from typed parts.
type system struct {
	name          string
	tunable       bool // it takes overrides (apply is not nil)
	deterministic bool // its fit does not depend on the seed (seedless)
	defaults      func() any
	apply         func(config any, h Hyper, a applied) (any, error)
	build         func(config any, dims data.Dims, task data.Task, rng *rand.Rand) (Model, error)
}

// applied records which overrides of a Hyper a system took: the numeric
// ones by pointer, the choices by name.
type applied map[any]bool

// register makes the system name of configuration type C: defaults gives
// the configuration, apply (nil: the system takes no override) sets a
// Hyper's overrides on it, and build makes the model. A configuration
// decoded from model.json (not a C) goes through JSON into a C first.
func register[C any](name string, defaults func() C, apply func(c *C, h Hyper, a applied) error,
	build func(c C, dims data.Dims, task data.Task, rng *rand.Rand) (Model, error)) system {
	return system{
		name:     name,
		tunable:  apply != nil,
		defaults: func() any { return defaults() },
		apply: func(config any, h Hyper, a applied) (any, error) {
			c := config.(C)
			if apply != nil {
				if err := apply(&c, h, a); err != nil {
					return nil, err
				}
			}
			return c, nil
		},
		build: func(config any, dims data.Dims, task data.Task, rng *rand.Rand) (Model, error) {
			c, ok := config.(C)
			if !ok {
				raw, err := json.Marshal(config)
				if err != nil {
					return nil, fmt.Errorf("%s configuration: %w", name, err)
				}
				if err := json.Unmarshal(raw, &c); err != nil {
					return nil, fmt.Errorf("%s configuration: %w", name, err)
				}
			}
			return build(c, dims, task, rng)
		},
	}
}

// seedless marks a system whose fit does not depend on the seed.
func seedless(s system) system {
	s.deterministic = true
	return s
}

// Deterministic reports whether the named system's fit does not depend on
// the seed (SVM and STRH), so that one fit per dataset and setting stands
// for every seed; false for an unknown name.
func Deterministic(name string) bool {
	s, err := lookup(name)
	return err == nil && s.deterministic
}

// Tunable reports whether the named system takes a Hyper's overrides, so
// that its hyperparameters can be searched; false for SVM and STRH, which
// choose their own settings on the validation split when fitted, and for
// an unknown name.
func Tunable(name string) bool {
	s, err := lookup(name)
	return err == nil && s.tunable
}

// lookup finds the named system.
func lookup(name string) (system, error) {
	for _, s := range registry {
		if s.name == name {
			return s, nil
		}
	}
	return system{}, fmt.Errorf("unknown system %q (known: %s)", name, strings.Join(Names, ", "))
}

// trained adapts a trained model's constructor to the registry.
func trained[C any, M Model](newModel func(data.Dims, data.Task, C, *rand.Rand) (M, error)) func(C, data.Dims, data.Task, *rand.Rand) (Model, error) {
	return func(c C, dims data.Dims, task data.Task, rng *rand.Rand) (Model, error) {
		m, err := newModel(dims, task, c, rng)
		if err != nil {
			return nil, err
		}
		return m, nil
	}
}

// fitted adapts the constructor of a model fitted without randomness.
func fitted[C any, M Model](newModel func(data.Dims, data.Task, C) (M, error)) func(C, data.Dims, data.Task, *rand.Rand) (Model, error) {
	return func(c C, dims data.Dims, task data.Task, _ *rand.Rand) (Model, error) {
		m, err := newModel(dims, task, c)
		if err != nil {
			return nil, err
		}
		return m, nil
	}
}

// unimodalOf builds the unimodal model of modality m.
func unimodalOf(m data.Modality) func(unimodal.Config, data.Dims, data.Task, *rand.Rand) (Model, error) {
	return trained(func(dims data.Dims, task data.Task, c unimodal.Config, rng *rand.Rand) (*unimodal.Model, error) {
		return unimodal.New(m, dims, task, c, rng)
	})
}

// separable builds the separable framework, with the stage a frozen or
// cross-fitted teacher is trained in first.
func separable(c amd.Config, dims data.Dims, task data.Task, rng *rand.Rand) (Model, error) {
	m, err := amd.New(dims, task, c, rng)
	if err != nil {
		return nil, err
	}
	return separableModel{m, &stagedTeacher{}}, nil
}

// amdPreset is the named preset of the separable framework.
func amdPreset(name string) func() amd.Config {
	return func() amd.Config {
		c, err := amd.Preset(name)
		if err != nil {
			panic(fmt.Sprintf("systems: %v", err)) // the registry names only presets
		}
		return c
	}
}

// fusedPreset is a whole-modality system's configuration.
func fusedPreset(fusion string) func() fused.Config {
	return func() fused.Config {
		c := fused.DefaultConfig()
		c.Fusion = fusion
		return c
	}
}

// applyOptimizer sets the learning rate and weight decay.
func applyOptimizer(a applied, lr, wd *float64, h Hyper) {
	set(a, lr, h.LR)
	set(a, wd, h.WeightDecay)
}

// applyEncoder sets the encoders' dropout, embedding size and hidden sizes.
func applyEncoder(a applied, e *encoder.Config, h Hyper) {
	if h.Dropout != nil {
		e.Dropout, a[h.Dropout] = float32(*h.Dropout), true
	}
	set(a, &e.EmbedDim, h.EmbedDim)
	set(a, &e.AudioHidden, h.AudioHidden)
	set(a, &e.VisualHidden, h.VisualHidden)
	set(a, &e.TextHidden, h.TextHidden)
}

// set overrides *dst with *v when v is given, recording it in a.
func set[T any](a applied, dst *T, v *T) {
	if v != nil {
		*dst = *v
		a[v] = true
	}
}

func applyUnimodal(c *unimodal.Config, h Hyper, a applied) error {
	applyEncoder(a, &c.Encoder, h)
	applyOptimizer(a, &c.LR, &c.WeightDecay, h)
	return nil
}

func applyBCLSTM(c *bclstm.Config, h Hyper, a applied) error {
	applyEncoder(a, &c.Encoder, h)
	applyOptimizer(a, &c.LR, &c.WeightDecay, h)
	set(a, &c.Context, h.Hidden)
	return nil
}

func applyRecurrent(c *recurrent.Config, h Hyper, a applied) error {
	if h.Dropout != nil {
		c.Dropout, a[h.Dropout] = float32(*h.Dropout), true
	}
	set(a, &c.EmbedDim, h.EmbedDim)
	set(a, &c.Memory, h.Hidden)
	applyOptimizer(a, &c.LR, &c.WeightDecay, h)
	return nil
}

func applyFused(c *fused.Config, h Hyper, a applied) error {
	applyEncoder(a, &c.Encoder, h)
	applyOptimizer(a, &c.LR, &c.WeightDecay, h)
	if c.Fusion == "lmf" { // TFN and DF have no rank
		set(a, &c.Rank, h.Rank)
	}
	set(a, &c.Hidden, h.Hidden)
	return nil
}

func applyAMD(c *amd.Config, h Hyper, a applied) error {
	applyEncoder(a, &c.Encoder, h)
	applyOptimizer(a, &c.LR, &c.WeightDecay, h)
	if c.Fusion == amd.LMF { // Tucker has its own ranks (t_m, t_h)
		set(a, &c.Rank, h.Rank)
	}
	set(a, &c.Hidden, h.Hidden)
	if c.Distill == amd.Adaptive { // only the adaptive temperatures have a range
		set(a, &c.TMax, h.TMax)
	}
	if c.Distill == amd.Fixed {
		set(a, &c.FixedT, h.FixedT)
	}
	if c.Distill != amd.NoDistillation {
		set(a, &c.Alpha, h.Alpha)
		set(a, &c.Beta, h.Beta)
	}
	if h.TemperatureGrad != "" && c.Distill == amd.Adaptive {
		c.TemperatureGrad, a["temperature-grad"] = amd.TemperatureGrad(h.TemperatureGrad), true
	}
	if h.Share != "" {
		c.Share, a["share"] = amd.Sharing(h.Share), true
	}
	if c.Distill != amd.NoDistillation {
		if h.RegressionSoft != "" {
			c.RegressionSoft, a["regression-soft"] = amd.SoftLabel(h.RegressionSoft), true
		}
		if h.Hint != "" {
			c.Hint, a["hint"] = amd.HintForm(h.Hint), true
		}
		if h.Teacher != "" {
			c.Teacher, a["teacher"] = amd.TeacherSource(h.Teacher), true
		}
		if c.Teacher == amd.CrossFitted {
			set(a, &c.Folds, h.Folds)
		}
	}
	return c.Validate()
}
