package metrics

import (
	"math"
	"testing"
)

func near(t *testing.T, name string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9 {
		t.Errorf("%s = %.12g, want %.12g", name, got, want)
	}
}

func TestMOSIByHand(t *testing.T) {
	truth := []float64{2, -1, 0, 1.5, -2.5, 0.4}
	pred := []float64{1, -2, -0.5, 2.5, -2.5, -0.2}
	r := MOSI(pred, truth)
	// |errors| = 1, 1, 0.5, 1, 0, 0.6 -> 4.1/6
	near(t, "MAE", r.MAE, 4.1/6)
	// y>=0: truth 1,0,1,1,0,1 pred 1,0,0,1,0,0 -> 4/6 correct
	near(t, "Acc2", r.Acc2, 4.0/6)
	// class 1: tp 2, fp 0, fn 2 -> F1 = 4/6, support 4; class 0: tp 2, fp 2, fn 0 -> F1 = 4/6, support 2
	near(t, "F1", r.F1, (4.0/6*4+4.0/6*2)/6)
	// non-zero drops the third sample: truth 1,0,1,0,1 pred 1,0,1,0,0 -> 4/5
	near(t, "Acc2NonZero", r.Acc2NonZero, 4.0/5)
	// class 1: tp 2 fp 0 fn 1 -> F1 0.8, support 3; class 0: tp 2 fp 1 fn 0 -> F1 0.8, support 2
	near(t, "F1NonZero", r.F1NonZero, 0.8)
	// rounded: truth 2,-1,0,2,-2,0 (1.5->2, -2.5->-2 halves to even); pred 1,-2,0 (-0.5 -> -0),2,-2,0
	near(t, "Acc7", r.Acc7, 4.0/6)
	// Pearson by hand in float64
	mx, my := 0.0, 0.0
	for i := range pred {
		mx += pred[i] / 6
		my += truth[i] / 6
	}
	var sxy, sxx, syy float64
	for i := range pred {
		sxy += (pred[i] - mx) * (truth[i] - my)
		sxx += (pred[i] - mx) * (pred[i] - mx)
		syy += (truth[i] - my) * (truth[i] - my)
	}
	near(t, "Corr", r.Corr, sxy/math.Sqrt(sxx*syy))
}

func TestRound7(t *testing.T) {
	for x, want := range map[float64]int{-3.7: -3, 3.2: 3, 0.5: 0, 1.5: 2, 2.5: 2, -0.5: 0, -1.5: -2, 0.49: 0} {
		if got := Round7(x); got != want {
			t.Errorf("Round7(%v) = %d, want %d", x, got, want)
		}
	}
}

func TestPearsonPerfect(t *testing.T) {
	near(t, "Pearson", Pearson([]float64{1, 2, 3}, []float64{2, 4, 6}), 1)
	near(t, "Pearson", Pearson([]float64{1, 2, 3}, []float64{3, 2, 1}), -1)
}

func TestPOMByHand(t *testing.T) {
	pred := [][]float64{{1.4, 2.6, 3.5}, {5, 6, 7}}
	truth := [][]float64{{1, 3, 4}, {5, 6, 6.4}}
	r := POM(pred, truth)
	// trait 0: |err| .4,.4,.5 -> 1.3/3; rounded 1,3,4 vs 1,3,4 -> 1
	// trait 1: |err| 0,0,.6 -> .2; rounded 5,6,7 vs 5,6,6 -> 2/3
	near(t, "MAE", r.MAE, (1.3/3+0.2)/2)
	near(t, "Acc", r.Acc, (1+2.0/3)/2)
	near(t, "Corr", r.Corr, (Pearson(pred[0], truth[0])+Pearson(pred[1], truth[1]))/2)
}

func TestClassificationByHand(t *testing.T) {
	r := Classification([]int{1, 0, 1, 1}, []int{1, 0, 0, 1})
	// class 1: tp 2 fp 1 fn 0 -> F1 .8, support 2; class 0: tp 1 fp 0 fn 1 -> F1 2/3, support 2
	near(t, "Acc", r.Acc, 0.75)
	near(t, "F1", r.F1, (0.8*2+2.0/3*2)/4)
}
