// Package loss holds the training objectives of modistill as autodiff
// operations: L1 and MSE for regression, softmax cross-entropy for
// classification, the temperature-scaled KL divergence of knowledge
// distillation (Hinton et al. 2015), and per-sample weighted L1 and MSE (a
// distillation temperature as a weight). Each returns the mean over the
// batch as a node of shape (1); forward and backward sit side by side.
package loss

import (
	"fmt"
	"math"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/tensor"
)

func mustMatch(op string, pred, target *autodiff.Node) {
	if !pred.Value.SameShape(target.Value) {
		panic(fmt.Sprintf("loss.%s: prediction %s, target %s", op, tensor.ShapeString(pred.Shape()), tensor.ShapeString(target.Shape())))
	}
}

// L1 returns mean |pred - target| over all elements. The subgradient at 0
// is 0, as in PyTorch. Gradients flow to both arguments if they require them.
func L1(tp *autodiff.Tape, pred, target *autodiff.Node) *autodiff.Node {
	mustMatch("L1", pred, target)
	out := tp.NewOutput([]int{1}, pred, target)
	var s float64
	for i, p := range pred.Value.Data {
		s += math.Abs(float64(p - target.Value.Data[i]))
	}
	n := float32(pred.Value.Len())
	out.Value.Data[0] = float32(s) / n
	tp.AddBackward(out, func() {
		g := out.Grad().Data[0] / n
		for i, p := range pred.Value.Data {
			d := p - target.Value.Data[i]
			var sg float32
			switch {
			case d > 0:
				sg = g
			case d < 0:
				sg = -g
			}
			if pred.RequiresGrad() {
				pred.AccumGrad().Data[i] += sg
			}
			if target.RequiresGrad() {
				target.AccumGrad().Data[i] -= sg
			}
		}
	})
	return out
}

// MSE returns mean (pred - target)² over all elements.
func MSE(tp *autodiff.Tape, pred, target *autodiff.Node) *autodiff.Node {
	mustMatch("MSE", pred, target)
	out := tp.NewOutput([]int{1}, pred, target)
	var s float64
	for i, p := range pred.Value.Data {
		d := float64(p - target.Value.Data[i])
		s += d * d
	}
	n := float32(pred.Value.Len())
	out.Value.Data[0] = float32(s) / n
	tp.AddBackward(out, func() {
		g := 2 * out.Grad().Data[0] / n
		for i, p := range pred.Value.Data {
			d := g * (p - target.Value.Data[i])
			if pred.RequiresGrad() {
				pred.AccumGrad().Data[i] += d
			}
			if target.RequiresGrad() {
				target.AccumGrad().Data[i] -= d
			}
		}
	})
	return out
}

// logSoftmax writes log softmax(x) of one row into dst, in float64.
func logSoftmax(dst []float64, x []float32) {
	m := math.Inf(-1)
	for _, v := range x {
		m = math.Max(m, float64(v))
	}
	var z float64
	for _, v := range x {
		z += math.Exp(float64(v) - m)
	}
	lz := m + math.Log(z)
	for i, v := range x {
		dst[i] = float64(v) - lz
	}
}

