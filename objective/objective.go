// Package objective turns a data.Task into what a model trains on and
// outputs: the size of its output layer, the task loss (L1 for regression,
// as LMF and the paper use; softmax cross-entropy per target for
// classification), and predictions decoded from outputs.
package objective

import (
	"fmt"
	"math"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/loss"
	"github.com/modistill/modistill/tensor"
)

// Outputs is the width of a model's output layer for task t: one value per
// regression target, or Classes logits per classification target.
func Outputs(t data.Task) int {
	if t.Kind == data.Classification {
		return len(t.Targets) * t.Classes
	}
	return len(t.Targets)
}

// Loss returns the task loss of outputs (B, Outputs(t)) against labels
// (B, targets): mean L1 for regression, the mean over targets of softmax
// cross-entropy for classification.
func Loss(tp *autodiff.Tape, t data.Task, out *autodiff.Node, labels *tensor.Tensor) *autodiff.Node {
	if t.Kind != data.Classification {
		return loss.L1(tp, out, tp.Const(labels))
	}
	B, K, C := labels.Shape[0], len(t.Targets), t.Classes
	if out.Value.Cols() != K*C {
		panic(fmt.Sprintf("objective.Loss: outputs %s for %d targets of %d classes", tensor.ShapeString(out.Shape()), K, C))
	}
	return MeanOverTargets(tp, K, C, out, func(k int, logits *autodiff.Node) *autodiff.Node {
		idx := make([]int, B)
		for b := range B {
			idx[b] = int(labels.Data[b*K+k])
		}
		return loss.SoftmaxCrossEntropy(tp, logits, idx)
	})
}

// MeanOverTargets is the mean over K targets of lossOf(k, the target's C
// output columns of out); with one target, out is passed whole.
func MeanOverTargets(tp *autodiff.Tape, K, C int, out *autodiff.Node, lossOf func(k int, cols *autodiff.Node) *autodiff.Node) *autodiff.Node {
	var total *autodiff.Node
	for k := range K {
		cols := out
		if K > 1 {
			cols = tp.SliceCols(out, k*C, (k+1)*C)
		}
		l := lossOf(k, cols)
		if total == nil {
			total = l
		} else {
			total = tp.Add(total, l)
		}
	}
	if K > 1 {
		total = tp.Scale(total, 1/float32(K))
	}
	return total
}

// Predictions turns outputs (B, Outputs(t)) into predictions: the values
// themselves for regression, and for classification each target's softmax
// probabilities (B, targets·classes). Predictions of several models can be
// averaged (score-level fusion).
func Predictions(t data.Task, out *tensor.Tensor) *tensor.Tensor {
	p := out.Clone()
	if t.Kind != data.Classification {
		return p
	}
	C := t.Classes
	for r := 0; r+C <= len(p.Data); r += C {
		row := p.Data[r : r+C]
		m := row[0]
		for _, v := range row {
			m = max(m, v)
		}
		var z float64
		for i, v := range row {
			e := math.Exp(float64(v - m))
			row[i] = float32(e)
			z += e
		}
		for i := range row {
			row[i] = float32(float64(row[i]) / z)
		}
	}
	return p
}
