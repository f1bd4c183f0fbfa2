package recurrent

import (
	"fmt"
	"math/rand/v2"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/layers"
	"github.com/modistill/modistill/models/supervised"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/optim"
	"github.com/modistill/modistill/tensor"
)

// base is what MFN and MARN share: the task, the input embedding, dropout,
// the optimizer and the training plumbing around a forward function.
type base struct {
	supervised.Trainer
	Config Config
	// note says how the data was read (for example, utterance averages
	// repeated at every step); empty when the data has aligned sequences.
	note string

	Embed  *layers.Embedding // text as token ids
	drop   layers.Dropout
	params []*nn.Param
}

// newBase checks dims and returns the base and the three input sizes.
func newBase(name string, dims data.Dims, task data.Task, c Config, rng *rand.Rand) (base, [3]int, error) {
	b := base{Trainer: supervised.Trainer{Task: task}, Config: c, drop: layers.Dropout{Rate: c.Dropout}}
	if dims.Audio == 0 || dims.Visual == 0 || (dims.Text == 0 && dims.Vocab == 0) {
		return b, [3]int{}, fmt.Errorf("%s: needs all three modalities", name)
	}
	if dims.TextBag {
		return b, [3]int{}, fmt.Errorf("%s: the text is a bag of n-gram ids, which has no word order; %s reads sequences (use word vectors or the text-CNN features)", name, name)
	}
	textLen := dims.TextLen
	if textLen == 0 { // one text vector per utterance
		if dims.AudioLen != 0 || dims.VisualLen != 0 {
			return b, [3]int{}, fmt.Errorf("%s: audio or visual are sequences, but the text is one vector per utterance; %s needs aligned sequences of one length", name, name)
		}
		textLen = 1
		b.note = name + ": every modality is one vector per utterance here, read as a sequence of one step (no temporal interaction to model)"
	}
	for m, L := range []int{dims.AudioLen, dims.VisualLen} {
		if L != 0 && L != textLen {
			return b, [3]int{}, fmt.Errorf("%s: %s has %d steps, text %d; %s needs aligned sequences of one length (use aligned data)", name, data.Modality(m), L, textLen, name)
		}
	}
	if dims.TextLen > 0 && (dims.AudioLen == 0 || dims.VisualLen == 0) {
		b.note = name + ": audio and visual are utterance averages here; each is repeated at every text step"
	}
	in := [3]int{dims.Audio, dims.Visual, dims.Text}
	if dims.Vocab > 0 {
		b.Embed = layers.NewEmbedding("embed", dims.Vocab, c.EmbedDim, rng)
		in[2] = c.EmbedDim
	}
	return b, in, nil
}

// finish records the forward function and the modules, and makes the
// optimizer.
func (m *base) finish(forward func(*autodiff.Tape, nn.Mode, *data.Batch) *autodiff.Node, modules ...nn.Module) {
	if m.Embed != nil {
		modules = append([]nn.Module{m.Embed}, modules...)
	}
	m.params = nn.Join(modules...)
	m.Forward = forward
	m.Opt = optim.NewAdam(optim.Group{Params: m.params, LR: m.Config.LR, WeightDecay: m.Config.WeightDecay})
}

// Params returns every parameter.
func (m *base) Params() []*nn.Param { return m.params }

// Note says how the network reads the data it was built for ("" when it
// reads it as designed: aligned sequences of every modality).
func (m *base) Note(*data.Dataset) string { return m.note }

// twoLayer is one of MFN's D networks: Linear, ReLU, dropout, Linear.
type twoLayer struct{ a, b *layers.Linear }

func newTwoLayer(name string, in, hid, out int, rng *rand.Rand) twoLayer {
	return twoLayer{layers.NewLinear(name+".0", in, hid, true, rng), layers.NewLinear(name+".1", hid, out, true, rng)}
}

func (n twoLayer) forward(tp *autodiff.Tape, mode nn.Mode, drop layers.Dropout, x *autodiff.Node) *autodiff.Node {
	return n.b.Forward(tp, drop.Forward(tp, mode, tp.ReLU(n.a.Forward(tp, x))))
}

// Params returns both layers' parameters.
func (n twoLayer) Params() []*nn.Param { return nn.Join(n.a, n.b) }

// sequences returns the three aligned input sequences (B, T, d_m).
func (m *base) sequences(tp *autodiff.Tape, b *data.Batch) [3]*autodiff.Node {
	var x [3]*autodiff.Node
	var T int
	if m.Embed != nil {
		ids := make([]int, len(b.Tokens.IDs))
		for i, id := range b.Tokens.IDs {
			ids[i] = int(id)
		}
		T = b.Tokens.L
		x[data.Text] = m.Embed.Forward(tp, ids, b.N(), T)
	} else if v := b.Inputs[data.Text]; len(v.Shape) == 3 {
		x[data.Text] = tp.Const(v)
		T = v.Shape[1]
	} else { // one vector per utterance: a sequence of one step
		T = 1
		x[data.Text] = tp.Const(v.Reshape(v.Shape[0], 1, v.Shape[1]))
	}
	for _, mod := range []data.Modality{data.Audio, data.Visual} {
		v := b.Inputs[mod]
		if len(v.Shape) == 3 {
			x[mod] = tp.Const(v)
			continue
		}
		B, d := v.Shape[0], v.Shape[1] // repeat the utterance vector at every step
		rep := tp.Alloc(B, T, d)
		for i := range B {
			for t := range T {
				copy(rep.Data[(i*T+t)*d:(i*T+t+1)*d], v.Data[i*d:(i+1)*d])
			}
		}
		x[mod] = tp.Const(rep)
	}
	return x
}

// step returns step t of a (B, T, h) sequence, (B, h): rows t, T+t, 2T+t,
// ... of the sequence seen as a (B·T, h) matrix, gathered without copying
// the rest of the sequence (a reshape of the whole sequence at each step
// made the recurrent systems' steps quadratic in T).
func step(tp *autodiff.Tape, seq *autodiff.Node, t int) *autodiff.Node {
	s := seq.Shape()
	B, T := s[0], s[1]
	idx := make([]int, B)
	for b := range idx {
		idx[b] = b*T + t
	}
	return tp.GatherRows(seq, idx)
}

// holdPast returns, when lengths are given, a function that keeps the old
// state of samples whose sequence ended before step t and takes the new one
// for the others; nil when every step is valid.
func holdPast(tp *autodiff.Tape, lengths []int, t int) func(old, new *autodiff.Node) *autodiff.Node {
	if lengths == nil {
		return nil
	}
	keep := tp.Alloc(len(lengths), 1)
	for r, n := range lengths {
		if t < n {
			keep.Data[r] = 1
		}
	}
	k := tp.Const(keep)
	return func(old, new *autodiff.Node) *autodiff.Node { return tp.Add(old, tp.MulRows(tp.Sub(new, old), k)) }
}

// Subsets: a sequence fusion network needs all three modalities.
func (m *base) Subsets() []data.Subset { return []data.Subset{data.All} }

// Predict returns predictions (class probabilities for classification) for a
// batch; use must be data.All.
func (m *base) Predict(tp *autodiff.Tape, b *data.Batch, use data.Subset) *tensor.Tensor {
	data.MustTake("a sequence fusion network", use, m.Subsets())
	return m.Predictions(tp, b)
}
