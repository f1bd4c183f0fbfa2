//go:build !amd64

package gemm

func available() bool { return false }

func has512() bool { return false }

func features() []string { return nil }

func kernel6x16acc(k int, a, b, c *float32, ldc int, alpha float32) {
	panic("gemm: no kernel on this architecture")
}

func kernel6x16accB(k int, a, b *float32, ldb int, c *float32, ldc int, alpha float32) {
	panic("gemm: no kernel on this architecture")
}

func kernel6x16accA(k int, a *float32, lda int, b, c *float32, ldc int, alpha float32) {
	panic("gemm: no kernel on this architecture")
}

func kernel6x32acc(k int, a, b *float32, ldb, next int, c *float32, ldc, rows int, alpha float32) {
	panic("gemm: no kernel on this architecture")
}

func kernel6x32accA(k int, a *float32, lda int, b *float32, next int, c *float32, ldc int, alpha float32) {
	panic("gemm: no kernel on this architecture")
}
