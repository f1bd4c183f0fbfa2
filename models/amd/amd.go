// Package amd is the paper's model, adaptive modality distillation (Peng,
// Hong and Zhao 2021), as METHOD.md reads it: modality encoders, a teacher
// that fuses them (Tucker fusion, Eq. 7-8, or LMF, Eq. 9) with its head σ̂,
// and one student per modality, σ_m on the modality-specific projection p_m,
// trained on the labels and distilled from the teacher (Eq. 2-3) with
// per-sample temperatures from exchanged messages (Eq. 4-5). Training
// alternates a teacher step and a student step. At inference the teacher
// answers when all modalities are present and the available students'
// average otherwise.
//
// The separable systems of the paper's tables are presets of this one
// framework (Preset): Ours, Ours-fixed, LMF-S and Tucker-S.
package amd

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/encoder"
	"github.com/modistill/modistill/fusion"
	"github.com/modistill/modistill/layers"
	"github.com/modistill/modistill/loss"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/optim"
	"github.com/modistill/modistill/tensor"
)

// Model is the framework with its two optimizers.
type Model struct {
	Config Config
	Task   data.Task

	Enc    *encoder.Encoders
	Fusion fusion.Separable
	Head   *layers.Linear // σ̂: z_h -> output
	// With Share "none", the students' own encoders and factors.
	StudentEnc  *encoder.Encoders
	StudentProj *fusion.Projection
	// Students holds each modality's student, indexed by data.Modality.
	Students [3]*Student
	// The teacher's message networks (adaptive only), Eq. 4:
	// f_p1Z: σ̂(z_h) -> 32 and f_p2Z: z_h -> 32.
	MsgOutZ, MsgRepZ *layers.Linear

	teacherOpt, studentOpt *optim.Adam
	lambda                 float32 // gradient-reversal strength
	temps                  temperatureMeans
	lastLoss               [2]float64 // teacher, students
	// targets are a frozen or cross-fitted teacher's, per training row.
	targets *Targets
	// afterBackward, when set, is called after each step's backward pass and
	// before its optimizer step: 0 the teacher step, 1 the student step.
	afterBackward func(step int)
}

// Student is one modality's part of the framework: its head σ_m on p_m,
// and the networks that distil the teacher into it (Eq. 2-5).
type Student struct {
	Head *layers.Linear // σ_m: p_m -> output
	// Hint is f_p (distillation only): with the standardised hint a
	// regressor p_m -> size of z_h, with the projected hint z_h -> size of
	// p_m.
	Hint *layers.Linear
	// The message networks (adaptive only), Eq. 4: f_p1: σ_m(p_m) -> 32,
	// f_p2: p_m -> 32.
	MsgOut, MsgRep *layers.Linear
	// The temperature network f_pt,m (adaptive only), Eq. 5:
	// [m_i || m_Z] -> 32 -> ReLU -> (T_s, T_z) pre-activations.
	TempHidden, TempOut *layers.Linear
}

// newStudent builds modality l's student for projections of size pd,
// z_h of size h and out outputs.
func newStudent(l string, pd, h, out int, c Config, rng *rand.Rand) *Student {
	s := &Student{Head: layers.NewLinear("student_"+l, pd, out, true, rng)}
	if c.Distill != NoDistillation {
		if c.Hint == Standardised {
			s.Hint = layers.NewLinear("proj_"+l, pd, h, true, rng)
		} else {
			s.Hint = layers.NewLinear("proj_"+l, h, pd, true, rng)
		}
	}
	if c.Distill == Adaptive {
		s.MsgOut = layers.NewLinear("msg_out_"+l, out, c.Message, true, rng)
		s.MsgRep = layers.NewLinear("msg_rep_"+l, pd, c.Message, true, rng)
		s.TempHidden = layers.NewLinear("temp_"+l+".0", 4*c.Message, c.Message, true, rng)
		s.TempOut = layers.NewLinear("temp_"+l+".1", c.Message, 2, true, rng)
	}
	return s
}

