// Package gemm is a float32 matrix product for x86-64 CPUs with AVX2 and FMA:
// GotoBLAS-style blocking and packing around a 6x16 register-tiled
// micro-kernel written in Go assembly, in three forms that differ only in
// where they read their operands: both packed, a row-major A in place, or
// a row-major B in place (when A has too few rows to repay packing B).
// Where the CPU has AVX-512, 6x32 forms (two panels of B side by side in
// 512-bit registers) take every tile they fit. All of them do the same
// multiply-adds in the same order, so a product's bits do not depend on
// which one ran. gonum's pure-Go float32 kernels use 4-wide SSE; these use
// 8-wide (16-wide) fused multiply-adds. Where the CPU lacks
// AVX2 or FMA, or on other architectures, Available is false and callers use
// gonum's BLAS instead.
package gemm

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Micro-kernel tile and cache-block sizes.
const (
	mr = 6   // rows of a micro-tile
	nr = 16  // columns of a micro-tile (two 8-float registers)
	kc = 256 // depth of a packed block
	mc = 72  // rows of A packed at once (a multiple of mr)
)

// Available reports whether Gemm can run on this machine.
var Available = available()

// avx512 is whether the AVX-512 kernels run where a 6x32 tile fits (see
// UseAVX512).
var avx512 atomic.Bool

func init() { avx512.Store(has512()) }

// Kernel names the micro-kernels in use: "avx512" (the 6x32 AVX-512
// kernels, with the AVX2 ones at the edges), "avx2", or "" when Available is
// false.
func Kernel() string {
	switch {
	case avx512.Load():
		return "avx512"
	case Available:
		return "avx2"
	}
	return ""
}

// UseAVX512 sets whether the products use the AVX-512 kernels (only where
// the CPU has them: on others it stays false) and returns the previous
// setting. The results are the same bits either way; it is for comparing
// the two and for tests.
func UseAVX512(on bool) bool { return avx512.Swap(on && has512()) }

// Features lists the CPU's vector features a matrix kernel could use
// ("avx2", "fma", "avx512f", "amx-tile", ...), for benchmarks to print.
func Features() []string { return features() }

// threads is how many goroutines one product may use; 0 means GOMAXPROCS.
var threads atomic.Int32

// Threads is how many goroutines one product may use: GOMAXPROCS unless
// SetThreads set another number.
func Threads() int {
	if n := int(threads.Load()); n > 0 {
		return n
	}
	return runtime.GOMAXPROCS(0)
}

// SetThreads sets how many goroutines one product may use (n < 1:
// GOMAXPROCS) and returns the previous setting (0 for GOMAXPROCS).
func SetThreads(n int) int { return int(threads.Swap(int32(max(n, 0)))) }

// parallelFlops is the size (in multiply-adds) above which Gemm splits the
// rows of C between goroutines.
const parallelFlops = 1 << 19

// Gemm computes C = alpha·op(A)·op(B) + beta·C for row-major matrices, where
// op(A) is m x k and op(B) is k x n; op transposes when the flag is set. lda,
// ldb and ldc are row strides. It panics if Available is false.
func Gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if !Available {
		panic("gemm: AVX2 and FMA are not available")
	}
	if m == 0 || n == 0 {
		return
	}
	scale(c, m, n, ldc, beta)
	if k == 0 || alpha == 0 {
		return
	}
	if !transB && m <= directRows {
		gemmDirect(transA, m, n, k, alpha, a, lda, b, ldb, c, ldc)
		return
	}
	// Each depth block of B is packed and used in column chunks whose
	// panels stay in the cache between packing and use (a wide B, TFN's
	// 70,785 columns, would otherwise go to memory packed and come back).
	// Every element of C still sums its depth blocks in order.
	kb0 := min(k, kc)
	chunk := max(nr, packedFloats/kb0/nr*nr)
	bp := getBuf(min(chunk, (n+nr-1)/nr*nr) * kb0)
	defer putBuf(bp)
	for l0 := 0; l0 < k; l0 += kc {
		kb := min(kc, k-l0)
		for j0 := 0; j0 < n; j0 += chunk {
			nb := min(chunk, n-j0)
			np := (nb + nr - 1) / nr
			packB(*bp, transB, b, ldb, l0, kb, j0, nb)
			multiply(Threads(), transA, m, nb, k, l0, kb, alpha, a, lda, bPanels{packed: (*bp)[:np*nr*kb]}, c[j0:], ldc)
		}
	}
}

