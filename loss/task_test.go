package loss

import (
	"math"
	"testing"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/tensor"
)

func TestClassificationLossAveragesTargets(t *testing.T) {
	task := data.Task{Kind: data.Classification, Targets: []string{"happy", "sad"}, Classes: 2}
	if task.Outputs() != 4 {
		t.Fatalf("Outputs = %d, want 4", task.Outputs())
	}
	tp := autodiff.NewTape()
	// one sample; target 0 logits (0, 0) label 1 -> ln 2; target 1 logits (0, ln 3) label 1 -> -ln(3/4)
	out := tp.Const(tensor.From([]float32{0, 0, 0, float32(math.Log(3))}, 1, 4))
	labels := tensor.From([]float32{1, 1}, 1, 2)
	got := float64(ForTask(tp, task, out, labels).Value.Data[0])
	want := (math.Ln2 - math.Log(0.75)) / 2
	if math.Abs(got-want) > 1e-6 {
		t.Errorf("loss = %v, want %v", got, want)
	}
}

func TestRegressionLossIsL1(t *testing.T) {
	task := data.Task{Kind: data.Regression, Targets: []string{"y"}}
	tp := autodiff.NewTape()
	got := ForTask(tp, task, tp.Const(tensor.From([]float32{1, 3}, 2, 1)), tensor.From([]float32{0, 0}, 2, 1))
	if got.Value.Data[0] != 2 {
		t.Errorf("L1 = %v, want 2", got.Value.Data[0])
	}
}
