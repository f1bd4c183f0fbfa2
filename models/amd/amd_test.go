package amd

import (
	"context"
	"math"
	"testing"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/synth"
	"github.com/modistill/modistill/encoder"
	"github.com/modistill/modistill/loss"
	"github.com/modistill/modistill/metrics"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/optim"
	"github.com/modistill/modistill/tensor"
	"github.com/modistill/modistill/train"
)

// tinyConfig shrinks a preset so tests run fast.
func tinyConfig(t *testing.T, preset string) Config {
	c, err := Preset(preset)
	if err != nil {
		t.Fatal(err)
	}
	c.Encoder = encoder.Config{AudioHidden: 6, VisualHidden: 5, TextHidden: 6, TextOut: 5, Dropout: 0.2, EmbedDim: 4}
	c.TuckerRanks, c.TuckerTh, c.Hidden, c.Rank, c.Message = [3]int{3, 3, 4}, 3, 4, 2, 4
	return c
}

func tinyData(kind synth.Kind, n int) *data.Dataset {
	dss, err := synth.Generate(synth.Config{Kind: kind, Seed: 2, Sizes: synth.Sizes{Train: n, Valid: n / 2, Test: n / 2}})
	if err != nil {
		panic(err)
	}
	// Narrow the inputs so finite differences stay cheap.
	for _, ds := range dss[:1] {
		for _, s := range ds.Splits() {
			s.Inputs[data.Text] = narrowText(s.Inputs[data.Text], 6, 8)
		}
	}
	return dss[0]
}

// narrowText keeps the first L steps and d dims of text.
func narrowText(x *tensor.Tensor, L, d int) *tensor.Tensor {
	n, T, D := x.Shape[0], x.Shape[1], x.Shape[2]
	out := tensor.New(n, L, d)
	for i := range n {
		for s := range L {
			copy(out.Data[(i*L+s)*d:(i*L+s+1)*d], x.Data[(i*T+s)*D:(i*T+s)*D+d])
		}
	}
	return out
}

func TestEveryPresetTrainsOnBothTasks(t *testing.T) {
	for _, preset := range Presets {
		for _, kind := range []synth.Kind{synth.MOSI, synth.IEMOCAP} {
			ds := tinyData(kind, 16)
			m, err := New(ds.Dims(), ds.Task, tinyConfig(t, preset), nn.NewRNG(1))
			if err != nil {
				t.Fatal(err)
			}
			tp := autodiff.NewTape()
			l := m.Step(tp, nn.Training(nn.NewRNG(2)), ds.Train.Gather([]int{0, 1, 2, 3, 4, 5, 6, 7}, nil))
			if math.IsNaN(l) || math.IsInf(l, 0) {
				t.Errorf("%s on %s: loss %v", preset, kind, l)
			}
			if v := m.ValidationLoss(tp, ds.Valid); math.IsNaN(v) {
				t.Errorf("%s on %s: validation loss NaN", preset, kind)
			}
		}
	}
}

// The student loss alone gives no gradient to the teacher-only parameters
// (core, W_h, b_h or rank weights, and the teacher head); the temperature
// network gets one exactly when the temperatures are adaptive.
func TestStudentLossNeverTrainsTheTeacher(t *testing.T) {
	ds := tinyData(synth.MOSI, 16)
	for _, preset := range Presets {
		for _, share := range []Sharing{ShareAll, ShareNone} {
			c := tinyConfig(t, preset)
			c.Share = share
			m, err := New(ds.Dims(), ds.Task, c, nn.NewRNG(1))
			if err != nil {
				t.Fatal(err)
			}
			tp := autodiff.NewTape()
			b := ds.Train.Gather([]int{0, 1, 2, 3, 4, 5}, nil)
			var target *teacherView
			if m.Config.Distill != NoDistillation {
				target = m.teacherTarget(tp, b)
			}
			nn.ZeroGrads(m.Params())
			tp.Backward(m.studentLoss(tp, m.studentProject(tp, nn.Training(nn.NewRNG(3)), b, data.All), target, b.Labels))
			teacherOnly := append(m.Fusion.CoreParams(), m.Head.Params()...)
			if share == ShareNone { // nothing of the teacher's, encoders and factors included
				teacherOnly = nn.Join(m.Enc, m.Fusion, m.Head)
			}
			for _, p := range teacherOnly {
				if g := p.Grad(); g != nil && nonzero(g) {
					t.Errorf("%s, share %s: the student loss reached teacher parameter %s", preset, share, p.Name)
				}
			}
			tempGrad := m.Students[0].TempOut != nil && nonzero(m.Students[0].TempOut.Weight.Grad())
			if tempGrad != (m.Config.Distill == Adaptive) {
				t.Errorf("%s: temperature network gradient %v", preset, tempGrad)
			}
		}
	}
}

