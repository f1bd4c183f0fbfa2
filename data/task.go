package data

import (
	"math"

	"github.com/modistill/modistill/tensor"
)

// Outputs is the width of a model's output layer for the task: one value per
// regression target, or Classes logits per classification target.
func (t Task) Outputs() int {
	if t.Kind == Classification {
		return len(t.Targets) * t.Classes
	}
	return len(t.Targets)
}

// Predictions turns outputs (B, t.Outputs()) into predictions: the values
// themselves for regression, and for classification each target's softmax
// probabilities (B, targets·classes). Predictions of several models can be
// averaged (score-level fusion).
func (t Task) Predictions(out *tensor.Tensor) *tensor.Tensor {
	p := out.Clone()
	if t.Kind != Classification {
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