// Params returns the student's parameters: its head's, then those of the
// distillation networks it has.
func (s *Student) Params() []*nn.Param {
	var ps []*nn.Param
	for _, l := range []*layers.Linear{s.Head, s.Hint, s.MsgOut, s.MsgRep, s.TempHidden, s.TempOut} {
		if l != nil {
			ps = append(ps, l.Params()...)
		}
	}
	return ps
}

// Targets are distillation targets computed before training, one row per
// training sample: a frozen or cross-fitted teacher's. Since σ̂ is linear,
// σ̂(z_h / T) = (σ̂(z_h) - b)/T + b, so Out and Bias give the softened labels
// without the teacher's head.
type Targets struct {
	Z    *tensor.Tensor // (N, h): the teacher's z_h
	Out  *tensor.Tensor // (N, outputs): σ̂(z_h)
	Bias *tensor.Tensor // (N, outputs): b, the bias of the head that gave Out
}

// SetTargets gives the framework its precomputed targets, row r for training
// row r; a frozen or cross-fitted teacher needs them before the first step.
func (m *Model) SetTargets(t *Targets) error {
	out := m.Task.Outputs()
	switch {
	case t == nil || t.Z == nil || t.Out == nil || t.Bias == nil:
		return fmt.Errorf("amd: targets need z_h, outputs and biases")
	case t.Z.Cols() != m.Config.Hidden || t.Out.Cols() != out || !t.Out.SameShape(t.Bias) || t.Z.Rows() != t.Out.Rows():
		return fmt.Errorf("amd: targets z_h %s, outputs %s, biases %s; want (N, %d), (N, %d), (N, %d)",
			tensor.ShapeString(t.Z.Shape), tensor.ShapeString(t.Out.Shape), tensor.ShapeString(t.Bias.Shape), m.Config.Hidden, out, out)
	}
	m.targets = t
	return nil
}

// New builds the framework for data of the given dimensions and task.
func New(dims data.Dims, task data.Task, c Config, rng *rand.Rand) (*Model, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	m := &Model{Config: c, Task: task, lambda: 1}
	m.Enc = encoder.New("enc", dims, c.Encoder, rng)
	zd := m.Enc.OutDims()
	for i, d := range zd {
		if d == 0 {
			return nil, fmt.Errorf("amd: the data has no %s input; the framework needs all three to train", data.Modality(i))
		}
	}
	if c.Fusion == Tucker {
		m.Fusion = fusion.NewTucker("fusion", zd, c.TuckerRanks, c.TuckerTh, c.Hidden, rng)
	} else {
		m.Fusion = fusion.NewLMF("fusion", zd, c.Rank, c.Hidden, rng)
	}
	out, h, pd := task.Outputs(), c.Hidden, m.Fusion.ProjDims()
	if c.Share == ShareNone {
		m.StudentEnc = encoder.New("student_enc", dims, c.Encoder, rng)
		m.StudentProj = fusion.NewProjection("student_proj", zd, pd, rng)
	}
	m.Head = layers.NewLinear("head", h, out, true, rng)
	for _, mod := range data.Modalities {
		m.Students[mod] = newStudent(mod.Letter(), pd[mod], h, out, c, rng)
	}
	if c.Distill == Adaptive {
		m.MsgOutZ = layers.NewLinear("msg_out_z", out, c.Message, true, rng)
		m.MsgRepZ = layers.NewLinear("msg_rep_z", h, c.Message, true, rng)
	}
	// Two Adams, one per step, each with its own state (METHOD.md item 5):
	// the teacher step trains encoders, factors, core and head; the student
	// step everything but the core and the teacher head.
	m.teacherOpt = optim.NewAdam(optim.Group{Params: m.teacherParams(), LR: c.LR, WeightDecay: c.WeightDecay})
	m.studentOpt = optim.NewAdam(optim.Group{Params: m.studentParams(), LR: c.LR, WeightDecay: c.WeightDecay})
	return m, nil
}

// teacherParams are the parameters of the teacher step: encoders, fusion
// and head.
func (m *Model) teacherParams() []*nn.Param { return nn.Join(m.Enc, m.Fusion, m.Head) }

