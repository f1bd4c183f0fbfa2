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
	"github.com/modistill/modistill/objective"
	"github.com/modistill/modistill/optim"
	"github.com/modistill/modistill/tensor"
)

// Model is the framework with its two optimizers.
type Model struct {
	Config Config
	Task   data.Task

	Enc    *encoder.Encoders
	Fusion fusion.Separable
	// With Share "none", the students' own encoders and factors.
	StudentEnc  *encoder.Encoders
	StudentProj *fusion.Projection
	Head        *layers.Linear    // σ̂: z_h -> output
	Students    [3]*layers.Linear // σ_m: p_m -> output
	Proj        [3]*layers.Linear // f_p: z_h -> size of p_m (distillation only)
	// Message and temperature networks (adaptive only), Eq. 4-5.
	MsgOut, MsgRep   [3]*layers.Linear // f_p1: σ_m(p_m) -> 32, f_p2: p_m -> 32
	MsgOutZ, MsgRepZ *layers.Linear    // f_p1Z: σ̂(z_h) -> 32, f_p2Z: z_h -> 32
	// f_pt,m: [m_i || m_Z] -> 32 -> ReLU -> (T_s, T_z) pre-activations.
	TempHidden, TempOut [3]*layers.Linear

	teacherOpt, studentOpt *optim.Adam
	lambda                 float32 // gradient-reversal strength
	tSum                   [3][2]float64
	tCount                 [3]int
	lastLoss               [2]float64 // teacher, students
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
	if c.Fusion == "tucker" {
		m.Fusion = fusion.NewTucker("fusion", zd, c.TuckerRanks, c.TuckerTh, c.Hidden, rng)
	} else {
		m.Fusion = fusion.NewLMF("fusion", zd, c.Rank, c.Hidden, rng)
	}
	out, h, pd := objective.Outputs(task), c.Hidden, m.Fusion.ProjDims()
	if c.Share == "none" {
		m.StudentEnc = encoder.New("student_enc", dims, c.Encoder, rng)
		m.StudentProj = fusion.NewProjection("student_proj", zd, pd, rng)
	}
	m.Head = layers.NewLinear("head", h, out, true, rng)
	for i := range 3 {
		l := "avt"[i : i+1]
		m.Students[i] = layers.NewLinear("student_"+l, pd[i], out, true, rng)
		if c.Distill != "none" {
			m.Proj[i] = layers.NewLinear("proj_"+l, h, pd[i], true, rng)
		}
		if c.Distill == "adaptive" {
			m.MsgOut[i] = layers.NewLinear("msg_out_"+l, out, c.Message, true, rng)
			m.MsgRep[i] = layers.NewLinear("msg_rep_"+l, pd[i], c.Message, true, rng)
			m.TempHidden[i] = layers.NewLinear("temp_"+l+".0", 4*c.Message, c.Message, true, rng)
			m.TempOut[i] = layers.NewLinear("temp_"+l+".1", c.Message, 2, true, rng)
		}
	}
	if c.Distill == "adaptive" {
		m.MsgOutZ = layers.NewLinear("msg_out_z", out, c.Message, true, rng)
		m.MsgRepZ = layers.NewLinear("msg_rep_z", h, c.Message, true, rng)
	}
	// Two Adams, one per step, each with its own state (METHOD.md item 5):
	// the teacher step trains encoders, factors, core and head; the student
	// step everything but the core and the teacher head.
	m.teacherOpt = optim.NewAdam(optim.Group{Params: nn.Join(m.Enc, m.Fusion, m.Head), LR: c.LR, WeightDecay: c.WeightDecay})
	m.studentOpt = optim.NewAdam(optim.Group{Params: m.studentParams(), LR: c.LR, WeightDecay: c.WeightDecay})
	return m, nil
}

// studentParams are the parameters of the student step.
func (m *Model) studentParams() []*nn.Param {
	ps := append(m.Enc.Params(), m.Fusion.FactorParams()...)
	if m.StudentEnc != nil {
		ps = nn.Join(m.StudentEnc, m.StudentProj)
	}
	for i := range 3 {
		ps = append(ps, m.Students[i].Params()...)
		if m.Proj[i] != nil {
			ps = append(ps, m.Proj[i].Params()...)
		}
		if m.TempOut[i] != nil {
			ps = append(ps, nn.Join(m.MsgOut[i], m.MsgRep[i], m.TempHidden[i], m.TempOut[i])...)
		}
	}
	if m.MsgOutZ != nil {
		ps = append(ps, nn.Join(m.MsgOutZ, m.MsgRepZ)...)
	}
	return ps
}

