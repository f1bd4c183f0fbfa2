package strh

import (
	"context"
	"math"
	"testing"

	"github.com/modistill/modistill/autodiff"
	"github.com/modistill/modistill/data"
	"github.com/modistill/modistill/data/synth"
	"github.com/modistill/modistill/metrics"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/tensor"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// shared makes three views of one latent u, each along a few features.
func shared(n int, seed uint64) *data.Split {
	rng := nn.NewRNG(seed)
	dims := []int{6, 5, 8}
	var in [3]*tensor.Tensor
	for m, d := range dims {
		in[m] = tensor.New(n, d)
	}
	y := tensor.New(n, 1)
	for i := range n {
		u := rng.NormFloat64()
		y.Data[i] = float32(u)
		for m, d := range dims {
			for j := range d {
				v := rng.NormFloat64()
				if j < 2 { // the first two features of every view carry u
					v = 0.3*v + u
				}
				in[m].Data[i*d+j] = float32(v)
			}
		}
	}
	return &data.Split{Inputs: in, Labels: y}
}

func TestSparseRegularisedCCA(t *testing.T) {
	ds := &data.Dataset{Name: "shared", Task: data.Task{Kind: data.Regression, Targets: []string{"u"}},
		Train: shared(400, 1), Valid: shared(100, 2), Test: shared(100, 3)}
	c := DefaultConfig()
	c.Bits, c.Sparsity = 3, 0.4
	m, err := New(ds.Dims(), ds.Task, c)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Fit(context.Background(), ds); err != nil {
		t.Fatal(err)
	}
	var proj [3][]float64
	for v := range 3 {
		W := m.W[v].Value
		d := W.Shape[0]
		s := int(math.Ceil(c.Sparsity * float64(d)))
		for k := range c.Bits { // at most s nonzeros per solution vector
			nz := 0
			for i := range d {
				if W.Data[i*c.Bits+k] != 0 {
					nz++
				}
			}
			if nz > s {
				t.Errorf("view %d bit %d: %d nonzeros, allowed %d", v, k, nz, s)
			}
		}
		x := m.modality(ds.Train.All(), v)
		w := mat.NewVecDense(d, nil)
		for i := range d {
			w.SetVec(i, float64(W.Data[i*c.Bits]))
		}
		var p mat.VecDense
		p.MulVec(x, w)
		proj[v] = p.RawVector().Data
		// Tikhonov normalisation: w'(C + λI)w = 1
		var cw mat.VecDense
		cw.MulVec(x.T(), &p)
		q := mat.Dot(w, &cw)/400 + c.Tikhonov*mat.Dot(w, w)
		if math.Abs(q-1) > 1e-3 {
			t.Errorf("view %d: w'(C+λI)w = %v, want 1", v, q)
		}
	}
	for a := range 3 { // the first bit found the shared latent
		for b := a + 1; b < 3; b++ {
			if r := math.Abs(stat.Correlation(proj[a], proj[b], nil)); r < 0.8 {
				t.Errorf("views %d and %d: first-bit correlation %.3f", a, b, r)
			}
		}
	}
	got := metrics.Score(ds.Task, m.Predict(autodiff.NewTape(), ds.Test.All(), data.Subset{false, false, true}), ds.Test.Labels)["mae"]
	zero := metrics.Score(ds.Task, tensor.New(100, 1), ds.Test.Labels)["mae"]
	if got > 0.8*zero { // 3 sign bits quantise u coarsely: a clear gain, not a fit

		t.Errorf("text-only MAE %.3f, predicting 0 %.3f", got, zero)
	}
}

func TestIEMOCAPAndShapes(t *testing.T) {
	dss, err := synth.Generate(synth.Config{Kind: synth.IEMOCAP, Seed: 1, Sizes: synth.Sizes{Train: 200, Valid: 60, Test: 60}})
	if err != nil {
		t.Fatal(err)
	}
	ds := dss[2]
	c := DefaultConfig()
	c.Bits, c.Iters = 8, 20
	m, err := New(ds.Dims(), ds.Task, c)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Fit(context.Background(), ds); err != nil {
		t.Fatal(err)
	}
	for _, use := range data.Subsets {
		p := m.Predict(autodiff.NewTape(), ds.Test.All(), use)
		if p.Shape[1] != 2 || math.Abs(float64(p.Data[0]+p.Data[1])-1) > 1e-6 {
			t.Fatalf("%v: predictions %v", use, p.Shape)
		}
	}
	if len(m.Config.Chosen) != 7 {
		t.Errorf("%d chosen penalties", len(m.Config.Chosen))
	}
}
