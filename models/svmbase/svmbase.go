// Package svmbase is the paper's SVM baseline: for every subset of
// modalities, support vector machines on the concatenated available
// features (audio and visual as utterance vectors, text averaged over its
// valid steps), standardised on the training split: an ε-SVR per target for
// regression, a C-SVC per task for classification. The kernel (linear or
// RBF) and C are chosen per subset on the validation split (MAE for
// regression, weighted F1 for classification), and the chosen settings are
// kept in the configuration, so a saved model says how it was made.
//
// Classification outputs are [1-σ(f), σ(f)] of the decision value f: a
// monotone score whose argmax is the SVM's class, not a calibrated
// probability.
package svmbase

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/mathf"
	"github.com/modistill/modistill/metrics"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/svm"
	"github.com/modistill/modistill/tensor"
)

// Config holds the search grid and, once fitted, the chosen settings.
type Config struct {
	Cs         []float64 `json:"cs"`          // C values tried
	GammaScale []float64 `json:"gamma_scale"` // RBF γ tried, as multiples of 1/features
	Linear     bool      `json:"linear"`      // try the linear kernel too
	Epsilon    float64   `json:"epsilon"`     // half-width of the SVR tube
	MaxTrain   int       `json:"max_train"`   // larger training splits are subsampled, seeded
	Seed       uint64    `json:"seed"`
	Fitted     []Choice  `json:"fitted,omitempty"`
}

// Choice is one subset's chosen setting and the sizes of its machines.
type Choice struct {
	Subset   string     `json:"subset"`
	Kernel   svm.Kernel `json:"kernel"`
	C        float64    `json:"c"`
	Features int        `json:"features"`
	SV       []int      `json:"sv"`    // support vectors per target
	Valid    float64    `json:"valid"` // the selection score on the validation split
	// Converged is false if the solver's iteration cap stopped any of the
	// chosen machines before the optimality tolerance.
	Converged bool `json:"converged"`
}

// DefaultConfig tries C in {0.1, 1, 10} with the linear kernel and with RBF
// at γ in {0.1, 1, 10}/features; ε = 0.1; at most 2000 training samples.
func DefaultConfig() Config {
	return Config{Cs: []float64{0.1, 1, 10}, GammaScale: []float64{0.1, 1, 10}, Linear: true, Epsilon: 0.1, MaxTrain: 2000, Seed: 1}
}

// machines are one subset's standardisation and per-target SVMs, held as
// parameters so that they save and load like any model's.
type machines struct {
	use       data.Subset
	kernel    svm.Kernel
	mean, std *nn.Param
	sv, coef  []*nn.Param // per target: (nSV, features), (nSV)
	rho       []*nn.Param // per target: (1)

	mu    sync.Mutex // guards built: predictions may run side by side
	built []*svm.Model
}

func newMachines(use data.Subset, k svm.Kernel, features int, nsv []int) *machines {
	p := "svm." + use.String()
	m := &machines{use: use, kernel: k, mean: nn.NewParam(p+".mean", features), std: nn.NewParam(p+".std", features)}
	for t, n := range nsv {
		q := fmt.Sprintf("%s.t%d", p, t)
		m.sv = append(m.sv, nn.NewParam(q+".sv", n, features))
		m.coef = append(m.coef, nn.NewParam(q+".coef", n))
		m.rho = append(m.rho, nn.NewParam(q+".rho", 1))
	}
	return m
}

func (m *machines) params() []*nn.Param {
	ps := []*nn.Param{m.mean, m.std}
	for t := range m.sv {
		ps = append(ps, m.sv[t], m.coef[t], m.rho[t])
	}
	return ps
}

// model returns target t's SVM, built from the parameters once.
func (m *machines) model(t int) *svm.Model {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.built == nil {
		m.built = make([]*svm.Model, len(m.sv))
	}
	if m.built[t] == nil {
		sv := m.sv[t].Value
		n, f := sv.Shape[0], sv.Shape[1]
		mod := &svm.Model{Kernel: m.kernel, Rho: float64(m.rho[t].Value.Data[0])}
		for i := range n {
			row := make([]float64, f)
			for j := range row {
				row[j] = float64(sv.Data[i*f+j])
			}
			mod.SV = append(mod.SV, row)
			mod.Coef = append(mod.Coef, float64(m.coef[t].Value.Data[i]))
		}
		m.built[t] = mod
	}
	return m.built[t]
}

