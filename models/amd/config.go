package amd

import (
	"fmt"

	"github.com/modistill/modistill/encoder"
)

// Config holds the framework's choices and hyperparameters. The separable
// systems of the paper are presets of it (Preset).
type Config struct {
	Encoder encoder.Config `json:"encoder"`
	// Fusion is the teacher's fusion: "tucker" (Eq. 7-8) or "lmf" (Eq. 9).
	Fusion Fusion `json:"fusion"`
	// Distill is "adaptive" (message-based temperatures, Eq. 4-5), "fixed"
	// (T_s = T_z = FixedT) or "none" (alpha = beta = 0: students on labels).
	Distill Distillation `json:"distill"`
	// TemperatureGrad is "reverse" (a gradient-reversal layer in front of
	// the temperatures, ramped from 0 to 1 over RampEpochs; the default) or
	// "descend" (the paper read literally).
	TemperatureGrad TemperatureGrad `json:"temperature_grad"`
	// Share says what the students share with the teacher: "all" (the
	// paper: the encoders and the factors W_m, so p_m is the teacher's own
	// projection) or "none" (the students have encoders and factors of their
	// own, and learn from the teacher only through the distillation terms).
	Share Sharing `json:"share"`
	// RegressionSoft is the regression soft label and what T_s does to it:
	//   - "weighted" (the default): s = σ̂(z_h), the teacher's prediction
	//     itself, and T_s a per-sample weight of the soft term, normalised
	//     over the batch (loss.WeightedL1): the temperatures move emphasis
	//     between samples but cannot move the target;
	//   - "prediction": s = σ̂(z_h), and T_s unused;
	//   - "shrunk": the paper read literally, s = σ̂(z_h / T_s), the teacher's
	//     prediction pulled towards the head's bias by 1/T_s (gradient
	//     reversal then drives T_s up and the target to a constant); "" in
	//     models saved before the choice.
	// Classification always uses T_s as Hinton's temperature, where any T
	// keeps the class order.
	RegressionSoft SoftLabel `json:"regression_soft,omitempty"`
	// Hint is the representation term l*(z*, p_m) of Eq. 2-3:
	//   - "standardised" (the default): a regressor f_p maps p_m to the size
	//     of z_h and is fitted to the detached z_h standardised per feature
	//     over the batch, with T_z a per-sample weight (loss.WeightedMSE).
	//     The target has unit variance whatever the networks do, so the term
	//     cannot be lowered by shrinking anything;
	//   - "projected": the paper read literally, MSE(p_m, f_p(z_h / T_z))
	//     with f_p: z_h -> p_m trained in the same step, which shrinking
	//     both p_m and f_p lowers towards 0; "" in models saved before the
	//     choice.
	Hint HintForm `json:"hint,omitempty"`
	// Teacher says where the distillation targets come from:
	//   - "co-trained" (the paper; "" in models saved before the choice):
	//     the framework's own teacher, as updated by each step's teacher
	//     step;
	//   - "frozen": a teacher of the same architecture trained first on the
	//     labels (early-stopped on the validation split), then frozen; its
	//     targets for the training samples are computed once;
	//   - "cross-fitted": Folds such teachers, each trained on all training
	//     samples but one fold's, so that each sample's target comes from a
	//     teacher that never saw it.
	// The framework's own teacher is trained in every case and answers when
	// all three modalities are present.
	Teacher TeacherSource `json:"teacher,omitempty"`
	// Folds is the number k of cross-fitted teachers and folds.
	Folds int `json:"folds,omitempty"`

	TuckerRanks [3]int `json:"tucker_ranks"` // t_a, t_v, t_t
	TuckerTh    int    `json:"tucker_th"`    // t_h
	Rank        int    `json:"rank"`         // LMF's R
	Hidden      int    `json:"hidden"`       // h, the size of z_h

	Alpha      float64 `json:"alpha"`   // weight of the soft-label term
	Beta       float64 `json:"beta"`    // weight of the representation term
	TMax       float64 `json:"t_max"`   // temperatures lie in [1, TMax]
	FixedT     float64 `json:"fixed_t"` // Ours-fixed's temperature
	Message    int     `json:"message"` // size of each message projection
	RampEpochs int     `json:"ramp_epochs"`

	LR          float64 `json:"lr"`
	WeightDecay float64 `json:"weight_decay"`
}

// Fusion is the teacher's fusion.
type Fusion string

// The fusions.
const (
	Tucker Fusion = "tucker" // Eq. 7-8
	LMF    Fusion = "lmf"    // Eq. 9
)

// Distillation is how the students learn from the teacher.
type Distillation string

// The distillations.
const (
	Adaptive       Distillation = "adaptive" // message-based temperatures, Eq. 4-5
	Fixed          Distillation = "fixed"    // T_s = T_z = FixedT
	NoDistillation Distillation = "none"     // alpha = beta = 0: the students on labels
)

// TemperatureGrad is how the temperature networks learn.
type TemperatureGrad string

// The ways the temperatures learn.
const (
	Reverse TemperatureGrad = "reverse" // behind a gradient-reversal layer
	Descend TemperatureGrad = "descend" // by plain descent (the paper read literally)
)

// Sharing is what the students share with the teacher.
type Sharing string

// The sharings.
const (
	ShareAll  Sharing = "all"  // the encoders and the factors W_m
	ShareNone Sharing = "none" // nothing: their own encoders and factors
)

// SoftLabel is the regression soft label (Config.RegressionSoft).
type SoftLabel string

