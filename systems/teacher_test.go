package systems

import (
	"context"
	"slices"
	"testing"

	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/synth"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/tensor"
	"github.com/modistill/modistill/train"
)

// Cross-fitting folds partition the training rows, and keep a video's
// clips in one fold when the split has ids.
func TestCrossFoldsPartitionByVideo(t *testing.T) {
	ids := []string{"v1$_$1", "v1$_$2", "v2$_$1", "v3$_$1", "v3$_$2", "v3$_$3", "v4$_$1", "v5$_$1"}
	s := &data.Split{Labels: tensor.New(len(ids), 1), IDs: ids}
	folds, err := crossFolds(s, 3, 7)
	if err != nil {
		t.Fatal(err)
	}
	var all []int
	for _, f := range folds {
		if len(f) == 0 {
			t.Errorf("an empty fold in %v", folds)
		}
		all = append(all, f...)
		videos := map[string]bool{}
		for _, r := range f {
			v, _ := data.VideoOf(ids[r])
			videos[v] = true
		}
		for r, id := range ids { // a video in this fold has all its clips here
			if v, _ := data.VideoOf(id); videos[v] && !slices.Contains(f, r) {
				t.Errorf("video %s is split across folds: %v", v, folds)
			}
		}
	}
	slices.Sort(all)
	if !slices.Equal(all, []int{0, 1, 2, 3, 4, 5, 6, 7}) {
		t.Errorf("folds %v do not partition the 8 rows", folds)
	}
	if _, err := crossFolds(s, 6, 7); err == nil {
		t.Error("6 folds of 5 videos accepted")
	}
}

// A frozen or cross-fitted teacher is trained before the loop, its targets
// reach the framework, and its report says which teacher it was; the
// co-trained teacher reports on itself after training.
func TestStagedTeachers(t *testing.T) {
	ds := synth.MustMOSI(3, synth.Sizes{Train: 40, Valid: 12, Test: 12})
	for _, teacher := range []string{"co-trained", "frozen", "cross-fitted"} {
		h := Hyper{Teacher: teacher, Hidden: ptr(4)}
		if teacher == "cross-fitted" {
			h.Folds = ptr(3)
		}
		cfg, err := StrictConfig("ours", h)
		if err != nil {
			t.Fatal(err)
		}
		m, err := Build("ours", cfg, ds.Dims(), ds.Task, nn.NewRNG(1))
		if err != nil {
			t.Fatal(err)
		}
		res, err := train.Fit(context.Background(), m.(train.Model), ds, train.Config{Epochs: 2, Patience: 2, BatchSize: 16, Seed: 1}, nil)
		if err != nil {
			t.Fatalf("%s: %v", teacher, err)
		}
		if res.BestEpoch == 0 {
			t.Fatalf("%s: no finite validation loss", teacher)
		}
		r := m.(TeacherReporter).TeacherReport(ds)
		if r == nil || r.Teacher != teacher || r.Train["mae"] <= 0 || r.Test["mae"] <= 0 {
			t.Errorf("%s: report %+v", teacher, r)
		}
		if want := map[string]int{"cross-fitted": 2}[teacher]; r != nil && len(r.AlignR2) != want {
			t.Errorf("%s: %d alignments of z_h, want %d", teacher, len(r.AlignR2), want)
		}
	}
	cfg, err := StrictConfig("tucker-s", Hyper{})
	if err != nil {
		t.Fatal(err)
	}
	m, _ := Build("tucker-s", cfg, ds.Dims(), ds.Task, nn.NewRNG(1))
	if r := m.(TeacherReporter).TeacherReport(ds); r != nil {
		t.Errorf("tucker-s, without distillation, reports a teacher: %+v", r)
	}
	if _, err := StrictConfig("tucker-s", Hyper{Teacher: "frozen"}); err == nil {
		t.Error("--teacher accepted for tucker-s, which has no distillation")
	}
	if _, err := StrictConfig("ours", Hyper{Folds: ptr(3)}); err == nil {
		t.Error("--teacher-folds accepted with the co-trained teacher")
	}
}

// alignZ recovers an affine map between two teachers' z_h: with the
// reference exactly valid·M + c, the map carries other rows the same way and
// its R² is 1.
func TestAlignZRecoversAnAffineMap(t *testing.T) {
	rng := nn.NewRNG(5)
	const n, h = 40, 3
	M := [h][h]float64{{0.5, -1, 2}, {1, 0.3, 0}, {-0.7, 0.2, 1.5}}
	c := [h]float64{0.1, -2, 3}
	apply := func(x *tensor.Tensor) *tensor.Tensor {
		y := tensor.New(x.Rows(), h)
		for r := range x.Rows() {
			for j := range h {
				v := c[j]
				for k := range h {
					v += float64(x.Data[r*h+k]) * M[k][j]
				}
				y.Data[r*h+j] = float32(v)
			}
		}
		return y
	}
	random := func(rows int) *tensor.Tensor {
		x := tensor.New(rows, h)
		for i := range x.Data {
			x.Data[i] = float32(rng.NormFloat64())
		}
		return x
	}
	valid, z := random(n), random(5)
	want := apply(z)
	r2, err := alignZ(z, valid, apply(valid))
	if err != nil {
		t.Fatal(err)
	}
	if r2 < 0.999999 {
		t.Errorf("R² %v, want 1", r2)
	}
	for i, v := range z.Data {
		if d := v - want.Data[i]; d > 1e-3 || d < -1e-3 {
			t.Fatalf("mapped z %v, want %v", z.Data, want.Data)
		}
	}
}
