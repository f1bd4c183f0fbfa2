// Package synth generates modistill's synthetic multimodal benchmark, the
// embedded default data of the demo and the tests: MOSI-, POM- and
// IEMOCAP-shaped datasets, deterministic by seed. No features of the real
// datasets can be had here, so this benchmark is a controlled stand-in whose
// generative process is stated in full (README, "The synthetic benchmark").
//
// Per sample, latent variables drive every modality:
//
//   - MOSI: sentiment u ~ N(0, 1) and a sarcasm flag (probability 0.2) that
//     flips the sign of the text cue: s = -1 if sarcastic, else +1.
//     y = clip(1.5·u + 0.5·ε, -3, 3).
//   - POM: three trait factors f ~ N(0, I); trait k is
//     y_k = clip(4 + (W f)_k + c_k·f_1·f_2 + 0.5·ε_k, 1, 7), with W and c
//     drawn from the seed.
//   - IEMOCAP: an emotion (happy, sad, angry, neutral; each binary task asks
//     "is it this one?") with a valence and an arousal; 10% of the labels
//     are flipped.
//
// Cues reach the modalities with different strengths, along fixed random
// directions, under Gaussian noise:
//
//   - text (20 x 300, word vectors): each word is, with probability 0.3, a
//     cue word carrying the text cue (MOSI: 3·s·u; POM: f_1; IEMOCAP:
//     valence), else noise; noise std 0.5 per dimension.
//   - audio and visual: frames (20 per sample) carrying weaker cues plus the
//     cross-modal flag (MOSI: sarcasm, which audio shows most clearly; POM:
//     f_2 in audio, f_3 in visual; IEMOCAP: arousal in audio, valence and
//     arousal weakly in visual). Each frame adds two noises: a per-sample
//     "speaker" offset shared by all the sample's frames (std 1 for audio,
//     1.2 for visual, per dimension) and a per-frame noise of the same std.
//     The utterance-level vectors LMF uses are the frame averages, in which
//     the frame noise shrinks but the speaker offset stays, so audio and
//     visual stay weak cues at the utterance level.
//
// So text alone gets a strong but sign-ambiguous cue, audio and visual weak
// cues and the information that disambiguates it: fusing modalities beats
// any single one, and a unimodal student has something a multimodal teacher
// knows. The README says where distillation can and cannot help here.
package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"

	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/tensor"
)

// Kind names a dataset shape.
type Kind string

// The kinds of synthetic dataset.
const (
	MOSI    Kind = "mosi"
	POM     Kind = "pom"
	IEMOCAP Kind = "iemocap"
)

// Sizes are the number of samples per split.
type Sizes struct{ Train, Valid, Test int }

// Shape is the per-sample shape of the generated inputs.
type Shape struct {
	Audio, Visual, Text int // feature sizes
	Frames              int // audio and visual frames per sample
	Words               int // text length
}

// Spec describes a dataset kind: its default sizes and shapes.
type Spec struct {
	Sizes Sizes
	Shape Shape
}

// Specs are the kinds' defaults. MOSI and IEMOCAP follow METHOD.md (LMF's
// preprocessing; IEMOCAP's visual is 35-d); POM's split sizes are METHOD.md's
// and its 43-d audio and visual features are this project's assumption, as
// METHOD.md does not give them.
var Specs = map[Kind]Spec{
	MOSI:    {Sizes{1284, 229, 686}, Shape{Audio: 74, Visual: 46, Text: 300, Frames: 20, Words: 20}},
	POM:     {Sizes{600, 100, 203}, Shape{Audio: 43, Visual: 43, Text: 300, Frames: 20, Words: 20}},
	IEMOCAP: {Sizes{6373, 1775, 1807}, Shape{Audio: 74, Visual: 35, Text: 300, Frames: 20, Words: 20}},
}