func nonzero(g *tensor.Tensor) bool {
	for _, v := range g.Data {
		if v != 0 {
			return true
		}
	}
	return false
}

func TestTeacherTargetIsDetachedAndDropoutFree(t *testing.T) {
	ds := tinyData(synth.MOSI, 16)
	c := tinyConfig(t, "ours")
	c.Encoder.Dropout = 0.5
	m, _ := New(ds.Dims(), ds.Task, c, nn.NewRNG(1))
	tp := autodiff.NewTape()
	b := ds.Train.Gather([]int{0, 1, 2, 3}, nil)
	a := m.teacherTarget(tp, b).z.Value.Clone()
	z := m.teacherTarget(tp, b).z
	if z.RequiresGrad() {
		t.Error("teacher target requires a gradient")
	}
	for i := range a.Data {
		if a.Data[i] != z.Value.Data[i] {
			t.Fatal("teacher target differs between calls: dropout is on")
		}
	}
}

// With gradient reversal at λ = 0.5 the temperature network's gradient is
// -0.5 times the literal reading's, and the students' heads are unaffected.
func TestGradientReversal(t *testing.T) {
	ds := tinyData(synth.MOSI, 16)
	b := ds.Train.Gather([]int{0, 1, 2, 3, 4, 5}, nil)
	grads := map[TemperatureGrad][2]*tensor.Tensor{}
	for _, mode := range []TemperatureGrad{Descend, Reverse} {
		c := tinyConfig(t, "ours")
		c.TemperatureGrad = mode
		m, _ := New(ds.Dims(), ds.Task, c, nn.NewRNG(1))
		m.lambda = 0.5
		tp := autodiff.NewTape()
		target := m.teacherTarget(tp, b)
		nn.ZeroGrads(m.Params())
		tp.Backward(m.studentLoss(tp, m.project(tp, nn.Eval, b, data.All), target, b.Labels))
		grads[mode] = [2]*tensor.Tensor{m.Students[1].TempOut.Weight.Grad().Clone(), m.Students[1].Head.Weight.Grad().Clone()}
	}
	for i, v := range grads[Descend][0].Data {
		if r := grads[Reverse][0].Data[i]; math.Abs(float64(r+0.5*v)) > 1e-6*math.Max(1, math.Abs(float64(v))) {
			t.Fatalf("temperature gradient %v, want -0.5 x %v", r, v)
		}
	}
	for i, v := range grads[Descend][1].Data {
		if grads[Reverse][1].Data[i] != v {
			t.Fatal("gradient reversal changed a student head's gradient")
		}
	}
}

