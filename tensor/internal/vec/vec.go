// Package vec has tensor's elementwise float32 loops (a sum into a slice,
// a scaled sum, a scaled copy), eight values at a time in AVX2 assembly
// where the CPU has it and a scalar loop elsewhere. Each product is
// rounded before it is added (no fused multiply-add), so the bits are the
// scalar loop's whichever runs.
package vec

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
