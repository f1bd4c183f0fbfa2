// Package encoder holds the per-modality networks of METHOD.md, item 1: the
// audio and visual encoders (a 2-layer fully connected network, each layer
// Linear then ReLU, dropout between them) and the text encoder (a 1-layer
// LSTM over the sequence, its final hidden state, dropout, and a linear layer
// to TextOut units). Each modality's encoder is separate, so any subset of
// modalities can be encoded on its own.
package encoder

import (
	"math/rand/v2"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/layers"
	"github.com/modistill/modistill/nn"
)

// Config sizes the encoders. The defaults (DefaultConfig) are METHOD.md's.
type Config struct {
	AudioHidden  int     `json:"audio_hidden"`
	VisualHidden int     `json:"visual_hidden"`
	TextHidden   int     `json:"text_hidden"`
	TextOut      int     `json:"text_out"`
	Dropout      float32 `json:"dropout"`
}

// DefaultConfig is METHOD.md item 7: audio/visual hidden 32, text hidden 64,
// text_out 64, dropout 0.2.
func DefaultConfig() Config {
	return Config{AudioHidden: 32, VisualHidden: 32, TextHidden: 64, TextOut: 64, Dropout: 0.2}
}

// Text is the text encoder: LSTM, final hidden state, dropout, Linear.
type Text struct {
	LSTM    *layers.LSTM
	Dropout layers.Dropout
	Out     *layers.Linear
}

// Forward maps x (B, L, d) to (B, TextOut).
func (e *Text) Forward(tp *autodiff.Tape, mode nn.Mode, x *autodiff.Node) *autodiff.Node {
	h := e.LSTM.Forward(tp, x)
	return e.Out.Forward(tp, e.Dropout.Forward(tp, mode, h))
}

// Params returns the LSTM's and the output layer's parameters.
func (e *Text) Params() []*nn.Param { return nn.Join(e.LSTM, e.Out) }

// Encoders are the three modality encoders.
type Encoders struct {
	Audio, Visual *layers.MLP
	Text          *Text
}

// New builds the encoders for inputs of the given dimensions, with
// parameters named under prefix ("enc" gives enc.a.0.weight, enc.t.lstm...).
func New(prefix string, dims data.Dims, c Config, rng *rand.Rand) *Encoders {
	return &Encoders{
		Audio:  layers.NewMLP(prefix+".a", []int{dims.Audio, c.AudioHidden, c.AudioHidden}, c.Dropout, rng),
		Visual: layers.NewMLP(prefix+".v", []int{dims.Visual, c.VisualHidden, c.VisualHidden}, c.Dropout, rng),
		Text: &Text{
			LSTM:    layers.NewLSTM(prefix+".t.lstm", dims.Text, c.TextHidden, rng),
			Dropout: layers.Dropout{Rate: c.Dropout},
			Out:     layers.NewLinear(prefix+".t.out", c.TextHidden, c.TextOut, true, rng),
		},
	}
}

// OutDims are the sizes of z^a, z^v, z^t.
func (e *Encoders) OutDims() [3]int {
	return [3]int{e.Audio.Layers[len(e.Audio.Layers)-1].Out(), e.Visual.Layers[len(e.Visual.Layers)-1].Out(), e.Text.Out.Out()}
}

// Encode returns z^m for each modality m whose input x[m] is not nil; the
// others stay nil (a missing modality is absent, never zero-filled).
func (e *Encoders) Encode(tp *autodiff.Tape, mode nn.Mode, x [3]*autodiff.Node) [3]*autodiff.Node {
	var z [3]*autodiff.Node
	if x[data.Audio] != nil {
		z[data.Audio] = e.Audio.Forward(tp, mode, x[data.Audio])
	}
	if x[data.Visual] != nil {
		z[data.Visual] = e.Visual.Forward(tp, mode, x[data.Visual])
	}
	if x[data.Text] != nil {
		z[data.Text] = e.Text.Forward(tp, mode, x[data.Text])
	}
	return z
}

// Params returns all encoder parameters, audio, visual, then text.
func (e *Encoders) Params() []*nn.Param { return nn.Join(e.Audio, e.Visual, e.Text) }