// Params returns every parameter: encoders, fusion, teacher head, students,
// projections, message and temperature networks.
func (m *Model) Params() []*nn.Param {
	ps := nn.Join(m.Enc, m.Fusion, m.Head)
	if m.StudentEnc != nil {
		ps = append(ps, nn.Join(m.StudentEnc, m.StudentProj)...)
	}
	for i := range 3 {
		ps = append(ps, m.Students[i].Params()...)
	}
	for _, l := range m.Proj {
		if l != nil {
			ps = append(ps, l.Params()...)
		}
	}
	for i := range 3 {
		if m.TempOut[i] != nil {
			ps = append(ps, nn.Join(m.MsgOut[i], m.MsgRep[i], m.TempHidden[i], m.TempOut[i])...)
		}
	}
	if m.MsgOutZ != nil {
		ps = append(ps, nn.Join(m.MsgOutZ, m.MsgRepZ)...)
	}
	return ps
}

// project encodes the present modalities and returns the teacher's p_m
// (METHOD.md items 1-2).
func (m *Model) project(tp *autodiff.Tape, mode nn.Mode, b *data.Batch, use [3]bool) [3]*autodiff.Node {
	return m.Fusion.Project(tp, m.Enc.Encode(tp, mode, encoder.FromBatch(tp, b, use)))
}

