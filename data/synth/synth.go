// Package synth generates modistill's synthetic multimodal sentiment data:
// deterministic by seed, shaped like CMU-MOSI (audio 74, visual 46, text
// 20 x 300), with a generative process in which fusing modalities beats any
// single one.
//
// The process, per sample:
//
//	u ~ N(0, 1)                     latent sentiment
//	sarcastic ~ Bernoulli(0.2)      a cross-modal flag; s = -1 if sarcastic, else +1
//	y = clip(1.5·u + 0.5·ε, -3, 3)  the label (ε ~ N(0, 1): label noise)
//	audio  = 0.8·u·d_a + 1.5·[sarcastic]·e_a + N(0, I)
//	visual = 0.6·u·d_v + 1.5·[sarcastic]·e_v + N(0, I)
//	text_k = 3·s·u·d_t (with probability 0.3, a sentiment word) + 0.5·N(0, I),  k = 1..20
//
// d_m and e_m are fixed random unit directions (drawn from the seed). Text
// carries the strongest cue of u, but its sign is flipped for sarcastic
// samples, which only audio and visual reveal: a model needs text and one of
// the others to get both magnitude and sign.
package synth

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/tensor"
)

// Sizes are the number of samples per split.
type Sizes struct{ Train, Valid, Test int }

// MOSISizes are CMU-MOSI's standard fold sizes.
var MOSISizes = Sizes{Train: 1284, Valid: 229, Test: 686}

// Shape is the per-sample shape of the generated inputs.
type Shape struct{ Audio, Visual, TextLen, Text int }

// MOSIShape is CMU-MOSI's shape in LMF's preprocessing.
var MOSIShape = Shape{Audio: 74, Visual: 46, TextLen: 20, Text: 300}

// MOSI generates a MOSI-shaped regression dataset of the given sizes.
func MOSI(seed uint64, sizes Sizes) *data.Dataset {
	return generate(seed, sizes, MOSIShape)
}

func generate(seed uint64, sizes Sizes, sh Shape) *data.Dataset {
	rng := rand.New(rand.NewPCG(seed, 0x73796e7468))
	g := &generator{rng: rng, sh: sh,
		dA: unit(rng, sh.Audio), eA: unit(rng, sh.Audio),
		dV: unit(rng, sh.Visual), eV: unit(rng, sh.Visual),
		dT: unit(rng, sh.Text)}
	return &data.Dataset{
		Name:  fmt.Sprintf("synthetic-mosi (seed %d)", seed),
		Task:  data.Task{Kind: data.Regression, Targets: []string{"sentiment"}, Lo: -3, Hi: 3},
		Train: g.split(sizes.Train),
		Valid: g.split(sizes.Valid),
		Test:  g.split(sizes.Test),
	}
}

type generator struct {
	rng                *rand.Rand
	sh                 Shape
	dA, eA, dV, eV, dT []float64
}

func (g *generator) split(n int) *data.Split {
	sh, rng := g.sh, g.rng
	a := tensor.New(n, sh.Audio)
	v := tensor.New(n, sh.Visual)
	t := tensor.New(n, sh.TextLen, sh.Text)
	y := tensor.New(n, 1)
	for i := range n {
		u := rng.NormFloat64()
		sarcastic := rng.Float64() < 0.2
		s, flag := 1.0, 0.0
		if sarcastic {
			s, flag = -1, 1
		}
		y.Data[i] = float32(math.Max(-3, math.Min(3, 1.5*u+0.5*rng.NormFloat64())))
		fill(rng, a.Data[i*sh.Audio:(i+1)*sh.Audio], 1, 0.8*u, g.dA, 1.5*flag, g.eA)
		fill(rng, v.Data[i*sh.Visual:(i+1)*sh.Visual], 1, 0.6*u, g.dV, 1.5*flag, g.eV)
		for k := range sh.TextLen {
			row := t.Data[(i*sh.TextLen+k)*sh.Text : (i*sh.TextLen+k+1)*sh.Text]
			cue := 0.0
			if rng.Float64() < 0.3 {
				cue = 3 * s * u
			}
			fill(rng, row, 0.5, cue, g.dT, 0, nil)
		}
	}
	return &data.Split{Inputs: [3]*tensor.Tensor{a, v, t}, Labels: y}
}

// fill writes noise·N(0, I) + c1·d1 + c2·d2 into dst.
func fill(rng *rand.Rand, dst []float32, noise, c1 float64, d1 []float64, c2 float64, d2 []float64) {
	for j := range dst {
		x := noise*rng.NormFloat64() + c1*d1[j]
		if d2 != nil {
			x += c2 * d2[j]
		}
		dst[j] = float32(x)
	}
}

// unit returns a random unit vector of dimension n.
func unit(rng *rand.Rand, n int) []float64 {
	v := make([]float64, n)
	var s float64
	for i := range v {
		v[i] = rng.NormFloat64()
		s += v[i] * v[i]
	}
	s = math.Sqrt(s)
	for i := range v {
		v[i] /= s
	}
	return v
}
