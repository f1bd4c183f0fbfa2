package amd

import (
	"fmt"
	"math"
	"testing"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/encoder"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/tensor"
	"github.com/modistill/modistill/tensor/tensortest"
)

// goldenStep is one alternating step of testdata/golden.json (see
// make_golden.py there): PyTorch's losses, mean temperatures per modality
// (a, v, t), and every parameter's gradient after each backward pass.
type goldenStep struct {
	TeacherLoss  float64                      `json:"teacher_loss"`
	StudentLoss  float64                      `json:"student_loss"`
	Ts           []float64                    `json:"T_s"`
	Tz           []float64                    `json:"T_z"`
	TeacherGrads map[string]tensortest.Golden `json:"teacher_grads"`
	StudentGrads map[string]tensortest.Golden `json:"student_grads"`
}

type goldenCase struct {
	Params  map[string]tensortest.Golden   `json:"params"`
	Batches []map[string]tensortest.Golden `json:"batches"`
	Steps   []goldenStep                   `json:"steps"`
	Final   map[string]tensortest.Golden   `json:"final"`
}

// The first three alternating steps of Ours agree with the PyTorch reference
// (shared/bench/torch_ref.py) to 1e-4: the paper read literally
// (ours-literal) and this project's default form (ours). Same weights, same
// batches, dropout 0, gradient reversal at λ = 0.5, Adam at 1e-2.
func TestFirstStepsMatchPyTorch(t *testing.T) {
	var g struct {
		Lambda float32               `json:"lambda"`
		LR     float64               `json:"lr"`
		Cases  map[string]goldenCase `json:"cases"`
	}
	if err := tensortest.ReadJSON("testdata/golden.json", &g); err != nil {
		t.Fatal(err)
	}
	const tol = 1e-4
	for name, preset := range map[string]string{"literal": "ours-literal", "default": "ours"} {
		t.Run(name, func(t *testing.T) {
			gc, ok := g.Cases[name]
			if !ok {
				t.Fatalf("golden file has no case %q", name)
			}
			c, err := Preset(preset)
			if err != nil {
				t.Fatal(err)
			}
			c.Encoder = encoder.Config{AudioHidden: 6, VisualHidden: 5, TextHidden: 6, TextOut: 5}
			c.TuckerRanks, c.TuckerTh, c.Hidden, c.Message, c.LR = [3]int{3, 3, 4}, 3, 4, 4, g.LR
			dims := data.Dims{Audio: 5, Visual: 4, Text: 6, TextLen: 3, Outputs: 1}
			m, err := New(dims, data.MOSITask(), c, nn.NewRNG(1))
			if err != nil {
				t.Fatal(err)
			}
			params := map[string]*nn.Param{}
			for _, p := range m.Params() {
				params[p.Name] = p
				v, ok := gc.Params[p.Name]
				if !ok {
					t.Fatalf("golden file has no parameter %s", p.Name)
				}
				p.Value.CopyFrom(v.Tensor())
			}
			if len(params) != len(gc.Params) {
				t.Fatalf("the Go model has %d parameters, PyTorch's %d", len(params), len(gc.Params))
			}
			m.lambda = g.Lambda
			var phase int
			var step goldenStep
			m.afterBackward = func(which int) { // every parameter of the step's optimizer
				want, opt := step.TeacherGrads, m.teacherOpt
				if which == 1 {
					want, opt = step.StudentGrads, m.studentOpt
				}
				for _, p := range opt.Params() {
					got := make([]float32, p.Value.Len())
					if gr := p.Grad(); gr != nil {
						copy(got, gr.Data)
					}
					w, ok := want[p.Name]
					if !ok { // PyTorch had no gradient: the parameter is not in this step's graph
						w = tensortest.Golden{Data: make([]float32, len(got))}
					}
					if err := tensortest.AllClose(fmt.Sprintf("step %d, %s step, gradient of %s", phase+1, [2]string{"teacher", "student"}[which], p.Name), got, w.Data, tol); err != nil {
						t.Error(err)
					}
				}
			}
			tp := autodiff.NewTape()
			for phase = range gc.Steps {
				step = gc.Steps[phase]
				gb := gc.Batches[phase]
				b := &data.Batch{Inputs: [3]*tensor.Tensor{gb["a"].Tensor(), gb["v"].Tensor(), gb["t"].Tensor()}, Labels: gb["y"].Tensor()}
				m.Step(tp, nn.Training(nn.NewRNG(2)), b)
				if d := math.Abs(m.lastLoss[0] - step.TeacherLoss); d > tol {
					t.Errorf("step %d: teacher loss %v, PyTorch %v", phase+1, m.lastLoss[0], step.TeacherLoss)
				}
				if d := math.Abs(m.lastLoss[1] - step.StudentLoss); d > tol {
					t.Errorf("step %d: student loss %v, PyTorch %v", phase+1, m.lastLoss[1], step.StudentLoss)
				}
				mt := m.EpochMetrics()
				for i, l := range []string{"a", "v", "t"} {
					if d := math.Abs(mt["T_s_"+l] - step.Ts[i]); d > tol {
						t.Errorf("step %d: mean T_s of %s %v, PyTorch %v", phase+1, l, mt["T_s_"+l], step.Ts[i])
					}
					if d := math.Abs(mt["T_z_"+l] - step.Tz[i]); d > tol {
						t.Errorf("step %d: mean T_z of %s %v, PyTorch %v", phase+1, l, mt["T_z_"+l], step.Tz[i])
					}
				}
			}
			for name, p := range params {
				if err := tensortest.AllClose("after three steps, "+name, p.Value.Data, gc.Final[name].Data, tol); err != nil {
					t.Error(err)
				}
			}
		})
	}
}
