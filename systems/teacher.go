package systems

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/encoder"
	"github.com/modistill/modistill/evaluate"
	"github.com/modistill/modistill/models/amd"
	"github.com/modistill/modistill/objective"
	"github.com/modistill/modistill/tensor"
	"github.com/modistill/modistill/train"
)

// TeacherReport is how well a distilled system's teacher did: on the
// training samples, the targets it gave them (in-sample for the co-trained
// and frozen teachers, out-of-fold for cross-fitted ones), and on the test
// split (for cross-fitted teachers, the mean of the k teachers' scores).
type TeacherReport struct {
	Teacher string          `json:"teacher"`
	Train   evaluate.Scores `json:"train"`
	Test    evaluate.Scores `json:"test"`
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
func (s separableModel) Prepare(ctx context.Context, ds *data.Dataset, c train.Config) error {
	cfg := s.Model.Config
	if cfg.Distill == "none" || (cfg.Teacher != "frozen" && cfg.Teacher != "cross-fitted") {
		return nil
	}
	n := ds.Train.N()
	held := [][]int{nil} // rows whose targets each teacher gives; nil: all, in-sample
	if cfg.Teacher == "cross-fitted" {
		var err error
		if held, err = crossFolds(ds.Train, cfg.Folds, c.Seed); err != nil {
			return err
		}
	}
	out := objective.Outputs(ds.Task)
	t := &amd.Targets{Z: tensor.New(n, cfg.Hidden), Out: tensor.New(n, out), Bias: tensor.New(n, out)}
	test := evaluate.Scores{}
	tp := autodiff.NewTape()
	for f, rows := range held {
		tds := *ds
		if rows != nil {
			tds.Train = ds.Train.Subset(complement(rows, n))
		}
		teacher, err := amd.NewTeacherStage(ds.Dims(), ds.Task, cfg, rand.New(rand.NewPCG(c.Seed, 0x7465616368+uint64(f))))
		if err != nil {
			return err
		}
		tc := c
		tc.Seed = c.Seed ^ (0x7465616368 + uint64(f)) // its own shuffling and dropout
		res, err := train.Fit(ctx, teacher, &tds, tc, nil)
		if err != nil {
			return fmt.Errorf("%s teacher %d of %d: %w", cfg.Teacher, f+1, len(held), err)
		}
		if res.BestEpoch == 0 {
			return fmt.Errorf("%s teacher %d of %d: no epoch finished with a finite validation loss (status %s)", cfg.Teacher, f+1, len(held), res.Status)
		}
		if rows == nil {
			t = teacher.Targets(tp, ds.Train)
		} else {
			part := teacher.Targets(tp, ds.Train.Subset(rows))
			for i, r := range rows {
				copy(t.Z.Data[r*cfg.Hidden:(r+1)*cfg.Hidden], part.Z.Data[i*cfg.Hidden:(i+1)*cfg.Hidden])
				copy(t.Out.Data[r*out:(r+1)*out], part.Out.Data[i*out:(i+1)*out])
				copy(t.Bias.Data[r*out:(r+1)*out], part.Bias.Data[i*out:(i+1)*out])
			}
		}
		for k, v := range evaluate.Score(ds.Task, teacher.Predict(tp, ds.Test.All()), ds.Test.Labels) {
			test[k] += v / float64(len(held))
		}
	}
	if err := s.Model.SetTargets(t); err != nil {
		return err
	}
	s.staged.report = &TeacherReport{Teacher: cfg.Teacher, Train: evaluate.Score(ds.Task, objective.Predictions(ds.Task, t.Out), ds.Train.Labels), Test: test}
	return nil
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
	score := func(sp *data.Split) evaluate.Scores {
		return evaluate.Score(ds.Task, s.Predict(autodiff.NewTape(), sp.All(), encoder.All), sp.Labels)
	}
	return &TeacherReport{Teacher: "co-trained", Train: score(ds.Train), Test: score(ds.Test)}
}

// crossFolds splits the training rows into k folds for cross-fitting,
// keeping each video's clips together when the split has ids (so no teacher
// sees the speaker of a clip it gives a target for), shuffled with seed.
func crossFolds(s *data.Split, k int, seed uint64) ([][]int, error) {
	units := s.All().Videos()
	if len(units) < k {
		return nil, fmt.Errorf("cross-fitting %d teachers needs at least %d training videos or samples, not %d", k, k, len(units))
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