// studentProject returns the students' representation f_s(x) = p_m: the
// teacher's projection when they share it, else their own.
func (m *Model) studentProject(tp *autodiff.Tape, mode nn.Mode, b *data.Batch, use [3]bool) [3]*autodiff.Node {
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
// by (a). It returns the sum of the two losses.
func (m *Model) Step(tp *autodiff.Tape, mode nn.Mode, b *data.Batch) float64 {
	// (a) teacher step
	m.teacherOpt.ZeroGrad()
	zh := m.Fusion.Fuse(tp, m.project(tp, mode, b, encoder.All))
	lt := objective.Loss(tp, m.Task, m.Head.Forward(tp, zh), b.Labels)
	tp.Backward(lt)
	m.teacherOpt.Step()
	m.lastLoss[0] = float64(lt.Value.Data[0])
	tp.Reset()

	// (b) student step
	m.studentOpt.ZeroGrad()
	var target *autodiff.Node
	if m.Config.Distill != "none" {
		target = m.teacherTarget(tp, b)
	}
	p := m.studentProject(tp, mode, b, encoder.All) // dropout on
	ls := m.studentLoss(tp, p, target, b.Labels)
	tp.Backward(ls)
	m.studentOpt.Step()
	m.lastLoss[1] = float64(ls.Value.Data[0])
	tp.Reset()
	return m.lastLoss[0] + m.lastLoss[1]
}

// teacherTarget is z_h as a distillation target: computed with dropout off
// and no gradient, so nothing reaches the teacher through s or z*.
func (m *Model) teacherTarget(tp *autodiff.Tape, b *data.Batch) *autodiff.Node {
	tp.NoGrad = true
	defer func() { tp.NoGrad = false }()
	return m.Fusion.Fuse(tp, m.project(tp, nn.Eval, b, encoder.All))
}

// studentLoss is Σ_m L_m, Eq. 2:
//
//	L_m = l(y, σ_m(p_m)) + α·l(s, σ_m(p_m)) + β·l*(z*, p_m)
//	s = σ̂(z_h / T_s),  z* = f_p(z_h / T_z)                         (Eq. 3)
//
// with l the task loss (L1 against s for regression; for classification
// T_s²·KL(softmax(s) ‖ softmax(σ_m(p_m)/T_s))) and l* mean squared error.
// zh is the detached teacher target (nil without distillation).
func (m *Model) studentLoss(tp *autodiff.Tape, p [3]*autodiff.Node, zh *autodiff.Node, labels *tensor.Tensor) *autodiff.Node {
	c := m.Config
	var mZ, headW, headB *autodiff.Node
	if zh != nil {
		headW, headB = tp.Detach(m.Head.Weight.Node), tp.Detach(m.Head.Bias.Node) // σ̂ applied, not trained
	}
	if c.Distill == "adaptive" { // teacher message m_Z = f_p1Z(σ̂(z_h)) || f_p2Z(z_h), Eq. 4
		mZ = tp.Concat(tp.ReLU(m.MsgOutZ.Forward(tp, tp.Linear(zh, headW, headB))), tp.ReLU(m.MsgRepZ.Forward(tp, zh)))
	}
	var total *autodiff.Node
	for i := range 3 {
		ym := m.Students[i].Forward(tp, p[i]) // σ_m(p_m)
		lm := objective.Loss(tp, m.Task, ym, labels)
		if zh != nil {
			Ts, Tz := m.temperatures(tp, i, ym, p[i], mZ, zh.Shape()[0])
			var s *autodiff.Node
			if m.Task.Kind != data.Classification && c.RegressionSoft == "prediction" {
				s = tp.Linear(zh, headW, headB) // s = σ̂(z_h): not shrunk by 1/T_s
			} else {
				s = tp.Linear(tp.DivRows(zh, Ts), headW, headB) // s = σ̂(z_h / T_s)
			}
			soft := m.softLoss(tp, s, ym, Ts)
			zstar := m.Proj[i].Forward(tp, tp.DivRows(zh, Tz)) // z* = f_p(z_h / T_z)
			hint := loss.MSE(tp, p[i], zstar)                  // l*(z*, p_m)
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

// temperatures returns per-sample (T_s, T_z), each (B, 1). Adaptive: from
// the messages, Eq. 4-5, m_i = f_p1(σ_m(p_m)) || f_p2(p_m) with detached
// inputs, T = 1 + (T_max-1)·sigmoid(f_pt,m([m_i || m_Z])), behind a
// gradient-reversal layer unless TemperatureGrad is "descend". Fixed:
// T_s = T_z = FixedT.
func (m *Model) temperatures(tp *autodiff.Tape, i int, ym, pm, mZ *autodiff.Node, B int) (Ts, Tz *autodiff.Node) {
	c := m.Config
	if c.Distill != "adaptive" {
		t := tp.Alloc(B, 1)
		t.Fill(float32(c.FixedT))
		fixed := tp.Const(t)
		return fixed, fixed
	}
	mi := tp.Concat(tp.ReLU(m.MsgOut[i].Forward(tp, tp.Detach(ym))), tp.ReLU(m.MsgRep[i].Forward(tp, tp.Detach(pm))))
	u := m.TempOut[i].Forward(tp, tp.ReLU(m.TempHidden[i].Forward(tp, tp.Concat(mi, mZ)))) // f_pt,m
	T := tp.AddConst(tp.Scale(tp.Sigmoid(u), float32(c.TMax-1)), 1)
	if c.TemperatureGrad == "reverse" {
		T = tp.GradReverse(T, m.lambda)
	}
	if !tp.NoGrad { // record the temperatures learned, per modality
		for r := range B {
			m.tSum[i][0] += float64(T.Value.Data[2*r])
			m.tSum[i][1] += float64(T.Value.Data[2*r+1])
		}
		m.tCount[i] += B
	}
	return tp.SliceCols(T, 0, 1), tp.SliceCols(T, 1, 2)
}

// softLoss is l(s, σ_m(p_m)): L1 against s for regression, Hinton's
// temperature-scaled KL per target for classification.
func (m *Model) softLoss(tp *autodiff.Tape, s, ym, Ts *autodiff.Node) *autodiff.Node {
	if m.Task.Kind != data.Classification {
		return loss.L1(tp, ym, s)
	}
	C, K := m.Task.Classes, len(m.Task.Targets)
	return objective.MeanOverTargets(tp, K, C, ym, func(k int, yk *autodiff.Node) *autodiff.Node {
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
	defer tp.Reset()
	tp.NoGrad = true
	defer func() { tp.NoGrad = false }()
	b := s.All()
	p := m.project(tp, nn.Eval, b, encoder.All)
	v := float64(objective.Loss(tp, m.Task, m.Head.Forward(tp, m.Fusion.Fuse(tp, p)), b.Labels).Value.Data[0])
	ps := m.studentProject(tp, nn.Eval, b, encoder.All)
	var st float64
	for i := range 3 {
		st += float64(objective.Loss(tp, m.Task, m.Students[i].Forward(tp, ps[i]), b.Labels).Value.Data[0]) / 3
	}
	return v + st
}

// Predict returns predictions for a batch from the modalities in use
// (METHOD.md item 6): with all three, the teacher's; with fewer, the average
// of the available students' predictions (for classification, of their
// class probabilities). Absent modalities are never computed or zero-filled.
func (m *Model) Predict(tp *autodiff.Tape, b *data.Batch, use [3]bool) *tensor.Tensor {
	defer tp.Reset()
	tp.NoGrad = true
	defer func() { tp.NoGrad = false }()
	if use == encoder.All {
		p := m.project(tp, nn.Eval, b, use)
		return objective.Predictions(m.Task, m.Head.Forward(tp, m.Fusion.Fuse(tp, p)).Value)
	}
	p := m.studentProject(tp, nn.Eval, b, use)
	var sum *tensor.Tensor
	n := 0
	for i := range 3 {
		if !use[i] {
			continue
		}
		pred := objective.Predictions(m.Task, m.Students[i].Forward(tp, p[i]).Value)
		if sum == nil {
			sum = pred
		} else {
			for j, v := range pred.Data {
				sum.Data[j] += v
			}
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
	for i := range 3 {
		if m.tCount[i] > 0 {
			l := "avt"[i : i+1]
			out["T_s_"+l] = m.tSum[i][0] / float64(m.tCount[i])
			out["T_z_"+l] = m.tSum[i][1] / float64(m.tCount[i])
		}
		m.tSum[i], m.tCount[i] = [2]float64{}, 0
	}
	return out
}
