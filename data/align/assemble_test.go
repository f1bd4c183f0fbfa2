package align

import (
	"math"
	"reflect"
	"testing"

	"github.com/modistill/modistill/data"
)

// Two videos of two labelled segments each, plus one in no fold:
//   - v1: words at [0,1], [1,2] (segment 0 = [0, 2]) and [3,4] (segment 1 = [3, 4]);
//     audio covers words 0 and 2, not word 1 (imputed with zeros);
//   - v2: segment 1 = [5, 6] has no word at all (dropped by hard_unify);
//   - v3: in no fold.
func pipeline() (labels, audio, visual, text *Sequence) {
	labels = seq("Labels", 1, map[string]*Rows{
		"v1": rows([][2]float64{{0, 2}, {3, 4}}, 2.5, -1),
		"v2": rows([][2]float64{{0, 1}, {5, 6}}, 0.5, 3),
		"v3": rows([][2]float64{{0, 1}}, 1),
	})
	text = seq("words", 2, map[string]*Rows{
		"v1": rows([][2]float64{{0, 1}, {1, 2}, {3, 4}}, 1, 1, 2, 2, 3, 3),
		"v2": rows([][2]float64{{0, 1}}, 4, 4),
		"v3": rows([][2]float64{{0, 1}}, 5, 5),
	})
	audio = seq("audio", 1, map[string]*Rows{
		"v1": rows([][2]float64{{0, 0.5}, {0.5, 1}, {3, 4}}, 2, 4, 9),
		"v2": rows([][2]float64{{0, 1}}, 7),
		"v3": rows([][2]float64{{0, 1}}, 8),
	})
	visual = seq("visual", 1, map[string]*Rows{
		"v1": rows([][2]float64{{0, 4}}, 6),
		"v2": rows([][2]float64{{0, 1}}, 5),
		"v3": rows([][2]float64{{0, 1}}, 4),
	})
	return
}

var folds = map[string]string{"v1": "train", "v2": "valid", "x": "test"}

func TestAssembleSequences(t *testing.T) {
	l, a, v, w := pipeline()
	f := map[string]string{"v1": "train", "v2": "valid", "v3": "test"}
	ds, rep, err := Assemble(l, a, v, w, Options{SeqLen: 3, Folds: f})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Unaligned != 1 || rep.Imputed["audio"] != 1 || rep.Imputed["visual"] != 0 || len(rep.NonFinite) != 0 {
		t.Errorf("report %+v", rep)
	}
	if !reflect.DeepEqual(ds.Train.IDs, []string{"v1$_$1", "v1$_$2"}) || !reflect.DeepEqual(ds.Valid.IDs, []string{"v2$_$1"}) {
		t.Errorf("ids %v, %v", ds.Train.IDs, ds.Valid.IDs)
	}
	if !reflect.DeepEqual(ds.Train.Labels.Data, []float32{2.5, -1}) {
		t.Errorf("labels %v", ds.Train.Labels.Data)
	}
	// Segment v1[0]: words 0 and 1, zeros in front (get_tensors, direction False).
	if got := ds.Train.Inputs[data.Text].Data[:6]; !reflect.DeepEqual(got, []float32{0, 0, 1, 1, 2, 2}) {
		t.Errorf("text of v1$_$1 %v", got)
	}
	// Audio per word: word 0 averages 2 and 4; word 1 has none (imputed 0).
	if got := ds.Train.Inputs[data.Audio].Data[:3]; !reflect.DeepEqual(got, []float32{0, 3, 0}) {
		t.Errorf("audio of v1$_$1 %v", got)
	}
	if got := ds.Train.Inputs[data.Visual].Data[:3]; !reflect.DeepEqual(got, []float32{0, 6, 6}) {
		t.Errorf("visual of v1$_$1 %v", got)
	}
}

func TestAssembleUtteranceAndFolds(t *testing.T) {
	l, a, v, w := pipeline()
	f := map[string]string{"v1": "train", "v2": "valid", "v3": "test"}
	ds, _, err := Assemble(l, a, v, w, Options{Utterance: true, SeqLen: 4, Folds: f})
	if err != nil {
		t.Fatal(err)
	}
	// LMF: audio averaged over the segment's word rows (3 and the imputed 0),
	// text the first words with zeros in front.
	if got := ds.Train.Inputs[data.Audio].Data[:1]; got[0] != 1.5 {
		t.Errorf("utterance audio %v, want 1.5", got)
	}
	if got := ds.Train.Inputs[data.Text].Data[:8]; !reflect.DeepEqual(got, []float32{0, 0, 0, 0, 1, 1, 2, 2}) {
		t.Errorf("utterance text %v", got)
	}
	if _, rep, err := Assemble(l, a, v, w, Options{Folds: folds}); err == nil || !reflect.DeepEqual(rep.NoFold, []string{"v3"}) {
		t.Errorf("no test fold: %v, report %+v", err, rep)
	}
}

func TestAssembleRefusesEmptyFeaturesAndZeroesNonFinite(t *testing.T) {
	l, a, v, w := pipeline()
	f := map[string]string{"v1": "train", "v2": "valid", "v3": "test"}
	a.Entries["v2"].Features[0][0] = float32(math.Inf(-1))
	_, rep, err := Assemble(l, a, v, w, Options{SeqLen: 3, Folds: f})
	if err != nil || rep.NonFinite["audio"] != 1 {
		t.Errorf("a -Inf audio value: %v, report %+v", err, rep)
	}
	v.Dim = 0
	if _, _, err := Assemble(l, a, v, w, Options{Folds: f}); err == nil {
		t.Error("visual features of 0 values were accepted")
	}
}