// Config selects what to generate.
type Config struct {
	Kind Kind
	Seed uint64
	// Sizes overrides the kind's split sizes when not zero.
	Sizes Sizes
	// Frames keeps audio and visual as (N, frames, d) sequences instead of
	// utterance averages (N, d).
	Frames bool
	// Params overrides the generator's parameters (nil: DefaultParams).
	Params *Params
	// Oracle replaces the training and validation labels by their
	// expectation given the latents, E[y | u] (MOSI only): the targets of a
	// perfect teacher, for the oracle ceiling of a distillation table. The
	// inputs and the test split, noisy labels included, are unchanged.
	Oracle bool
}

// Params are the generative process's parameters. The MOSI ones shape
// y = clip(Scale·u + LabelNoise·ε, -3, 3), the sarcasm flag and the cues
// (text TextCue·s·u on cue words, audio AudioCue·u and AudioFlag·flag,
// visual VisualCue·u and VisualFlag·flag); the noise levels and the cue-word
// rate apply to every kind. DefaultParams gives the benchmark every figure
// of the README was measured on; the same seed with the same parameters
// gives the same data.
type Params struct {
	Sarcasm     float64 `json:"sarcasm"`       // MOSI: probability that the text cue's sign flips
	LabelNoise  float64 `json:"label_noise"`   // MOSI: std of the label noise ε
	Scale       float64 `json:"scale"`         // MOSI: y's scale on u
	TextCue     float64 `json:"text_cue"`      // MOSI: the text cue's strength
	AudioCue    float64 `json:"audio_cue"`     // MOSI: audio's sentiment cue
	VisualCue   float64 `json:"visual_cue"`    // MOSI: visual's sentiment cue
	AudioFlag   float64 `json:"audio_flag"`    // MOSI: audio's sarcasm cue
	VisualFlag  float64 `json:"visual_flag"`   // MOSI: visual's sarcasm cue
	CueWordRate float64 `json:"cue_word_rate"` // probability that a word carries the text cue
	TextNoise   float64 `json:"text_noise"`    // per-dimension noise std of a word vector
	AudioNoise  float64 `json:"audio_noise"`   // speaker-offset and frame noise std of audio
	VisualNoise float64 `json:"visual_noise"`  // the same for visual
}

// DefaultParams are the benchmark's parameters (the package comment's).
func DefaultParams() Params {
	return Params{Sarcasm: 0.2, LabelNoise: 0.5, Scale: 1.5, TextCue: 3, AudioCue: 0.8, VisualCue: 0.6, AudioFlag: 3, VisualFlag: 2.4,
		CueWordRate: 0.3, TextNoise: 0.5, AudioNoise: 1, VisualNoise: 1.2}
}

// param is one parameter of Params: its command-line name, where it is,
// and its range.
type param struct {
	name   string
	v      *float64
	lo, hi float64
}

// fields lists p's parameters: the one table Validate and Set read.
func (p *Params) fields() []param {
	return []param{{"sarcasm", &p.Sarcasm, 0, 1}, {"label-noise", &p.LabelNoise, 0, 100}, {"scale", &p.Scale, 0, 100},
		{"text-cue", &p.TextCue, -100, 100}, {"audio-cue", &p.AudioCue, -100, 100}, {"visual-cue", &p.VisualCue, -100, 100},
		{"audio-flag", &p.AudioFlag, -100, 100}, {"visual-flag", &p.VisualFlag, -100, 100}, {"cue-word-rate", &p.CueWordRate, 0, 1},
		{"text-noise", &p.TextNoise, 0, 100}, {"audio-noise", &p.AudioNoise, 0, 100}, {"visual-noise", &p.VisualNoise, 0, 100}}
}

// Validate returns an error naming the first parameter out of its range.
func (p Params) Validate() error {
	for _, f := range p.fields() {
		if !(*f.v >= f.lo && *f.v <= f.hi) {
			return fmt.Errorf("synthetic parameter %s %g: want a value in [%g, %g]", f.name, *f.v, f.lo, f.hi)
		}
	}
	return nil
}

// Set sets the parameter a command line names ("sarcasm", "label-noise",
// "audio-cue", ...; the JSON names with dashes) to v.
func (p *Params) Set(name string, v float64) error {
	var names []string
	for _, f := range p.fields() {
		if f.name == name {
			*f.v = v
			return nil
		}
		names = append(names, f.name)
	}
	sort.Strings(names)
	return fmt.Errorf("unknown synthetic parameter %q (known: %s)", name, strings.Join(names, ", "))
}

