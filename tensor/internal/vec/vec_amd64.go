package vec

import "golang.org/x/sys/cpu"

// vector says whether the AVX2 loops run on this CPU.
var vector = cpu.X86.HasAVX2

// addScaledAVX2 sets dst[i] += a·src[i] for n values, n a multiple of 8.
//
//go:noescape
func addScaledAVX2(dst *float32, a float32, src *float32, n int)

// scaleAVX2 sets dst[i] = a·src[i] for n values, n a multiple of 8.
//
//go:noescape
func scaleAVX2(dst *float32, a float32, src *float32, n int)

// dropAVX2 is Drop on n values, n a multiple of 32.
//
//go:noescape
func dropAVX2(dst, src *float32, draws *uint32, threshold int32, keep float32, kept *uint32, n int)

// addKeptAVX2 is AddKept on n values, n a multiple of 32.
//
//go:noescape
func addKeptAVX2(dst, grad *float32, kept *uint32, keep float32, n int)
