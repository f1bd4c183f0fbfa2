package data

import (
	"math"

	"github.com/modistill/modistill/tensor"
)

// UtteranceFeatures returns, for the samples idx of b (all if idx is nil),
// the concatenated utterance-level feature vectors of the modalities in use:
// vector inputs as they are, sequences averaged over each sample's valid
// steps (LMF's preprocessing). Non-neural baselines read data this way.
func UtteranceFeatures(b *Batch, idx []int, use Subset) [][]float64 {
	if idx == nil {
		idx = make([]int, b.N())
		for i := range idx {
			idx[i] = i
		}
	}
	out := make([][]float64, len(idx))
	for r, i := range idx {
		var row []float64
		for m, u := range use {
			if u {
				row = appendMean(row, b.Inputs[m], i, b.Lengths[m])
			}
		}
		out[r] = row
	}
	return out
}

// appendMean appends sample i of x: the vector itself, or for a sequence
// (N, L, d) the mean over its valid steps (zeros for an empty one).
func appendMean(row []float64, x *tensor.Tensor, i int, lengths []int) []float64 {
	if len(x.Shape) == 2 {
		d := x.Shape[1]
		for _, v := range x.Data[i*d : (i+1)*d] {
			row = append(row, float64(v))
		}
		return row
	}
	L, d := x.Shape[1], x.Shape[2]
	n := L
	if lengths != nil {
		n = lengths[i]
	}
	start := len(row)
	row = append(row, make([]float64, d)...)
	for s := range n {
		for j, v := range x.Data[(i*L+s)*d : (i*L+s+1)*d] {
			row[start+j] += float64(v) / float64(n)
		}
	}
	return row
}

// Moments returns the column means and standard deviations (population) of
// rows; a constant column gets a standard deviation of 1, so that
// standardising leaves it at 0.
func Moments(rows [][]float64) (mean, std []float64) {
	if len(rows) == 0 {
		return nil, nil
	}
	d, n := len(rows[0]), float64(len(rows))
	mean, std = make([]float64, d), make([]float64, d)
	for _, r := range rows {
		for j, v := range r {
			mean[j] += v / n
		}
	}
	for _, r := range rows {
		for j, v := range r {
			std[j] += (v - mean[j]) * (v - mean[j]) / n
		}
	}
	for j := range std {
		std[j] = math.Sqrt(std[j])
		if std[j] < 1e-8 {
			std[j] = 1
		}
	}
	return mean, std
}