// A finite-difference check of the whole student loss (descend mode, so the
// analytic gradient is the true one) for the student-side parameters.
func TestStudentLossGradients(t *testing.T) {
	for _, kind := range []synth.Kind{synth.MOSI, synth.IEMOCAP} {
		ds := tinyData(kind, 16)
		c := tinyConfig(t, "ours")
		c.TemperatureGrad = Descend
		m, _ := New(ds.Dims(), ds.Task, c, nn.NewRNG(1))
		b := ds.Train.Gather([]int{0, 1, 2, 3}, nil)
		zt := m.teacherTarget(autodiff.NewTape(), b).z.Value.Clone()
		var in []*autodiff.Node
		for _, l := range []interface{ Params() []*nn.Param }{m.Students[2].Head, m.Students[0].Hint, m.Students[2].TempOut, m.Students[2].TempHidden, m.Students[2].MsgRep, m.MsgRepZ} {
			for _, p := range l.Params() {
				in = append(in, p.Node)
			}
		}
		f := func(tp *autodiff.Tape) *autodiff.Node {
			return m.studentLoss(tp, m.project(tp, nn.Eval, b, data.All), m.coTrainedView(tp, tp.Const(zt)), b.Labels)
		}
		if err, where := autodiff.GradCheck(f, in, 1e-2); err > 1e-2 {
			t.Errorf("%s: student loss gradient error %.3g at %s", kind, err, where)
		}
	}
}

func TestPredictSubsets(t *testing.T) {
	for _, kind := range []synth.Kind{synth.MOSI, synth.IEMOCAP} {
		ds := tinyData(kind, 16)
		m, _ := New(ds.Dims(), ds.Task, tinyConfig(t, "ours"), nn.NewRNG(1))
		b := ds.Test.All()
		out := objectiveOutputs(ds.Task)
		for _, use := range data.Subsets {
			p := m.Predict(autodiff.NewTape(), b, use)
			if p.Shape[0] != b.N() || p.Shape[1] != out {
				t.Fatalf("%s %v: shape %v", kind, use, p.Shape)
			}
			if ds.Task.Kind == data.Classification {
				for r := range b.N() {
					if s := p.Data[2*r] + p.Data[2*r+1]; math.Abs(float64(s)-1) > 1e-5 {
						t.Fatalf("%s %v: probabilities sum to %v", kind, use, s)
					}
				}
			}
		}
		// Missing means absent: text-only predictions ignore audio and visual.
		only := data.Subset{false, false, true}
		p1 := m.Predict(autodiff.NewTape(), b, only)
		b2 := *b
		b2.Inputs[data.Audio] = tensor.New(b.Inputs[data.Audio].Shape...)
		p2 := m.Predict(autodiff.NewTape(), &b2, only)
		for i := range p1.Data {
			if p1.Data[i] != p2.Data[i] {
				t.Fatalf("%s: text-only prediction depends on audio", kind)
			}
		}
	}
}

func objectiveOutputs(task data.Task) int {
	if task.Kind == data.Classification {
		return task.Classes
	}
	return 1
}

// Ours learns a small synthetic set: the teacher ends well below predicting
// the mean, and the students' predictions, averaged over the six incomplete
// subsets, below it too (on this benchmark single modalities are weak, as the
// unimodal models show; see the README).
func TestOursLearns(t *testing.T) {
	ds := synth.MustMOSI(5, synth.Sizes{Train: 400, Valid: 100, Test: 200})
	c := DefaultConfig()
	m, err := New(ds.Dims(), ds.Task, c, nn.NewRNG(5))
	if err != nil {
		t.Fatal(err)
	}
	res, err := train.Fit(context.Background(), m, ds, train.Config{Epochs: 40, Patience: 10, BatchSize: 32, Seed: 5}, nil)
	if err != nil || res.Status == train.Diverged {
		t.Fatalf("%v %v", err, res.Status)
	}
	truth := ds.Test.Column(0)
	var mean float64
	for _, y := range ds.Train.Column(0) {
		mean += y / float64(ds.Train.N())
	}
	base := make([]float64, len(truth))
	for i := range base {
		base[i] = mean
	}
	baseMAE := metrics.MAE(base, truth)
	var students float64
	for _, use := range data.Subsets {
		p := m.Predict(autodiff.NewTape(), ds.Test.All(), use)
		pred := make([]float64, p.Len())
		for i, v := range p.Data {
			pred[i] = float64(v)
		}
		mae := metrics.MAE(pred, truth)
		t.Logf("%s: test MAE %.3f (predicting the mean: %.3f)", use.String(), mae, baseMAE)
		switch use.String() {
		case "avt":
			if mae > 0.9*baseMAE {
				t.Errorf("teacher: test MAE %.3f, predicting the mean %.3f", mae, baseMAE)
			}
		default:
			students += mae / 6
		}
	}
	if students > 0.97*baseMAE {
		t.Errorf("students: mean test MAE %.3f over the six subsets, predicting the mean %.3f", students, baseMAE)
	}
	last := res.History[len(res.History)-1].Metrics
	if last["T_s_a"] < 1 || last["T_s_a"] > c.TMax {
		t.Errorf("temperatures outside [1, T_max]: %v", last)
	}
}