// directRows is the most rows of op(A) for which Gemm reads a row-major B
// in place instead of packing it: packing costs about as much per element
// of B as the product's m multiply-adds gain from it when m is small (a
// layer's backward pass at batch 32 against TFN's 70,785-wide weights).
const directRows = 64

// gemmDirect is Gemm for an op(B) = B read in place: only its last panel,
// when narrower than nr, is packed (padded with zeros). The products are
// the same, bit for bit.
func gemmDirect(transA bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	full := n / nr * nr // the columns in whole panels
	var edge []float32
	if full < n {
		buf := getBuf(nr * min(k, kc))
		defer putBuf(buf)
		edge = *buf
	}
	for l0 := 0; l0 < k; l0 += kc {
		kb := min(kc, k-l0)
		if edge != nil {
			packB(edge, false, b, ldb, l0, kb, full, n-full)
		}
		src := bPanels{packed: edge, direct: true, b: b, ldb: ldb, off: l0 * ldb}
		multiply(Threads(), transA, m, n, k, l0, kb, alpha, a, lda, src, c, ldc)
	}
}

// bPanels is where rowBlocks finds the panels of B for a depth block of kb
// steps: packed, panel jp at packed[jp·nr·kb:]; or, when direct is set, the
// whole panels in place (depth step l of the panel at column j0 at
// b[off+l·ldb+j0]) and only a last, narrower panel packed, at packed[0:].
type bPanels struct {
	packed   []float32
	direct   bool
	b        []float32
	ldb, off int
}

// chunkFloats bounds the panels of B (128 KiB) each row tile of A runs along
// before the next tile, so that they stay in the L2 cache between tiles.
const chunkFloats = 1 << 15

// packedFloats bounds the packed columns of B that Gemm holds at once
// (256 KiB), so that they stay in the L2 cache.
const packedFloats = 1 << 16

// PackedB is op(B) packed into the kernel's panels once, for several
// products with the same B (an LSTM's recurrent weights, at every step).
type PackedB struct {
	K, N   int          // op(B) is K x N
	blocks []*[]float32 // the panels of each depth block of kc (from bufs)
}

// PackB packs op(B), k x n, as Gemm would for each product.
func PackB(transB bool, b []float32, ldb, k, n int) *PackedB {
	p := &PackedB{K: k, N: n}
	np := (n + nr - 1) / nr
	for l0 := 0; l0 < k; l0 += kc {
		kb := min(kc, k-l0)
		bp := getBuf(np * nr * kb)
		packB(*bp, transB, b, ldb, l0, kb, 0, n)
		p.blocks = append(p.blocks, bp)
	}
	return p
}

// Release hands the packed panels back for reuse; p must not be used
// after it.
func (p *PackedB) Release() {
	for _, bp := range p.blocks {
		putBuf(bp)
	}
	p.blocks = nil
}

// GemmPacked is Gemm with op(B) packed by PackB: C = alpha·op(A)·B + beta·C,
// op(A) m x B.K. The result is the same, bit for bit.
func GemmPacked(transA bool, m int, alpha float32, a []float32, lda int, b *PackedB, beta float32, c []float32, ldc int) {
	gemmPacked(Threads(), transA, m, alpha, a, lda, b, beta, c, ldc)
}

// GemmPackedSerial is GemmPacked on the calling goroutine alone, for a
// caller that splits the rows of its products between goroutines itself.
func GemmPackedSerial(transA bool, m int, alpha float32, a []float32, lda int, b *PackedB, beta float32, c []float32, ldc int) {
	gemmPacked(1, transA, m, alpha, a, lda, b, beta, c, ldc)
}