// The regression soft labels.
const (
	Weighted   SoftLabel = "weighted"   // σ̂(z_h), T_s a per-sample weight
	Prediction SoftLabel = "prediction" // σ̂(z_h), T_s unused
	Shrunk     SoftLabel = "shrunk"     // σ̂(z_h / T_s), the paper read literally
)

// HintForm is the representation term's form (Config.Hint).
type HintForm string

// The hint forms.
const (
	Standardised HintForm = "standardised" // f_p(p_m) against the standardised z_h
	Projected    HintForm = "projected"    // p_m against f_p(z_h / T_z), the paper read literally
)

// TeacherSource is where the distillation targets come from
// (Config.Teacher).
type TeacherSource string

// The teachers.
const (
	CoTrained   TeacherSource = "co-trained"   // the framework's own, the paper's
	Frozen      TeacherSource = "frozen"       // trained first, then frozen
	CrossFitted TeacherSource = "cross-fitted" // k teachers, each blind to one fold
)

// DefaultConfig is Ours with METHOD.md's defaults (t_m = t_h = 8, h = 32,
// alpha = beta = 1, T_max = 10, messages of 32, learning rate 1e-3) and the
// distillation fixes: the weighted regression soft label, the standardised
// hint, the co-trained teacher.
func DefaultConfig() Config {
	return Config{Encoder: encoder.DefaultConfig(), Fusion: Tucker, Distill: Adaptive, TemperatureGrad: Reverse, Share: ShareAll,
		TuckerRanks: [3]int{8, 8, 8}, TuckerTh: 8, Rank: 4, Hidden: 32,
		RegressionSoft: Weighted, Hint: Standardised, Teacher: CoTrained, Folds: 5,
		Alpha: 1, Beta: 1, TMax: 10, FixedT: 2, Message: 32, RampEpochs: 10, LR: 1e-3}
}

// Presets names the separable systems of METHOD.md.
var Presets = []string{"ours", "ours-literal", "ours-fixed", "lmf-s", "tucker-s"}

// Preset returns the configuration of a named separable system: "ours"
// (tucker + adaptive, with the fixes of DefaultConfig), "ours-literal" (the
// paper read literally: the shrunk regression soft label and the projected
// hint), "ours-fixed" (tucker + fixed T = 2), "lmf-s" (lmf + none) and
// "tucker-s" (tucker + none, which separates what Tucker fusion brings from
// what distillation brings).
func Preset(name string) (Config, error) {
	c := DefaultConfig()
	switch name {
	case "ours":
	case "ours-literal":
		c.RegressionSoft, c.Hint = Shrunk, Projected
	case "ours-fixed":
		c.Distill = Fixed
	case "lmf-s":
		c.Fusion, c.Distill = LMF, NoDistillation
	case "tucker-s":
		c.Distill = NoDistillation
	default:
		return c, fmt.Errorf("unknown separable system %q: want one of %v", name, Presets)
	}
	return c, nil
}

// Validate returns an error naming a bad choice.
func (c Config) Validate() error {
	switch {
	case c.Fusion != Tucker && c.Fusion != LMF:
		return fmt.Errorf("fusion %q: want tucker or lmf", c.Fusion)
	case c.Distill != Adaptive && c.Distill != Fixed && c.Distill != NoDistillation:
		return fmt.Errorf("distill %q: want adaptive, fixed or none", c.Distill)
	case c.TemperatureGrad != Reverse && c.TemperatureGrad != Descend:
		return fmt.Errorf("temperature-grad %q: want reverse or descend", c.TemperatureGrad)
	case c.Share != ShareAll && c.Share != ShareNone:
		return fmt.Errorf("share %q: want all or none", c.Share)
	case c.RegressionSoft != "" && c.RegressionSoft != Weighted && c.RegressionSoft != Shrunk && c.RegressionSoft != Prediction:
		return fmt.Errorf("regression-soft %q: want weighted, prediction or shrunk", c.RegressionSoft)
	case c.Hint != "" && c.Hint != Standardised && c.Hint != Projected:
		return fmt.Errorf("hint %q: want standardised or projected", c.Hint)
	case c.Teacher != "" && c.Teacher != CoTrained && c.Teacher != Frozen && c.Teacher != CrossFitted:
		return fmt.Errorf("teacher %q: want co-trained, frozen or cross-fitted", c.Teacher)
	case c.Teacher == CrossFitted && c.Folds < 2:
		return fmt.Errorf("a cross-fitted teacher needs at least 2 folds, not %d", c.Folds)
	case c.Hidden < 1 || c.Rank < 1 || c.TuckerTh < 1 || c.TuckerRanks[0] < 1 || c.TuckerRanks[1] < 1 || c.TuckerRanks[2] < 1:
		return fmt.Errorf("fusion sizes must be positive (h %d, R %d, t_m %v, t_h %d)", c.Hidden, c.Rank, c.TuckerRanks, c.TuckerTh)
	case c.TMax <= 1 || c.FixedT <= 0:
		return fmt.Errorf("T_max (%g) must exceed 1 and the fixed temperature (%g) be positive", c.TMax, c.FixedT)
	case c.Alpha < 0 || c.Beta < 0:
		return fmt.Errorf("alpha (%g) and beta (%g) must not be negative", c.Alpha, c.Beta)
	case c.LR <= 0:
		return fmt.Errorf("learning rate %g must be positive", c.LR)
	}
	return nil
}

// StagedTeacher reports whether the targets come from a teacher trained
// before the framework (frozen or cross-fitted) rather than the co-trained
// one.
func (c Config) StagedTeacher() bool { return c.Teacher == Frozen || c.Teacher == CrossFitted }