// Generate returns the dataset(s) of c: one for MOSI and POM, four for
// IEMOCAP (one binary task per emotion, sharing the same inputs).
func Generate(c Config) ([]*data.Dataset, error) {
	spec, ok := Specs[c.Kind]
	if !ok {
		return nil, fmt.Errorf("synthetic kind %q: want mosi, pom or iemocap", c.Kind)
	}
	sizes := spec.Sizes
	if c.Sizes != (Sizes{}) {
		sizes = c.Sizes
	}
	if sizes.Train < 2 || sizes.Valid < 1 || sizes.Test < 1 {
		return nil, fmt.Errorf("synthetic sizes %d/%d/%d: want at least 2 training samples and 1 each for validation and test", sizes.Train, sizes.Valid, sizes.Test)
	}
	if c.Params == nil {
		p := DefaultParams()
		c.Params = &p
	}
	if err := c.Params.Validate(); err != nil {
		return nil, err
	}
	if c.Oracle && c.Kind != MOSI {
		return nil, fmt.Errorf("synthetic %s: oracle labels are defined for mosi only", c.Kind)
	}
	g := newGenerator(c, spec.Shape)
	splits := [3]*data.Split{g.split(sizes.Train, c.Oracle), g.split(sizes.Valid, c.Oracle), g.split(sizes.Test, false)}
	name := fmt.Sprintf("synthetic-%s (seed %d)", c.Kind, c.Seed)
	switch c.Kind {
	case MOSI:
		return []*data.Dataset{{Name: name, Format: "synthetic", Train: splits[0], Valid: splits[1], Test: splits[2],
			Task: data.MOSITask()}}, nil
	case POM:
		return []*data.Dataset{{Name: name, Format: "synthetic", Train: splits[0], Valid: splits[1], Test: splits[2],
			Task: data.Task{Kind: data.Regression, Targets: pomTraits, Lo: 1, Hi: 7}}}, nil
	}
	// IEMOCAP: the same inputs, one label column per emotion, one dataset each.
	var out []*data.Dataset
	for k, emo := range Emotions {
		ds := &data.Dataset{Name: fmt.Sprintf("%s %s", name, emo), Format: "synthetic",
			Task: data.Task{Kind: data.Classification, Targets: []string{emo}, Classes: 2}}
		var parts [3]*data.Split
		for i, s := range splits {
			sub := *s
			sub.Labels = column(s.Labels, k)
			parts[i] = &sub
		}
		ds.Train, ds.Valid, ds.Test = parts[0], parts[1], parts[2]
		out = append(out, ds)
	}
	return out, nil
}

// MustMOSI generates a MOSI-shaped dataset of the given sizes (utterance
// averages), for the demo and tests; it panics on sizes Generate rejects.
func MustMOSI(seed uint64, sizes Sizes) *data.Dataset {
	ds, err := Generate(Config{Kind: MOSI, Seed: seed, Sizes: sizes})
	if err != nil {
		panic(err)
	}
	return ds[0]
}

// Emotions are IEMOCAP's four binary tasks, in LMF's order.
var Emotions = []string{"happy", "sad", "angry", "neutral"}

var pomTraits = []string{"confidence", "passionate", "pleasant", "dominant", "credible", "vivid", "expertise",
	"entertaining", "reserved", "trusting", "relaxed", "outgoing", "thorough", "nervous", "persuasive", "humorous"}

// emotion valence and arousal: happy, sad, angry, neutral.
var emotionVA = [4][2]float64{{1, 1}, {-1, -1}, {-1, 1}, {0, 0}}

type generator struct {
	c     Config
	sh    Shape
	rng   *rand.Rand
	dirs  map[string][]float64 // fixed cue directions
	pomW  [][]float64          // 16 x 3 trait loadings
	pomC  []float64            // interaction weights
	label int                  // label columns
}

