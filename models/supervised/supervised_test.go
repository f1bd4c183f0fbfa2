package supervised

import (
	"testing"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/layers"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/optim"
	"github.com/modistill/modistill/tensor"
)

// A linear model on y = 2x: steps lower the loss, and the evaluation
// methods leave the tape recording again.
func TestTrainerStepLowersTheTaskLoss(t *testing.T) {
	task := data.Task{Kind: data.Regression, Targets: []string{"y"}}
	lin := layers.NewLinear("lin", 1, 1, true, nn.NewRNG(1))
	x := tensor.From([]float32{-1, -0.5, 0.5, 1}, 4, 1)
	split := &data.Split{Inputs: [3]*tensor.Tensor{x}, Labels: tensor.From([]float32{-2, -1, 1, 2}, 4, 1)}
	s := &Trainer{Task: task, Opt: optim.NewAdam(optim.Group{Params: lin.Params(), LR: 0.05}),
		Forward: func(tp *autodiff.Tape, _ nn.Mode, b *data.Batch) *autodiff.Node {
			return lin.Forward(tp, tp.Const(b.Inputs[0]))
		}}
	tp := autodiff.NewTape()
	before := s.ValidationLoss(tp, split)
	for range 200 {
		s.Step(tp, nn.Eval, split.All())
	}
	after := s.ValidationLoss(tp, split)
	if tp.NoGrad || !(after < before/10) {
		t.Errorf("validation L1 %.3f -> %.3f after 200 steps (NoGrad left %v)", before, after, tp.NoGrad)
	}
	if out := s.Predictions(tp, split.All()); out.Rows() != 4 || tp.NoGrad {
		t.Errorf("predictions %v", out.Shape)
	}
}
