// Package nn holds what every neural layer of modistill shares: named
// parameters and buffers, the Module interface that exposes them (for
// optimizers and checkpoints), the training/evaluation Mode, and seeded
// initialisers.
//
// Names follow PyTorch's state-dict convention ("text.lstm.weight_ih_l0"),
// so a checkpoint lines up with the PyTorch reference key by key.
package nn

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
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
	src   *rand.PCG // RNG's source, when Seeded made RNG; nil otherwise
}

// Eval is the evaluation mode.
var Eval = Mode{}

// Training returns a training mode drawing from rng.
func Training(rng *rand.Rand) Mode { return Mode{Train: true, RNG: rng} }

// Seeded returns a training mode drawing from NewRNG(seed)'s stream, whose
// Uint32s reads the generator's state itself: the same draws as Training of
// NewRNG(seed), in bulk.
func Seeded(seed uint64) Mode {
	src := newSource(seed)
	return Mode{Train: true, RNG: rand.New(src), src: src}
}

// Uint32s fills dst with the values len(dst) successive calls of
// m.RNG.Uint32 would return, and leaves m.RNG where they would. For a mode
// made by Seeded it steps the PCG-DXSM generator in a plain loop (pcgFill)
// rather than through RNG's interface one value at a time: dropout's masks
// draw one value per element.
func (m Mode) Uint32s(dst []uint32) {
	if m.src == nil {
		for i := range dst {
			dst[i] = m.RNG.Uint32()
		}
		return
	}
	var buf [20]byte
	state, _ := m.src.AppendBinary(buf[:0]) // "pcg:", then the high and low words
	hi, lo := pcgFill(dst, binary.BigEndian.Uint64(state[4:]), binary.BigEndian.Uint64(state[12:]))
	m.src.Seed(hi, lo)
}

// The PCG-DXSM generator of math/rand/v2: its 128-bit LCG's multiplier
// and increment, and the output function's multiplier.
const (
	pcgMulHi, pcgMulLo = 2549297995355413924, 4865540595714422341
	pcgIncHi, pcgIncLo = 6364136223846793005, 1442695040888963407
	pcgCheapMul        = 0xda942042e4dd58b5
)

// pcgMul2 and pcgInc2 step the LCG twice at once: s₂ = mul²·s + (mul·inc + inc).
var pcgMul2Hi, pcgMul2Lo, pcgInc2Hi, pcgInc2Lo = pcgTwoSteps()

func pcgTwoSteps() (mulHi, mulLo, incHi, incLo uint64) {
	mulHi, mulLo = mul128(pcgMulHi, pcgMulLo, pcgMulHi, pcgMulLo)
	incHi, incLo = lcgStep(pcgIncHi, pcgIncLo, pcgMulHi, pcgMulLo, pcgIncHi, pcgIncLo)
	return mulHi, mulLo, incHi, incLo
}

// mul128 returns a·b modulo 2¹²⁸.
func mul128(aHi, aLo, bHi, bLo uint64) (hi, lo uint64) {
	hi, lo = bits.Mul64(aLo, bLo)
	return hi + aHi*bLo + aLo*bHi, lo
}

// lcgStep returns s·mul + inc modulo 2¹²⁸.
func lcgStep(sHi, sLo, mulHi, mulLo, incHi, incLo uint64) (hi, lo uint64) {
	hi, lo = mul128(sHi, sLo, mulHi, mulLo)
	lo, carry := bits.Add64(lo, incLo, 0)
	hi, _ = bits.Add64(hi, incHi, carry)
	return hi, lo
}

// dxsm is PCG-DXSM's output for the state (hi, lo) just stepped to.
func dxsm(hi, lo uint64) uint64 {
	hi ^= hi >> 32
	hi *= pcgCheapMul
	hi ^= hi >> 48
	return hi * (lo | 1)
}

// pcgFill fills dst with the high 32 bits of successive outputs of the
// PCG-DXSM generator with 128-bit state (hi, lo), as math/rand/v2's PCG
// computes them (O'Neill's 128-bit LCG step, then the DXSM output
// function), and returns the state after them. The odd and the even draws
// come from two states each stepped twice at a time, so that the two
// chains of multiplications overlap.
func pcgFill(dst []uint32, hi, lo uint64) (uint64, uint64) {
	if len(dst) == 0 {
		return hi, lo
	}
	aHi, aLo := lcgStep(hi, lo, pcgMulHi, pcgMulLo, pcgIncHi, pcgIncLo)   // the state of draw 0
	bHi, bLo := lcgStep(aHi, aLo, pcgMulHi, pcgMulLo, pcgIncHi, pcgIncLo) // and of draw 1
	var lastHi, lastLo uint64                                             // the state after the draws so far
	i := 0
	for ; i+2 <= len(dst); i += 2 {
		dst[i], dst[i+1] = uint32(dxsm(aHi, aLo)>>32), uint32(dxsm(bHi, bLo)>>32)
		lastHi, lastLo = bHi, bLo
		aHi, aLo = lcgStep(aHi, aLo, pcgMul2Hi, pcgMul2Lo, pcgInc2Hi, pcgInc2Lo)
		bHi, bLo = lcgStep(bHi, bLo, pcgMul2Hi, pcgMul2Lo, pcgInc2Hi, pcgInc2Lo)
	}
	if i < len(dst) { // an odd count: the last draw is a's
		dst[i] = uint32(dxsm(aHi, aLo) >> 32)
		return aHi, aLo
	}
	return lastHi, lastLo
}

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
func NewRNG(seed uint64) *rand.Rand { return rand.New(newSource(seed)) }

// newSource is NewRNG's source for a seed.
func newSource(seed uint64) *rand.PCG { return rand.NewPCG(seed, 0x6d6f646973) }
