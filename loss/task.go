package loss

import (
	"fmt"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/tensor"
)

// ForTask returns the task loss of outputs (B, t.Outputs()) against labels
// (B, targets): mean L1 for regression, the mean over targets of softmax
// cross-entropy for classification.
func ForTask(tp *autodiff.Tape, t data.Task, out *autodiff.Node, labels *tensor.Tensor) *autodiff.Node {
	if t.Kind != data.Classification {
		return L1(tp, out, tp.Const(labels))
	}
	B, K, C := labels.Shape[0], len(t.Targets), t.Classes
	if out.Value.Cols() != K*C {
		panic(fmt.Sprintf("loss.ForTask: outputs %s for %d targets of %d classes", tensor.ShapeString(out.Shape()), K, C))
	}
	return MeanOverTargets(tp, K, C, out, func(k int, logits *autodiff.Node) *autodiff.Node {
		idx := make([]int, B)
		for b := range B {
			idx[b] = int(labels.Data[b*K+k])
		}
		return SoftmaxCrossEntropy(tp, logits, idx)
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
