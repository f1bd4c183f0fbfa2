package nn

import "testing"

// A mode made by Seeded draws, through Uint32s, the values Training of
// NewRNG with the same seed draws one at a time, and leaves its generator
// where they leave it: the draws after agree too, of other kinds.
func TestSeededUint32sFollowTheGeneratorsStream(t *testing.T) {
	fast, slow := Seeded(11), Training(NewRNG(11))
	for round, n := range []int{0, 1, 7, 1024, 3000} {
		got, want := make([]uint32, n), make([]uint32, n)
		fast.Uint32s(got)
		slow.Uint32s(want)
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("round %d: draw %d = %#x, want %#x", round, i, got[i], want[i])
			}
		}
		if a, b := fast.RNG.NormFloat64(), slow.RNG.NormFloat64(); a != b {
			t.Fatalf("round %d: the next normal draw %v, want %v", round, a, b)
		}
	}
}

func BenchmarkUint32s(b *testing.B) {
	dst := make([]uint32, 1024)
	for _, m := range []struct {
		name string
		mode Mode
	}{{"Seeded", Seeded(1)}, {"Training", Training(NewRNG(1))}} {
		b.Run(m.name, func(b *testing.B) {
			for b.Loop() {
				m.mode.Uint32s(dst)
			}
		})
	}
}
