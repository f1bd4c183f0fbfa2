//go:build !amd64

package mathf

// vector is false: only amd64 has vector kernels; the slice functions
// use the scalar ones.
const vector = false

func sigmoidAVX2(x *float32, n int) { panic("mathf: no vector kernel on this architecture") }
func tanhAVX2(x *float32, n int)    { panic("mathf: no vector kernel on this architecture") }
func lstmCellAVX2(a, cPrev, c, tanhC, h *float32, H, n, rows int) {
	panic("mathf: no vector kernel on this architecture")
}
func lstmCellGradAVX2(gates, cPrev, tanhC, dh, dc, da *float32, H, n, rows int) {
	panic("mathf: no vector kernel on this architecture")
}
func expAVX2(x *float32, n int) { panic("mathf: no vector kernel on this architecture") }
