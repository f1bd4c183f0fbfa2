package layers

import (
	"testing"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/tensor/tensortest"
)

// goldenCase is one case of testdata/golden.json (see make_golden.py there).
type goldenCase struct {
	Params      map[string]tensortest.Golden `json:"params"`
	X           tensortest.Golden            `json:"x"`
	Out         tensortest.Golden            `json:"out"`
	R           tensortest.Golden            `json:"R"`
	Grads       map[string]tensortest.Golden `json:"grads"`
	RunningMean tensortest.Golden            `json:"running_mean"`
	RunningVar  tensortest.Golden            `json:"running_var"`
	XEval       tensortest.Golden            `json:"x_eval"`
	OutEval     tensortest.Golden            `json:"out_eval"`
	Lengths     []int                        `json:"lengths"`
}

func readGolden(t *testing.T) map[string]goldenCase {
	t.Helper()
	var g struct {
		Cases map[string]goldenCase `json:"cases"`
	}
	if err := tensortest.ReadJSON("testdata/golden.json", &g); err != nil {
		t.Fatal(err)
	}
	return g.Cases
}

// load copies golden parameter values into ps, matched by name after the
// module prefix.
func load(t *testing.T, prefix string, ps []*nn.Param, values map[string]tensortest.Golden) {
	t.Helper()
	for _, p := range ps {
		g, ok := values[p.Name[len(prefix):]]
		if !ok {
			t.Fatalf("golden file has no parameter %s", p.Name)
		}
		p.Value.CopyFrom(g.Tensor())
	}
}

// compare runs forward, backpropagates sum(out * R), and checks the output
// and every gradient against PyTorch's.
func compare(t *testing.T, name, prefix string, c goldenCase, ps []*nn.Param, forward func(tp *autodiff.Tape, x *autodiff.Node) *autodiff.Node) {
	t.Helper()
	x := autodiff.NewParam(c.X.Tensor())
	tp := autodiff.NewTape()
	out := forward(tp, x)
	if err := tensortest.AllClose(name+" output", out.Value.Data, c.Out.Data, 1e-5); err != nil {
		t.Error(err)
	}
	copy(out.AccumGrad().Data, c.R.Data)
	tp.BackwardFrom()
	for _, p := range ps {
		if err := tensortest.AllClose(name+" grad "+p.Name, p.Grad().Data, c.Grads[p.Name[len(prefix):]].Data, 1e-5); err != nil {
			t.Error(err)
		}
	}
	if err := tensortest.AllClose(name+" grad x", x.Grad().Data, c.Grads["x"].Data, 1e-5); err != nil {
		t.Error(err)
	}
}

func TestLinearMatchesPyTorch(t *testing.T) {
	c := readGolden(t)["linear"]
	l := NewLinear("lin", 5, 3, true, nn.NewRNG(1))
	load(t, "lin.", l.Params(), c.Params)
	compare(t, "Linear", "lin.", c, l.Params(), l.Forward)
}

func TestLSTMMatchesPyTorch(t *testing.T) {
	c := readGolden(t)["lstm"]
	l := NewLSTM("lstm", 6, 4, nn.NewRNG(1))
	load(t, "lstm.", l.Params(), c.Params)
	compare(t, "LSTM", "lstm.", c, l.Params(), l.Forward)
}

func TestBatchNormMatchesPyTorch(t *testing.T) {
	c := readGolden(t)["batchnorm"]
	bn := NewBatchNorm1d("bn", 4)
	load(t, "bn.", bn.Params(), c.Params)
	compare(t, "BatchNorm1d", "bn.", c, bn.Params(), func(tp *autodiff.Tape, x *autodiff.Node) *autodiff.Node {
		return bn.Forward(tp, nn.Training(nil), x)
	})
	if err := tensortest.AllClose("running mean", bn.RunningMean.Value.Data, c.RunningMean.Data, 1e-6); err != nil {
		t.Error(err)
	}
	if err := tensortest.AllClose("running variance", bn.RunningVar.Value.Data, c.RunningVar.Data, 1e-6); err != nil {
		t.Error(err)
	}
	tp := autodiff.NewTape()
	out := bn.Forward(tp, nn.Eval, tp.Const(c.XEval.Tensor()))
	if err := tensortest.AllClose("BatchNorm1d eval output", out.Value.Data, c.OutEval.Data, 1e-5); err != nil {
		t.Error(err)
	}
}

func TestLSTMWithLengthsMatchesPackedPyTorch(t *testing.T) {
	c := readGolden(t)["lstm_lengths"]
	l := NewLSTM("lstm", 6, 4, nn.NewRNG(1))
	load(t, "lstm.", l.Params(), c.Params)
	compare(t, "LSTM with lengths", "lstm.", c, l.Params(), func(tp *autodiff.Tape, x *autodiff.Node) *autodiff.Node {
		return l.ForwardLengths(tp, x, c.Lengths)
	})
}