// studentParams are the parameters of the student step: the encoders and
// factors the students read (the teacher's, or their own), the students,
// and the teacher's message networks.
func (m *Model) studentParams() []*nn.Param {
	ps := append(m.Enc.Params(), m.Fusion.FactorParams()...)
	if m.StudentEnc != nil {
		ps = nn.Join(m.StudentEnc, m.StudentProj)
	}
	for _, s := range m.Students {
		ps = append(ps, s.Params()...)
	}
	if m.MsgOutZ != nil {
		ps = append(ps, nn.Join(m.MsgOutZ, m.MsgRepZ)...)
	}
	return ps
}

// Params returns every parameter: encoders, fusion, teacher head, the
// students' own encoders and factors if any, the students, and the
// teacher's message networks.
func (m *Model) Params() []*nn.Param {
	ps := m.teacherParams()
	if m.StudentEnc != nil {
		ps = append(ps, nn.Join(m.StudentEnc, m.StudentProj)...)
	}
	for _, s := range m.Students {
		ps = append(ps, s.Params()...)
	}
	if m.MsgOutZ != nil {
		ps = append(ps, nn.Join(m.MsgOutZ, m.MsgRepZ)...)
	}
	return ps
}

// project encodes the present modalities and returns the teacher's p_m,
// (B, t_m) each (METHOD.md items 1-2).
func (m *Model) project(tp *autodiff.Tape, mode nn.Mode, b *data.Batch, use data.Subset) [3]*autodiff.Node {
	return m.Fusion.Project(tp, m.Enc.Encode(tp, mode, encoder.FromBatch(tp, b, use)))
}

// teacher is the teacher on all three modalities: z_h = Fuse(p_a, p_v, p_t),
// (B, h) (Eq. 7-9), and its prediction σ̂(z_h), (B, outputs).
func (m *Model) teacher(tp *autodiff.Tape, mode nn.Mode, b *data.Batch) (zh, out *autodiff.Node) {
	zh = m.Fusion.Fuse(tp, m.project(tp, mode, b, data.All))
	return zh, m.Head.Forward(tp, zh)
}

// studentProject returns the students' representation f_s(x) = p_m: the
// teacher's projection when they share it, else their own.
func (m *Model) studentProject(tp *autodiff.Tape, mode nn.Mode, b *data.Batch, use data.Subset) [3]*autodiff.Node {
	if m.StudentEnc == nil {
		return m.project(tp, mode, b, use)
	}
	return m.StudentProj.Project(tp, m.StudentEnc.Encode(tp, mode, encoder.FromBatch(tp, b, use)))
}

// StartEpoch sets the gradient-reversal strength λ, ramped linearly from 0
// at epoch 1 to 1 at epoch RampEpochs+1 (METHOD.md item 4).
func (m *Model) StartEpoch(epoch int) {
	if m.Config.RampEpochs <= 0 {
		m.lambda = 1
		return
	}
	m.lambda = float32(math.Min(1, float64(epoch-1)/float64(m.Config.RampEpochs)))
}

// Step is one alternating training step on a batch (METHOD.md item 5):
// (a) the teacher on the task loss with all modalities, then (b) the
// students on Σ_m L_m (Eq. 2) against targets from the teacher as updated
// by (a), or from the precomputed targets of a frozen or cross-fitted
// teacher. It returns the sum of the two losses.
func (m *Model) Step(tp *autodiff.Tape, mode nn.Mode, b *data.Batch) float64 {
	m.lastLoss[0] = m.teacherStep(tp, mode, b)

	// (b) student step
	m.studentOpt.ZeroGrad()
	var tv *teacherView
	if m.Config.Distill != NoDistillation {
		tv = m.teacherTarget(tp, b)
	}
	p := m.studentProject(tp, mode, b, data.All) // dropout on
	ls := m.studentLoss(tp, p, tv, b.Labels)
	tp.Backward(ls)
	if m.afterBackward != nil {
		m.afterBackward(1)
	}
	m.studentOpt.Step()
	m.lastLoss[1] = float64(ls.Value.Data[0])
	tp.Reset()
	return m.lastLoss[0] + m.lastLoss[1]
}

