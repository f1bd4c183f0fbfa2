// Package tensortest helps tests compare tensors: tolerance checks that report
// the largest difference, and a reader for golden files written by the
// PyTorch scripts kept beside them under testdata/.
package tensortest

import (
	"encoding/json"
	"fmt"
	"math"
	"os"

	"github.com/modistill/modistill/tensor"
)

// Golden is a tensor as the golden scripts write it.
type Golden struct {
	Shape []int     `json:"shape"`
	Data  []float32 `json:"data"`
}

// Tensor returns the golden value as a tensor.
func (g Golden) Tensor() *tensor.Tensor {
	return tensor.From(append([]float32(nil), g.Data...), g.Shape...)
}

// ReadJSON decodes the JSON file at path into v.
func ReadJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode %s: %w", path, err)
	}
	return nil
}

// MaxDiff returns the largest |got - want| / max(1, |want|) and its index.
func MaxDiff(got, want []float32) (float64, int) {
	worst, at := 0.0, -1
	for i := range want {
		d := math.Abs(float64(got[i])-float64(want[i])) / math.Max(1, math.Abs(float64(want[i])))
		if d > worst || math.IsNaN(d) {
			worst, at = d, i
		}
	}
	return worst, at
}

// AllClose returns an error naming what differs if got and want differ in
// length or anywhere by more than tol (relative to max(1, |want|)).
func AllClose(what string, got, want []float32, tol float64) error {
	if len(got) != len(want) {
		return fmt.Errorf("%s: %d values, want %d", what, len(got), len(want))
	}
	if d, i := MaxDiff(got, want); d > tol {
		return fmt.Errorf("%s: max difference %.3g at %d (got %g, want %g), tolerance %g", what, d, i, got[i], want[i], tol)
	}
	return nil
}
