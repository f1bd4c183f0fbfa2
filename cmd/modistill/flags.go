package main

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/modistill/modistill/systems"
)

// optional is a numeric flag that is nil until given, so that "not given"
// (keep the system's default) differs from "given as 0".
type optional[T int | float64] struct {
	p     **T
	parse func(string) (T, error)
}

// optFloat and optInt are optional flags of each kind.
func optFloat(p **float64) optional[float64] {
	return optional[float64]{p, func(s string) (float64, error) {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, errors.New("not a number")
		}
		return v, nil
	}}
}

func optInt(p **int) optional[int] {
	return optional[int]{p, func(s string) (int, error) {
		v, err := strconv.Atoi(s)
		if err != nil {
			return 0, errors.New("not an integer")
		}
		return v, nil
	}}
}

// String is the value given, or "" (so flag prints no default).
func (o optional[T]) String() string {
	if o.p == nil || *o.p == nil {
		return ""
	}
	return fmt.Sprint(**o.p)
}

// Set parses the value.
func (o optional[T]) Set(s string) error {
	v, err := o.parse(s)
	if err != nil {
		return err
	}
	*o.p = &v
	return nil
}

// addHyperFlags registers the hyperparameter overrides on fs; what is not
// given keeps the system's default (METHOD.md's).
func addHyperFlags(fs *flag.FlagSet) *systems.Hyper {
	h := &systems.Hyper{}
	r := func(name string) string { return "; range " + systems.HyperRanges[name].String() }
	fs.Var(optFloat(&h.LR), "lr", "learning rate (default: the system's, 1e-3)"+r("lr"))
	fs.Var(optFloat(&h.WeightDecay), "weight-decay", "Adam weight decay (default: the system's, 0)"+r("weight-decay"))
	fs.Var(optFloat(&h.Dropout), "dropout", "dropout rate (default: the system's, 0.2)"+r("dropout"))
	fs.Var(optInt(&h.Rank), "rank", "LMF rank R (default 4)"+r("rank"))
	fs.Var(optInt(&h.Hidden), "hidden", "size h of the fused representation (default 32)"+r("hidden"))
	fs.Var(optInt(&h.EmbedDim), "embed", "word embedding size when text is token ids (default 100)"+r("embed"))
	fs.Var(optInt(&h.AudioHidden), "audio-hidden", "audio encoder's hidden size (default 32)"+r("audio-hidden"))
	fs.Var(optInt(&h.VisualHidden), "visual-hidden", "visual encoder's hidden size (default 32)"+r("visual-hidden"))
	fs.Var(optInt(&h.TextHidden), "text-hidden", "text LSTM's hidden size (default 64)"+r("text-hidden"))
	fs.Var(optFloat(&h.Alpha), "alpha", "weight of the soft-label term (default 1)"+r("alpha"))
	fs.Var(optFloat(&h.Beta), "beta", "weight of the representation term (default 1)"+r("beta"))
	fs.Var(optFloat(&h.TMax), "t-max", "largest temperature (default 10)"+r("t-max"))
	fs.Var(optFloat(&h.FixedT), "fixed-t", "ours-fixed's temperature T_s = T_z (default 2)"+r("fixed-t"))
	fs.StringVar(&h.TemperatureGrad, "temperature-grad", "", "how the temperature networks learn: reverse (the default: gradient reversal) or descend")
	fs.StringVar(&h.RegressionSoft, "regression-soft", "", "the regression soft label of the distilled systems: weighted (the default: the teacher's prediction, T_s a per-sample weight of the soft term), prediction (the teacher's prediction, T_s unused) or shrunk (ours-literal's: the paper read literally, the teacher's prediction divided by T_s inside the head)")
	fs.StringVar(&h.Hint, "hint", "", "the representation term of the distilled systems: standardised (the default: a regressor from p_m fitted to the detached, standardised z_h, T_z a per-sample weight) or projected (ours-literal's: p_m fitted to f_p(z_h / T_z), which can collapse)")
	fs.StringVar(&h.Teacher, "teacher", "", "where the distilled systems' targets come from: co-trained (the default, the paper's), frozen (a teacher trained first, then frozen) or cross-fitted (k-fold teachers: each training sample's target from a teacher that did not train on it)")
	fs.Var(optInt(&h.Folds), "teacher-folds", "--teacher cross-fitted: the number k of teachers and folds (default 5)"+r("teacher-folds"))
	fs.StringVar(&h.Share, "share", "", "what the students share with the teacher: all (the default: encoders and factors) or none")
	return h
}

// hyperError turns a hyperparameter's validation error into a usage error
// that names the flag.
func hyperError(cmd string, err error) error {
	var re *systems.RangeError
	if errors.As(err, &re) {
		return usagef("%s: --%v", cmd, re)
	}
	var ce *systems.ChoiceError
	if errors.As(err, &ce) {
		return usagef("%s: --%v", cmd, ce)
	}
	var na *systems.NotApplicableError
	if errors.As(err, &na) {
		if len(na.Names) == 1 {
			return usagef("%s: --%s does not apply to %s; leave it out", cmd, na.Names[0], na.System)
		}
		return usagef("%s: --%s do not apply to %s; leave them out", cmd, strings.Join(na.Names, ", --"), na.System)
	}
	return usagef("%s: %v", cmd, err)
}

// intFlagInRange checks an integer flag of command cmd against [lo, hi].
func intFlagInRange(cmd, name string, v, lo, hi int) error {
	if err := outOfRange(name, v, lo, hi); err != nil {
		return usagef("%s: %v", cmd, err)
	}
	return nil
}

// outOfRange is the usage error for an integer flag outside [lo, hi], or
// nil.
func outOfRange(name string, v, lo, hi int) error {
	if v < lo || v > hi {
		return usagef("--%s %d is out of range: want a value in [%d, %d]", name, v, lo, hi)
	}
	return nil
}
