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

// Drop and AddKept give the scalar loops' bits and mask at every length
// (passes of 32 and the tail), rates from tiny to nearly 1, and leave what
// lies past the length alone.
func TestDropoutLoopsMatchTheScalarLoops(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 31, 32, 33, 64, 100, 1000} {
		for _, rate := range []float64{1e-7, 0.2, 0.5, 0.999999} {
			threshold := uint32(math.Ceil(rate * (1 << 24)))
			keep := float32(1 / (1 - rate))
			src, draws := make([]float32, n), make([]uint32, n)
			for i := range src {
				src[i], draws[i] = float32(rng.NormFloat64()), rng.Uint32()
			}
			if n > 5 {
				src[5] = float32(math.Copysign(0, -1))
			}
			dst := make([]float32, n+1)
			dst[n] = 7
			kept := make([]uint32, (n+31)/32+1)
			for i := range kept {
				kept[i] = 0xdeadbeef // every bit rewritten
			}
			Drop(dst, src, draws, threshold, keep, kept)
			g, acc := make([]float32, n), make([]float32, n+1)
			for i := range g {
				g[i], acc[i] = float32(rng.NormFloat64()), float32(rng.NormFloat64())
			}
			acc[n] = 7
			accIn := append([]float32(nil), acc...)
			AddKept(acc, g, kept, keep)
			for i := range n {
				on := draws[i]&(1<<24-1) >= threshold
				want, m := float32(0), float32(0)
				if on {
					want, m = src[i]*keep, keep
				}
				if math.Float32bits(dst[i]) != math.Float32bits(want) || (kept[i/32]>>(i%32)&1 == 1) != on {
					t.Fatalf("n=%d rate %g: element %d = %g kept %v, want %g kept %v", n, rate, i, dst[i], kept[i/32]>>(i%32)&1 == 1, want, on)
				}
				p := float32(g[i] * m)
				if w := accIn[i] + p; math.Float32bits(acc[i]) != math.Float32bits(w) {
					t.Fatalf("n=%d rate %g: gradient %d = %g, want %g", n, rate, i, acc[i], w)
				}
			}
			if dst[n] != 7 || acc[n] != 7 || kept[(n+31)/32] != 0xdeadbeef {
				t.Fatalf("n=%d: wrote past the length", n)
			}
			for w := range (n + 31) / 32 {
				if n%32 != 0 && w == n/32 && kept[w]>>(n%32) != 0 {
					t.Fatalf("n=%d: bits past the length set in the last word %#x", n, kept[w])
				}
			}
		}
	}
}

// AddDots gives, for every row count (the four-row body and the tail) and
// width, the bits of a plain loop summing each row in order from zero.
func TestAddDotsMatchesThePlainLoop(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, rows := range []int{0, 1, 3, 4, 5, 9} {
		for _, n := range []int{0, 1, 7, 65} {
			m, v := make([]float32, rows*n), make([]float32, n)
			for i := range m {
				m[i] = float32(rng.NormFloat64() * 10)
			}
			for i := range v {
				v[i] = float32(rng.NormFloat64() * 10)
			}
			dst := make([]float32, rows)
			for i := range dst {
				dst[i] = float32(rng.NormFloat64())
			}
			got := append([]float32(nil), dst...)
			AddDots(got, m, v)
			for i := range rows {
				var s float32
				for j := range n {
					s += float32(m[i*n+j] * v[j])
				}
				if want := dst[i] + s; math.Float32bits(got[i]) != math.Float32bits(want) {
					t.Fatalf("rows=%d n=%d: dst[%d] = %g, want %g", rows, n, i, got[i], want)
				}
			}
		}
	}
}