// gemmPacked is GemmPacked on up to threads goroutines.
func gemmPacked(threads int, transA bool, m int, alpha float32, a []float32, lda int, b *PackedB, beta float32, c []float32, ldc int) {
	if !Available {
		panic("gemm: AVX2 and FMA are not available")
	}
	if m == 0 || b.N == 0 {
		return
	}
	scale(c, m, b.N, ldc, beta)
	if b.K == 0 || alpha == 0 {
		return
	}
	for i, bp := range b.blocks {
		l0 := i * kc
		multiply(threads, transA, m, b.N, b.K, l0, min(kc, b.K-l0), alpha, a, lda, bPanels{packed: *bp}, c, ldc)
	}
}

// scale sets C = beta·C (m x n, row stride ldc).
func scale(c []float32, m, n, ldc int, beta float32) {
	if beta == 1 {
		return
	}
	for i := range m {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
		} else {
			for j := range row {
				row[j] *= beta
			}
		}
	}
}

// multiply adds alpha·op(A)·B into C for the depth block l0..l0+kb, B's
// panels found through bp; the row blocks are split between goroutines when
// the whole product (m x n x k) is large, on up to threads goroutines.
func multiply(threads int, transA bool, m, n, k, l0, kb int, alpha float32, a []float32, lda int, bp bPanels, c []float32, ldc int) {
	blocks := (m + mc - 1) / mc
	workers := 1
	if m*n*k >= parallelFlops {
		workers = min(threads, blocks)
	}
	if workers == 1 {
		rowBlocks(0, blocks, transA, m, n, l0, kb, alpha, a, lda, bp, c, ldc)
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*blocks/workers, (w+1)*blocks/workers
		wg.Go(func() { rowBlocks(lo, hi, transA, m, n, l0, kb, alpha, a, lda, bp, c, ldc) })
	}
	wg.Wait()
}