func newGenerator(c Config, sh Shape) *generator {
	rng := rand.New(rand.NewPCG(c.Seed, 0x73796e7468))
	g := &generator{c: c, sh: sh, rng: rng, dirs: map[string][]float64{}}
	for _, name := range []string{"a1", "a2", "v1", "v2"} {
		n := sh.Audio
		if name[0] == 'v' {
			n = sh.Visual
		}
		g.dirs[name] = unit(rng, n)
	}
	g.dirs["t1"] = unit(rng, sh.Text)
	switch c.Kind {
	case MOSI:
		g.label = 1
	case POM:
		g.label = len(pomTraits)
		for range pomTraits {
			w := make([]float64, 3)
			for j := range w {
				w[j] = 0.8 * rng.NormFloat64()
			}
			g.pomW = append(g.pomW, w)
			g.pomC = append(g.pomC, 0.6*rng.NormFloat64())
		}
	case IEMOCAP:
		g.label = len(Emotions)
	}
	return g
}

// cues is what one sample's latents put into each modality.
type cues struct {
	text          float64 // along t1, on cue words
	audio, audio2 float64 // along a1, a2
	vis, vis2     float64 // along v1, v2
}

// sample draws one sample's latents, labels and cues; with oracle, the
// labels are their expectation given the latents (the noise still drawn, so
// the stream and the inputs are the same).
func (g *generator) sample(labels []float32, oracle bool) cues {
	rng := g.rng
	switch g.c.Kind {
	case MOSI:
		p := g.c.Params
		u := rng.NormFloat64()
		flag, s := 0.0, 1.0
		if rng.Float64() < p.Sarcasm {
			flag, s = 1, -1
		}
		labels[0] = float32(clip(p.Scale*u+p.LabelNoise*rng.NormFloat64(), -3, 3))
		if oracle {
			labels[0] = float32(clippedNormalMean(p.Scale*u, p.LabelNoise, -3, 3))
		}
		return cues{text: p.TextCue * s * u, audio: p.AudioCue * u, audio2: p.AudioFlag * flag, vis: p.VisualCue * u, vis2: p.VisualFlag * flag}
	case POM:
		f := [3]float64{rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()}
		for k := range labels {
			w := g.pomW[k]
			y := 4 + w[0]*f[0] + w[1]*f[1] + w[2]*f[2] + g.pomC[k]*f[0]*f[1] + 0.5*rng.NormFloat64()
			labels[k] = float32(clip(y, 1, 7))
		}
		return cues{text: 2 * f[0], audio: 0.9 * f[1], audio2: 0.3 * f[0], vis: 0.8 * f[2], vis2: 0.3 * f[1]}
	default: // IEMOCAP
		e := rng.IntN(4)
		va := emotionVA[e]
		valence, arousal := va[0]+0.3*rng.NormFloat64(), va[1]+0.3*rng.NormFloat64()
		for k := range labels {
			y := 0.0
			if k == e {
				y = 1
			}
			if rng.Float64() < 0.1 {
				y = 1 - y
			}
			labels[k] = float32(y)
		}
		return cues{text: 2 * valence, audio: 1.2 * arousal, audio2: 0.3 * valence, vis: 0.5 * valence, vis2: 0.5 * arousal}
	}
}

func (g *generator) split(n int, oracle bool) *data.Split {
	sh, rng := g.sh, g.rng
	F := sh.Frames
	a := tensor.New(n, F, sh.Audio)
	v := tensor.New(n, F, sh.Visual)
	t := tensor.New(n, sh.Words, sh.Text)
	y := tensor.New(n, g.label)
	for i := range n {
		c := g.sample(y.Data[i*g.label:(i+1)*g.label], oracle)
		p := g.c.Params
		g.frames(a.Data[i*F*sh.Audio:(i+1)*F*sh.Audio], F, p.AudioNoise, c.audio, g.dirs["a1"], c.audio2, g.dirs["a2"])
		g.frames(v.Data[i*F*sh.Visual:(i+1)*F*sh.Visual], F, p.VisualNoise, c.vis, g.dirs["v1"], c.vis2, g.dirs["v2"])
		for w := range sh.Words {
			cue := 0.0
			if rng.Float64() < p.CueWordRate {
				cue = c.text
			}
			frame(rng, t.Data[(i*sh.Words+w)*sh.Text:(i*sh.Words+w+1)*sh.Text], p.TextNoise, cue, g.dirs["t1"], 0, nil)
		}
	}
	s := &data.Split{Inputs: [3]*tensor.Tensor{a, v, t}, Labels: y}
	if !g.c.Frames {
		s.Inputs[data.Audio] = meanFrames(a)
		s.Inputs[data.Visual] = meanFrames(v)
	}
	return s
}

