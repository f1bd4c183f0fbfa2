package experiment

import (
	"fmt"
	"math/rand/v2"

	"github.com/modistill/modistill/systems"
)

// Setting is one point of the hyperparameter grid.
type Setting struct {
	AudioHidden  int     `json:"audio_hidden"`
	VisualHidden int     `json:"visual_hidden"`
	TextHidden   int     `json:"text_hidden"`
	Dropout      float64 `json:"dropout"`
	LR           float64 `json:"lr"`
	BatchSize    int     `json:"batch_size"`
	WeightDecay  float64 `json:"weight_decay"`
	Rank         int     `json:"rank"`
}

// Grid is METHOD.md's search space (LMF's, with R in {1, 4, 8, 16}).
var Grid = struct {
	AudioHidden, VisualHidden, TextHidden, BatchSize, Rank []int
	Dropout, LR, WeightDecay                               []float64
}{
	AudioHidden:  []int{4, 8, 16},
	VisualHidden: []int{4, 8, 16},
	TextHidden:   []int{64, 128, 256},
	Dropout:      []float64{0, 0.1, 0.15, 0.2, 0.3, 0.5},
	LR:           []float64{3e-4, 5e-4, 1e-3, 3e-3},
	BatchSize:    []int{4, 8, 16, 32, 64, 128},
	WeightDecay:  []float64{0, 0.001, 0.002, 0.01},
	Rank:         []int{1, 4, 8, 16},
}

// SampleSettings draws n distinct settings from Grid at random, as LMF
// searched, from a generator seeded by seed: the same seed, the same
// settings.
func SampleSettings(n int, seed uint64) []Setting {
	rng := rand.New(rand.NewPCG(seed, 0x5ea4c4))
	pickI := func(v []int) int { return v[rng.IntN(len(v))] }
	pickF := func(v []float64) float64 { return v[rng.IntN(len(v))] }
	seen := map[Setting]bool{}
	var out []Setting
	for tries := 0; len(out) < n && tries < 100*n; tries++ {
		s := Setting{pickI(Grid.AudioHidden), pickI(Grid.VisualHidden), pickI(Grid.TextHidden), pickF(Grid.Dropout),
			pickF(Grid.LR), pickI(Grid.BatchSize), pickF(Grid.WeightDecay), pickI(Grid.Rank)}
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// Hyper is the setting as overrides of a system's defaults (a system
// ignores what it does not have, such as a rank without a fusion tensor).
func (s Setting) Hyper() systems.Hyper {
	return systems.Hyper{AudioHidden: &s.AudioHidden, VisualHidden: &s.VisualHidden, TextHidden: &s.TextHidden,
		Dropout: &s.Dropout, LR: &s.LR, WeightDecay: &s.WeightDecay, Rank: &s.Rank}
}

// SearchSeed is the seed of a (dataset, system) search: its settings and the
// model seed every setting is trained with.
func SearchSeed(dataset, system string) uint64 {
	var h uint64 = 14695981039346656037 // FNV-1a
	for _, c := range []byte(dataset + "/" + system) {
		h = (h ^ uint64(c)) * 1099511628211
	}
	return h
}

// Best returns the search trial with the lowest validation loss among
// results (ties: the earlier setting).
func Best(results []*Result) (*Result, error) {
	var best *Result
	for _, r := range results {
		if r.Search == 0 {
			return nil, fmt.Errorf("%s is not a search trial", r.Key())
		}
		if best == nil || r.ValidLoss < best.ValidLoss || r.ValidLoss == best.ValidLoss && r.Search < best.Search {
			best = r
		}
	}
	if best == nil {
		return nil, fmt.Errorf("no search trials")
	}
	return best, nil
}