// For regression, the paper's s = σ̂(z_h / T_s) depends on the temperature
// (a shrunk prediction); RegressionSoft "prediction" gives the teacher's
// prediction whatever T_s is.
func TestRegressionSoftTargetIsNotShrunk(t *testing.T) {
	ds := tinyData(synth.MOSI, 16)
	b := ds.Train.Gather([]int{0, 1, 2, 3}, nil)
	lossAt := func(soft SoftLabel, T float64) float32 {
		c := tinyConfig(t, "ours-fixed")
		c.RegressionSoft, c.FixedT, c.Beta = soft, T, 0 // the soft term only
		m, err := New(ds.Dims(), ds.Task, c, nn.NewRNG(1))
		if err != nil {
			t.Fatal(err)
		}
		tp := autodiff.NewTape()
		zt := m.teacherTarget(tp, b)
		return m.studentLoss(tp, m.project(tp, nn.Eval, b, data.All), zt, b.Labels).Value.Data[0]
	}
	if a, b := lossAt("shrunk", 1), lossAt("shrunk", 9); a == b {
		t.Errorf("the literal soft target does not depend on T (%v at T = 1 and 9)", a)
	}
	if a, b := lossAt("prediction", 1), lossAt("prediction", 9); a != b {
		t.Errorf("the unshrunk soft target depends on T: %v at T = 1, %v at T = 9", a, b)
	}
	if a, b := lossAt("prediction", 1), lossAt("shrunk", 1); a != b {
		t.Errorf("at T = 1 both readings agree, but %v != %v", a, b)
	}
}

// The default regression soft label is the teacher's prediction itself: a
// student that predicts exactly σ̂(z_h) has no soft loss whatever the
// temperatures, and equal temperatures make the term plain L1. The paper read
// literally (ours-literal) shrinks the target, so there the same student is
// penalised once T_s > 1.
func TestRegressionSoftTargetIsNeverShrunkByDefault(t *testing.T) {
	ds := tinyData(synth.MOSI, 16)
	b := ds.Train.Gather([]int{0, 1, 2, 3, 4, 5}, nil)
	Ts := tensor.From([]float32{1, 2.5, 9.9, 4, 7, 1.5}, 6, 1)
	for _, preset := range []string{"ours", "ours-fixed", "ours-literal"} {
		m, err := New(ds.Dims(), ds.Task, tinyConfig(t, preset), nn.NewRNG(1))
		if err != nil {
			t.Fatal(err)
		}
		tp := autodiff.NewTape()
		tv := m.teacherTarget(tp, b)
		soft := m.softLoss(tp, tv, tv.out, tp.Const(Ts)).Value.Data[0]
		if literal := preset == "ours-literal"; literal != (soft > 1e-4) {
			t.Errorf("%s: a student predicting the teacher's σ̂(z_h) has soft loss %v at T_s %v", preset, soft, Ts.Data)
		}
		if preset == "ours-literal" {
			continue
		}
		ym := tp.Const(tensor.From([]float32{0.3, -1, 2, 0, 1.2, -0.4}, 6, 1))
		three := tensor.New(6, 1)
		three.Fill(3)
		if w, l1 := m.softLoss(tp, tv, ym, tp.Const(three)).Value.Data[0], loss.L1(tp, ym, tv.out).Value.Data[0]; math.Abs(float64(w-l1)) > 1e-6 {
			t.Errorf("%s: with equal temperatures the soft term is %v, plain L1 %v", preset, w, l1)
		}
	}
}