// frames writes one sample's F frames of dimension len(d1): the cues
// c1·d1 + c2·d2, a speaker offset ~ N(0, noise²·I) shared by the frames,
// and per-frame noise ~ N(0, noise²·I).
func (g *generator) frames(dst []float32, F int, noise, c1 float64, d1 []float64, c2 float64, d2 []float64) {
	d := len(d1)
	speaker := make([]float64, d)
	for j := range speaker {
		speaker[j] = noise*g.rng.NormFloat64() + c1*d1[j] + c2*d2[j]
	}
	for f := range F {
		frame(g.rng, dst[f*d:(f+1)*d], noise, 1, speaker, 0, nil)
	}
}

// frame writes noise·N(0, I) + c1·d1 + c2·d2 into dst.
func frame(rng *rand.Rand, dst []float32, noise, c1 float64, d1 []float64, c2 float64, d2 []float64) {
	for j := range dst {
		x := noise*rng.NormFloat64() + c1*d1[j]
		if d2 != nil {
			x += c2 * d2[j]
		}
		dst[j] = float32(x)
	}
}

// meanFrames averages (N, F, d) over frames to (N, d).
func meanFrames(x *tensor.Tensor) *tensor.Tensor {
	n, F, d := x.Shape[0], x.Shape[1], x.Shape[2]
	out := tensor.New(n, d)
	for i := range n {
		dst := out.Data[i*d : (i+1)*d]
		for f := range F {
			for j, v := range x.Data[(i*F+f)*d : (i*F+f+1)*d] {
				dst[j] += v / float32(F)
			}
		}
	}
	return out
}

// column returns label column k as an (N, 1) tensor.
func column(t *tensor.Tensor, k int) *tensor.Tensor {
	n, c := t.Shape[0], t.Shape[1]
	out := tensor.New(n, 1)
	for i := range n {
		out.Data[i] = t.Data[i*c+k]
	}
	return out
}

func clip(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }

// clippedNormalMean is E[clip(μ + σZ, lo, hi)] for Z ~ N(0, 1):
//
//	lo·Φ(a) + hi·(1 - Φ(b)) + μ·(Φ(b) - Φ(a)) + σ·(φ(a) - φ(b)),
//
// a = (lo - μ)/σ, b = (hi - μ)/σ; clip(μ) when σ = 0.
func clippedNormalMean(mu, sigma, lo, hi float64) float64 {
	if sigma == 0 {
		return clip(mu, lo, hi)
	}
	a, b := (lo-mu)/sigma, (hi-mu)/sigma
	Phi := func(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }
	phi := func(x float64) float64 { return math.Exp(-x*x/2) / math.Sqrt(2*math.Pi) }
	return lo*Phi(a) + hi*(1-Phi(b)) + mu*(Phi(b)-Phi(a)) + sigma*(phi(a)-phi(b))
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

// ParseParams reads "name=value,name=value" (the names of Params.Set) over
// DefaultParams; "" is the defaults.
func ParseParams(spec string) (Params, error) {
	p := DefaultParams()
	if strings.TrimSpace(spec) == "" {
		return p, nil
	}
	for _, kv := range strings.Split(spec, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if !ok || err != nil {
			return p, fmt.Errorf("synthetic parameter %q: want name=number", kv)
		}
		if err := p.Set(strings.TrimSpace(k), x); err != nil {
			return p, err
		}
	}
	return p, p.Validate()
}