// SoftmaxCrossEntropy returns the mean over rows of -log softmax(logits)[label]
// for logits of shape (N, C) and labels in [0, C). It panics on a label out of
// range: labels are checked when a dataset is loaded.
func SoftmaxCrossEntropy(tp *autodiff.Tape, logits *autodiff.Node, labels []int) *autodiff.Node {
	n, c := logits.Value.Rows(), logits.Value.Cols()
	if len(labels) != n {
		panic(fmt.Sprintf("loss.SoftmaxCrossEntropy: logits %s, %d labels", tensor.ShapeString(logits.Shape()), len(labels)))
	}
	out := tp.NewOutput([]int{1}, logits)
	prob := make([]float64, n*c)
	var s float64
	for r := range n {
		y := labels[r]
		if y < 0 || y >= c {
			panic(fmt.Sprintf("loss.SoftmaxCrossEntropy: label %d outside [0, %d)", y, c))
		}
		lp := prob[r*c : (r+1)*c]
		logSoftmax(lp, logits.Value.Data[r*c:(r+1)*c])
		s -= lp[y]
		for k := range lp {
			lp[k] = math.Exp(lp[k])
		}
	}
	out.Value.Data[0] = float32(s / float64(n))
	tp.AddBackward(out, func() { // d/dlogits = (softmax - onehot)/N
		g := float64(out.Grad().Data[0]) / float64(n)
		gl := logits.AccumGrad().Data
		for r := range n {
			for k := range c {
				d := prob[r*c+k]
				if k == labels[r] {
					d--
				}
				gl[r*c+k] += float32(g * d)
			}
		}
	})
	return out
}

// KLTemperature returns the distillation loss of Hinton et al. with a
// per-sample temperature:
//
//	(1/N) Σ_b T_b² · KL(softmax(teacher_b) ‖ softmax(student_b / T_b))
//
// teacher and student are logits of shape (N, C), T has shape (N, 1) and
// positive values. The teacher's logits are used as given (callers that
// soften the teacher divide them by T first, as s = σ̂(z_h/T_s) of Eq. 3
// does). Gradients reach all three arguments that require them.
func KLTemperature(tp *autodiff.Tape, teacher, student, T *autodiff.Node) *autodiff.Node {
	mustMatch("KLTemperature", student, teacher)
	n, c := student.Value.Rows(), student.Value.Cols()
	if T.Value.Len() != n || T.Value.Cols() != 1 {
		panic(fmt.Sprintf("loss.KLTemperature: logits %s, temperatures %s (want one per row)", tensor.ShapeString(student.Shape()), tensor.ShapeString(T.Shape())))
	}
	out := tp.NewOutput([]int{1}, teacher, student, T)
	logP := make([]float64, n*c) // teacher log-probabilities
	logQ := make([]float64, n*c) // student log-probabilities at temperature T
	kl := make([]float64, n)
	scaled := make([]float32, c)
	var s float64
	for r := range n {
		t := T.Value.Data[r]
		for k, v := range student.Value.Data[r*c : (r+1)*c] {
			scaled[k] = v / t
		}
		lp, lq := logP[r*c:(r+1)*c], logQ[r*c:(r+1)*c]
		logSoftmax(lp, teacher.Value.Data[r*c:(r+1)*c])
		logSoftmax(lq, scaled)
		for k := range c {
			kl[r] += math.Exp(lp[k]) * (lp[k] - lq[k])
		}
		s += float64(t) * float64(t) * kl[r]
	}
	out.Value.Data[0] = float32(s / float64(n))
	tp.AddBackward(out, func() {
		g := float64(out.Grad().Data[0]) / float64(n)
		for r := range n {
			t := float64(T.Value.Data[r])
			lp, lq := logP[r*c:(r+1)*c], logQ[r*c:(r+1)*c]
			var eP, eQ float64 // E_P[s], E_Q[s] of the student's raw logits
			for k := range c {
				sv := float64(student.Value.Data[r*c+k])
				eP += math.Exp(lp[k]) * sv
				eQ += math.Exp(lq[k]) * sv
			}
			if student.RequiresGrad() { // ∂/∂s_k = T (Q_k - P_k)
				gs := student.AccumGrad().Data[r*c : (r+1)*c]
				for k := range c {
					gs[k] += float32(g * t * (math.Exp(lq[k]) - math.Exp(lp[k])))
				}
			}
			if teacher.RequiresGrad() { // ∂/∂t_k = T² P_k (log P_k - log Q_k - KL)
				gt := teacher.AccumGrad().Data[r*c : (r+1)*c]
				for k := range c {
					gt[k] += float32(g * t * t * math.Exp(lp[k]) * (lp[k] - lq[k] - kl[r]))
				}
			}
			if T.RequiresGrad() { // ∂/∂T = 2T·KL + (E_P[s] - E_Q[s])
				T.AccumGrad().Data[r] += float32(g * (2*t*kl[r] + eP - eQ))
			}
		}
	})
	return out
}

