package encoder

import (
	"testing"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/tensor"
)

func TestEncodersShapesAndGradients(t *testing.T) {
	rng := nn.NewRNG(1)
	dims := data.Dims{Audio: 4, Visual: 3, TextLen: 3, Text: 5}
	c := Config{AudioHidden: 3, VisualHidden: 2, TextHidden: 3, TextOut: 2, Dropout: 0.2}
	e := New("enc", dims, c, rng)
	if got := e.OutDims(); got != [3]int{3, 2, 2} {
		t.Fatalf("OutDims = %v", got)
	}
	var x [3]*autodiff.Node
	for m, shape := range [][]int{{4, 4}, {4, 3}, {4, 3, 5}} {
		v := tensor.New(shape...)
		nn.Normal(v, 1, rng)
		x[m] = autodiff.NewParam(v)
	}
	var inputs []*autodiff.Node
	for _, p := range e.Params() {
		// Random biases: with zero ones, an all-dropped hidden row puts a
		// pre-activation exactly on ReLU's kink, where finite differences fail.
		nn.Normal(p.Value, 0.5, rng)
		inputs = append(inputs, p.Node)
	}
	inputs = append(inputs, x[0], x[1], x[2])
	f := func(tp *autodiff.Tape) *autodiff.Node {
		z := e.Encode(tp, nn.Training(nn.NewRNG(5)), Input{X: x})
		return tp.Concat(z[0], z[1], z[2])
	}
	if err, where := autodiff.GradCheck(f, inputs, 1e-2); err > 5e-3 {
		t.Errorf("encoder gradient error %.3g at %s", err, where)
	}
	// Absent modalities are not encoded.
	tp := autodiff.NewTape()
	z := e.Encode(tp, nn.Eval, Input{X: [3]*autodiff.Node{nil, nil, x[2]}})
	if z[0] != nil || z[1] != nil || z[2] == nil || z[2].Shape()[1] != 2 {
		t.Fatal("Encode should encode exactly the present modalities")
	}
	if err := nn.CheckNames(e.Params(), nil); err != nil {
		t.Fatal(err)
	}
}

func TestBagTextEncoder(t *testing.T) {
	dims := data.Dims{Audio: 2, TextLen: 4, Vocab: 7, TextBag: true}
	c := Config{AudioHidden: 3, TextOut: 2, EmbedDim: 3}
	e := New("enc", dims, c, nn.NewRNG(2))
	if e.Text.Bag == nil || e.Text.LSTM != nil || e.Text.Embed != nil {
		t.Fatal("a bag of n-gram ids should get the pooled-embeddings encoder, not an LSTM")
	}
	if got := e.OutDims(); got != [3]int{3, 0, 2} {
		t.Fatalf("OutDims = %v", got)
	}
	// The order of a bag does not matter; its padding does not count.
	in := func(ids ...int32) Input {
		return Input{Tokens: &data.Tokens{IDs: ids, L: 4}, Lengths: [3][]int{2: {3}}}
	}
	a := e.Encode(autodiff.NewTape(), nn.Eval, in(2, 5, 6, 0))[data.Text].Value.Data
	b := e.Encode(autodiff.NewTape(), nn.Eval, in(6, 2, 5, 0))[data.Text].Value.Data
	for i := range a {
		if d := a[i] - b[i]; d > 1e-6 || d < -1e-6 {
			t.Fatalf("the same bag in another order: %v against %v", a, b)
		}
	}
	if err := nn.CheckNames(e.Params(), nil); err != nil {
		t.Fatal(err)
	}
}
