package mathf

import "golang.org/x/sys/cpu"

// vector says whether the AVX2 kernels run on this CPU.
var vector = cpu.X86.HasAVX2

// sigmoidAVX2 sets x[i] = Sigmoid(x[i]) for the n values at x, n a
// multiple of 8.
//
//go:noescape
func sigmoidAVX2(x *float32, n int)

// tanhAVX2 sets x[i] = Tanh(x[i]) for the n values at x, n a multiple of 8.
//
//go:noescape
func tanhAVX2(x *float32, n int)

// productSumAVX2 sets dst[i] = a[i]·b[i] + c[i]·d[i] for n values, n a
// multiple of 8.
//
//go:noescape
func productSumAVX2(dst, a, b, c, d *float32, n int)

// productAVX2 sets dst[i] = a[i]·b[i] for n values, n a multiple of 8.
//
//go:noescape
func productAVX2(dst, a, b *float32, n int)

// expAVX2 sets x[i] = Exp(x[i]) for n values, n a multiple of 8.
//
//go:noescape
func expAVX2(x *float32, n int)