// rowBlocks multiplies row blocks [lo, hi) of op(A) (depth slice l0..l0+kb)
// with B's panels (bp) and adds alpha times the result into C.
func rowBlocks(lo, hi int, transA bool, m, n, l0, kb int, alpha float32, a []float32, lda int, bp bPanels, c []float32, ldc int) {
	ap := getBuf(mc * kb)
	defer putBuf(ap)
	var tile [mr * nr]float32
	np := (n + nr - 1) / nr
	// A row-major A is read in place by the kernel when B is packed: only a
	// last panel of fewer than mr rows is packed (at ap[0:]), since the
	// kernel must not read past A's last row.
	inPlaceA := !transA && !bp.direct
	wide := avx512.Load()
	for blk := lo; blk < hi; blk++ {
		i0 := blk * mc
		mb := min(mc, m-i0)
		if !inPlaceA {
			packA(*ap, transA, a, lda, i0, mb, l0, kb)
		} else if full := mb / mr * mr; full < mb {
			packA(*ap, false, a, lda, i0+full, mb-full, l0, kb)
		}
		// The panels of B are taken a chunk at a time (chunkFloats), and
		// each row tile runs along the chunk's panels before the next: the
		// tile's panel of A stays in L1, the chunk in L2, and C is written
		// six rows at a time, not a stream per row of C (a wide, in-place B
		// would otherwise stream from memory once per tile, or C's rows all
		// at once).
		chunk := max(1, chunkFloats/(kb*nr))
		for jc := 0; jc < np; jc += chunk {
			for ip := 0; ip < mb; ip += mr {
				rb := min(mr, mb-ip)
				apanel := (*ap)[ip*kb:]
				if inPlaceA {
					apanel = *ap // the packed last panel, if this is it
				}
				jend := min(jc+chunk, np)
				for jp := jc; jp < jend; jp++ {
					j0 := jp * nr
					if wide && jp+1 < jend && j0+2*nr <= n {
						// Two whole panels of B: a 6x32 tile, of which the
						// rb rows inside C are added (a partial panel of A
						// is packed, so it is never read in place).
						ci := &c[(i0+ip)*ldc+j0]
						switch {
						case inPlaceA && rb == mr:
							kernel6x32accA(kb, &a[(i0+ip)*lda+l0], 4*lda, &bp.packed[jp*nr*kb], 4*nr*kb, ci, ldc, alpha)
						case bp.direct:
							kernel6x32acc(kb, &apanel[0], &bp.b[bp.off+j0], 4*bp.ldb, 4*nr, ci, ldc, rb, alpha)
						default:
							kernel6x32acc(kb, &apanel[0], &bp.packed[jp*nr*kb], 4*nr, 4*nr*kb, ci, ldc, rb, alpha)
						}
						jp++
						continue
					}
					nb := min(nr, n-j0)
					inPlaceB := bp.direct && nb == nr
					var bpanel []float32
					switch {
					case inPlaceB:
					case bp.direct: // the one packed panel, the last
						bpanel = bp.packed[:nr*kb]
					default:
						bpanel = bp.packed[jp*nr*kb : (jp+1)*nr*kb]
					}
					if rb == mr && nb == nr { // a whole tile: straight into C
						switch {
						case inPlaceA:
							kernel6x16accA(kb, &a[(i0+ip)*lda+l0], 4*lda, &bpanel[0], &c[(i0+ip)*ldc+j0], ldc, alpha)
						case inPlaceB:
							kernel6x16accB(kb, &apanel[0], &bp.b[bp.off+j0], 4*bp.ldb, &c[(i0+ip)*ldc+j0], ldc, alpha)
						default:
							kernel6x16acc(kb, &apanel[0], &bpanel[0], &c[(i0+ip)*ldc+j0], ldc, alpha)
						}
						continue
					}
					clear(tile[:]) // an edge tile: computed aside, then the part inside C added
					switch {
					case inPlaceA && rb == mr:
						kernel6x16accA(kb, &a[(i0+ip)*lda+l0], 4*lda, &bpanel[0], &tile[0], nr, 1)
					case inPlaceB:
						kernel6x16accB(kb, &apanel[0], &bp.b[bp.off+j0], 4*bp.ldb, &tile[0], nr, 1)
					default:
						kernel6x16acc(kb, &apanel[0], &bpanel[0], &tile[0], nr, 1)
					}
					for i := range rb {
						row := c[(i0+ip+i)*ldc+j0 : (i0+ip+i)*ldc+j0+nb]
						t := tile[i*nr : i*nr+nb]
						for j := range row {
							row[j] += float32(alpha * t[j]) // rounded, then added, as the kernel does
						}
					}
				}
			}
		}
	}
}

// packA copies rows i0..i0+mb, columns l0..l0+kb of op(A) into ap as
// consecutive panels of mr rows, each stored depth-major (ap[l*mr+i]), with
// zero rows padding the last panel.
func packA(ap []float32, transA bool, a []float32, lda, i0, mb, l0, kb int) {
	for ip := 0; ip < mb; ip += mr {
		panel := ap[ip*kb : ip*kb+mr*kb]
		rb := min(mr, mb-ip)
		if rb == mr {
			if transA {
				packA6T(panel, a, lda, i0+ip, l0, kb)
			} else {
				packA6(panel, a, lda, i0+ip, l0, kb)
			}
			continue
		}
		for i := range mr {
			if i >= rb {
				for l := range kb {
					panel[l*mr+i] = 0
				}
				continue
			}
			r := i0 + ip + i
			if transA { // op(A)[r, l] = A[l, r]
				for l := range kb {
					panel[l*mr+i] = a[(l0+l)*lda+r]
				}
			} else {
				src := a[r*lda+l0 : r*lda+l0+kb]
				for l, v := range src {
					panel[l*mr+i] = v
				}
			}
		}
	}
}

