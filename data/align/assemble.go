package align

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/tensor"
)

// Options shape an assembled dataset.
type Options struct {
	// SeqLen is the steps per segment: get_tensors' seq_len for sequences,
	// the words kept for Utterance. 0: 50 for sequences, 20 for Utterance.
	SeqLen int
	// Utterance writes LMF's layout: audio and visual averaged over the
	// segment's word-level rows (unweighted), text the first SeqLen words
	// with zeros in front. Otherwise get_tensors' sequences (direction
	// False: zeros in front, the last SeqLen rows).
	Utterance bool
	// Folds maps each video to "train", "valid" or "test".
	Folds map[string]string
}

// Report counts what assembling dropped or filled in.
type Report struct {
	DroppedVideos []string       // by unify, in any sequence
	Imputed       map[string]int // word-level rows filled with zeros: "audio", "visual"
	NonFinite     map[string]int // NaN and infinite values written as 0: "audio", "visual", "text"
	Unaligned     int            // segments some sequence had no row for (hard_unify)
	NoFold        []string       // videos in no fold, whose segments were skipped
	Segments      map[string]int // per split
}

// Assemble runs SDK-ALIGN.md's standard MOSI pipeline: align audio and
// visual to the text's rows (the words) with Average, impute, align all to
// the labels without collapsing, hard_unify, and cut to tensors. The labels
// hold one value per segment; ids are "video$_$j", j the segment's 1-based
// position in the labels.
func Assemble(labels, audio, visual, text *Sequence, opt Options) (*data.Dataset, *Report, error) {
	if labels.Dim != 1 {
		return nil, nil, fmt.Errorf("labels %q: %d values per segment, want 1", labels.Name, labels.Dim)
	}
	for _, s := range []*Sequence{audio, visual, text} {
		if s.Dim < 1 {
			return nil, nil, fmt.Errorf("%q has features of %d values", s.Name, s.Dim)
		}
	}
	L := opt.SeqLen
	if L <= 0 {
		L = 50
		if opt.Utterance {
			L = 20
		}
	}
	rep := &Report{Imputed: map[string]int{}, NonFinite: map[string]int{}, Segments: map[string]int{}}
	words, dropped := Align([]*Sequence{text, audio, visual}, 0, Average)
	rep.DroppedVideos = dropped
	for i, role := range []string{"audio", "visual"} {
		rep.Imputed[role] = len(words[0].Entries) - len(words[i+1].Entries)
	}
	Impute(words, 0)
	segs, dropped := Align(append([]*Sequence{labels}, words...), 0, nil)
	rep.DroppedVideos = union(rep.DroppedVideos, dropped)
	rep.Unaligned = HardUnify(segs)
	type sample struct {
		id    string
		x     [3][]float32
		label float32
	}
	dims := [3]int{audio.Dim, visual.Dim, text.Dim}
	bySplit := map[string][]sample{}
	noFold := map[string]bool{}
	for _, key := range segs[0].Keys() {
		video := Video(key)
		split, ok := opt.Folds[video]
		if !ok {
			noFold[video] = true
			continue
		}
		j, err := strconv.Atoi(key[len(video)+1 : len(key)-1])
		if err != nil {
			return nil, nil, fmt.Errorf("segment key %q", key)
		}
		sm := sample{id: video + "$_$" + strconv.Itoa(j+1), label: segs[0].Entries[key].Features[0][0]}
		for m, s := range []*Sequence{segs[2], segs[3], segs[1]} { // audio, visual, text
			r := s.Entries[key]
			switch {
			case !opt.Utterance:
				sm.x[m] = Tensor(r, dims[m], L, true, true)
			case m == int(data.Text):
				sm.x[m] = Tensor(r, dims[m], L, false, true)
			default:
				sm.x[m] = Mean(r, dims[m])
			}
			if bad := data.ZeroNonFinite(sm.x[m]); bad > 0 {
				rep.NonFinite[data.Modality(m).String()] += bad
			}
		}
		bySplit[split] = append(bySplit[split], sm)
	}
	for v := range noFold {
		rep.NoFold = append(rep.NoFold, v)
	}
	sort.Strings(rep.NoFold)
	ds := &data.Dataset{Name: labels.Name, Format: "sdk-assembled",
		Task: data.MOSITask()}
	for _, name := range []string{"train", "valid", "test"} {
		ss := bySplit[name]
		if len(ss) == 0 {
			return nil, rep, fmt.Errorf("no segment falls in the %s fold", name)
		}
		n := len(ss)
		sp := &data.Split{Labels: tensor.New(n, 1), IDs: make([]string, n)}
		for m := range 3 {
			if opt.Utterance && m != int(data.Text) {
				sp.Inputs[m] = tensor.New(n, dims[m])
			} else {
				sp.Inputs[m] = tensor.New(n, L, dims[m])
			}
			w := len(ss[0].x[m])
			for i, sm := range ss {
				copy(sp.Inputs[m].Data[i*w:], sm.x[m])
			}
		}
		for i, sm := range ss {
			sp.Labels.Data[i], sp.IDs[i] = sm.label, sm.id
		}
		rep.Segments[name] = n
		switch name {
		case "train":
			ds.Train = sp
		case "valid":
			ds.Valid = sp
		default:
			ds.Test = sp
		}
	}
	return ds, rep, ds.Validate()
}

func union(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range append(append([]string{}, a...), b...) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}
