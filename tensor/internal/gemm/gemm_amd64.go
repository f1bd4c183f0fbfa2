package gemm

import "golang.org/x/sys/cpu"

func available() bool { return cpu.X86.HasAVX2 && cpu.X86.HasFMA }

// has512 reports whether the CPU (and the operating system, which must save
// the 512-bit registers) supports the AVX-512 kernels.
func has512() bool { return available() && cpu.X86.HasAVX512F }

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

// kernel6x32acc is kernel6x16acc and kernel6x16accB for 32 columns of B:
// a 6x32 tile in AVX-512 registers, A packed, depth step l's 32 values of B
// at b + l·ldb bytes (16) and next bytes beyond (16) — two packed panels
// side by side (ldb 64, next a panel's size) or a row-major B in place
// (ldb its row stride, next 64). Of the tile, the first rows rows (1 to 6)
// are added into C (the others are a partial panel's zero padding).
//
//go:noescape
func kernel6x32acc(k int, a, b *float32, ldb, next int, c *float32, ldc, rows int, alpha float32)

// kernel6x32accA is kernel6x16accA for two packed panels of B side by
// side, the second at b + next bytes, in AVX-512 registers.
//
//go:noescape
func kernel6x32accA(k int, a *float32, lda int, b *float32, next int, c *float32, ldc int, alpha float32)
