package layers

import (
	"math/rand/v2"
	"strconv"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/nn"
)

// Linear is y = x·Wᵀ + b with W of shape (out, in), as torch.nn.Linear.
type Linear struct {
	Weight *nn.Param // (out, in)
	Bias   *nn.Param // (out), nil without bias
}

// NewLinear returns a Linear layer named name with Xavier-normal weights and
// zero bias.
func NewLinear(name string, in, out int, bias bool, rng *rand.Rand) *Linear {
	l := &Linear{Weight: nn.NewParam(name+".weight", out, in)}
	nn.XavierNormal(l.Weight.Value, in, out, rng)
	if bias {
		l.Bias = nn.NewParam(name+".bias", out)
	}
	return l
}

// Forward maps x of shape (..., in) to (..., out).
func (l *Linear) Forward(tp *autodiff.Tape, x *autodiff.Node) *autodiff.Node {
	if l.Bias == nil {
		return tp.Linear(x, l.Weight.Node, nil)
	}
	return tp.Linear(x, l.Weight.Node, l.Bias.Node)
}

// In is the layer's input size.
func (l *Linear) In() int { return l.Weight.Value.Shape[1] }

// Out is the layer's output size.
func (l *Linear) Out() int { return l.Weight.Value.Shape[0] }

// Params returns the weight and, if any, the bias.
func (l *Linear) Params() []*nn.Param {
	if l.Bias == nil {
		return []*nn.Param{l.Weight}
	}
	return []*nn.Param{l.Weight, l.Bias}
}

// Dropout zeroes inputs with probability Rate in training and is the
// identity in evaluation.
type Dropout struct{ Rate float32 }

// Forward applies dropout when mode is training.
func (d Dropout) Forward(tp *autodiff.Tape, mode nn.Mode, x *autodiff.Node) *autodiff.Node {
	if !mode.Train || d.Rate == 0 {
		return x
	}
	return tp.Dropout(x, d.Rate, mode.Uint32s)
}

// MLP is a stack of Linear layers, each followed by ReLU, with dropout
// between consecutive layers: the audio and visual encoder of METHOD.md
// ("a 2-layer fully connected network, each layer Linear then ReLU, dropout
// between them").
type MLP struct {
	Layers  []*Linear
	Dropout Dropout
}

// NewMLP returns an MLP through the given sizes (sizes[0] is the input), with
// layers named name.0, name.1, ... Its layer names match a PyTorch
// nn.Sequential of Linear, ReLU, Dropout, Linear, ReLU only up to index; the
// checkpoint uses these names.
func NewMLP(name string, sizes []int, dropout float32, rng *rand.Rand) *MLP {
	m := &MLP{Dropout: Dropout{Rate: dropout}}
	for i := 0; i+1 < len(sizes); i++ {
		m.Layers = append(m.Layers, NewLinear(name+"."+strconv.Itoa(i), sizes[i], sizes[i+1], true, rng))
	}
	return m
}

// Forward maps x of shape (N, sizes[0]) to (N, sizes[last]).
func (m *MLP) Forward(tp *autodiff.Tape, mode nn.Mode, x *autodiff.Node) *autodiff.Node {
	for i, l := range m.Layers {
		if i > 0 {
			x = m.Dropout.Forward(tp, mode, x)
		}
		x = tp.ReLU(l.Forward(tp, x))
	}
	return x
}

// Params returns every layer's parameters in order.
func (m *MLP) Params() []*nn.Param {
	var ps []*nn.Param
	for _, l := range m.Layers {
		ps = append(ps, l.Params()...)
	}
	return ps
}
