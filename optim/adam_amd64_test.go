package optim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The AVX2 update gives the scalar loop's bits, with and without weight
// decay, over lengths that leave a scalar tail.
func TestVectorUpdateMatchesScalarBits(t *testing.T) {
	if !vector {
		t.Skip("no AVX2")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for _, wd := range []float32{0, 0.01} {
		for _, n := range []int{8, 13, 100} {
			theta, grad, m, v := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
			for i := range n {
				theta[i], grad[i] = float32(rng.NormFloat64()), float32(rng.NormFloat64())
				m[i], v[i] = float32(rng.NormFloat64())/10, float32(rng.Float64())/10
			}
			k := constants{b1: 0.9, omb1: 1 - float32(0.9), b2: 0.999, omb2: 1 - float32(0.999), bc2: 0.0447, eps: 1e-8, stepSize: 0.01, wd: wd}
			st, sm, sv := append([]float32(nil), theta...), append([]float32(nil), m...), append([]float32(nil), v...)
			vector = false
			update(st, grad, sm, sv, &k)
			vector = true
			update(theta, grad, m, v, &k)
			for i := range n {
				for _, pair := range [][2]float32{{theta[i], st[i]}, {m[i], sm[i]}, {v[i], sv[i]}} {
					if math.Float32bits(pair[0]) != math.Float32bits(pair[1]) {
						t.Fatalf("wd %v, n %d, value %d: vector %v, scalar %v", wd, n, i, pair[0], pair[1])
					}
				}
			}
		}
	}
}

func BenchmarkUpdate(b *testing.B) {
	n := 1 << 20
	theta, grad, m, v := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range grad {
		grad[i] = float32(i%17) - 8
	}
	k := constants{b1: 0.9, omb1: 0.1, b2: 0.999, omb2: 0.001, bc2: 0.5, eps: 1e-8, stepSize: 0.001}
	for _, on := range []bool{false, true} {
		name := map[bool]string{false: "scalar", true: "avx2"}[on]
		b.Run(name, func(b *testing.B) {
			saved := vector
			vector = on && saved
			defer func() { vector = saved }()
			for b.Loop() {
				update(theta, grad, m, v, &k)
			}
			b.SetBytes(int64(16 * n))
		})
	}
}