// The paper's hint, MSE(p_m, f_p(z_h / T_z)) with p_m and f_p trained
// together, is lowered by shrinking both: a collapsed student (every p_m the
// same) scores a perfect 0, and descending on the hint alone shrinks p_m.
// The standardised hint's target has unit variance per feature whatever the
// networks do: a collapsed student scores at least 1 there, and descending
// on it leaves p_m's spread alone.
func TestHintCannotCollapse(t *testing.T) {
	ds := tinyData(synth.MOSI, 64)
	b := ds.Train.Gather(func() []int {
		idx := make([]int, 32)
		for i := range idx {
			idx[i] = i
		}
		return idx
	}(), nil)
	spread := func(x *tensor.Tensor) float64 { // mean over columns of the std over rows
		n, k := x.Rows(), x.Cols()
		var s float64
		for j := range k {
			var mean, sq float64
			for r := range n {
				mean += float64(x.Data[r*k+j]) / float64(n)
			}
			for r := range n {
				d := float64(x.Data[r*k+j]) - mean
				sq += d * d / float64(n)
			}
			s += math.Sqrt(sq) / float64(k)
		}
		return s
	}
	for _, preset := range []string{"ours-literal", "ours"} {
		c := tinyConfig(t, preset)
		c.Distill, c.FixedT = Fixed, 2 // T_z = 2 for every sample
		m, err := New(ds.Dims(), ds.Task, c, nn.NewRNG(1))
		if err != nil {
			t.Fatal(err)
		}
		literal := preset == "ours-literal"
		tp := autodiff.NewTape()
		zh := m.teacherTarget(tp, b).z.Value.Clone()
		Tz := tensor.New(32, 1)
		Tz.Fill(2)
		pd := m.Fusion.ProjDims()[0]
		hint := func(p *autodiff.Node) *autodiff.Node {
			tv := m.coTrainedView(tp, tp.Const(zh))
			var zstd *autodiff.Node
			if !literal {
				zstd = tp.Const(standardiseColumns(zh))
			}
			return m.Students[0].hintLoss(tp, p, tv, zstd, tp.Const(Tz))
		}

		// A collapsed student with the best f_p for it.
		collapsed := tensor.New(32, pd)
		collapsed.Fill(0.7)
		saved := m.Students[0].Hint.Weight.Value.Clone()
		if literal { // f_p = the constant 0.7: weights 0, bias 0.7
			m.Students[0].Hint.Weight.Value.Fill(0)
			m.Students[0].Hint.Bias.Value.Fill(0.7)
		}
		l := hint(tp.Const(collapsed)).Value.Data[0]
		if literal && l > 1e-10 {
			t.Errorf("literal hint: a collapsed student scores %v, want 0", l)
		}
		if !literal && l < 0.99 {
			t.Errorf("standardised hint: a collapsed student scores %v, want at least 1", l)
		}
		copy(m.Students[0].Hint.Weight.Value.Data, saved.Data)
		tp.Reset()

		// Descending on the hint alone, from a random p_m.
		p := nn.NewParam("p", 32, pd)
		rng := nn.NewRNG(4)
		for i := range p.Value.Data {
			p.Value.Data[i] = float32(rng.NormFloat64())
		}
		before := spread(p.Value)
		opt := optim.NewAdam(optim.Group{Params: append([]*nn.Param{p}, m.Students[0].Hint.Params()...), LR: 1e-2})
		for range 2000 {
			opt.ZeroGrad()
			tp.Backward(hint(p.Node))
			opt.Step()
			tp.Reset()
		}
		after := spread(p.Value)
		t.Logf("%s: spread of p_m %.3f -> %.3f after 2000 steps on the hint alone", preset, before, after)
		if literal && after > 0.5*before {
			t.Errorf("literal hint: p_m's spread went from %.3f to %.3f; it should shrink", before, after)
		}
		if !literal && after < 0.8*before {
			t.Errorf("standardised hint: p_m's spread shrank from %.3f to %.3f", before, after)
		}
	}
}
