package gemm

import "golang.org/x/sys/cpu"

func available() bool { return cpu.X86.HasAVX2 && cpu.X86.HasFMA }

// features lists the vector features of the CPU that a matrix kernel could
// use, as flags.
func features() []string {
	var out []string
	for _, f := range []struct {
		name string
		has  bool
	}{{"avx2", cpu.X86.HasAVX2}, {"fma", cpu.X86.HasFMA}, {"avx512f", cpu.X86.HasAVX512F}, {"avx512bw", cpu.X86.HasAVX512BW},
		{"avx512vl", cpu.X86.HasAVX512VL}, {"amx-tile", cpu.X86.HasAMXTile}, {"amx-bf16", cpu.X86.HasAMXBF16}} {
		if f.has {
			out = append(out, f.name)
		}
	}
	return out
}

// kernel6x16acc computes the 6x16 tile Σ_l a[l*6+i]·b[l*16+j] over k packed
// steps and adds alpha times it into the 6x16 block of c (row-major, row
// stride ldc).
//
//go:noescape
func kernel6x16acc(k int, a, b, c *float32, ldc int, alpha float32)

// kernel6x16accB is kernel6x16acc with B in place: depth step l's 16
// values at b + l·ldb bytes.
//
//go:noescape
func kernel6x16accB(k int, a, b *float32, ldb int, c *float32, ldc int, alpha float32)

// kernel6x16accA is kernel6x16acc with A in place: row i of the tile at
// a + i·lda bytes, its depth steps consecutive.
//
//go:noescape
func kernel6x16accA(k int, a *float32, lda int, b, c *float32, ldc int, alpha float32)
