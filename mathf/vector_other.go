//go:build !amd64

package mathf

// vector is false: only amd64 has vector kernels; the slice functions
// use the scalar ones.
const vector = false

func sigmoidAVX2(x *float32, n int) { panic("mathf: no vector kernel on this architecture") }
func tanhAVX2(x *float32, n int)    { panic("mathf: no vector kernel on this architecture") }
func productSumAVX2(dst, a, b, c, d *float32, n int) {
	panic("mathf: no vector kernel on this architecture")
}
func productAVX2(dst, a, b *float32, n int) { panic("mathf: no vector kernel on this architecture") }
func expAVX2(x *float32, n int)             { panic("mathf: no vector kernel on this architecture") }
