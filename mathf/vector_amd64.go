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
