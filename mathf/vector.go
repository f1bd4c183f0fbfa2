package mathf

// ExpSlice replaces each x[i] by Exp(x[i]), eight at a time with AVX2
// where the CPU has it. The results are the same bits as Exp's.
func ExpSlice(x []float32) { inPlace(x, expAVX2, Exp) }

// SigmoidSlice replaces each x[i] by Sigmoid(x[i]), eight at a time with
// AVX2 where the CPU has it. The results are the same bits as Sigmoid's.
func SigmoidSlice(x []float32) { inPlace(x, sigmoidAVX2, Sigmoid) }

// TanhSlice replaces each x[i] by Tanh(x[i]), eight at a time with AVX2
// where the CPU has it. The results are the same bits as Tanh's.
func TanhSlice(x []float32) { inPlace(x, tanhAVX2, Tanh) }

// inPlace applies a vector kernel to the leading multiple of 8 of x, where
// the CPU has AVX2, and its scalar function to the rest.
func inPlace(x []float32, kernel func(x *float32, n int), scalar func(float32) float32) {
	n := 0
	if vector {
		if n = len(x) &^ 7; n > 0 {
			kernel(&x[0], n)
		}
	}
	for i := n; i < len(x); i++ {
		x[i] = scalar(x[i])
	}
}

// ProductSum sets dst[i] = a[i]·b[i] + c[i]·d[i] for every i of dst, eight
// at a time with AVX2 where the CPU has it. Each product is rounded and
// then added, as the Go expression computes it (no fused multiply-add), so
// the bits are the scalar loop's. It panics if an operand is shorter than
// dst.
func ProductSum(dst, a, b, c, d []float32) {
	a, b, c, d = a[:len(dst)], b[:len(dst)], c[:len(dst)], d[:len(dst)]
	n := 0
	if vector {
		if n = len(dst) &^ 7; n > 0 {
			productSumAVX2(&dst[0], &a[0], &b[0], &c[0], &d[0], n)
		}
	}
	for i := n; i < len(dst); i++ {
		dst[i] = float32(a[i]*b[i]) + float32(c[i]*d[i]) // the conversions forbid fusing
	}
}

// Product sets dst[i] = a[i]·b[i] for every i of dst, eight at a time with
// AVX2 where the CPU has it. It panics if an operand is shorter than dst.
func Product(dst, a, b []float32) {
	a, b = a[:len(dst)], b[:len(dst)]
	n := 0
	if vector {
		if n = len(dst) &^ 7; n > 0 {
			productAVX2(&dst[0], &a[0], &b[0], n)
		}
	}
	for i := n; i < len(dst); i++ {
		dst[i] = a[i] * b[i]
	}
}
