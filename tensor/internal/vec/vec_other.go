//go:build !amd64

package vec

// vector is false: only amd64 has the vector loops.
const vector = false

func addScaledAVX2(dst *float32, a float32, src *float32, n int) {
	panic("vec: no vector loop on this architecture")
}
func scaleAVX2(dst *float32, a float32, src *float32, n int) {
	panic("vec: no vector loop on this architecture")
}
func dropAVX2(dst, src *float32, draws *uint32, threshold int32, keep float32, kept *uint32, n int) {
	panic("vec: no vector loop on this architecture")
}
func addKeptAVX2(dst, grad *float32, kept *uint32, keep float32, n int) {
	panic("vec: no vector loop on this architecture")
}
