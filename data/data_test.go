package data

import (
	"reflect"
	"strings"
	"testing"

	"github.com/modistill/modistill/tensor"
)

func split(n int) *Split {
	return &Split{Inputs: [3]*tensor.Tensor{tensor.New(n, 2), tensor.New(n, 3), tensor.New(n, 4, 5)}, Labels: tensor.New(n, 1)}
}

func TestValidateNamesTheProblem(t *testing.T) {
	ds := &Dataset{Name: "d", Task: Task{Targets: []string{"y"}}, Train: split(4), Valid: split(2), Test: split(3)}
	if err := ds.Validate(); err != nil {
		t.Fatal(err)
	}
	ds.Valid.Inputs[Visual] = tensor.New(3, 3)
	if err := ds.Validate(); err == nil || !strings.Contains(err.Error(), "visual has 3 samples, labels have 2") {
		t.Errorf("count mismatch: %v", err)
	}
	ds.Valid = split(2)
	ds.Test.Inputs[Text] = tensor.New(3, 4, 6)
	if err := ds.Validate(); err == nil || !strings.Contains(err.Error(), "text is (4, 6) per sample, train has (4, 5)") {
		t.Errorf("shape mismatch: %v", err)
	}
	ds.Test = split(0)
	if err := ds.Validate(); err == nil || !strings.Contains(err.Error(), "split test: no samples") {
		t.Errorf("empty split: %v", err)
	}
}

func TestGatherCopiesRows(t *testing.T) {
	s := split(3)
	for i := range s.Inputs[Text].Data {
		s.Inputs[Text].Data[i] = float32(i)
	}
	s.Labels.Data[2] = 7
	b := s.Gather([]int{2, 0}, nil)
	if b.Labels.Data[0] != 7 || b.Inputs[Text].Data[0] != 40 || b.Inputs[Text].Data[20] != 0 {
		t.Fatalf("gathered labels %v, text starts %v, %v", b.Labels.Data, b.Inputs[Text].Data[0], b.Inputs[Text].Data[20])
	}
	again := s.Gather([]int{1, 1}, b)
	if again != b || b.Inputs[Text].Data[0] != 20 {
		t.Fatal("Gather did not reuse the batch")
	}
}

func TestUtteranceFeatures(t *testing.T) {
	b := &Batch{Inputs: [3]*tensor.Tensor{
		tensor.From([]float32{1, 2, 3, 4}, 2, 2),
		tensor.From([]float32{1, 3, 5, 7}, 2, 2, 1),
		tensor.From([]float32{2, 4, 6, 8}, 2, 2, 1),
	}, Lengths: [3][]int{nil, nil, {2, 1}}, Labels: tensor.New(2, 1)}
	got := UtteranceFeatures(b, []int{1}, Subset{true, true, true})
	want := []float64{3, 4, 6, 6} // audio as is; visual mean of 5, 7; text: only its first step, 6
	for i, w := range want {
		if got[0][i] != w {
			t.Fatalf("features %v, want %v", got[0], want)
		}
	}
}

func TestVideos(t *testing.T) {
	b := &Batch{Labels: tensor.New(5, 1), IDs: []string{"vA$_$3", "vB$_$1", "vA$_$1", "vA$_$2", "single"}}
	got := b.Videos()
	want := [][]int{{2, 3, 0}, {1}, {4}}
	if len(got) != len(want) {
		t.Fatalf("groups %v, want %v", got, want)
	}
	for i := range want {
		for j := range want[i] {
			if got[i][j] != want[i][j] {
				t.Fatalf("groups %v, want %v", got, want)
			}
		}
	}
	if v, c := VideoOf("03bSnISJMiM$_$11"); v != "03bSnISJMiM" || c != 11 {
		t.Errorf("VideoOf: %q %d", v, c)
	}
	b.IDs = nil
	if g := b.Videos(); len(g) != 5 || g[3][0] != 3 {
		t.Errorf("without ids: %v", g)
	}
}

// Stacking gathered batches gives the batch gathered from their rows at
// once, with and without token ids.
func TestStackIsGatherOfTheRows(t *testing.T) {
	s := &Split{
		Inputs:  [3]*tensor.Tensor{tensor.From([]float32{0, 1, 2, 3, 4, 5, 6, 7}, 4, 2), nil, tensor.New(4, 3, 2)},
		Lengths: [3][]int{2: {3, 1, 2, 3}},
		Present: [3][]bool{0: {true, false, true, true}},
		Labels:  tensor.From([]float32{10, 11, 12, 13}, 4, 1),
		IDs:     []string{"v$_$0", "v$_$1", "w$_$0", "w$_$1"},
	}
	for i := range s.Inputs[2].Data {
		s.Inputs[2].Data[i] = float32(i)
	}
	tokens := &Split{Tokens: &Tokens{IDs: []int32{1, 2, 3, 4, 5, 6, 7, 8}, L: 2}, Labels: s.Labels}
	for _, sp := range []*Split{s, tokens} {
		got := Stack([]*Batch{sp.Gather([]int{0, 2}, nil), sp.Gather([]int{3}, nil), sp.Gather([]int{1}, nil)})
		want := sp.Gather([]int{0, 2, 3, 1}, nil)
		want.Rows = nil
		if !reflect.DeepEqual(got, want) {
			t.Errorf("stacked %+v\nwant    %+v", got, want)
		}
	}
	// Without ids in one batch, the stack has none.
	b := s.Gather([]int{0}, nil)
	b.IDs = nil
	if got := Stack([]*Batch{s.Gather([]int{1}, nil), b}); got.IDs != nil || got.N() != 2 {
		t.Errorf("ids %v, %d rows", got.IDs, got.N())
	}
}
