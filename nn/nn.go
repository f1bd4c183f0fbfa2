// Package nn holds what every neural layer of modistill shares: named
// parameters and buffers, the Module interface that exposes them (for
// optimizers and checkpoints), the training/evaluation Mode, and seeded
// initialisers.
//
// Names follow PyTorch's state-dict convention ("text.lstm.weight_ih_l0"),
// so a checkpoint lines up with the PyTorch reference key by key.
package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/tensor"
)

// Param is a trainable tensor with a name; its Node carries value and gradient.
type Param struct {
	Name string
	*autodiff.Node
}

// NewParam returns a zero parameter of the given shape.
func NewParam(name string, shape ...int) *Param {
	return &Param{Name: name, Node: autodiff.NewParam(tensor.New(shape...))}
}

// Buffer is named state that is saved with a model but not trained, such as
// BatchNorm's running statistics.
type Buffer struct {
	Name  string
	Value *tensor.Tensor
}

// Module is anything with parameters.
type Module interface {
	// Params returns the module's trainable parameters in a fixed order.
	Params() []*Param
}

// BufferedModule is a Module that also has buffers.
type BufferedModule interface {
	Module
	// Buffers returns the module's buffers in a fixed order.
	Buffers() []*Buffer
}

// Join concatenates the parameters of modules, in order.
func Join(ms ...Module) []*Param {
	var ps []*Param
	for _, m := range ms {
		if m != nil {
			ps = append(ps, m.Params()...)
		}
	}
	return ps
}

// JoinBuffers concatenates the buffers of those modules that have any.
func JoinBuffers(ms ...Module) []*Buffer {
	var bs []*Buffer
	for _, m := range ms {
		if b, ok := m.(BufferedModule); ok {
			bs = append(bs, b.Buffers()...)
		}
	}
	return bs
}

// CheckNames returns an error if two parameters or buffers share a name.
func CheckNames(ps []*Param, bs []*Buffer) error {
	seen := map[string]bool{}
	var dup []string
	for _, p := range ps {
		if seen[p.Name] {
			dup = append(dup, p.Name)
		}
		seen[p.Name] = true
	}
	for _, b := range bs {
		if seen[b.Name] {
			dup = append(dup, b.Name)
		}
		seen[b.Name] = true
	}
	if len(dup) > 0 {
		sort.Strings(dup)
		return fmt.Errorf("duplicate parameter names %v", dup)
	}
	return nil
}

// ZeroGrads clears the gradients of ps.
func ZeroGrads(ps []*Param) {
	for _, p := range ps {
		p.ZeroGrad()
	}
}

// Count returns the number of scalar values in ps.
func Count(ps []*Param) int {
	n := 0
	for _, p := range ps {
		n += p.Value.Len()
	}
	return n
}

// Mode says whether a forward pass is training (dropout on, batch statistics
// in BatchNorm) or evaluation, and where training draws its randomness.
type Mode struct {
	Train bool
	RNG   *rand.Rand
}

// Eval is the evaluation mode.
var Eval = Mode{}

// Training returns a training mode drawing from rng.
func Training(rng *rand.Rand) Mode { return Mode{Train: true, RNG: rng} }

// XavierNormal fills t with draws from N(0, 2/(fanIn+fanOut)) (Glorot and
// Bengio 2010), PyTorch's xavier_normal_ with gain 1.
func XavierNormal(t *tensor.Tensor, fanIn, fanOut int, rng *rand.Rand) {
	std := math.Sqrt(2 / float64(fanIn+fanOut))
	Normal(t, std, rng)
}

// Normal fills t with draws from N(0, std²).
func Normal(t *tensor.Tensor, std float64, rng *rand.Rand) {
	for i := range t.Data {
		t.Data[i] = float32(rng.NormFloat64() * std)
	}
}

// NewRNG returns the deterministic generator modistill uses for a seed.
func NewRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x6d6f646973)) }
