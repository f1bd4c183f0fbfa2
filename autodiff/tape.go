package autodiff

import (
	"fmt"

	"github.com/modistill/modistill/tensor"
)

// Node is a value in a computation and, when it requires one, its gradient.
type Node struct {
	// Value is the forward value. Operations never modify their inputs' values.
	Value *tensor.Tensor

	grad         *tensor.Tensor
	requiresGrad bool
	tape         *Tape // allocates grad lazily; nil for parameters
}

// NewParam returns a node that owns value and a zeroed gradient of the same
// shape; it requires a gradient and survives Tape.Reset.
func NewParam(value *tensor.Tensor) *Node {
	return &Node{Value: value, grad: tensor.New(value.Shape...), requiresGrad: true}
}

// RequiresGrad reports whether gradients flow back to this node.
func (n *Node) RequiresGrad() bool { return n.requiresGrad }

// Grad returns the accumulated gradient, or nil if none has reached the node.
func (n *Node) Grad() *tensor.Tensor { return n.grad }

// AccumGrad returns the gradient tensor to accumulate into, allocating a zero
// one from the owning tape on first use. It must only be called on nodes that
// require a gradient.
func (n *Node) AccumGrad() *tensor.Tensor {
	if !n.requiresGrad {
		panic("autodiff: AccumGrad on a node that does not require a gradient")
	}
	if n.grad == nil {
		n.grad = n.tape.Alloc(n.Value.Shape...)
	}
	return n.grad
}

// ZeroGrad clears the node's gradient (parameters between steps).
func (n *Node) ZeroGrad() {
	if n.grad != nil {
		n.grad.Zero()
	}
}

// Shape is the shape of the node's value.
func (n *Node) Shape() []int { return n.Value.Shape }

// Tape records operations for reverse-mode differentiation and pools the
// memory of their results. A Tape is not safe for concurrent use.
type Tape struct {
	// NoGrad, when set, makes operations record nothing and produce nodes
	// that do not require gradients (inference).
	NoGrad bool

	backward []func()
	free     map[int][][]float32
	used     [][]float32
}

// NewTape returns an empty tape.
func NewTape() *Tape { return &Tape{free: map[int][][]float32{}} }

// Alloc returns a zeroed tensor from the tape's pool. It is returned to the
// pool by Reset.
func (tp *Tape) Alloc(shape ...int) *tensor.Tensor { return tp.take(shape, true) }

// AllocUnset is Alloc without the zeroing, for an operation that writes
// every element before it reads any (the LSTM's gate and state buffers): the
// elements hold whatever the pool's buffer held.
func (tp *Tape) AllocUnset(shape ...int) *tensor.Tensor { return tp.take(shape, false) }

// take hands out a buffer of the shape's size from the pool (zeroed when
// zero is set) or a new one.
func (tp *Tape) take(shape []int, zero bool) *tensor.Tensor {
	n := tensor.Size(shape)
	var buf []float32
	if list := tp.free[n]; len(list) > 0 {
		buf = list[len(list)-1]
		tp.free[n] = list[:len(list)-1]
		if zero {
			clear(buf)
		}
	} else {
		buf = make([]float32, n)
	}
	tp.used = append(tp.used, buf)
	return tensor.From(buf, shape...)
}

// Const wraps a tensor as a node that needs no gradient (data, targets).
// The tensor is not copied.
func (tp *Tape) Const(v *tensor.Tensor) *Node { return &Node{Value: v, tape: tp} }

// Var wraps a tensor as a node that requires a gradient, which the tape
// allocates on first use; gradient checks and tests use it for inputs.
func (tp *Tape) Var(v *tensor.Tensor) *Node {
	return &Node{Value: v, tape: tp, requiresGrad: !tp.NoGrad}
}

// NewOutput allocates the result node of an operation on inputs. The node
// requires a gradient when the tape records and any input requires one.
func (tp *Tape) NewOutput(shape []int, inputs ...*Node) *Node {
	req := false
	if !tp.NoGrad {
		for _, in := range inputs {
			if in.requiresGrad {
				req = true
				break
			}
		}
	}
	return &Node{Value: tp.Alloc(shape...), tape: tp, requiresGrad: req}
}

// AddBackward records the backward closure of the operation that produced
// out. Nothing is recorded when out requires no gradient. The closure runs
// during Backward only if a gradient has reached out.
func (tp *Tape) AddBackward(out *Node, back func()) {
	if !out.requiresGrad {
		return
	}
	tp.backward = append(tp.backward, func() {
		if out.grad != nil {
			back()
		}
	})
}

// AddBackwardMulti records the backward closure of an operation with
// several outputs; it runs if a gradient has reached any of them (the
// others' Grad may then be nil).
func (tp *Tape) AddBackwardMulti(outs []*Node, back func()) {
	req := false
	for _, o := range outs {
		req = req || o.requiresGrad
	}
	if !req {
		return
	}
	tp.backward = append(tp.backward, func() {
		for _, o := range outs {
			if o.grad != nil {
				back()
				return
			}
		}
	})
}

// Backward seeds the gradient of the scalar node loss with 1 and propagates
// gradients to every node on the tape that requires one. It panics if loss
// is not a single value.
func (tp *Tape) Backward(loss *Node) {
	if loss.Value.Len() != 1 {
		panic(fmt.Sprintf("autodiff.Backward: loss has shape %s, want a single value", tensor.ShapeString(loss.Shape())))
	}
	if !loss.requiresGrad {
		return
	}
	loss.AccumGrad().Data[0] += 1
	tp.BackwardFrom()
}

// BackwardFrom runs the recorded closures in reverse order, assuming the
// caller has already seeded output gradients with AccumGrad.
func (tp *Tape) BackwardFrom() {
	for i := len(tp.backward) - 1; i >= 0; i-- {
		tp.backward[i]()
	}
}

// Reset forgets the recorded operations and returns every tensor the tape
// allocated to its pool. Nodes created on the tape must not be used after.
func (tp *Tape) Reset() {
	clear(tp.backward)
	tp.backward = tp.backward[:0]
	for _, buf := range tp.used {
		tp.free[len(buf)] = append(tp.free[len(buf)], buf)
	}
	clear(tp.used)
	tp.used = tp.used[:0]
}

// Inference starts a stretch of evaluation on the tape: until the returned
// function is called, operations record nothing for the backward pass
// (NoGrad); calling it restores NoGrad as it was and resets the tape, so
// only values copied out survive. The idiom is
//
//	defer tp.Inference()()
func (tp *Tape) Inference() (end func()) {
	was := tp.NoGrad
	tp.NoGrad = true
	return func() {
		tp.NoGrad = was
		tp.Reset()
	}
}

// WithoutGrad runs f with NoGrad set, then restores it: what f computes
// stays on the tape as values that need no gradient (a target computed in
// the middle of a training step).
func (tp *Tape) WithoutGrad(f func()) {
	was := tp.NoGrad
	tp.NoGrad = true
	defer func() { tp.NoGrad = was }()
	f()
}

// mustSameShape panics with op's name if a and b differ in shape.
func mustSameShape(op string, a, b *Node) {
	if !a.Value.SameShape(b.Value) {
		panic(fmt.Sprintf("autodiff.%s: shapes %s and %s differ", op, tensor.ShapeString(a.Shape()), tensor.ShapeString(b.Shape())))
	}
}
