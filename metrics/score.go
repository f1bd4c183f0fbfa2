package metrics

import (
	"fmt"

	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/tensor"
)

// Scores maps metric names to values ("mae", "corr", "acc2", "f1", ...).
type Scores map[string]float64

// Score computes the task's metrics of predictions (B, outputs: values for
// regression, class probabilities for classification) against labels
// (B, targets).
func Score(task data.Task, pred, labels *tensor.Tensor) Scores {
	B, K := labels.Shape[0], len(task.Targets)
	if pred.Shape[0] != B {
		panic(fmt.Sprintf("Score: %d predictions for %d labels", pred.Shape[0], B))
	}
	col := func(t *tensor.Tensor, k, width int) []float64 {
		out := make([]float64, B)
		for i := range out {
			out[i] = float64(t.Data[i*width+k])
		}
		return out
	}
	switch {
	case task.Kind == data.Classification:
		s := Scores{}
		C := task.Classes
		for k, name := range task.Targets {
			p, y := make([]int, B), make([]int, B)
			for i := range B {
				row := pred.Data[(i*K+k)*C : (i*K+k+1)*C]
				best := 0
				for c, v := range row {
					if v > row[best] {
						best = c
					}
				}
				p[i], y[i] = best, int(labels.Data[i*K+k])
			}
			r := Classification(p, y)
			s["acc_"+name], s["f1_"+name] = r.Acc, r.F1
		}
		if K == 1 {
			s["acc"], s["f1"] = s["acc_"+task.Targets[0]], s["f1_"+task.Targets[0]]
		}
		return s
	case K == 1:
		r := MOSI(col(pred, 0, 1), col(labels, 0, 1))
		return Scores{"mae": r.MAE, "corr": r.Corr, "acc2": r.Acc2, "f1": r.F1,
			"acc2_nonzero": r.Acc2NonZero, "f1_nonzero": r.F1NonZero, "acc7": r.Acc7}
	default:
		p, y := make([][]float64, K), make([][]float64, K)
		for k := range K {
			p[k], y[k] = col(pred, k, K), col(labels, k, K)
		}
		r := POM(p, y)
		return Scores{"mae": r.MAE, "corr": r.Corr, "acc": r.Acc}
	}
}
