// Package metrics computes the evaluation measures of the multimodal
// sentiment literature, each exactly as METHOD.md ("Metrics") defines it, so
// that a table says which variant it uses:
//
//   - on plain slices: MAE, Pearson, Accuracy, WeightedF1, and the task
//     summaries MOSI (MAE, correlation, Acc-2 and weighted F1 with the
//     y >= 0 split, LMF's and the paper's, and the "non-zero" split that
//     drops y == 0, Acc-7 on rounded, clipped values), POM and
//     Classification;
//   - on a model's predictions for a split, by task (Score, into Scores):
//     MOSI-style regression, POM-style multi-target regression
//     (trait-averaged), classification from the argmax of the class
//     probabilities;
//   - over seeds: Summarize (mean and standard deviation) and
//     PairedDifferences, with their formats;
//   - from a predictions file (ParsePredictions): eval's output or plain
//     pred,truth rows, so any model's predictions can be scored.
package metrics

import (
	"fmt"
	"math"
)

// MAE is the mean absolute error.
func MAE(pred, truth []float64) float64 {
	mustSameLen("MAE", pred, truth)
	var s float64
	for i := range pred {
		s += math.Abs(pred[i] - truth[i])
	}
	return s / float64(len(pred))
}

// Pearson is the Pearson correlation coefficient; it is NaN when either
// argument is constant.
func Pearson(x, y []float64) float64 {
	mustSameLen("Pearson", x, y)
	n := float64(len(x))
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= n
	my /= n
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	return sxy / math.Sqrt(sxx*syy)
}

// Accuracy is the fraction of equal labels.
func Accuracy(pred, truth []int) float64 {
	if len(pred) != len(truth) {
		panic(fmt.Sprintf("Accuracy: %d predictions, %d labels", len(pred), len(truth)))
	}
	if len(pred) == 0 {
		return math.NaN()
	}
	ok := 0
	for i := range pred {
		if pred[i] == truth[i] {
			ok++
		}
	}
	return float64(ok) / float64(len(pred))
}

// WeightedF1 is the mean of the per-class F1 scores weighted by each class's
// support in truth (scikit-learn's average="weighted"). A class with no
// predicted and no true member contributes nothing; one with true members but
// no correct prediction scores 0.
func WeightedF1(pred, truth []int) float64 {
	if len(pred) != len(truth) {
		panic(fmt.Sprintf("WeightedF1: %d predictions, %d labels", len(pred), len(truth)))
	}
	classes := map[int]bool{}
	for i := range truth {
		classes[truth[i]] = true
		classes[pred[i]] = true
	}
	var f1sum float64
	for c := range classes {
		var tp, fp, fn int
		for i := range truth {
			switch {
			case pred[i] == c && truth[i] == c:
				tp++
			case pred[i] == c:
				fp++
			case truth[i] == c:
				fn++
			}
		}
		support := tp + fn
		if support == 0 || tp == 0 {
			continue
		}
		f1 := 2 * float64(tp) / float64(2*tp+fp+fn)
		f1sum += f1 * float64(support)
	}
	return f1sum / float64(len(truth))
}

// Regression holds the MOSI metrics of one set of predictions.
type Regression struct {
	MAE  float64 `json:"mae"`
	Corr float64 `json:"corr"`
	// Acc2 and F1 split at 0 with y >= 0 positive (LMF's and the paper's variant).
	Acc2 float64 `json:"acc2"`
	F1   float64 `json:"f1"`
	// Acc2NonZero and F1NonZero drop samples with y == 0 and split at 0.
	Acc2NonZero float64 `json:"acc2_nonzero"`
	F1NonZero   float64 `json:"f1_nonzero"`
	// Acc7 compares round(clip(·, -3, 3)), halves to even.
	Acc7 float64 `json:"acc7"`
}

// MOSI computes the regression metrics of METHOD.md on scores in [-3, 3].
func MOSI(pred, truth []float64) Regression {
	mustSameLen("MOSI", pred, truth)
	var r Regression
	r.MAE = MAE(pred, truth)
	r.Corr = Pearson(pred, truth)
	bp, bt := make([]int, len(pred)), make([]int, len(pred))
	var nzp, nzt []int
	sp, st := make([]int, len(pred)), make([]int, len(pred))
	for i := range pred {
		bp[i], bt[i] = b2i(pred[i] >= 0), b2i(truth[i] >= 0)
		if truth[i] != 0 {
			nzp = append(nzp, b2i(pred[i] > 0))
			nzt = append(nzt, b2i(truth[i] > 0))
		}
		sp[i], st[i] = Round7(pred[i]), Round7(truth[i])
	}
	r.Acc2, r.F1 = Accuracy(bp, bt), WeightedF1(bp, bt)
	r.Acc2NonZero, r.F1NonZero = Accuracy(nzp, nzt), WeightedF1(nzp, nzt)
	r.Acc7 = Accuracy(sp, st)
	return r
}

// Round7 maps a score to one of the 7 classes -3..3: clipped to [-3, 3],
// rounded to the nearest integer with halves to even (as numpy.round).
func Round7(x float64) int {
	return int(math.RoundToEven(math.Max(-3, math.Min(3, x))))
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func mustSameLen(op string, a, b []float64) {
	if len(a) != len(b) {
		panic(fmt.Sprintf("metrics.%s: %d predictions, %d truths", op, len(a), len(b)))
	}
}

// Traits holds POM's metrics averaged over its traits (LMF's protocol):
// per trait the MAE, the Pearson correlation and the accuracy of rounded
// predictions against rounded labels (halves to even, as numpy.round).
type Traits struct {
	MAE  float64 `json:"mae"`
	Corr float64 `json:"corr"`
	Acc  float64 `json:"acc"`
}

// POM computes the trait-averaged metrics; pred and truth are indexed
// [trait][sample].
func POM(pred, truth [][]float64) Traits {
	if len(pred) != len(truth) || len(pred) == 0 {
		panic(fmt.Sprintf("POM: %d predicted traits, %d true", len(pred), len(truth)))
	}
	var t Traits
	k := float64(len(pred))
	for j := range pred {
		t.MAE += MAE(pred[j], truth[j]) / k
		t.Corr += Pearson(pred[j], truth[j]) / k
		rp, rt := make([]int, len(pred[j])), make([]int, len(pred[j]))
		for i := range pred[j] {
			rp[i], rt[i] = int(math.RoundToEven(pred[j][i])), int(math.RoundToEven(truth[j][i]))
		}
		t.Acc += Accuracy(rp, rt) / k
	}
	return t
}

// Binary holds a classification task's accuracy and weighted F1.
type Binary struct {
	Acc float64 `json:"acc"`
	F1  float64 `json:"f1"`
}

// Classification scores class predictions (IEMOCAP: argmax of the two
// logits) against labels.
func Classification(pred, truth []int) Binary {
	return Binary{Acc: Accuracy(pred, truth), F1: WeightedF1(pred, truth)}
}