// WeightedL1 returns the per-sample weighted mean of the rows' mean absolute
// errors,
//
//	Σ_r w_r · mean_k |pred_rk - target_rk| / Σ_r w_r,
//
// for pred and target of shape (N, K) and positive weights w of shape (N, 1).
// Normalising by Σ w keeps the loss on the scale of L1 whatever the weights'
// scale, so only their ratios matter: a distillation temperature used as a
// weight can move emphasis between samples but cannot change the target or
// shrink the term. Gradients reach all three arguments that require them.
func WeightedL1(tp *autodiff.Tape, pred, target, w *autodiff.Node) *autodiff.Node {
	return weightedRows(tp, "WeightedL1", pred, target, w, func(d float32) (float32, float32) {
		switch {
		case d > 0:
			return d, 1
		case d < 0:
			return -d, -1
		}
		return 0, 0 // the subgradient at 0 is 0, as in L1
	})
}

// WeightedMSE is WeightedL1 with squared errors: Σ_r w_r · mean_k (pred_rk -
// target_rk)² / Σ_r w_r.
func WeightedMSE(tp *autodiff.Tape, pred, target, w *autodiff.Node) *autodiff.Node {
	return weightedRows(tp, "WeightedMSE", pred, target, w, func(d float32) (float32, float32) { return d * d, 2 * d })
}

// weightedRows is L = Σ_r w_r l_r / Σ_r w_r with l_r = mean_k f(pred_rk -
// target_rk); f returns f(d) and f'(d). Backward:
//
//	∂L/∂pred_rk = w_r f'(d_rk) / (K Σw),  ∂L/∂target_rk = -∂L/∂pred_rk,
//	∂L/∂w_r     = (l_r - L) / Σw.
func weightedRows(tp *autodiff.Tape, op string, pred, target, w *autodiff.Node, f func(d float32) (float32, float32)) *autodiff.Node {
	mustMatch(op, pred, target)
	n, k := pred.Value.Rows(), pred.Value.Cols()
	if w.Value.Len() != n || w.Value.Cols() != 1 {
		panic(fmt.Sprintf("loss.%s: prediction %s, weights %s (want one per row)", op, tensor.ShapeString(pred.Shape()), tensor.ShapeString(w.Shape())))
	}
	out := tp.NewOutput([]int{1}, pred, target, w)
	rows := make([]float64, n)
	var sw, s float64
	for r := range n {
		var l float64
		for j := r * k; j < (r+1)*k; j++ {
			v, _ := f(pred.Value.Data[j] - target.Value.Data[j])
			l += float64(v)
		}
		rows[r] = l / float64(k)
		wr := float64(w.Value.Data[r])
		if wr <= 0 {
			panic(fmt.Sprintf("loss.%s: weight %g of row %d is not positive", op, wr, r))
		}
		sw += wr
		s += wr * rows[r]
	}
	L := s / sw
	out.Value.Data[0] = float32(L)
	tp.AddBackward(out, func() {
		g := float64(out.Grad().Data[0]) / sw
		for r := range n {
			gr := g * float64(w.Value.Data[r]) / float64(k)
			for j := r * k; j < (r+1)*k; j++ {
				_, dv := f(pred.Value.Data[j] - target.Value.Data[j])
				d := float32(gr * float64(dv))
				if pred.RequiresGrad() {
					pred.AccumGrad().Data[j] += d
				}
				if target.RequiresGrad() {
					target.AccumGrad().Data[j] -= d
				}
			}
			if w.RequiresGrad() {
				w.AccumGrad().Data[r] += float32(g * (rows[r] - L))
			}
		}
	})
	return out
}
