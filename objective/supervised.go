// Package objective is the supervised training step: a forward function
// trained on its task's loss (loss.ForTask) with one Adam, the plumbing every
// model trained on labels alone embeds (LMF, TFN, DF, the unimodal networks,
// the sequence models). It sits below train, which runs any model's steps,
// because the models embed it and may not import the training level.
package objective

import (
	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/loss"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/optim"
	"github.com/modistill/modistill/tensor"
)

// Supervised trains a forward function on the task loss with one
// optimizer: the plumbing every model trained on labels alone shares
// (LMF, TFN, DF, the unimodal networks, the sequence models). Embedding it
// gives a model Step, ValidationLoss and Outputs.
type Supervised struct {
	Task    data.Task
	Opt     *optim.Adam
	Forward func(tp *autodiff.Tape, mode nn.Mode, b *data.Batch) *autodiff.Node
}

// Step runs one training step on a batch and returns the task loss.
func (s *Supervised) Step(tp *autodiff.Tape, mode nn.Mode, b *data.Batch) float64 {
	defer tp.Reset()
	s.Opt.ZeroGrad()
	l := loss.ForTask(tp, s.Task, s.Forward(tp, mode, b), b.Labels)
	tp.Backward(l)
	s.Opt.Step()
	return float64(l.Value.Data[0])
}

// ValidationLoss is the task loss on a whole split in evaluation mode.
func (s *Supervised) ValidationLoss(tp *autodiff.Tape, sp *data.Split) float64 {
	defer tp.Inference()()
	return float64(loss.ForTask(tp, s.Task, s.Forward(tp, nn.Eval, sp.All()), sp.Labels).Value.Data[0])
}

// Predictions returns the predictions for a batch in evaluation mode
// (values, or class probabilities for classification), as a new tensor.
func (s *Supervised) Predictions(tp *autodiff.Tape, b *data.Batch) *tensor.Tensor {
	defer tp.Inference()()
	return s.Task.Predictions(s.Forward(tp, nn.Eval, b).Value)
}

// Outputs returns the raw outputs for a batch in evaluation mode, as a new
// tensor (Predictions turns them into values or probabilities).
func (s *Supervised) Outputs(tp *autodiff.Tape, b *data.Batch) *tensor.Tensor {
	defer tp.Inference()()
	return s.Forward(tp, nn.Eval, b).Value.Clone()
}
