package vec

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The three loops give the scalar loops' bits (each product rounded, then
// added) at every length: the 32-value passes, the 8-value ones and the
// scalar tail; dst's values past src's length are left alone.
func TestLoopsMatchTheScalarLoops(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 75 {
		src, dst := make([]float32, n), make([]float32, n+3)
		for i := range src {
			src[i] = float32(rng.NormFloat64() * 10)
		}
		for i := range dst {
			dst[i] = float32(rng.NormFloat64() * 10)
		}
		if n > 2 {
			src[2] = 0 // times a negative a: -0, kept
		}
		a := float32(-rng.Float64() * 3)
		for _, f := range []struct {
			name string
			run  func(dst []float32)
			want func(d, s float32) float32
		}{
			{"Add", func(d []float32) { Add(d, src) }, func(d, s float32) float32 { return d + s }},
			{"AddScaled", func(d []float32) { AddScaled(d, a, src) }, func(d, s float32) float32 { p := float32(a * s); return d + p }},
			{"Scale", func(d []float32) { Scale(d, a, src) }, func(d, s float32) float32 { return a * s }},
		} {
			got := append([]float32(nil), dst...)
			f.run(got)
			for i := range got {
				want := dst[i]
				if i < n {
					want = f.want(dst[i], src[i])
				}
				if math.Float32bits(got[i]) != math.Float32bits(want) {
					t.Fatalf("%s, n=%d: dst[%d] = %g, want %g", f.name, n, i, got[i], want)
				}
			}
		}
	}
}

func BenchmarkLoops(b *testing.B) {
	src, dst := make([]float32, 1089), make([]float32, 1089)
	b.Run("AddScaled", func(b *testing.B) {
		for b.Loop() {
			AddScaled(dst, 0.5, src)
		}
		b.SetBytes(4 * int64(len(src)))
	})
	b.Run("Scale", func(b *testing.B) {
		for b.Loop() {
			Scale(dst, 0.5, src)
		}
		b.SetBytes(4 * int64(len(src)))
	})
}
