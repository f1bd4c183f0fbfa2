package tensor_test

import (
	"fmt"

	"github.com/modistill/modistill/tensor"
)

// MatMul computes C = alpha·op(A)·op(B) + beta·C, as BLAS's sgemm, on
// row-major tensors.
func ExampleMatMul() {
	a := tensor.From([]float32{1, 2, 3, 4, 5, 6}, 2, 3) // (2, 3)
	b := tensor.From([]float32{1, 0, 0, 1, 1, 1}, 3, 2) // (3, 2)
	c := tensor.New(2, 2)
	tensor.MatMul(false, false, 1, a, b, 0, c)
	fmt.Println(c.Shape, c.Data)
	// Output:
	// [2 2] [4 5 10 11]
}
