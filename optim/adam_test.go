package optim

import (
	"fmt"
	"testing"

	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/tensor/tensortest"
)

func TestAdamMatchesPyTorch(t *testing.T) {
	var g struct {
		Init   map[string]tensortest.Golden `json:"init"`
		Groups []struct {
			LR          float64 `json:"lr"`
			WeightDecay float64 `json:"weight_decay"`
		} `json:"groups"`
		Steps []map[string]tensortest.Golden `json:"steps"`
	}
	if err := tensortest.ReadJSON("testdata/golden.json", &g); err != nil {
		t.Fatal(err)
	}
	p := nn.NewParam("p", g.Init["p"].Shape...)
	p.Value.CopyFrom(g.Init["p"].Tensor())
	q := nn.NewParam("q", g.Init["q"].Shape...)
	q.Value.CopyFrom(g.Init["q"].Tensor())
	opt := NewAdam(
		Group{Params: []*nn.Param{p}, LR: g.Groups[0].LR, WeightDecay: g.Groups[0].WeightDecay},
		Group{Params: []*nn.Param{q}, LR: g.Groups[1].LR, WeightDecay: g.Groups[1].WeightDecay},
	)
	for i, s := range g.Steps {
		opt.ZeroGrad()
		copy(p.Grad().Data, s["grad_p"].Data)
		copy(q.Grad().Data, s["grad_q"].Data)
		opt.Step()
		for _, c := range []struct {
			param *nn.Param
			want  tensortest.Golden
		}{{p, s["p"]}, {q, s["q"]}} {
			if err := tensortest.AllClose(fmt.Sprintf("step %d %s", i+1, c.param.Name), c.param.Value.Data, c.want.Data, 1e-6); err != nil {
				t.Error(err)
			}
		}
	}
}

func TestAdamRejectsParamInTwoGroups(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for a parameter in two groups")
		}
	}()
	p := nn.NewParam("p", 2)
	NewAdam(Group{Params: []*nn.Param{p}}, Group{Params: []*nn.Param{p}})
}