// teacherStep is step (a): the teacher's task loss with all modalities, one
// Adam step on the encoders, factors, core and head. It returns the loss.
func (m *Model) teacherStep(tp *autodiff.Tape, mode nn.Mode, b *data.Batch) float64 {
	m.teacherOpt.ZeroGrad()
	_, out := m.teacher(tp, mode, b)
	lt := loss.ForTask(tp, m.Task, out, b.Labels)
	tp.Backward(lt)
	if m.afterBackward != nil {
		m.afterBackward(0)
	}
	m.teacherOpt.Step()
	l := float64(lt.Value.Data[0])
	tp.Reset()
	return l
}

// teacherView is the teacher as the student step sees it, all detached:
// z_h (B, h), the prediction σ̂(z_h) (B, outputs), and either σ̂'s weights
// (the co-trained teacher) or its bias per row (precomputed targets).
type teacherView struct {
	z, out       *autodiff.Node
	weight, bias *autodiff.Node
	rowBias      *autodiff.Node
}

// soften is σ̂(z_h / T) per row, (B, outputs) for T (B, 1).
func (tv *teacherView) soften(tp *autodiff.Tape, T *autodiff.Node) *autodiff.Node {
	if tv.rowBias == nil {
		return tp.Linear(tp.DivRows(tv.z, T), tv.weight, tv.bias)
	}
	return tp.Add(tp.DivRows(tp.Sub(tv.out, tv.rowBias), T), tv.rowBias)
}

// teacherTarget is the teacher as a distillation target: z_h computed with
// dropout off and no gradient, so nothing reaches the teacher through s or
// z*; or, for a frozen or cross-fitted teacher, the batch's rows of the
// precomputed targets.
func (m *Model) teacherTarget(tp *autodiff.Tape, b *data.Batch) *teacherView {
	if m.Config.StagedTeacher() {
		t := m.targets
		if t == nil {
			panic("amd: a " + string(m.Config.Teacher) + " teacher needs its targets (SetTargets) before training")
		}
		rows := b.SplitRows()
		return &teacherView{z: tp.Const(tensor.GatherRows(t.Z, rows, nil)), out: tp.Const(tensor.GatherRows(t.Out, rows, nil)),
			rowBias: tp.Const(tensor.GatherRows(t.Bias, rows, nil))}
	}
	var zh *autodiff.Node
	tp.WithoutGrad(func() { zh, _ = m.teacher(tp, nn.Eval, b) })
	return m.coTrainedView(tp, zh)
}

// coTrainedView is the framework's own teacher seen through a detached z_h:
// σ̂ applied with detached weights, so not trained by the student step.
func (m *Model) coTrainedView(tp *autodiff.Tape, zh *autodiff.Node) *teacherView {
	tv := &teacherView{z: zh, weight: tp.Detach(m.Head.Weight.Node), bias: tp.Detach(m.Head.Bias.Node)}
	tv.out = tp.Linear(zh, tv.weight, tv.bias)
	return tv
}

