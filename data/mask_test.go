package data

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/modistill/modistill/data/text"
	"github.com/modistill/modistill/tensor"
)

func TestMaskSteps(t *testing.T) {
	const n, L, d = 200, 10, 3
	x := tensor.New(n, L, d)
	for i := range x.Data {
		x.Data[i] = 1
	}
	lengths := make([]int, n)
	for i := range lengths {
		lengths[i] = 5 // the last 5 steps are padding
	}
	tok := &Tokens{IDs: make([]int32, n*L), L: L}
	for i := range tok.IDs {
		tok.IDs[i] = 7
	}
	b := &Batch{Inputs: [3]*tensor.Tensor{x, x, nil}, Tokens: tok, Lengths: [3][]int{lengths, nil, lengths}, Labels: tensor.New(n, 1)}
	m, err := MaskSteps(b, 0.3, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	if x.Data[0] != 1 || tok.IDs[0] != 7 {
		t.Fatal("the input batch was modified")
	}
	// audio: only valid steps may be masked, about 30% of them
	masked, padMasked := 0, 0
	for i := range n {
		for s := range L {
			row := m.Inputs[Audio].Data[(i*L+s)*d : (i*L+s+1)*d]
			if row[0] == 0 {
				if row[1] != 0 || row[2] != 0 {
					t.Fatal("a step was partly masked")
				}
				if s < 5 {
					masked++
				} else {
					padMasked++
				}
			}
		}
	}
	if padMasked != 0 {
		t.Errorf("%d padding steps masked", padMasked)
	}
	if f := float64(masked) / (n * 5); f < 0.25 || f > 0.35 {
		t.Errorf("audio: %.3f of valid steps masked, want about 0.3", f)
	}
	// visual has no lengths: every step is valid
	vm := 0
	for i := 0; i < len(m.Inputs[Visual].Data); i += d {
		if m.Inputs[Visual].Data[i] == 0 {
			vm++
		}
	}
	if f := float64(vm) / (n * L); f < 0.25 || f > 0.35 {
		t.Errorf("visual: %.3f of steps masked, want about 0.3", f)
	}
	unk := 0
	for i, id := range m.Tokens.IDs {
		switch {
		case id == text.Unknown && i%L >= 5:
			t.Fatal("a padding token masked")
		case id == text.Unknown:
			unk++
		}
	}
	if f := float64(unk) / (n * 5); f < 0.25 || f > 0.35 {
		t.Errorf("tokens: %.3f masked, want about 0.3", f)
	}
	if z, _ := MaskSteps(b, 0, rand.New(rand.NewPCG(1, 2))); z.Inputs[Audio].Data[0] != 1 {
		t.Error("rate 0 masked a step")
	}
	if _, err := MaskSteps(b, 1.5, rand.New(rand.NewPCG(1, 2))); err == nil {
		t.Error("rate 1.5 accepted")
	}
	// One vector per sample: a sequence of one step, zeroed whole.
	flat := &Batch{Inputs: [3]*tensor.Tensor{tensor.New(n, d)}, Labels: tensor.New(n, 1)}
	for i := range flat.Inputs[Audio].Data {
		flat.Inputs[Audio].Data[i] = 1
	}
	fm, err := MaskSteps(flat, 0.3, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	zeroed := 0
	for i := range n {
		row := fm.Inputs[Audio].Data[i*d : (i+1)*d]
		switch {
		case slices.Max(row) == 0:
			zeroed++
		case slices.Min(row) != 1:
			t.Fatalf("sample %d partly masked: %v", i, row)
		}
	}
	if f := float64(zeroed) / n; f < 0.2 || f > 0.4 {
		t.Errorf("utterance vectors: %.3f masked, want about 0.3", f)
	}
	if flat.Inputs[Audio].Data[0] != 1 || slices.Min(flat.Inputs[Audio].Data) != 1 {
		t.Error("MaskSteps modified its input")
	}
}
