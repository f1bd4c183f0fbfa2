//go:build !amd64

package optim

// vector is false: only amd64 has the vector update; Step uses the scalar
// loop.
const vector = false

func adamAVX2(theta, grad, m, v *float32, n int, k *constants) {
	panic("optim: no vector kernel on this architecture")
}
