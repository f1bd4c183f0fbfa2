package align

import (
	"reflect"
	"testing"
)

func seq(name string, dim int, entries map[string]*Rows) *Sequence {
	return &Sequence{Name: name, Dim: dim, Entries: entries}
}

func rows(iv [][2]float64, f ...float32) *Rows {
	r := &Rows{Intervals: iv}
	dim := len(f) / len(iv)
	for i := range iv {
		r.Features = append(r.Features, f[i*dim:(i+1)*dim])
	}
	return r
}

func TestUnifyKeepsVideosEverySequenceHas(t *testing.T) {
	a := seq("a", 1, map[string]*Rows{"v1": rows([][2]float64{{0, 1}}, 1), "v2": rows([][2]float64{{0, 1}}, 2), "v3[0]": rows([][2]float64{{0, 1}}, 3)})
	b := seq("b", 1, map[string]*Rows{"v1[4]": rows([][2]float64{{0, 1}}, 1), "v3": rows([][2]float64{{0, 1}}, 3)})
	if dropped := Unify([]*Sequence{a, b}); !reflect.DeepEqual(dropped, []string{"v2"}) {
		t.Errorf("dropped %v, want [v2]", dropped)
	}
	if !reflect.DeepEqual(a.Keys(), []string{"v1", "v3[0]"}) || !reflect.DeepEqual(b.Keys(), []string{"v1[4]", "v3"}) {
		t.Errorf("kept %v and %v", a.Keys(), b.Keys())
	}
}

func TestAlignRules(t *testing.T) {
	// The reference: three words, the second shorter than Eps.
	words := seq("words", 1, map[string]*Rows{"v": rows([][2]float64{{0, 1}, {1, 1 + Eps/2}, {1, 2}}, 10, 20, 30)})
	// Audio rows in two entries of the video, out of order:
	//   [0.5, 1.0] overlaps word 0 and only touches word 2 at 1.0;
	//   [0, 0.5] inside word 0; [1.2, 1.3] short, inside word 2; [1.3, 3] overlaps word 2.
	audio := seq("audio", 2, map[string]*Rows{
		"v[1]": rows([][2]float64{{1.2, 1.3}, {1.3, 3}}, 5, 5, 7, 7),
		"v[0]": rows([][2]float64{{0.5, 1.0}, {0, 0.5}}, 2, 4, 0, 0),
	})
	// Visual: nothing within word 2 (a hole); a row touching word 0's start.
	visual := seq("visual", 1, map[string]*Rows{"v": rows([][2]float64{{-1, 0}, {0.2, 0.9}}, 99, 6)})
	out, dropped := Align([]*Sequence{words, audio, visual}, 0, Average)
	if len(dropped) != 0 {
		t.Errorf("dropped %v", dropped)
	}
	// Word 1 is skipped, its index consumed: keys v[0] and v[2].
	for _, s := range out {
		if !reflect.DeepEqual(s.Keys(), []string{"v[0]", "v[2]"}) && !(s.Name == "visual" && reflect.DeepEqual(s.Keys(), []string{"v[0]"})) {
			t.Errorf("%s: keys %v", s.Name, s.Keys())
		}
	}
	w, a, v := out[0].Entries, out[1].Entries, out[2].Entries
	if !reflect.DeepEqual(w["v[2]"].Features, [][]float32{{30}}) || w["v[2]"].Intervals[0] != [2]float64{1, 2} {
		t.Errorf("the reference keeps its row: %+v", w["v[2]"])
	}
	// Word 0: audio rows [0, 0.5] and [0.5, 1.0], averaged without weights.
	if got := a["v[0]"]; !reflect.DeepEqual(got.Features, [][]float32{{1, 2}}) || got.Intervals[0] != [2]float64{0, 1} {
		t.Errorf("audio for word 0: %+v, want features (1, 2) over [0, 1]", got)
	}
	// Word 2: [1.2, 1.3] (length 0.1) and [1.3, 3] clipped to [1.3, 2] count
	// alike: (5+7)/2 = 6; [0.5, 1.0] touches 1.0 only and is dropped.
	if got := a["v[2]"]; !reflect.DeepEqual(got.Features, [][]float32{{6, 6}}) || got.Intervals[0] != [2]float64{1.2, 2} {
		t.Errorf("audio for word 2: %+v, want features (6, 6) over [1.2, 2]", got)
	}
	// Visual for word 0: [-1, 0] touches the start only; [0.2, 0.9] kept.
	if got := v["v[0]"]; !reflect.DeepEqual(got.Features, [][]float32{{6}}) {
		t.Errorf("visual for word 0: %+v", got)
	}
	if _, ok := v["v[2]"]; ok {
		t.Error("visual has a row for word 2, where it has none: want a hole")
	}
	// The inputs are not changed.
	if len(audio.Entries) != 2 {
		t.Error("Align changed its input")
	}
}

