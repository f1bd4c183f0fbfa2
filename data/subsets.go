package data

import "sort"

// Subsets are the 7 non-empty subsets of {audio, visual, text}, as "use"
// flags indexed by Modality, in the order of the paper's tables: all three,
// then the pairs (av, at, vt), then each alone.
var Subsets = [][3]bool{
	{true, true, true},
	{true, true, false}, {true, false, true}, {false, true, true},
	{true, false, false}, {false, true, false}, {false, false, true},
}

// SubsetName is a subset's code, the letters of its modalities ("avt", "t").
func SubsetName(use [3]bool) string {
	s := ""
	for i, u := range use {
		if u {
			s += "avt"[i : i+1]
		}
	}
	return s
}

// SortConditions orders subset codes (and condition names built on them,
// such as "avt@0.5") as tables list them: more modalities first, then by
// name.
func SortConditions(names []string) {
	sort.Slice(names, func(i, j int) bool {
		return len(names[i]) > len(names[j]) || len(names[i]) == len(names[j]) && names[i] < names[j]
	})
}
