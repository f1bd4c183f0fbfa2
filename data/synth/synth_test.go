package synth

import (
	"testing"
)

func TestDeterministicBySeed(t *testing.T) {
	sizes := Sizes{Train: 20, Valid: 5, Test: 5}
	a, b, c := MOSI(1, sizes), MOSI(1, sizes), MOSI(2, sizes)
	if err := a.Validate(); err != nil {
		t.Fatal(err)
	}
	same, differ := true, false
	for i, v := range a.Train.Inputs[2].Data {
		same = same && v == b.Train.Inputs[2].Data[i]
		differ = differ || v != c.Train.Inputs[2].Data[i]
	}
	if !same || !differ {
		t.Errorf("same seed same data: %v; other seed other data: %v", same, differ)
	}
	for _, y := range a.Train.Labels.Data {
		if y < -3 || y > 3 {
			t.Fatalf("label %v outside [-3, 3]", y)
		}
	}
}