// Model is the SVM baseline.
type Model struct {
	Config Config
	Task   data.Task
	subs   []*machines
}

// New returns a model for data of the given dimensions; when c.Fitted is
// set (a saved model), its parameters are shaped for loading.
func New(dims data.Dims, task data.Task, c Config) (*Model, error) {
	if dims.Vocab > 0 {
		return nil, fmt.Errorf("svm: the text is token ids; the SVM baseline needs feature vectors")
	}
	if dims.Audio == 0 || dims.Visual == 0 || dims.Text == 0 {
		return nil, fmt.Errorf("svm: the baseline is defined on all three modalities' features; the data lacks one")
	}
	if task.Kind == data.Classification && task.Classes != 2 {
		return nil, fmt.Errorf("svm: classification with %d classes; the SVC here is binary", task.Classes)
	}
	m := &Model{Config: c, Task: task}
	for _, ch := range c.Fitted {
		use, err := data.ParseSubset(ch.Subset)
		if err != nil {
			return nil, fmt.Errorf("svm: fitted subset: %w", err)
		}
		m.subs = append(m.subs, newMachines(use, ch.Kernel, ch.Features, ch.SV))
	}
	return m, nil
}

// Params returns every subset's parameters (empty before Fit).
func (m *Model) Params() []*nn.Param {
	var ps []*nn.Param
	for _, s := range m.subs {
		ps = append(ps, s.params()...)
	}
	return ps
}

// FittedConfig is the configuration with the chosen settings, to save.
func (m *Model) FittedConfig() any { return m.Config }

// Subsets returns the subsets the model answers for: all seven once fitted.
func (m *Model) Subsets() []data.Subset { return data.Subsets }

// standardise subtracts mean and divides by std in place.
func standardise(x [][]float64, mean, std []float32) {
	for _, row := range x {
		for j := range row {
			row[j] = (row[j] - float64(mean[j])) / float64(std[j])
		}
	}
}

// Fit trains every subset's machines on ds.Train, choosing the kernel and C
// on ds.Valid.
func (m *Model) Fit(ctx context.Context, ds *data.Dataset) error {
	c := m.Config
	if len(c.Cs) == 0 || (!c.Linear && len(c.GammaScale) == 0) {
		return fmt.Errorf("svm: an empty search grid")
	}
	train, valid := ds.Train.All(), ds.Valid.All()
	var idx []int
	if c.MaxTrain > 0 && train.N() > c.MaxTrain {
		rng := rand.New(rand.NewPCG(c.Seed, 0x73766d))
		idx = rng.Perm(train.N())[:c.MaxTrain]
		slices.Sort(idx)
	}
	labels := train.Labels
	m.subs, m.Config.Fitted = nil, nil
	for _, use := range data.Subsets {
		if err := ctx.Err(); err != nil {
			return err
		}
		xt := data.UtteranceFeatures(train, idx, use)
		F := len(xt[0])
		m64, s64 := data.Moments(xt)
		mean, std := make([]float32, F), make([]float32, F)
		for j := range F {
			mean[j], std[j] = float32(m64[j]), float32(s64[j])
		}
		standardise(xt, mean, std)
		xv := data.UtteranceFeatures(valid, nil, use)
		standardise(xv, mean, std)
		var kernels []svm.Kernel
		if c.Linear {
			kernels = append(kernels, svm.Kernel{Name: "linear"})
		}
		for _, g := range c.GammaScale {
			kernels = append(kernels, svm.Kernel{Name: "rbf", Gamma: g / float64(F)})
		}
		var best *Choice
		var bestModels []*svm.Model
		for _, k := range kernels {
			rows := svm.NewKernelRows(k, xt, 0) // computed once for every C and target
			for _, C := range c.Cs {
				models, err := m.trainTargets(xt, labels, idx, svm.Params{Kernel: k, C: C, Epsilon: c.Epsilon, Rows: rows})
				if err != nil {
					return fmt.Errorf("svm %s, %v, C %g: %w", use.String(), k, C, err)
				}
				score := m.selectionScore(predict(models, xv, m.Task), valid.Labels)
				if best == nil || score < best.Valid {
					best = &Choice{Subset: use.String(), Kernel: k, C: C, Features: F, Valid: score, Converged: true}
					for _, mod := range models {
						best.Converged = best.Converged && mod.Converged
					}
					bestModels = models
				}
			}
		}
		for _, mod := range bestModels {
			best.SV = append(best.SV, len(mod.SV))
		}
		ms := newMachines(use, best.Kernel, F, best.SV)
		copy(ms.mean.Value.Data, mean)
		copy(ms.std.Value.Data, std)
		for t, mod := range bestModels {
			for i, sv := range mod.SV {
				for j, v := range sv {
					ms.sv[t].Value.Data[i*F+j] = float32(v)
				}
				ms.coef[t].Value.Data[i] = float32(mod.Coef[i])
			}
			ms.rho[t].Value.Data[0] = float32(mod.Rho)
		}
		m.subs = append(m.subs, ms)
		m.Config.Fitted = append(m.Config.Fitted, *best)
	}
	return nil
}

