package metrics

import (
	"math"
	"testing"

	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/tensor"
)

func TestScoreEachTask(t *testing.T) {
	mosi := Score(data.Task{Kind: data.Regression, Targets: []string{"s"}},
		tensor.From([]float32{1, -1}, 2, 1), tensor.From([]float32{2, -1}, 2, 1))
	if mosi["mae"] != 0.5 || mosi["acc2"] != 1 || mosi["acc7"] != 0.5 {
		t.Errorf("MOSI scores %v", mosi)
	}
	pom := Score(data.Task{Kind: data.Regression, Targets: []string{"a", "b"}},
		tensor.From([]float32{1, 2, 3, 5}, 2, 2), tensor.From([]float32{1, 3, 3, 4}, 2, 2))
	if pom["mae"] != 0.5 || pom["acc"] != 0.5 {
		t.Errorf("POM scores %v", pom)
	}
	cls := Score(data.Task{Kind: data.Classification, Targets: []string{"angry"}, Classes: 2},
		tensor.From([]float32{0.2, 0.8, 0.9, 0.1, 0.4, 0.6}, 3, 2), tensor.From([]float32{1, 1, 1}, 3, 1))
	if math.Abs(cls["acc"]-2.0/3) > 1e-12 || cls["acc_angry"] != cls["acc"] {
		t.Errorf("classification scores %v", cls)
	}
}
