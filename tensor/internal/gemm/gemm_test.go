package gemm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// naive is the reference product, accumulated in float64.
func naive(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	for i := range m {
		for j := range n {
			var s float64
			for l := range k {
				var av, bv float32
				if transA {
					av = a[l*lda+i]
				} else {
					av = a[i*lda+l]
				}
				if transB {
					bv = b[j*ldb+l]
				} else {
					bv = b[l*ldb+j]
				}
				s += float64(av) * float64(bv)
			}
			c[i*ldc+j] = alpha*float32(s) + beta*c[i*ldc+j]
		}
	}
}

func TestGemmMatchesNaive(t *testing.T) {
	if !Available {
		t.Skip("no AVX2/FMA on this machine")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	sizes := [][3]int{{1, 1, 1}, {6, 16, 1}, {7, 17, 3}, {5, 3, 300}, {32, 256, 64}, {73, 33, 257}, {200, 130, 530}, {640, 300, 40},
		{12, 48, 150}, {66, 1000, 150}, {70, 95, 7}, {16, 256, 44}, {4, 40, 9}}
	for _, s := range sizes {
		m, n, k := s[0], s[1], s[2]
		for _, ta := range []bool{false, true} {
			for _, tb := range []bool{false, true} {
				lda, ldb := k+1, n+2 // strides wider than the matrices
				if ta {
					lda = m + 1
				}
				if tb {
					ldb = k + 2
				}
				ar, br := m, k
				if ta {
					ar = k
				}
				if tb {
					br = n
				}
				a := make([]float32, ar*lda)
				b := make([]float32, br*ldb)
				for i := range a {
					a[i] = float32(rng.NormFloat64())
				}
				for i := range b {
					b[i] = float32(rng.NormFloat64())
				}
				ldc := n + 3
				c := make([]float32, m*ldc)
				for i := range c {
					c[i] = float32(rng.NormFloat64())
				}
				c0 := append([]float32(nil), c...)
				want := append([]float32(nil), c...)
				packed := append([]float32(nil), c...)
				naive(ta, tb, m, n, k, 0.7, a, lda, b, ldb, 0.3, want, ldc)
				Gemm(ta, tb, m, n, k, 0.7, a, lda, b, ldb, 0.3, c, ldc)
				pb := PackB(tb, b, ldb, k, n)
				GemmPacked(ta, m, 0.7, a, lda, pb, 0.3, packed, ldc)
				pb.Release()
				// The other kernel width, where the CPU has both, gives the
				// same bits.
				other := append([]float32(nil), c...)
				otherPacked := append([]float32(nil), c...)
				if has512() {
					copy(other, c0)
					copy(otherPacked, c0)
					prev := UseAVX512(!avx512.Load())
					Gemm(ta, tb, m, n, k, 0.7, a, lda, b, ldb, 0.3, other, ldc)
					pb = PackB(tb, b, ldb, k, n)
					GemmPacked(ta, m, 0.7, a, lda, pb, 0.3, otherPacked, ldc)
					pb.Release()
					UseAVX512(prev)
				}
				for i := range c {
					if math.Float32bits(other[i]) != math.Float32bits(c[i]) || math.Float32bits(otherPacked[i]) != math.Float32bits(c[i]) {
						t.Fatalf("m=%d n=%d k=%d transA=%v transB=%v: with the %s kernels c[%d] = %v; with the others %v (B packed once: %v)",
							m, n, k, ta, tb, Kernel(), i, c[i], other[i], otherPacked[i])
					}
					if d := math.Abs(float64(c[i] - want[i])); d > 1e-4*math.Sqrt(float64(k)) {
						t.Fatalf("m=%d n=%d k=%d transA=%v transB=%v: c[%d] = %v, want %v", m, n, k, ta, tb, i, c[i], want[i])
					}
					if math.Float32bits(packed[i]) != math.Float32bits(c[i]) {
						t.Fatalf("m=%d n=%d k=%d transA=%v transB=%v: with B packed once, c[%d] = %v; Gemm gives %v", m, n, k, ta, tb, i, packed[i], c[i])
					}
				}
			}
		}
	}
}

func benchGemm(b *testing.B, transA, transB bool, m, n, k int) {
	if !Available {
		b.Skip("no AVX2/FMA")
	}
	a := make([]float32, m*k)
	bb := make([]float32, k*n)
	c := make([]float32, m*n)
	for i := range a {
		a[i] = 1
	}
	for i := range bb {
		bb[i] = 1
	}
	lda, ldb := k, n
	if transA {
		lda = m
	}
	if transB {
		ldb = k
	}
	b.SetBytes(0)
	for b.Loop() {
		Gemm(transA, transB, m, n, k, 1, a, lda, bb, ldb, 0, c, n)
	}
	b.ReportMetric(2*float64(m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

func BenchmarkInputProjection(b *testing.B) { benchGemm(b, false, true, 640, 256, 300) }
func BenchmarkInputWeightGrad(b *testing.B) { benchGemm(b, true, false, 256, 300, 640) }
func BenchmarkRecurrentStep(b *testing.B)   { benchGemm(b, false, true, 32, 256, 64) }
func BenchmarkInferProjection(b *testing.B) { benchGemm(b, false, true, 13720, 256, 300) }

// TFN's post-fusion layer at batch 32: the 70,785-wide fused tensor times
// the weights (forward), the input's gradient and the weights' gradient.
func BenchmarkWideLinear(b *testing.B)     { benchGemm(b, false, true, 32, 32, 70785) }
func BenchmarkWideInputGrad(b *testing.B)  { benchGemm(b, false, false, 32, 70785, 32) }
func BenchmarkWideWeightGrad(b *testing.B) { benchGemm(b, true, false, 32, 70785, 32) }

// BenchmarkKernel times the micro-kernel alone on panels that stay in L1:
// the ceiling the blocked products can approach.
func BenchmarkKernel(b *testing.B) {
	if !Available {
		b.Skip("no AVX2/FMA")
	}
	a := make([]float32, mr*kc)
	bp := make([]float32, nr*kc)
	c := make([]float32, mr*nr)
	for b.Loop() {
		kernel6x16acc(kc, &a[0], &bp[0], &c[0], nr, 1)
	}
	b.ReportMetric(2*float64(mr*nr*kc)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// BenchmarkKernel512 is BenchmarkKernel for the AVX-512 6x32 kernel (twice
// the columns per call).
func BenchmarkKernel512(b *testing.B) {
	if !has512() {
		b.Skip("no AVX-512")
	}
	a := make([]float32, mr*kc)
	bp := make([]float32, 2*nr*kc)
	c := make([]float32, mr*2*nr)
	for b.Loop() {
		kernel6x32acc(kc, &a[0], &bp[0], 4*nr, 4*nr*kc, &c[0], 2*nr, mr, 1)
	}
	b.ReportMetric(2*float64(mr*2*nr*kc)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}
