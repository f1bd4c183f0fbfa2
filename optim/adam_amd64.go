package optim

import "golang.org/x/sys/cpu"

// vector says whether adamAVX2 runs on this CPU.
var vector = cpu.X86.HasAVX2

// adamAVX2 applies Adam's update to n values (a multiple of 8).
//
//go:noescape
func adamAVX2(theta, grad, m, v *float32, n int, k *constants)
