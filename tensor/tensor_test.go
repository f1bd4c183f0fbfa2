package tensor

import (
	"strings"
	"testing"
)

func TestMatMulTransposes(t *testing.T) {
	a := From([]float32{1, 2, 3, 4, 5, 6}, 2, 3) // 2x3
	b := From([]float32{1, 0, 0, 1, 1, 1}, 3, 2) // 3x2
	c := New(2, 2)
	MatMul(false, false, 1, a, b, 0, c)
	want := []float32{4, 5, 10, 11}
	for i, w := range want {
		if c.Data[i] != w {
			t.Fatalf("a*b = %v, want %v", c.Data, want)
		}
	}
	// (aᵀ)ᵀ (bᵀ)ᵀ with explicit transposed copies gives the same.
	at := From([]float32{1, 4, 2, 5, 3, 6}, 3, 2)
	bt := From([]float32{1, 0, 1, 0, 1, 1}, 2, 3)
	d := New(2, 2)
	MatMul(true, true, 1, at, bt, 0, d)
	for i, w := range want {
		if d.Data[i] != w {
			t.Fatalf("aᵀᵀ*bᵀᵀ = %v, want %v", d.Data, want)
		}
	}
	// beta accumulates.
	MatMul(false, false, 1, a, b, 1, c)
	if c.Data[3] != 22 {
		t.Fatalf("beta=1 accumulation: got %v", c.Data)
	}
}

func TestMatMulShapePanicNamesShapes(t *testing.T) {
	defer func() {
		r := recover()
		msg, _ := r.(string)
		if !strings.Contains(msg, "MatMul") || !strings.Contains(msg, "(2, 3)") || !strings.Contains(msg, "(2, 2)") {
			t.Fatalf("panic message %q does not name the op and shapes", msg)
		}
	}()
	MatMul(false, false, 1, New(2, 3), New(2, 2), 0, New(2, 2))
}

func TestReshapeSharesData(t *testing.T) {
	x := New(2, 3, 4)
	if x.Rows() != 6 || x.Cols() != 4 {
		t.Fatalf("rows, cols = %d, %d", x.Rows(), x.Cols())
	}
	y := x.Reshape(6, 4)
	y.Data[5] = 7
	if x.Data[5] != 7 {
		t.Fatal("reshape copied")
	}
}
