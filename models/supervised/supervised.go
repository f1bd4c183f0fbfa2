// Package supervised is the training step of the models trained on labels
// alone (LMF, TFN, DF, the unimodal networks, the sequence models, BC-LSTM):
// a forward function trained on its task's loss (loss.ForTask) with one
// Adam. Each of those models embeds a Trainer, which gives it Step and
// ValidationLoss, so that train's loop can run it like any model. It sits
// among the models, not in train, because a model's step is its own (the
// separable framework and Deep-S write theirs) and models may not import
// the training level.
package supervised

import (
	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/loss"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/optim"
	"github.com/modistill/modistill/tensor"
)

// Trainer trains a forward function on the task loss with one optimizer.
// Embedding it gives a model Step, ValidationLoss and Predictions.
type Trainer struct {
	Task    data.Task
	Opt     *optim.Adam
	Forward func(tp *autodiff.Tape, mode nn.Mode, b *data.Batch) *autodiff.Node
}

// Step runs one training step on a batch and returns the task loss.
func (s *Trainer) Step(tp *autodiff.Tape, mode nn.Mode, b *data.Batch) float64 {
	defer tp.Reset()
	s.Opt.ZeroGrad()
	l := loss.ForTask(tp, s.Task, s.Forward(tp, mode, b), b.Labels)
	tp.Backward(l)
	s.Opt.Step()
	return float64(l.Value.Data[0])
}

// ValidationLoss is the task loss on a whole split in evaluation mode.
func (s *Trainer) ValidationLoss(tp *autodiff.Tape, sp *data.Split) float64 {
	defer tp.Inference()()
	return float64(loss.ForTask(tp, s.Task, s.Forward(tp, nn.Eval, sp.All()), sp.Labels).Value.Data[0])
}

// Predictions returns the predictions for a batch in evaluation mode
// (values, or class probabilities for classification), as a new tensor.
func (s *Trainer) Predictions(tp *autodiff.Tape, b *data.Batch) *tensor.Tensor {
	defer tp.Inference()()
	return s.Task.Predictions(s.Forward(tp, nn.Eval, b).Value)
}
