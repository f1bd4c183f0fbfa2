// Package tensor provides the dense float32 tensor that modistill computes on,
// and the few whole-tensor operations (matrix product, fill, copy) that the
// autodiff engine builds on.
//
// MatMul runs on an AVX2/FMA kernel of modistill's own (package
// tensor/internal/gemm) where the CPU has those instructions, and on gonum's
// BLAS (blas32) everywhere else.
//
// A Tensor is a shape and a row-major slice of float32. It has no strides:
// reshaping is free, slicing along any axis but the first copies. When a
// tensor is used as a matrix, its last axis is the columns and all other axes
// together are the rows, so a (B, T, D) sequence batch is a (B*T, D) matrix.
//
// Shape mismatches are programmer errors and panic with a message that names
// the operation and the shapes; the package returns no errors.
package tensor

import (
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/modistill/modistill/tensor/internal/gemm"
	"github.com/modistill/modistill/tensor/internal/vec"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// Tensor is a dense row-major float32 array.
type Tensor struct {
	Shape []int
	Data  []float32
}

// New returns a zero tensor of the given shape.
func New(shape ...int) *Tensor {
	return &Tensor{Shape: append([]int(nil), shape...), Data: make([]float32, Size(shape))}
}

// From wraps data in a tensor of the given shape without copying. It panics if
// len(data) does not equal the product of shape.
func From(data []float32, shape ...int) *Tensor {
	if len(data) != Size(shape) {
		panic(fmt.Sprintf("tensor.From: %d values for shape %s", len(data), ShapeString(shape)))
	}
	return &Tensor{Shape: append([]int(nil), shape...), Data: data}
}

// Scalar returns a tensor of shape (1) holding v.
func Scalar(v float32) *Tensor { return &Tensor{Shape: []int{1}, Data: []float32{v}} }

// Size is the number of elements of a tensor of the given shape.
func Size(shape []int) int {
	n := 1
	for _, d := range shape {
		if d < 0 {
			panic(fmt.Sprintf("tensor: negative dimension in shape %s", ShapeString(shape)))
		}
		n *= d
	}
	return n
}

// ShapeString formats a shape as (d0, d1, ...).
func ShapeString(shape []int) string {
	parts := make([]string, len(shape))
	for i, d := range shape {
		parts[i] = fmt.Sprint(d)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// String formats the tensor's shape, for messages.
func (t *Tensor) String() string { return "tensor" + ShapeString(t.Shape) }

// Len is the number of elements.
func (t *Tensor) Len() int { return len(t.Data) }

// Rows is the number of rows of the tensor seen as a matrix: the product of
// all dimensions but the last.
func (t *Tensor) Rows() int {
	c := t.Cols()
	if c == 0 {
		return 0
	}
	return len(t.Data) / c
}

// Cols is the size of the last dimension (1 for a tensor of rank 0).
func (t *Tensor) Cols() int {
	if len(t.Shape) == 0 {
		return 1
	}
	return t.Shape[len(t.Shape)-1]
}

// SameShape reports whether t and u have identical shapes.
func (t *Tensor) SameShape(u *Tensor) bool { return EqualShapes(t.Shape, u.Shape) }

// EqualShapes reports whether two shapes are identical.
func EqualShapes(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Reshape returns a tensor that shares t's data under a new shape. It panics
// if the sizes differ.
func (t *Tensor) Reshape(shape ...int) *Tensor {
	if Size(shape) != len(t.Data) {
		panic(fmt.Sprintf("tensor.Reshape: cannot view %s as %s", ShapeString(t.Shape), ShapeString(shape)))
	}
	return &Tensor{Shape: append([]int(nil), shape...), Data: t.Data}
}

// Clone returns a deep copy of t.
func (t *Tensor) Clone() *Tensor {
	return &Tensor{Shape: append([]int(nil), t.Shape...), Data: append([]float32(nil), t.Data...)}
}

// Zero sets every element to 0.
func (t *Tensor) Zero() { clear(t.Data) }

// Fill sets every element to v.
func (t *Tensor) Fill(v float32) {
	for i := range t.Data {
		t.Data[i] = v
	}
}

// FillRows sets every row of t (seen as a matrix) to row, a bias the rows
// start from. It panics if row is not t.Cols() long.
func (t *Tensor) FillRows(row []float32) {
	c := t.Cols()
	if len(row) != c {
		panic(fmt.Sprintf("tensor.FillRows: a row of %d into %s", len(row), t))
	}
	for i := 0; i < len(t.Data); i += c {
		copy(t.Data[i:i+c], row)
	}
}

// CopyFrom copies src's values into t. It panics if the sizes differ.
func (t *Tensor) CopyFrom(src *Tensor) {
	if len(src.Data) != len(t.Data) {
		panic(fmt.Sprintf("tensor.CopyFrom: %s into %s", src, t))
	}
	copy(t.Data, src.Data)
}

// matrix views t as a BLAS general matrix (Rows x Cols).
func (t *Tensor) matrix() blas32.General {
	c := t.Cols()
	return blas32.General{Rows: t.Rows(), Cols: c, Stride: max(c, 1), Data: t.Data}
}

// MatMul computes c = alpha * op(a) * op(b) + beta * c, where op transposes
// its argument when the corresponding flag is set. Each tensor is seen as a
// matrix (see the package comment). It panics if the shapes do not agree.
func MatMul(transA, transB bool, alpha float32, a, b *Tensor, beta float32, c *Tensor) {
	am, bm, cm := a.matrix(), b.matrix(), c.matrix()
	ar, ac := am.Rows, am.Cols
	if transA {
		ar, ac = ac, ar
	}
	br, bc := bm.Rows, bm.Cols
	if transB {
		br, bc = bc, br
	}
	if ac != br || cm.Rows != ar || cm.Cols != bc {
		panic(fmt.Sprintf("tensor.MatMul: %s%s x %s%s into %s", a, tmark(transA), b, tmark(transB), c))
	}
	if ar == 0 || bc == 0 {
		return
	}
	if ac == 0 {
		if beta == 0 {
			c.Zero()
		} else if beta != 1 {
			for i := range c.Data {
				c.Data[i] *= beta
			}
		}
		return
	}
	if useKernel {
		gemm.Gemm(transA, transB, ar, bc, ac, alpha, am.Data, am.Stride, bm.Data, bm.Stride, beta, cm.Data, cm.Stride)
		return
	}
	if transA && bc >= wideB && am.Rows*am.Cols >= bigA {
		// gonum's Aᵀ·B kernel runs at about two thirds of the speed of its
		// A·B kernel when B is wide (measured: the LSTM's input-weight
		// gradient, 256x640 · 640x300, 5.1 ms against 3.4 ms with the
		// transpose below included), so transpose A explicitly.
		buf := scratch.Get().(*[]float32)
		if cap(*buf) < len(am.Data) {
			*buf = make([]float32, len(am.Data))
		}
		at := blas32.General{Rows: am.Cols, Cols: am.Rows, Stride: am.Rows, Data: (*buf)[:am.Rows*am.Cols]}
		transpose(at, am)
		blas32.Gemm(blas.NoTrans, trans(transB), alpha, at, bm, beta, cm)
		scratch.Put(buf)
		return
	}
	blas32.Gemm(trans(transA), trans(transB), alpha, am, bm, beta, cm)
}

// Threads is how many goroutines one operation (a matrix product, an LSTM
// step) may use: GOMAXPROCS unless SetThreads set another number.
func Threads() int { return gemm.Threads() }

// SetThreads sets how many goroutines one operation may use (n < 1:
// GOMAXPROCS again) and returns the previous setting, to restore it. A
// program that trains several models at once sets 1, so that the cores go
// to the trainings rather than to each operation.
func SetThreads(n int) int { return gemm.SetThreads(n) }

// Packed is the right operand of MatMulPacked: op(B) prepared once for
// several products with the same B (an LSTM's recurrent weights, at every
// step), packed into the kernel's panels where the AVX2 kernel is in use.
type Packed struct {
	b      *Tensor
	transB bool
	p      *gemm.PackedB // nil with gonum
}

// Pack prepares op(B) for MatMulPacked. B must not change while the
// Packed is in use.
func Pack(transB bool, b *Tensor) *Packed {
	p := &Packed{b: b, transB: transB}
	if useKernel {
		bm := b.matrix()
		k, n := bm.Rows, bm.Cols
		if transB {
			k, n = n, k
		}
		p.p = gemm.PackB(transB, bm.Data, bm.Stride, k, n)
	}
	return p
}

// Release hands the packed copy back for reuse (to the next Pack); p must
// not be used after it.
func (p *Packed) Release() {
	if p.p != nil {
		p.p.Release()
		p.p = nil
	}
}

// MatMulPacked is MatMul with op(B) prepared by Pack: c = alpha·op(a)·op(b)
// + beta·c, with the same result.
func MatMulPacked(transA bool, alpha float32, a *Tensor, b *Packed, beta float32, c *Tensor) {
	matMulPacked(false, transA, alpha, a, b, beta, c)
}

// MatMulPackedSerial is MatMulPacked on the calling goroutine alone, for a
// caller that splits the rows of its products between goroutines itself
// (the LSTM, whose batch rows recur independently); the result is the same.
func MatMulPackedSerial(transA bool, alpha float32, a *Tensor, b *Packed, beta float32, c *Tensor) {
	matMulPacked(true, transA, alpha, a, b, beta, c)
}

// MatMulPackedRows is MatMulPackedSerial for an a that is not a tensor of
// its own but rows of a larger array: row i of the rows x cols matrix is
// a[i*stride : i*stride+cols] (an LSTM's inputs at one time step, read in
// place). c = alpha·a·op(b) + beta·c, on the calling goroutine.
func MatMulPackedRows(alpha float32, a []float32, rows, cols, stride int, b *Packed, beta float32, c *Tensor) {
	if rows > 0 && (stride < cols || len(a) < (rows-1)*stride+cols) {
		panic(fmt.Sprintf("tensor.MatMulPackedRows: %d rows of %d, %d apart, in %d values", rows, cols, stride, len(a)))
	}
	if b.p == nil {
		am := blas32.General{Rows: rows, Cols: cols, Stride: max(stride, 1), Data: a}
		blas32.Gemm(blas.NoTrans, trans(b.transB), alpha, am, b.b.matrix(), beta, c.matrix())
		return
	}
	cm := c.matrix()
	if cols != b.p.K || cm.Rows != rows || cm.Cols != b.p.N {
		panic(fmt.Sprintf("tensor.MatMulPackedRows: (%d, %d) x %s%s into %s", rows, cols, b.b, tmark(b.transB), c))
	}
	gemm.GemmPackedSerial(false, rows, alpha, a, stride, b.p, beta, cm.Data, cm.Stride)
}

func matMulPacked(serial, transA bool, alpha float32, a *Tensor, b *Packed, beta float32, c *Tensor) {
	if b.p == nil {
		MatMul(transA, b.transB, alpha, a, b.b, beta, c)
		return
	}
	am, cm := a.matrix(), c.matrix()
	ar, ac := am.Rows, am.Cols
	if transA {
		ar, ac = ac, ar
	}
	if ac != b.p.K || cm.Rows != ar || cm.Cols != b.p.N {
		panic(fmt.Sprintf("tensor.MatMulPacked: %s%s x %s%s into %s", a, tmark(transA), b.b, tmark(b.transB), c))
	}
	if serial {
		gemm.GemmPackedSerial(transA, ar, alpha, am.Data, am.Stride, b.p, beta, cm.Data, cm.Stride)
		return
	}
	gemm.GemmPacked(transA, ar, alpha, am.Data, am.Stride, b.p, beta, cm.Data, cm.Stride)
}

// useKernel selects the kernels of package gemm where the CPU has AVX2 and
// FMA (and their AVX-512 forms where it has AVX-512); otherwise MatMul calls
// gonum's BLAS. The environment variable MODISTILL_GEMM=gonum forces gonum
// and MODISTILL_GEMM=avx2 the AVX2 kernels alone (to compare them, or to
// rule a kernel out); the two kernels give the same bits.
var useKernel = selectKernel(os.Getenv("MODISTILL_GEMM"))

// selectKernel applies MODISTILL_GEMM's value (see useKernel) and reports
// whether package gemm's kernels are to be used.
func selectKernel(env string) bool {
	if env == "avx2" {
		gemm.UseAVX512(false)
	}
	return gemm.Available && env != "gonum"
}

// Backend names the matrix-product implementation in use: "avx512",
// "avx2" or "gonum".
func Backend() string {
	if useKernel {
		return gemm.Kernel()
	}
	return "gonum"
}

// CPUFeatures lists the vector features of the CPU that a matrix kernel
// could use ("avx2 fma avx512f ..."; "none" when it has none of them), so a
// benchmark can print them beside Backend.
func CPUFeatures() string {
	f := gemm.Features()
	if len(f) == 0 {
		return "none"
	}
	return strings.Join(f, " ")
}

// Thresholds above which MatMul transposes A explicitly (see MatMul).
const (
	wideB = 128
	bigA  = 1 << 14
)

var scratch = sync.Pool{New: func() any { return new([]float32) }}

// transpose writes srcᵀ into dst, in blocks to stay in cache.
func transpose(dst, src blas32.General) {
	const blk = 32
	for i0 := 0; i0 < src.Rows; i0 += blk {
		for j0 := 0; j0 < src.Cols; j0 += blk {
			for i := i0; i < min(i0+blk, src.Rows); i++ {
				row := src.Data[i*src.Stride : i*src.Stride+src.Cols]
				for j := j0; j < min(j0+blk, src.Cols); j++ {
					dst.Data[j*dst.Stride+i] = row[j]
				}
			}
		}
	}
}

func tmark(t bool) string {
	if t {
		return "ᵀ"
	}
	return ""
}

func trans(t bool) blas.Transpose {
	if t {
		return blas.Trans
	}
	return blas.NoTrans
}

// GatherRows copies the leading-axis rows idx of src, in order, into dst
// (reallocated if its shape is wrong; nil allocates) and returns it.
func GatherRows(src *Tensor, idx []int, dst *Tensor) *Tensor {
	shape := append([]int{len(idx)}, src.Shape[1:]...)
	if dst == nil || !EqualShapes(dst.Shape, shape) {
		dst = New(shape...)
	}
	row := Size(src.Shape[1:])
	for i, r := range idx {
		copy(dst.Data[i*row:(i+1)*row], src.Data[r*row:(r+1)*row])
	}
	return dst
}

// ScatterRows copies row i of src into row idx[i] of dst, the inverse of
// GatherRows; dst's rows must have src's shape.
func ScatterRows(dst *Tensor, idx []int, src *Tensor) {
	row := Size(src.Shape[1:])
	if len(idx) != src.Shape[0] || Size(dst.Shape[1:]) != row {
		panic(fmt.Sprintf("tensor.ScatterRows: %d indices, source %s, destination %s", len(idx), ShapeString(src.Shape), ShapeString(dst.Shape)))
	}
	for i, r := range idx {
		copy(dst.Data[r*row:(r+1)*row], src.Data[i*row:(i+1)*row])
	}
}

// Accumulate adds src into dst elementwise, dst[i] += src[i]: the way
// gradients gather. dst must be at least as long as src. Eight values at a
// time with AVX2 where the CPU has it; the same bits.
func Accumulate(dst, src []float32) { vec.Add(dst, src) }

// AccumulateScaled adds a·src into dst elementwise, dst[i] += a·src[i] (the
// BLAS axpy), each product rounded before the sum. dst must be at least as
// long as src. Eight values at a time with AVX2 where the CPU has it; the
// same bits.
func AccumulateScaled(dst []float32, a float32, src []float32) { vec.AddScaled(dst, a, src) }

// AccumulateDots adds to each dst[i] the dot product of row i of m (rows of
// len(v) values, one after another) with v: each sum in order from zero,
// as a plain loop, four rows at a time so that their chains of additions
// overlap; the same bits.
func AccumulateDots(dst, m, v []float32) { vec.AddDots(dst, m, v) }

// ScaleTo sets dst[i] = a·src[i]. dst must be at least as long as src.
// Eight values at a time with AVX2 where the CPU has it; the same bits.
func ScaleTo(dst []float32, a float32, src []float32) { vec.Scale(dst, a, src) }

// Drop is inverted dropout's forward loop: dst[i] = src[i]·keep where the
// low 24 bits of draws[i] are at least threshold, +0 elsewhere, and bit
// i%32 of kept[i/32] set exactly for the kept elements. dst and draws must
// be at least as long as src, kept (len(src)+31)/32 words. Thirty-two
// values at a time with AVX2 where the CPU has it; the same bits.
func Drop(dst, src []float32, draws []uint32, threshold uint32, keep float32, kept []uint32) {
	vec.Drop(dst, src, draws, threshold, keep, kept)
}

// AccumulateKept is Drop's backward loop: dst[i] += g[i]·keep where bit
// i%32 of kept[i/32] is set, g[i]·(+0) where it is not. dst must be at
// least as long as g. Thirty-two values at a time with AVX2 where the CPU
// has it; the same bits.
func AccumulateKept(dst, g []float32, kept []uint32, keep float32) { vec.AddKept(dst, g, kept, keep) }
