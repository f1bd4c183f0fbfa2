package data

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Subset is a set of modalities, indexed by Modality: the modalities a
// model is given, or can answer from.
type Subset [3]bool

// All is the subset of all three modalities.
var All = Subset{true, true, true}

// Subsets are the 7 non-empty subsets of {audio, visual, text}, in the
// order of the paper's tables: all three, then the pairs (av, at, vt), then
// each alone.
var Subsets = []Subset{
	All,
	{true, true, false}, {true, false, true}, {false, true, true},
	{true, false, false}, {false, true, false}, {false, false, true},
}

// Only is the subset of modality m alone.
func Only(m Modality) Subset {
	var s Subset
	s[m] = true
	return s
}

// Has reports whether m is in the subset.
func (s Subset) Has(m Modality) bool { return s[m] }

// String is the subset's code, the letters of its modalities in order
// ("avt", "t"; "" for the empty subset).
func (s Subset) String() string {
	var b strings.Builder
	for _, m := range Modalities {
		if s[m] {
			b.WriteString(m.Letter())
		}
	}
	return b.String()
}

// ParseSubset reads a subset's code: letters among a, v and t, each at
// most once, in any order.
func ParseSubset(code string) (Subset, error) {
	var s Subset
	if code == "" {
		return s, fmt.Errorf("empty modality subset: want letters among a, v and t, such as avt or t")
	}
	for _, c := range code {
		m := strings.IndexRune("avt", c)
		if m < 0 {
			return Subset{}, fmt.Errorf("modality subset %q: %q is not a modality; want letters among a, v and t", code, c)
		}
		if s[m] {
			return Subset{}, fmt.Errorf("modality subset %q: %q twice", code, c)
		}
		s[m] = true
	}
	return s, nil
}

// SortConditions orders subset codes (and condition names built on them,
// such as "avt@0.5") as tables list them: more modalities first, then by
// name.
func SortConditions(names []string) {
	sort.Slice(names, func(i, j int) bool {
		return len(names[i]) > len(names[j]) || len(names[i]) == len(names[j]) && names[i] < names[j]
	})
}

// MustTake panics unless use is among can: a model asked to predict from a
// subset it does not list in its Subsets is a programmer's error.
func MustTake(model string, use Subset, can []Subset) {
	if slices.Contains(can, use) {
		return
	}
	names := make([]string, len(can))
	for i, s := range can {
		names[i] = s.String()
	}
	panic(fmt.Sprintf("%s predicts from %s, not from %q", model, strings.Join(names, ", "), use.String()))
}
