// Package vec has tensor's elementwise float32 loops (a sum into a slice,
// a scaled sum, a scaled copy, dropout's two loops), eight or 32 values at
// a time in AVX2 assembly where the CPU has it and a scalar loop
// elsewhere; and rows' dot products with a vector, four rows at a time. Each product is
// rounded before it is added (no fused multiply-add), so the bits are the
// scalar loop's whichever runs.
package vec

import "math"

// Add sets dst[i] += src[i] for every i of src. dst must be at least as
// long as src. It is AddScaled with a = 1, whose products are exact.
func Add(dst, src []float32) { AddScaled(dst, 1, src) }

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
		on := -(kept[i/32] >> (i % 32) & 1)                         // all ones when kept
		dst[i] += float32(g[i] * math.Float32frombits(keepBits&on)) // the conversion forbids fusing
	}
}

// AddDots adds to each dst[i] the dot product of row i of m (rows of len(v)
// values, one after another) with v. Each sum runs over the row in order
// from zero, each product rounded before it is added, as a plain loop
// would; four rows go at once, so that their four chains of additions
// overlap. m must hold at least len(dst) rows.
func AddDots(dst, m, v []float32) {
	n := len(v)
	m = m[:len(dst)*n]
	i := 0
	for ; i+4 <= len(dst); i += 4 {
		r0, r1, r2, r3 := m[i*n:(i+1)*n], m[(i+1)*n:(i+2)*n], m[(i+2)*n:(i+3)*n], m[(i+3)*n:(i+4)*n]
		var s0, s1, s2, s3 float32
		for j, vj := range v {
			s0 += float32(r0[j] * vj) // the conversions forbid fusing
			s1 += float32(r1[j] * vj)
			s2 += float32(r2[j] * vj)
			s3 += float32(r3[j] * vj)
		}
		dst[i] += s0
		dst[i+1] += s1
		dst[i+2] += s2
		dst[i+3] += s3
	}
	for ; i < len(dst); i++ {
		var s float32
		for j, vj := range v {
			s += float32(m[i*n+j] * vj)
		}
		dst[i] += s
	}
}
