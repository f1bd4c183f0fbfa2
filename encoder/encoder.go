// Package encoder holds the per-modality networks of METHOD.md, item 1: the
// audio and visual encoders (a 2-layer fully connected network, each layer
// Linear then ReLU, dropout between them) and the text encoder (a 1-layer
// LSTM over the sequence, its final hidden state, dropout, and a linear layer
// to TextOut units; for text as one vector per utterance, an MLP, and for
// bags of n-gram ids, pooled embeddings). Each modality's encoder is
// separate, so any subset of modalities can be encoded on its own.
package encoder

import (
	"math/rand/v2"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/text"
	"github.com/modistill/modistill/layers"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/tensor"
)

// Config sizes the encoders. The defaults (DefaultConfig) are METHOD.md's.
type Config struct {
	AudioHidden  int     `json:"audio_hidden"`
	VisualHidden int     `json:"visual_hidden"`
	TextHidden   int     `json:"text_hidden"`
	TextOut      int     `json:"text_out"`
	Dropout      float32 `json:"dropout"`
	// EmbedDim is the size of the trainable word embedding used when the
	// data's text is token ids (data.Dims.Vocab > 0).
	EmbedDim int `json:"embed_dim"`
}

// DefaultConfig is METHOD.md item 7: audio/visual hidden 32, text hidden 64,
// text_out 64, dropout 0.2.
func DefaultConfig() Config {
	return Config{AudioHidden: 32, VisualHidden: 32, TextHidden: 64, TextOut: 64, Dropout: 0.2, EmbedDim: 100}
}

// Text is the text encoder: (for token ids, an embedding), LSTM, final
// hidden state, dropout, Linear. Text given as one vector per utterance
// (a sentence embedding such as bc-LSTM's text-CNN features) goes through
// an MLP like the audio and visual encoders' instead of the LSTM; text
// given as a bag of n-gram ids (data.Dims.TextBag), through the pooled
// embeddings of its ids (fastText's encoder, Joulin et al. 2017, with the
// sum scaled by the L2 norm of the bag's counts rather than by its size:
// on the MOSI transcripts' dev split, 1.136 against 1.156 MAE, 3 seeds).
type Text struct {
	Embed   *layers.Embedding    // nil when the text is word vectors
	LSTM    *layers.LSTM         // nil for utterance vectors and bags
	MLP     *layers.MLP          // for utterance vectors; nil otherwise
	Bag     *layers.EmbeddingBag // for bags of n-gram ids; nil otherwise
	Dropout layers.Dropout
	Out     *layers.Linear
}

// Forward maps word vectors x (B, L, d), token ids when the encoder embeds
// them, or bags of n-gram ids when it pools them, to (B, TextOut); lengths
// (nil: all valid) mark padding.
func (e *Text) Forward(tp *autodiff.Tape, mode nn.Mode, x *autodiff.Node, tokens *data.Tokens, lengths []int) *autodiff.Node {
	if e.Bag != nil {
		if tokens == nil {
			panic("encoder.Text: a bag text encoder needs token ids")
		}
		return e.Out.Forward(tp, e.Dropout.Forward(tp, mode, e.Bag.Forward(tp, tokens.IDs, tokens.L, lengths)))
	}
	if e.Embed != nil {
		if tokens == nil {
			panic("encoder.Text: an embedding text encoder needs token ids")
		}
		ids := make([]int, len(tokens.IDs))
		for i, id := range tokens.IDs {
			ids[i] = int(id)
		}
		x = e.Embed.Forward(tp, ids, len(ids)/tokens.L, tokens.L)
	}
	var h *autodiff.Node
	if e.MLP != nil {
		h = e.MLP.Forward(tp, mode, x)
	} else {
		h = e.LSTM.ForwardLengths(tp, x, lengths)
	}
	return e.Out.Forward(tp, e.Dropout.Forward(tp, mode, h))
}

// Params returns the embedding's (if any), the LSTM's (or MLP's) and the
// output layer's parameters.
func (e *Text) Params() []*nn.Param {
	switch {
	case e.Bag != nil:
		return nn.Join(e.Bag, e.Out)
	case e.MLP != nil:
		return nn.Join(e.MLP, e.Out)
	case e.Embed == nil:
		return nn.Join(e.LSTM, e.Out)
	}
	return nn.Join(e.Embed, e.LSTM, e.Out)
}

// Encoders are the modality encoders; a modality the data lacks has none.
type Encoders struct {
	Audio, Visual *layers.MLP
	Text          *Text
}

