// Package vec has tensor's elementwise float32 loops (a sum into a slice,
// a scaled sum, a scaled copy, dropout's two loops), eight values at a time in AVX2 assembly
// where the CPU has it and a scalar loop elsewhere. Each product is
// rounded before it is added (no fused multiply-add), so the bits are the
// scalar loop's whichever runs.
package vec

import "math"

// Add sets dst[i] += src[i] for every i of src. dst must be at least as
// long as src.
func Add(dst, src []float32) {
	dst = dst[:len(src)]
	n := 0
	if vector {
		if n = len(src) &^ 7; n > 0 {
			addAVX2(&dst[0], &src[0], n)
		}
	}
	for i := n; i < len(src); i++ {
		dst[i] += src[i]
	}
}

// AddScaled sets dst[i] += a·src[i] for every i of src (the BLAS axpy).
// dst must be at least as long as src.
func AddScaled(dst []float32, a float32, src []float32) {
	dst = dst[:len(src)]
	n := 0
	if vector {
		if n = len(src) &^ 7; n > 0 {
			addScaledAVX2(&dst[0], a, &src[0], n)
		}
	}
	for i := n; i < len(src); i++ {
		dst[i] += float32(a * src[i]) // the conversion forbids fusing
	}
}

// Scale sets dst[i] = a·src[i] for every i of src. dst must be at least as
// long as src.
func Scale(dst []float32, a float32, src []float32) {
	dst = dst[:len(src)]
	n := 0
	if vector {
		if n = len(src) &^ 7; n > 0 {
			scaleAVX2(&dst[0], a, &src[0], n)
		}
	}
	for i := n; i < len(src); i++ {
		dst[i] = a * src[i]
	}
}

// Drop is dropout's forward loop: for each i of src it keeps src[i]·keep
// in dst[i] when the low 24 bits of draws[i] are at least threshold, and
// writes +0 elsewhere, and sets bit i%32 of kept[i/32] for a kept element
// (clearing it for a dropped one). dst and draws must be at least as long
// as src, kept at least (len(src)+31)/32 words.
func Drop(dst, src []float32, draws []uint32, threshold uint32, keep float32, kept []uint32) {
	dst, draws, kept = dst[:len(src)], draws[:len(src)], kept[:(len(src)+31)/32]
	n := 0
	if vector {
		if n = len(src) &^ 31; n > 0 {
			dropAVX2(&dst[0], &src[0], &draws[0], int32(threshold), keep, &kept[0], n)
		}
	}
	for w := n / 32; w < len(kept); w++ {
		var word uint32
		for k := range min(32, len(src)-32*w) {
			i := 32*w + k
			on := ^uint32((int32(draws[i]&(1<<24-1)) - int32(threshold)) >> 31) // all ones when kept
			word |= on & 1 << k
			dst[i] = math.Float32frombits(math.Float32bits(src[i]*keep) & on)
		}
		kept[w] = word
	}
}

// AddKept is dropout's backward loop: dst[i] += g[i]·m, m = keep where bit
// i%32 of kept[i/32] is set and +0 where it is not (the product rounded,
// then the sum). dst must be at least as long as g, kept at least
// (len(g)+31)/32 words.
func AddKept(dst, g []float32, kept []uint32, keep float32) {
	dst, kept = dst[:len(g)], kept[:(len(g)+31)/32]
	n := 0
	if vector {
		if n = len(g) &^ 31; n > 0 {
			addKeptAVX2(&dst[0], &g[0], &kept[0], keep, n)
		}
	}
	keepBits := math.Float32bits(keep)
	for i := n; i < len(g); i++ {
		on := -(kept[i/32] >> (i % 32) & 1) // all ones when kept
		dst[i] += g[i] * math.Float32frombits(keepBits&on)
	}
}
