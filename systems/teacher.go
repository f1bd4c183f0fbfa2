package systems

import (
	"context"
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/metrics"
	"github.com/modistill/modistill/models/amd"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/tensor"
	"github.com/modistill/modistill/train"
)

// TeacherReport is how well a distilled system's teacher did: on the
// training samples, the targets it gave them (in-sample for the co-trained
// and frozen teachers, out-of-fold for cross-fitted ones), and on the test
// split (for cross-fitted teachers, the mean of the k teachers' scores).
type TeacherReport struct {
	Teacher string         `json:"teacher"`
	Train   metrics.Scores `json:"train"`
	Test    metrics.Scores `json:"test"`
	// AlignR2 are, for cross-fitted teachers 2..k, the R² of the linear map
	// that carries each one's z_h into the first one's (Prepare).
	AlignR2 []float64 `json:"align_r2,omitempty"`
}

// TeacherReporter is a trained system that can say how its teacher did.
type TeacherReporter interface {
	// TeacherReport is nil for a system without distillation.
	TeacherReport(ds *data.Dataset) *TeacherReport
}

// stagedTeacher holds what a frozen or cross-fitted teacher's stage
// measured.
type stagedTeacher struct{ report *TeacherReport }

// Prepare trains a frozen or cross-fitted teacher before the framework's
// loop (train.Preparer) and gives the framework its targets; a co-trained
// teacher needs nothing. Each teacher is early-stopped on the validation
// split with the loop's own epochs, patience and batch size.
//
// Cross-fitted teachers each learn z_h in a basis of their own, while the
// hint's regressor and the teacher message read one z_h space; so each
// teacher's z_h is mapped into the first teacher's by the least-squares
// linear map between their z_h on the validation split, which neither
// trained on (alignZ). Their predictions σ̂(z_h) need no mapping.
func (s separableModel) Prepare(ctx context.Context, ds *data.Dataset, c train.Config) error {
	cfg := s.Model.Config
	if cfg.Distill == amd.NoDistillation || !cfg.StagedTeacher() {
		return nil
	}
	n := ds.Train.N()
	held := [][]int{nil} // rows whose targets each teacher gives; nil: all, in-sample
	if cfg.Teacher == amd.CrossFitted {
		var err error
		if held, err = crossFolds(ds.Train, cfg.Folds, c.Seed); err != nil {
			return err
		}
	}
	out := ds.Task.Outputs()
	t := &amd.Targets{Z: tensor.New(n, cfg.Hidden), Out: tensor.New(n, out), Bias: tensor.New(n, out)}
	test := metrics.Scores{}
	report := &TeacherReport{Teacher: string(cfg.Teacher)}
	tp := autodiff.NewTape()
	var refValid *tensor.Tensor // the first teacher's z_h on the validation split
	for f, rows := range held {
		which := fmt.Sprintf("%s teacher %d of %d", cfg.Teacher, f+1, len(held))
		tds := *ds
		if rows != nil {
			tds.Train = ds.Train.Subset(complement(rows, n))
		}
		seed := teacherSeed(c.Seed, f)
		teacher, err := amd.NewTeacherStage(ds.Dims(), ds.Task, cfg, nn.NewRNG(seed))
		if err != nil {
			return fmt.Errorf("%s: %w", which, err)
		}
		tc := c
		tc.Seed = seed // its own initialisation, shuffling and dropout
		res, err := train.Fit(ctx, teacher, &tds, tc, nil)
		if err != nil {
			return fmt.Errorf("%s: %w", which, err)
		}
		if res.BestEpoch == 0 {
			return fmt.Errorf("%s: no epoch finished with a finite validation loss (status %s)", which, res.Status)
		}
		for k, v := range metrics.Score(ds.Task, teacher.Predict(tp, ds.Test.All()), ds.Test.Labels) {
			test[k] += v / float64(len(held))
		}
		if rows == nil {
			t = teacher.Targets(tp, ds.Train)
			continue
		}
		part := teacher.Targets(tp, ds.Train.Subset(rows))
		valid := teacher.Targets(tp, ds.Valid).Z
		if refValid == nil {
			refValid = valid
		} else {
			r2, err := alignZ(part.Z, valid, refValid)
			if err != nil {
				return fmt.Errorf("%s: %w", which, err)
			}
			report.AlignR2 = append(report.AlignR2, r2)
		}
		tensor.ScatterRows(t.Z, rows, part.Z)
		tensor.ScatterRows(t.Out, rows, part.Out)
		tensor.ScatterRows(t.Bias, rows, part.Bias)
	}
	if err := s.Model.SetTargets(t); err != nil {
		return fmt.Errorf("%s teacher: %w", cfg.Teacher, err)
	}
	report.Train, report.Test = metrics.Score(ds.Task, ds.Task.Predictions(t.Out), ds.Train.Labels), test
	s.staged.report = report
	return nil
}