// New builds encoders for the modalities of dims that have data (a size of
// 0 means the modality is absent), with parameters named under prefix
// ("enc" gives enc.a.0.weight, enc.t.lstm.weight_ih_l0, ...). Text given as
// token ids (dims.Vocab > 0) gets an embedding of c.EmbedDim; text given as
// one vector per utterance (dims.TextLen == 0) an MLP of TextHidden units;
// a bag of n-gram ids (dims.TextBag) pooled embeddings of c.EmbedDim.
func New(prefix string, dims data.Dims, c Config, rng *rand.Rand) *Encoders {
	e := &Encoders{}
	if dims.Audio > 0 {
		e.Audio = layers.NewMLP(prefix+".a", []int{dims.Audio, c.AudioHidden, c.AudioHidden}, c.Dropout, rng)
	}
	if dims.Visual > 0 {
		e.Visual = layers.NewMLP(prefix+".v", []int{dims.Visual, c.VisualHidden, c.VisualHidden}, c.Dropout, rng)
	}
	if dims.Text > 0 || dims.Vocab > 0 {
		e.Text = &Text{Dropout: layers.Dropout{Rate: c.Dropout}}
		if dims.TextLen == 0 && dims.Vocab == 0 {
			e.Text.MLP = layers.NewMLP(prefix+".t.mlp", []int{dims.Text, c.TextHidden, c.TextHidden}, c.Dropout, rng)
			e.Text.Out = layers.NewLinear(prefix+".t.out", c.TextHidden, c.TextOut, true, rng)
			return e
		}
		if dims.TextBag {
			e.Text.Bag = layers.NewEmbeddingBag(prefix+".t.bag", dims.Vocab, c.EmbedDim, text.Unknown+1, layers.L2, rng)
			e.Text.Out = layers.NewLinear(prefix+".t.out", c.EmbedDim, c.TextOut, true, rng)
			return e
		}
		in := dims.Text
		if dims.Vocab > 0 {
			e.Text.Embed = layers.NewEmbedding(prefix+".t.embed", dims.Vocab, c.EmbedDim, rng)
			in = c.EmbedDim
		}
		e.Text.LSTM = layers.NewLSTM(prefix+".t.lstm", in, c.TextHidden, rng)
		e.Text.Out = layers.NewLinear(prefix+".t.out", c.TextHidden, c.TextOut, true, rng)
	}
	return e
}

// OutDims are the sizes of z^a, z^v, z^t (0 for an absent encoder).
func (e *Encoders) OutDims() [3]int {
	var d [3]int
	if e.Audio != nil {
		d[data.Audio] = e.Audio.Layers[len(e.Audio.Layers)-1].Out()
	}
	if e.Visual != nil {
		d[data.Visual] = e.Visual.Layers[len(e.Visual.Layers)-1].Out()
	}
	if e.Text != nil {
		d[data.Text] = e.Text.Out.Out()
	}
	return d
}

// Input is one batch as the encoders take it.
type Input struct {
	X       [3]*autodiff.Node // per modality, nil if absent
	Tokens  *data.Tokens      // text as ids, for an embedding text encoder
	Lengths [3][]int          // valid steps of sequence inputs (nil: all)
}

// Has reports whether the input carries modality m.
func (in Input) Has(m data.Modality) bool {
	return in.X[m] != nil || (m == data.Text && in.Tokens != nil)
}

// FromBatch wraps the modalities of b selected by use as tape constants.
// Audio and visual frame sequences (B, F, d) become their averages over each
// sample's valid frames, the utterance-level vectors the MLP encoders take
// (LMF's preprocessing).
func FromBatch(tp *autodiff.Tape, b *data.Batch, use data.Subset) Input {
	var in Input
	for _, m := range data.Modalities {
		if !use[m] {
			continue
		}
		x := b.Inputs[m]
		if x != nil && m != data.Text && len(x.Shape) == 3 {
			x = meanFrames(tp, x, b.Lengths[m])
		} else if m == data.Text {
			in.Lengths[m] = b.Lengths[m]
		}
		if x != nil {
			in.X[m] = tp.Const(x)
		}
		if m == data.Text {
			in.Tokens = b.Tokens
		}
	}
	return in
}

// meanFrames averages (B, F, d) over each sample's valid frames.
func meanFrames(tp *autodiff.Tape, x *tensor.Tensor, lengths []int) *tensor.Tensor {
	B, F, d := x.Shape[0], x.Shape[1], x.Shape[2]
	out := tp.Alloc(B, d)
	for b := range B {
		n := F
		if lengths != nil {
			n = lengths[b]
		}
		if n == 0 {
			continue
		}
		dst := out.Data[b*d : (b+1)*d]
		for f := range n {
			for j, v := range x.Data[(b*F+f)*d : (b*F+f+1)*d] {
				dst[j] += v
			}
		}
		for j := range dst {
			dst[j] /= float32(n)
		}
	}
	return out
}

// Encode returns z^m for each modality the input carries; the others stay
// nil (a missing modality is absent, never zero-filled).
func (e *Encoders) Encode(tp *autodiff.Tape, mode nn.Mode, in Input) [3]*autodiff.Node {
	var z [3]*autodiff.Node
	if in.X[data.Audio] != nil {
		z[data.Audio] = e.Audio.Forward(tp, mode, in.X[data.Audio])
	}
	if in.X[data.Visual] != nil {
		z[data.Visual] = e.Visual.Forward(tp, mode, in.X[data.Visual])
	}
	if in.Has(data.Text) {
		z[data.Text] = e.Text.Forward(tp, mode, in.X[data.Text], in.Tokens, in.Lengths[data.Text])
	}
	return z
}

// Params returns all encoder parameters, audio, visual, then text.
func (e *Encoders) Params() []*nn.Param {
	var ms []nn.Module
	if e.Audio != nil {
		ms = append(ms, e.Audio)
	}
	if e.Visual != nil {
		ms = append(ms, e.Visual)
	}
	if e.Text != nil {
		ms = append(ms, e.Text)
	}
	return nn.Join(ms...)
}
