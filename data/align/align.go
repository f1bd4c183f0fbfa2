// Package align builds a dataset from CMU-MultimodalSDK computational
// sequences the way the SDK's mmdataset does (SDK-ALIGN.md in ../shared/
// data states it, read from the SDK's source): unify the videos, align
// every sequence to a reference sequence's rows (the words), collapsing the
// rows that fall within each reference row by an unweighted average,
// impute the rows a sequence lacks with zeros, align again to the labels
// without collapsing, keep the segments every sequence has (hard_unify),
// and cut each segment to tensors (get_tensors). Every rule, including the
// edge cases (a reference row shorter than Eps is skipped but its index
// consumed; rows that only touch an edge are dropped), is a unit test.
//
// The sequences are held in memory (as package csd reads them); alignment
// then goes video by video, and its output references the input's feature
// rows rather than copying them (collapsed rows are new).
package align

import (
	"fmt"
	"sort"
	"strings"

	"github.com/modistill/modistill/data/csd"
)

// Eps is the SDK's tolerance, in seconds (its source writes 10e-6).
const Eps = 1e-5

// Rows are one entry's rows: intervals (start, end seconds) and features,
// one row of Dim values each.
type Rows struct {
	Intervals [][2]float64
	Features  [][]float32
}

// Sequence maps entry keys (video ids; after alignment "video[i]") to rows.
type Sequence struct {
	Name    string
	Dim     int
	Entries map[string]*Rows
}

// FromCSD converts a computational sequence read by package csd.
func FromCSD(s *csd.Sequence) *Sequence {
	out := &Sequence{Name: s.Name, Dim: s.Dim, Entries: map[string]*Rows{}}
	for _, v := range s.Videos {
		r := &Rows{}
		for i, iv := range v.Intervals {
			r.Intervals = append(r.Intervals, iv)
			r.Features = append(r.Features, v.Features[i*s.Dim:(i+1)*s.Dim])
		}
		out.Entries[v.ID] = r
	}
	return out
}

// Video strips an entry key's "[...]" suffixes: "vid[3]" is video "vid".
func Video(key string) string {
	if i := strings.IndexByte(key, '['); i >= 0 {
		return key[:i]
	}
	return key
}