// trainTargets trains one machine per target column.
func (m *Model) trainTargets(x [][]float64, labels *tensor.Tensor, idx []int, p svm.Params) ([]*svm.Model, error) {
	K := len(m.Task.Targets)
	row := func(i int) int {
		if idx == nil {
			return i
		}
		return idx[i]
	}
	var out []*svm.Model
	for k := range K {
		if m.Task.Kind == data.Classification {
			y := make([]int, len(x))
			for i := range y {
				y[i] = int(labels.Data[row(i)*K+k])
			}
			mod, err := svm.TrainSVC(x, y, p)
			if err != nil {
				return nil, err
			}
			out = append(out, mod)
			continue
		}
		y := make([]float64, len(x))
		for i := range y {
			y[i] = float64(labels.Data[row(i)*K+k])
		}
		mod, err := svm.TrainSVR(x, y, p)
		if err != nil {
			return nil, err
		}
		out = append(out, mod)
	}
	return out, nil
}

// selectionScore is lower-is-better: MAE, or 1 - weighted F1.
func (m *Model) selectionScore(pred, labels *tensor.Tensor) float64 {
	s := metrics.Score(m.Task, pred, labels)
	if m.Task.Kind == data.Classification {
		var f1 float64
		for _, t := range m.Task.Targets {
			f1 += s["f1_"+t] / float64(len(m.Task.Targets))
		}
		return 1 - f1
	}
	return s["mae"]
}

// predict returns predictions (B, outputs) of per-target machines.
func predict(models []*svm.Model, x [][]float64, task data.Task) *tensor.Tensor {
	K := len(models)
	if task.Kind == data.Classification {
		out := tensor.New(len(x), K*2)
		for i, r := range x {
			for k, mod := range models {
				p := mathf.Sigmoid(float32(mod.Decision(r)))
				out.Data[(i*K+k)*2], out.Data[(i*K+k)*2+1] = 1-p, p
			}
		}
		return out
	}
	out := tensor.New(len(x), K)
	for i, r := range x {
		for k, mod := range models {
			out.Data[i*K+k] = float32(mod.Decision(r))
		}
	}
	return out
}

// Predict returns the predictions for a batch from the modalities in use.
func (m *Model) Predict(_ *autodiff.Tape, b *data.Batch, use data.Subset) *tensor.Tensor {
	for _, s := range m.subs {
		if s.use != use {
			continue
		}
		x := data.UtteranceFeatures(b, nil, use)
		standardise(x, s.mean.Value.Data, s.std.Value.Data)
		models := make([]*svm.Model, len(s.sv))
		for t := range models {
			models[t] = s.model(t)
		}
		return predict(models, x, m.Task)
	}
	panic(fmt.Sprintf("svmbase.Predict: no machines for subset %s (fit or load the model first)", use.String()))
}
