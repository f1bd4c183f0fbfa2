package data

import (
	"fmt"
	"math/rand/v2"

	"github.com/modistill/modistill/data/text"
	"github.com/modistill/modistill/tensor"
)

// MaskSteps returns a copy of b in which every valid step of every sequence
// modality is masked, independently, with probability rate: a frame of audio
// or visual features, or a word vector, becomes zeros; a token id becomes
// text.Unknown. This is the random-missing-rate protocol of MMSA and LNLN.
// Sequence lengths are kept, so a masked step is still read, as a blank. b
// is not modified. A modality given as one vector per sample (the bc-LSTM
// release's utterance features) is a sequence of one step: its vector
// becomes zeros with probability rate, so that at rate r a sample lacks
// each such modality with probability r.
func MaskSteps(b *Batch, rate float64, rng *rand.Rand) (*Batch, error) {
	if rate < 0 || rate > 1 {
		return nil, fmt.Errorf("mask rate %g: want 0 to 1", rate)
	}
	out := *b
	for _, m := range Modalities {
		x := b.Inputs[m]
		if x == nil {
			continue
		}
		y := tensor.New(x.Shape...)
		copy(y.Data, x.Data)
		if len(x.Shape) == 2 { // one step per sample
			d := x.Shape[1]
			for i := range x.Shape[0] {
				if rng.Float64() < rate {
					clear(y.Data[i*d : (i+1)*d])
				}
			}
			out.Inputs[m] = y
			continue
		}
		if len(x.Shape) != 3 {
			return nil, fmt.Errorf("mask %s: a %s tensor is neither one vector nor a sequence per sample", m, tensor.ShapeString(x.Shape))
		}
		L, d := x.Shape[1], x.Shape[2]
		for i := range x.Shape[0] {
			n := L
			if b.Lengths[m] != nil {
				n = b.Lengths[m][i]
			}
			for s := range n {
				if rng.Float64() < rate {
					clear(y.Data[(i*L+s)*d : (i*L+s+1)*d])
				}
			}
		}
		out.Inputs[m] = y
	}
	if t := b.Tokens; t != nil {
		ids := append([]int32(nil), t.IDs...)
		for i := range len(ids) / t.L {
			n := t.L
			if b.Lengths[Text] != nil {
				n = b.Lengths[Text][i]
			}
			for s := range n {
				if rng.Float64() < rate {
					ids[i*t.L+s] = text.Unknown
				}
			}
		}
		out.Tokens = &Tokens{IDs: ids, L: t.L}
	}
	return &out, nil
}
