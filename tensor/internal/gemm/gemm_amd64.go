package gemm

import "golang.org/x/sys/cpu"

func available() bool { return cpu.X86.HasAVX2 && cpu.X86.HasFMA }

// kernel6x16 computes the 6x16 tile c = Σ_l a[l*6+i]·b[l*16+j] over k
// packed steps, overwriting c (row-major, 16 columns).
//
//go:noescape
func kernel6x16(k int, a, b, c *float32)