// packA6 is packA's common case, a whole panel of mr = 6 rows of A (not
// transposed): the six rows are read side by side and each depth step's
// six values written together, rather than one row at a time with a
// stride of six.
func packA6(panel []float32, a []float32, lda, r, l0, kb int) {
	r0 := a[r*lda+l0 : r*lda+l0+kb]
	r1 := a[(r+1)*lda+l0 : (r+1)*lda+l0+kb]
	r2 := a[(r+2)*lda+l0 : (r+2)*lda+l0+kb]
	r3 := a[(r+3)*lda+l0 : (r+3)*lda+l0+kb]
	r4 := a[(r+4)*lda+l0 : (r+4)*lda+l0+kb]
	r5 := a[(r+5)*lda+l0 : (r+5)*lda+l0+kb]
	panel = panel[:mr*kb]
	for l := range kb {
		d := panel[l*mr : l*mr+mr : l*mr+mr]
		d[0], d[1], d[2], d[3], d[4], d[5] = r0[l], r1[l], r2[l], r3[l], r4[l], r5[l]
	}
}

// packA6T is packA6 for op(A) = Aᵀ: op(A)[r+i, l] = A[l, r+i], so each
// depth step's six values are six consecutive values of A's row l, copied
// together rather than gathered one column at a time.
func packA6T(panel []float32, a []float32, lda, r, l0, kb int) {
	panel = panel[:mr*kb]
	for l := range kb {
		s := a[(l0+l)*lda+r : (l0+l)*lda+r+mr : (l0+l)*lda+r+mr]
		d := panel[l*mr : l*mr+mr : l*mr+mr]
		d[0], d[1], d[2], d[3], d[4], d[5] = s[0], s[1], s[2], s[3], s[4], s[5]
	}
}

// packB copies rows l0..l0+kb, columns j0..j0+n of op(B) into bp as panels
// of nr columns, each stored depth-major (bp[l*nr+j]), zero-padding the
// last panel.
func packB(bp []float32, transB bool, b []float32, ldb, l0, kb, j0, n int) {
	np := (n + nr - 1) / nr
	for jp := range np {
		nb := min(nr, n-jp*nr)
		j0 := j0 + jp*nr
		panel := bp[jp*nr*kb : (jp+1)*nr*kb]
		if transB && nb == nr {
			packB16T(panel, b, ldb, j0, l0, kb)
			continue
		}
		for l := range kb {
			dst := panel[l*nr : (l+1)*nr]
			if transB { // op(B)[l, j] = B[j, l]
				for j := range nb {
					dst[j] = b[(j0+j)*ldb+l0+l]
				}
			} else if nb == nr { // 16 floats moved as one array, not by a call to copy
				*(*[nr]float32)(dst) = [nr]float32(b[(l0+l)*ldb+j0 : (l0+l)*ldb+j0+nr])
			} else {
				copy(dst[:nb], b[(l0+l)*ldb+j0:(l0+l)*ldb+j0+nb])
			}
			clear(dst[nb:])
		}
	}
}

// packB16T is packB's common transposed case, a whole panel of nr = 16
// columns of op(B) = Bᵀ, which are 16 rows of B: the rows are read side by
// side, each depth step's 16 values written together.
func packB16T(panel []float32, b []float32, ldb, j0, l0, kb int) {
	var rows [nr][]float32
	for j := range rows {
		rows[j] = b[(j0+j)*ldb+l0 : (j0+j)*ldb+l0+kb]
	}
	panel = panel[:nr*kb]
	for l := range kb {
		d := panel[l*nr : l*nr+nr : l*nr+nr]
		d[0], d[1], d[2], d[3] = rows[0][l], rows[1][l], rows[2][l], rows[3][l]
		d[4], d[5], d[6], d[7] = rows[4][l], rows[5][l], rows[6][l], rows[7][l]
		d[8], d[9], d[10], d[11] = rows[8][l], rows[9][l], rows[10][l], rows[11][l]
		d[12], d[13], d[14], d[15] = rows[12][l], rows[13][l], rows[14][l], rows[15][l]
	}
}

var bufs = sync.Pool{New: func() any { return new([]float32) }}

func getBuf(n int) *[]float32 {
	p := bufs.Get().(*[]float32)
	if cap(*p) < n {
		*p = make([]float32, n)
	}
	*p = (*p)[:n]
	return p
}

func putBuf(p *[]float32) { bufs.Put(p) }
