// Package autodiff is modistill's reverse-mode automatic differentiation
// engine: a Tape records, for every operation run on it, a closure that
// propagates the gradient of the output to the inputs; Backward runs those
// closures in reverse order.
//
// Each operation is one function with its forward computation and, directly
// below it, its backward closure, in the style of micrograd and llm.c:
//
//	out := tp.NewOutput(shape, a, b)      // out requires a gradient if a or b does
//	... compute out.Value from a.Value, b.Value ...
//	tp.AddBackward(out, func() {
//		... accumulate out.Grad() into a.AccumGrad(), b.AccumGrad() ...
//	})
//
// Other packages (loss, layers) define fused operations the same way.
//
// Memory: the values and gradients of intermediate nodes come from a pool
// owned by the tape. Reset returns them to the pool, so a training loop that
// calls Reset after each step allocates almost nothing in steady state.
// A tensor taken from a node must be copied before Reset if it is needed
// afterwards. Parameters (NewParam) own their memory and survive Reset.
//
// Gradients accumulate: backward closures add into AccumGrad. Parameters'
// gradients are cleared by the optimizer (or ZeroGrad), never by the tape.
//
// A tape in NoGrad mode records nothing, for inference.
//
// Shape errors are programmer errors: operations panic with a message that
// names the operation and the shapes involved.
package autodiff
