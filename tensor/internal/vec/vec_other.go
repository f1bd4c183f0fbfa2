//go:build !amd64

package vec

// vector is false: only amd64 has the vector loops.
const vector = false

func addAVX2(dst, src *float32, n int) { panic("vec: no vector loop on this architecture") }
func addScaledAVX2(dst *float32, a float32, src *float32, n int) {
	panic("vec: no vector loop on this architecture")
}
func scaleAVX2(dst *float32, a float32, src *float32, n int) {
	panic("vec: no vector loop on this architecture")
}