// studentLoss is Σ_m L_m, Eq. 2:
//
//	L_m = l(y, σ_m(p_m)) + α·l(s, σ_m(p_m)) + β·l*(z*, p_m)
//	s = σ̂(z_h / T_s),  z* = f_p(z_h / T_z)                         (Eq. 3)
//
// read literally (ours-literal) with l the task loss (L1 against s for
// regression; for classification T_s²·KL(softmax(s) ‖ softmax(σ_m(p_m)/T_s)))
// and l* mean squared error. By default the regression soft label is σ̂(z_h)
// with T_s a per-sample weight, and l* the standardised hint (Config's
// RegressionSoft and Hint). tv is the detached teacher (nil without
// distillation).
func (m *Model) studentLoss(tp *autodiff.Tape, p [3]*autodiff.Node, tv *teacherView, labels *tensor.Tensor) *autodiff.Node {
	c := m.Config
	var mZ, zstd *autodiff.Node
	if c.Distill == Adaptive { // the teacher's message m_Z = f_p1Z(σ̂(z_h)) || f_p2Z(z_h), (B, 64), Eq. 4
		mZ = tp.Concat(tp.ReLU(m.MsgOutZ.Forward(tp, tv.out)), tp.ReLU(m.MsgRepZ.Forward(tp, tv.z)))
	}
	if tv != nil && c.Hint == Standardised { // once for the three modalities
		zstd = tp.Const(standardiseColumns(tv.z.Value))
	}
	var fixedTs, fixedTz *autodiff.Node // (B, 1) each, without adaptive temperatures
	if tv != nil && c.Distill != Adaptive {
		fixedTs, fixedTz = m.fixedTemperatures(tp, tv.z.Shape()[0])
	}
	var total *autodiff.Node
	for i, s := range m.Students {
		ym := s.Head.Forward(tp, p[i])             // σ_m(p_m): (B, outputs)
		lm := loss.ForTask(tp, m.Task, ym, labels) // l(y, σ_m(p_m))
		if tv != nil {
			Ts, Tz := fixedTs, fixedTz
			if c.Distill == Adaptive {
				T := s.temperatures(tp, ym, p[i], mZ, c, m.lambda) // (B, 2): T_s, T_z
				if !tp.NoGrad {
					m.temps.add(i, T.Value)
				}
				Ts, Tz = tp.SliceCols(T, 0, 1), tp.SliceCols(T, 1, 2)
			}
			soft := m.softLoss(tp, tv, ym, Ts)         // l(s, σ_m(p_m))
			hint := s.hintLoss(tp, p[i], tv, zstd, Tz) // l*(z*, p_m)
			lm = tp.Add(lm, tp.Add(tp.Scale(soft, float32(c.Alpha)), tp.Scale(hint, float32(c.Beta))))
		}
		if total == nil {
			total = lm
		} else {
			total = tp.Add(total, lm)
		}
	}
	return total
}

// hintLoss is l*(z*, p_m): with the standardised hint, f_p(p_m) against
// zstd, the detached z_h standardised per feature, T_z weighting the
// samples; with the projected hint (the paper read literally),
// MSE(p_m, f_p(z_h / T_z)).
func (s *Student) hintLoss(tp *autodiff.Tape, pm *autodiff.Node, tv *teacherView, zstd, Tz *autodiff.Node) *autodiff.Node {
	if zstd != nil {
		return loss.WeightedMSE(tp, s.Hint.Forward(tp, pm), zstd, Tz)
	}
	return loss.MSE(tp, pm, s.Hint.Forward(tp, tp.DivRows(tv.z, Tz)))
}

// standardiseColumns returns x with each column shifted and scaled to mean 0
// and variance 1 over the rows (a column with no spread becomes 0).
func standardiseColumns(x *tensor.Tensor) *tensor.Tensor {
	n, k := x.Rows(), x.Cols()
	out := tensor.New(n, k)
	for j := range k {
		var mean, sq float64
		for r := range n {
			mean += float64(x.Data[r*k+j])
		}
		mean /= float64(n)
		for r := range n {
			d := float64(x.Data[r*k+j]) - mean
			sq += d * d
		}
		scale := 1 / math.Sqrt(sq/float64(n)+1e-5)
		for r := range n {
			out.Data[r*k+j] = float32((float64(x.Data[r*k+j]) - mean) * scale)
		}
	}
	return out
}

// fixedTemperatures are Ours-fixed's T_s = T_z = FixedT for B samples,
// (B, 1); the adaptive framework replaces them.
func (m *Model) fixedTemperatures(tp *autodiff.Tape, B int) (Ts, Tz *autodiff.Node) {
	t := tp.Alloc(B, 1)
	t.Fill(float32(m.Config.FixedT))
	fixed := tp.Const(t)
	return fixed, fixed
}