// Keys returns s's entry keys, sorted.
func (s *Sequence) Keys() []string {
	keys := make([]string, 0, len(s.Entries))
	for k := range s.Entries {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Unify keeps, in every sequence, only the entries whose video (the key
// without its "[...]" suffix) every sequence has, and returns the videos
// dropped, sorted.
func Unify(seqs []*Sequence) []string {
	count := map[string]int{}
	for _, s := range seqs {
		seen := map[string]bool{}
		for k := range s.Entries {
			seen[Video(k)] = true
		}
		for v := range seen {
			count[v]++
		}
	}
	var dropped []string
	for v, n := range count {
		if n < len(seqs) {
			dropped = append(dropped, v)
		}
	}
	sort.Strings(dropped)
	gone := map[string]bool{}
	for _, v := range dropped {
		gone[v] = true
	}
	for _, s := range seqs {
		for k := range s.Entries {
			if gone[Video(k)] {
				delete(s.Entries, k)
			}
		}
	}
	return dropped
}

// Collapse turns the rows kept for one reference row into one row of
// features (with the interval [first start, last end]); nil keeps them.
type Collapse func(intervals [][2]float64, features [][]float32) []float32

// Average is the SDK's usual collapse: the mean of the rows, not weighted
// by their durations.
func Average(_ [][2]float64, features [][]float32) []float32 {
	out := make([]float32, len(features[0]))
	for _, f := range features {
		for j, v := range f {
			out[j] += v
		}
	}
	for j := range out {
		out[j] /= float32(len(features))
	}
	return out
}

// Align aligns every sequence to ref (one of seqs, by index) after Unify:
// for each video and each row i of the reference's entry, in stored order,
// with interval r = [r0, r1]:
//   - if r1 - r0 < Eps the row is skipped, its index consumed;
//   - the reference keeps its row i;
//   - every other sequence keeps its rows (all entries of the video, sorted
//     by start) with s0 < r1 + Eps and s1 > r0 - Eps, clipped to
//     [max(s0, r0), min(s1, r1)], less those whose clipped length is <= Eps;
//     none left is a hole (no entry);
//   - with a collapse, each sequence's kept rows (the reference's too)
//     become one row, interval [min start, max end] of the clipped rows;
//   - the rows are stored under "key[i]".
//
// It returns the aligned sequences (new values; seqs are not changed) and
// the videos Unify dropped.
func Align(seqs []*Sequence, ref int, collapse Collapse) ([]*Sequence, []string) {
	seqs = shallowCopies(seqs) // Unify deletes entries
	dropped := Unify(seqs)
	out := make([]*Sequence, len(seqs))
	for i, s := range seqs {
		out[i] = &Sequence{Name: s.Name, Dim: s.Dim, Entries: map[string]*Rows{}}
	}
	byVideo := make([]map[string]*Rows, len(seqs)) // each sequence's rows per video, sorted by start
	for i, s := range seqs {
		if i == ref {
			continue
		}
		byVideo[i] = map[string]*Rows{}
		for _, k := range s.Keys() {
			v := Video(k)
			r := byVideo[i][v]
			if r == nil {
				r = &Rows{}
				byVideo[i][v] = r
			}
			r.Intervals = append(r.Intervals, s.Entries[k].Intervals...)
			r.Features = append(r.Features, s.Entries[k].Features...)
		}
		for _, r := range byVideo[i] {
			sortRows(r)
		}
	}
	for _, key := range seqs[ref].Keys() {
		rr := seqs[ref].Entries[key]
		for i, r := range rr.Intervals {
			if r[1]-r[0] < Eps {
				continue
			}
			name := fmt.Sprintf("%s[%d]", key, i)
			for m := range seqs {
				var kept *Rows
				if m == ref {
					kept = &Rows{Intervals: [][2]float64{r}, Features: [][]float32{rr.Features[i]}}
				} else {
					kept = overlapping(byVideo[m][Video(key)], r)
					if kept == nil {
						continue // a hole
					}
				}
				if collapse != nil {
					kept = &Rows{Intervals: [][2]float64{span(kept.Intervals)}, Features: [][]float32{collapse(kept.Intervals, kept.Features)}}
				}
				out[m].Entries[name] = kept
			}
		}
	}
	return out, dropped
}

// shallowCopies copies each sequence and its map of entries (not the rows).
func shallowCopies(seqs []*Sequence) []*Sequence {
	out := make([]*Sequence, len(seqs))
	for i, s := range seqs {
		c := *s
		c.Entries = make(map[string]*Rows, len(s.Entries))
		for k, v := range s.Entries {
			c.Entries[k] = v
		}
		out[i] = &c
	}
	return out
}

// overlapping returns the rows of src overlapping r, clipped to it (nil if
// none is left).
func overlapping(src *Rows, r [2]float64) *Rows {
	if src == nil {
		return nil
	}
	var out Rows
	for j, s := range src.Intervals {
		if !(s[0] < r[1]+Eps && s[1] > r[0]-Eps) {
			continue
		}
		c := [2]float64{max(s[0], r[0]), min(s[1], r[1])}
		if c[1]-c[0] <= Eps {
			continue // touches an edge only
		}
		out.Intervals = append(out.Intervals, c)
		out.Features = append(out.Features, src.Features[j])
	}
	if len(out.Intervals) == 0 {
		return nil
	}
	return &out
}

// span is [min start, max end] of intervals.
func span(iv [][2]float64) [2]float64 {
	s := iv[0]
	for _, x := range iv[1:] {
		s[0], s[1] = min(s[0], x[0]), max(s[1], x[1])
	}
	return s
}

// sortRows sorts rows by start time, keeping the order of equal starts.
func sortRows(r *Rows) {
	idx := make([]int, len(r.Intervals))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return r.Intervals[idx[a]][0] < r.Intervals[idx[b]][0] })
	iv, f := make([][2]float64, len(idx)), make([][]float32, len(idx))
	for i, j := range idx {
		iv[i], f[i] = r.Intervals[j], r.Features[j]
	}
	r.Intervals, r.Features = iv, f
}

// Impute gives every sequence an entry for each key of seqs[ref] it lacks:
// the reference's intervals and zero features.
func Impute(seqs []*Sequence, ref int) {
	for key, rr := range seqs[ref].Entries {
		for m, s := range seqs {
			if m == ref || s.Entries[key] != nil {
				continue
			}
			r := &Rows{Intervals: append([][2]float64(nil), rr.Intervals...)}
			for range rr.Intervals {
				r.Features = append(r.Features, make([]float32, s.Dim))
			}
			s.Entries[key] = r
		}
	}
}

// HardUnify keeps only the entry keys every sequence has, and returns the
// number removed (counted once per key).
func HardUnify(seqs []*Sequence) int {
	count := map[string]int{}
	for _, s := range seqs {
		for k := range s.Entries {
			count[k]++
		}
	}
	removed := 0
	for k, n := range count {
		if n < len(seqs) {
			removed++
			for _, s := range seqs {
				delete(s.Entries, k)
			}
		}
	}
	return removed
}

// Tensor cuts an entry's rows to seqLen x dim: keepLast keeps the last
// seqLen rows (else the first), padFront puts the zero rows in front (else
// after). get_tensors with direction=False is (true, true), with
// direction=True (false, false); LMF's text is (false, true).
func Tensor(r *Rows, dim, seqLen int, keepLast, padFront bool) []float32 {
	out := make([]float32, seqLen*dim)
	n := min(len(r.Features), seqLen)
	for k := range n {
		src := r.Features[k]
		if keepLast {
			src = r.Features[len(r.Features)-n+k]
		}
		dst := k
		if padFront {
			dst = seqLen - n + k
		}
		copy(out[dst*dim:(dst+1)*dim], src)
	}
	return out
}

// Mean is the unweighted mean of an entry's rows (LMF's utterance-level
// audio and visual vectors).
func Mean(r *Rows, dim int) []float32 {
	if len(r.Features) == 0 {
		return make([]float32, dim)
	}
	return Average(r.Intervals, r.Features)
}
