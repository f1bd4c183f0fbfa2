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

func TestMatMulTransposedAPathAgrees(t *testing.T) {
	// Large enough to take the explicit-transpose path; compare with a naive product.
	m, k, n := 200, 150, 130
	a, b := New(k, m), New(k, n) // c = aᵀ b
	for i := range a.Data {
		a.Data[i] = float32(i%7) - 3
	}
	for i := range b.Data {
		b.Data[i] = float32(i%5) - 2
	}
	c := New(m, n)
	c.Fill(1)
	MatMul(true, false, 2, a, b, 1, c)
	for i := range m {
		for j := range n {
			var s float32
			for p := range k {
				s += a.Data[p*m+i] * b.Data[p*n+j]
			}
			if want := 2*s + 1; c.Data[i*n+j] != want {
				t.Fatalf("c[%d,%d] = %v, want %v", i, j, c.Data[i*n+j], want)
			}
		}
	}
}

// TestBothBackends runs the MatMul tests on gonum's BLAS as well as on the
// AVX2 kernel, so the fallback used on other machines stays tested.
func TestBothBackends(t *testing.T) {
	saved := useKernel
	defer func() { useKernel = saved }()
	for _, k := range []bool{false, saved} {
		useKernel = k
		t.Run("transposes", TestMatMulTransposes)
		t.Run("transposed A path", TestMatMulTransposedAPathAgrees)
		t.Run("packed B", TestMatMulPackedIsMatMul)
	}
}

// A product with B packed once gives MatMul's bits, for both transposes of
// B, used twice.
func TestMatMulPackedIsMatMul(t *testing.T) {
	for _, transB := range []bool{false, true} {
		a, b := New(7, 33), New(40, 33) // op(b) is 33 x 40 when transposed
		if !transB {
			b = New(33, 40)
		}
		for i := range a.Data {
			a.Data[i] = float32(i%11)/7 - 0.6
		}
		for i := range b.Data {
			b.Data[i] = float32(i%13)/5 - 1.1
		}
		p := Pack(transB, b)
		for range 2 {
			want, got := New(7, 40), New(7, 40)
			want.Fill(0.5)
			got.Fill(0.5)
			MatMul(false, transB, 0.7, a, b, 1, want)
			MatMulPacked(false, 0.7, a, p, 1, got)
			for i := range want.Data {
				if got.Data[i] != want.Data[i] {
					t.Fatalf("transB %v: c[%d] = %v, MatMul gives %v", transB, i, got.Data[i], want.Data[i])
				}
			}
		}
	}
}

func TestScatterRowsInvertsGatherRows(t *testing.T) {
	src := From([]float32{1, 2, 3, 4, 5, 6, 7, 8}, 4, 2)
	idx := []int{2, 0, 3}
	got := New(4, 2)
	ScatterRows(got, idx, GatherRows(src, idx, nil))
	want := []float32{1, 2, 0, 0, 5, 6, 7, 8}
	for i, v := range want {
		if got.Data[i] != v {
			t.Fatalf("scattered %v, want %v", got.Data, want)
		}
	}
}