// teacherSeed is the seed of staged teacher f of a run with the given seed:
// the pair mixed by SplitMix64's finaliser, so that no two (seed, teacher)
// pairs of a comparison share a stream.
func teacherSeed(seed uint64, f int) uint64 {
	z := seed + 0x9e3779b97f4a7c15*uint64(f+1)
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// alignZ maps z (the rows one teacher gave targets for) in place into a
// reference teacher's z_h space: the affine map A minimising ‖[valid 1]·A -
// ref‖² (+ 1e-6·‖A‖² for a well-posed solve), fitted on the two teachers' z_h
// for the same validation samples. It returns the fit's R², the share of the
// reference's variance on the validation split the map explains.
func alignZ(z, valid, ref *tensor.Tensor) (float64, error) {
	n, h := valid.Rows(), valid.Cols()
	x := mat.NewDense(n, h+1, nil)
	y := mat.NewDense(n, h, nil)
	for r := range n {
		for j := range h {
			x.Set(r, j, float64(valid.Data[r*h+j]))
			y.Set(r, j, float64(ref.Data[r*h+j]))
		}
		x.Set(r, h, 1)
	}
	var xtx, xty, a mat.Dense
	xtx.Mul(x.T(), x)
	for j := range h + 1 {
		xtx.Set(j, j, xtx.At(j, j)+1e-6*float64(n))
	}
	xty.Mul(x.T(), y)
	if err := a.Solve(&xtx, &xty); err != nil {
		return 0, fmt.Errorf("aligning its z_h with the first teacher's: %w", err)
	}
	var fit mat.Dense
	fit.Mul(x, &a)
	var ssRes, ssTot float64
	for j := range h {
		var mean float64
		for r := range n {
			mean += y.At(r, j) / float64(n)
		}
		for r := range n {
			d, e := y.At(r, j)-fit.At(r, j), y.At(r, j)-mean
			ssRes, ssTot = ssRes+d*d, ssTot+e*e
		}
	}
	row := make([]float64, h+1)
	for r := range z.Rows() {
		for j := range h {
			row[j] = float64(z.Data[r*h+j])
		}
		row[h] = 1
		for j := range h {
			var v float64
			for k, xv := range row {
				v += xv * a.At(k, j)
			}
			z.Data[r*h+j] = float32(v)
		}
	}
	if ssTot == 0 {
		return 1, nil
	}
	return 1 - ssRes/ssTot, nil
}

// TeacherReport says how the teacher did: a staged teacher's figures from
// Prepare, or the co-trained teacher's (the framework's own with all three
// modalities) measured now.
func (s separableModel) TeacherReport(ds *data.Dataset) *TeacherReport {
	if s.Model.Config.Distill == "none" {
		return nil
	}
	if s.staged.report != nil {
		return s.staged.report
	}
	score := func(sp *data.Split) metrics.Scores {
		return metrics.Score(ds.Task, s.Predict(autodiff.NewTape(), sp.All(), data.All), sp.Labels)
	}
	return &TeacherReport{Teacher: "co-trained", Train: score(ds.Train), Test: score(ds.Test)}
}

// crossFolds splits the training rows into k folds for cross-fitting,
// keeping each video's clips together when the split has ids (so no teacher
// sees the speaker of a clip it gives a target for), shuffled with seed.
func crossFolds(s *data.Split, k int, seed uint64) ([][]int, error) {
	units := s.All().Videos()
	if len(units) < k {
		return nil, fmt.Errorf("--teacher-folds %d: cross-fitting %d teachers needs at least %d training videos or samples, and there are %d", k, k, k, len(units))
	}
	rng := rand.New(rand.NewPCG(seed, 0x666f6c6473))
	rng.Shuffle(len(units), func(i, j int) { units[i], units[j] = units[j], units[i] })
	folds := make([][]int, k)
	for i, u := range units {
		folds[i%k] = append(folds[i%k], u...)
	}
	return folds, nil
}

// complement returns the rows of 0..n-1 not in rows, in order.
func complement(rows []int, n int) []int {
	in := make([]bool, n)
	for _, r := range rows {
		in[r] = true
	}
	var out []int
	for r := range n {
		if !in[r] {
			out = append(out, r)
		}
	}
	return out
}