func TestAlignWithoutCollapseKeepsClippedRows(t *testing.T) {
	labels := seq("labels", 1, map[string]*Rows{"v": rows([][2]float64{{0.5, 2.5}}, 1.5)})
	words := seq("words", 1, map[string]*Rows{"v[0]": rows([][2]float64{{0, 1}}, 1), "v[1]": rows([][2]float64{{1, 2}}, 2), "v[2]": rows([][2]float64{{2.5, 3}}, 3)})
	out, _ := Align([]*Sequence{labels, words}, 0, nil)
	got := out[1].Entries["v[0]"]
	if got == nil || !reflect.DeepEqual(got.Intervals, [][2]float64{{0.5, 1}, {1, 2}}) || !reflect.DeepEqual(got.Features, [][]float32{{1}, {2}}) {
		t.Errorf("words in segment 0: %+v, want the two overlapping rows, clipped", got)
	}
}

func TestImputeAndHardUnify(t *testing.T) {
	ref := seq("words", 1, map[string]*Rows{"v[0]": rows([][2]float64{{0, 1}}, 1), "v[1]": rows([][2]float64{{1, 2}}, 2)})
	audio := seq("audio", 3, map[string]*Rows{"v[1]": rows([][2]float64{{1, 2}}, 1, 2, 3)})
	Impute([]*Sequence{ref, audio}, 0)
	got := audio.Entries["v[0]"]
	if got == nil || got.Intervals[0] != [2]float64{0, 1} || !reflect.DeepEqual(got.Features, [][]float32{{0, 0, 0}}) {
		t.Errorf("imputed %+v, want the reference's interval and 3 zeros", got)
	}
	visual := seq("visual", 1, map[string]*Rows{"v[1]": rows([][2]float64{{1, 2}}, 1)})
	if n := HardUnify([]*Sequence{ref, audio, visual}); n != 1 || len(ref.Entries) != 1 || ref.Entries["v[1]"] == nil {
		t.Errorf("hard_unify removed %d, left %v", n, ref.Keys())
	}
}

func TestTensor(t *testing.T) {
	r := rows([][2]float64{{0, 1}, {1, 2}, {2, 3}}, 1, 1, 2, 2, 3, 3)
	if got := Tensor(r, 2, 2, true, true); !reflect.DeepEqual(got, []float32{2, 2, 3, 3}) {
		t.Errorf("the last 2 rows: %v", got)
	}
	if got := Tensor(r, 2, 5, true, true); !reflect.DeepEqual(got, []float32{0, 0, 0, 0, 1, 1, 2, 2, 3, 3}) {
		t.Errorf("zeros in front: %v", got)
	}
	if got := Tensor(r, 2, 2, false, false); !reflect.DeepEqual(got, []float32{1, 1, 2, 2}) {
		t.Errorf("the first 2 rows: %v", got)
	}
	if got := Tensor(r, 2, 4, false, false); !reflect.DeepEqual(got, []float32{1, 1, 2, 2, 3, 3, 0, 0}) {
		t.Errorf("zeros after: %v", got)
	}
	if got := Tensor(r, 2, 4, false, true); !reflect.DeepEqual(got, []float32{0, 0, 1, 1, 2, 2, 3, 3}) {
		t.Errorf("LMF's text, the first rows with zeros in front: %v", got)
	}
	if got := Mean(r, 2); !reflect.DeepEqual(got, []float32{2, 2}) {
		t.Errorf("mean %v", got)
	}
}