// temperatures are the student's per-sample (T_s, T_z), (B, 2), from the
// messages (Eq. 4-5): m_i = f_p1(σ_m(p_m)) || f_p2(p_m) with detached
// inputs, T = 1 + (T_max-1)·sigmoid(f_pt,m([m_i || m_Z])), behind a
// gradient-reversal layer of strength lambda unless TemperatureGrad is
// Descend.
func (s *Student) temperatures(tp *autodiff.Tape, ym, pm, mZ *autodiff.Node, c Config, lambda float32) *autodiff.Node {
	mi := tp.Concat(tp.ReLU(s.MsgOut.Forward(tp, tp.Detach(ym))), tp.ReLU(s.MsgRep.Forward(tp, tp.Detach(pm)))) // m_i: (B, 64), Eq. 4
	u := s.TempOut.Forward(tp, tp.ReLU(s.TempHidden.Forward(tp, tp.Concat(mi, mZ))))                            // f_pt,m: (B, 2), Eq. 5
	T := tp.AddConst(tp.Scale(tp.Sigmoid(u), float32(c.TMax-1)), 1)
	if c.TemperatureGrad == Reverse {
		T = tp.GradReverse(T, lambda)
	}
	return T
}

// temperatureMeans accumulates the temperatures learned, per modality, for
// EpochMetrics.
type temperatureMeans struct {
	sum   [3][2]float64
	count [3]int
}

// add records the (B, 2) temperatures T of modality i.
func (t *temperatureMeans) add(i int, T *tensor.Tensor) {
	for r := range T.Rows() {
		t.sum[i][0] += float64(T.Data[2*r])
		t.sum[i][1] += float64(T.Data[2*r+1])
	}
	t.count[i] += T.Rows()
}

// softLoss is l(s, σ_m(p_m)): for classification Hinton's temperature-scaled
// KL per target against s = σ̂(z_h / T_s); for regression L1 against the
// soft label of Config.RegressionSoft: σ̂(z_h) weighted per sample by T_s
// (Weighted), σ̂(z_h) (Prediction), or σ̂(z_h / T_s) (Shrunk).
func (m *Model) softLoss(tp *autodiff.Tape, tv *teacherView, ym, Ts *autodiff.Node) *autodiff.Node {
	if m.Task.Kind != data.Classification {
		switch m.Config.RegressionSoft {
		case Weighted:
			return loss.WeightedL1(tp, ym, tv.out, Ts)
		case Prediction:
			return loss.L1(tp, ym, tv.out)
		}
		return loss.L1(tp, ym, tv.soften(tp, Ts)) // Shrunk, or "" in older models
	}
	s := tv.soften(tp, Ts)
	C, K := m.Task.Classes, len(m.Task.Targets)
	return loss.MeanOverTargets(tp, K, C, ym, func(k int, yk *autodiff.Node) *autodiff.Node {
		sk := s
		if K > 1 {
			sk = tp.SliceCols(s, k*C, (k+1)*C)
		}
		return loss.KLTemperature(tp, sk, yk, Ts)
	})
}

// ValidationLoss is the early-stopping criterion (METHOD.md item 5): the
// teacher's task loss plus the mean of the students' task losses, labels
// only, in evaluation mode.
func (m *Model) ValidationLoss(tp *autodiff.Tape, s *data.Split) float64 {
	defer tp.Inference()()
	b := s.All()
	_, out := m.teacher(tp, nn.Eval, b)
	v := float64(loss.ForTask(tp, m.Task, out, b.Labels).Value.Data[0])
	ps := m.studentProject(tp, nn.Eval, b, data.All)
	var st float64
	for i, st1 := range m.Students {
		st += float64(loss.ForTask(tp, m.Task, st1.Head.Forward(tp, ps[i]), b.Labels).Value.Data[0]) / 3
	}
	return v + st
}

// Subsets: the separable framework answers from any non-empty subset.
func (m *Model) Subsets() []data.Subset { return data.Subsets }

// Predict returns predictions for a batch from the modalities in use
// (METHOD.md item 6): with all three, the teacher's; with fewer, the average
// of the available students' predictions (for classification, of their
// class probabilities). Absent modalities are never computed or zero-filled.
func (m *Model) Predict(tp *autodiff.Tape, b *data.Batch, use data.Subset) *tensor.Tensor {
	defer tp.Inference()()
	if use == data.All {
		_, out := m.teacher(tp, nn.Eval, b)
		return m.Task.Predictions(out.Value)
	}
	p := m.studentProject(tp, nn.Eval, b, use)
	var sum *tensor.Tensor
	n := 0
	for i, s := range m.Students {
		if !use[i] {
			continue
		}
		pred := m.Task.Predictions(s.Head.Forward(tp, p[i]).Value)
		if sum == nil {
			sum = pred
		} else {
			tensor.Accumulate(sum.Data, pred.Data)
		}
		n++
	}
	if sum == nil {
		panic("amd.Predict: no modality in use")
	}
	for j := range sum.Data {
		sum.Data[j] /= float32(n)
	}
	return sum
}

// EpochMetrics returns the mean temperatures (T_s, T_z) per modality over
// the epoch's student steps, and the last teacher and student losses, and
// resets the accumulation.
func (m *Model) EpochMetrics() map[string]float64 {
	out := map[string]float64{"teacher_loss": m.lastLoss[0], "student_loss": m.lastLoss[1]}
	t := &m.temps
	for i, mod := range data.Modalities {
		if t.count[i] > 0 {
			out["T_s_"+mod.Letter()] = t.sum[i][0] / float64(t.count[i])
			out["T_z_"+mod.Letter()] = t.sum[i][1] / float64(t.count[i])
		}
	}
	*t = temperatureMeans{}
	return out
}

// TeacherStage is the framework's teacher alone (encoders, fusion and head,
// Eq. 7-9) trained on the labels: the first stage of a frozen or
// cross-fitted teacher. It is a model for train.Fit whose step is the
// teacher step and whose validation loss is the teacher's task loss.
type TeacherStage struct{ m *Model }

// NewTeacherStage builds a teacher of the architecture c describes.
func NewTeacherStage(dims data.Dims, task data.Task, c Config, rng *rand.Rand) (*TeacherStage, error) {
	c.Distill, c.Teacher = NoDistillation, CoTrained // no students' distillation parts
	m, err := New(dims, task, c, rng)
	if err != nil {
		return nil, err
	}
	return &TeacherStage{m}, nil
}

// Params are the teacher's parameters: encoders, fusion and head.
func (t *TeacherStage) Params() []*nn.Param { return t.m.teacherParams() }

// Step is one teacher step on a batch; it returns the task loss.
func (t *TeacherStage) Step(tp *autodiff.Tape, mode nn.Mode, b *data.Batch) float64 {
	return t.m.teacherStep(tp, mode, b)
}

// ValidationLoss is the teacher's task loss on a split, in evaluation mode.
func (t *TeacherStage) ValidationLoss(tp *autodiff.Tape, s *data.Split) float64 {
	defer tp.Inference()()
	b := s.All()
	_, out := t.m.teacher(tp, nn.Eval, b)
	return float64(loss.ForTask(tp, t.m.Task, out, b.Labels).Value.Data[0])
}

// Targets returns the teacher's z_h, σ̂(z_h) and σ̂'s bias for every sample
// of s, in evaluation mode: the distillation targets it gives.
func (t *TeacherStage) Targets(tp *autodiff.Tape, s *data.Split) *Targets {
	defer tp.Inference()()
	zh, out := t.m.teacher(tp, nn.Eval, s.All())
	n, k := out.Value.Rows(), out.Value.Cols()
	bias := tensor.New(n, k)
	for r := range n {
		copy(bias.Data[r*k:(r+1)*k], t.m.Head.Bias.Value.Data)
	}
	return &Targets{Z: zh.Value.Clone(), Out: out.Value.Clone(), Bias: bias}
}

// Predict returns the teacher's predictions for a batch with all three
// modalities (values, or class probabilities).
func (t *TeacherStage) Predict(tp *autodiff.Tape, b *data.Batch) *tensor.Tensor {
	return t.m.Predict(tp, b, data.All)
}
