package pickle

import (
	"bytes"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
)

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.ReaderAt
	n atomic.Int64
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n.Add(int64(n))
	return n, err
}

// arrays lists the arrays in a decoded value, by key path.
func arrays(v any, path string, out map[string]*Array) {
	switch v := v.(type) {
	case *Dict:
		for i, k := range v.Keys {
			ks, _ := str(k)
			arrays(v.Values[i], path+"/"+ks, out)
		}
	case *Array:
		out[path] = v
	}
}

func sameFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && !(math.IsNaN(a[i]) && math.IsNaN(b[i])) {
			return false
		}
	}
	return true
}

// Decode's arrays read, as float64 and float32, what Load's hold.
func TestDecodeMatchesLoad(t *testing.T) {
	for _, name := range []string{"lmf_p2.pkl", "lmf_p4.pkl", "lmf_p5.pkl", "mmsa_p4.pkl"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		eager, lazy := map[string]*Array{}, map[string]*Array{}
		arrays(load(t, name), "", eager)
		v, err := Decode(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		arrays(v, "", lazy)
		if len(eager) == 0 || len(eager) != len(lazy) {
			t.Fatalf("%s: %d arrays from Load, %d from Decode", name, len(eager), len(lazy))
		}
		for k, e := range eager {
			l := lazy[k]
			if e.Numeric() != l.Numeric() || e.ShapeString() != l.ShapeString() || len(e.Objects) != len(l.Objects) {
				t.Errorf("%s %s: Load %s, Decode %s", name, k, TypeName(e), TypeName(l))
				continue
			}
			if !e.Numeric() {
				continue
			}
			if l.Values != nil {
				t.Errorf("%s %s: Decode filled Values", name, k)
			}
			f64, err := l.Float64s()
			if err != nil || !sameFloats(f64, e.Values) {
				t.Errorf("%s %s: Float64s %v, %v; Load's Values %v", name, k, f64, err, e.Values)
			}
			f32, err := l.Float32s()
			if err != nil || len(f32) != len(e.Values) {
				t.Fatalf("%s %s: Float32s %v, %v", name, k, f32, err)
			}
			for i, f := range f32 {
				if w := float32(e.Values[i]); f != w && !(f != f && w != w) {
					t.Errorf("%s %s: Float32s[%d] = %v, want %v", name, k, i, f, w)
				}
			}
		}
	}
}

// Decode reads the pickle's structure, not its arrays' data, and an array's
// Float32s reads that array's data and no more.
func TestDecodeReadsArraysOnlyWhenAsked(t *testing.T) {
	const n = 100_000
	d := &Dict{}
	for _, k := range []string{"a", "b", "c"} {
		a := &Float32Array{Shape: []int{n / 100, 100}, Data: make([]float32, n)}
		for i := range a.Data {
			a.Data[i] = float32(i) + float32(k[0])
		}
		d.set([]byte(k), a)
	}
	b, err := Dump(d)
	if err != nil {
		t.Fatal(err)
	}
	r := &countingReader{r: bytes.NewReader(b)}
	v, err := Decode(r, int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Decode read %d of %d bytes", r.n.Load(), len(b))
	if got := r.n.Load(); got > 4*windowSize {
		t.Errorf("Decode read %d of %d bytes; want the structure only (at most %d)", got, len(b), 4*windowSize)
	}
	before := r.n.Load()
	arr := get(t, v, "b").(*Array)
	f, err := arr.Float32s()
	if err != nil {
		t.Fatal(err)
	}
	if got := r.n.Load() - before; got != 4*n {
		t.Errorf("Float32s of one array read %d bytes, want its %d", got, 4*n)
	}
	if f[0] != 'b' || f[n-1] != float32(n-1)+'b' {
		t.Errorf("values %v ... %v", f[0], f[n-1])
	}
}

// A Fortran-order array larger than a read chunk comes out in C order.
func TestDecodeFortranAcrossChunks(t *testing.T) {
	const rows, cols = 300, 250 // 300 KB of float32, more than chunkSize
	a := &Float32Array{Shape: []int{rows, cols}, Data: make([]float32, rows*cols)}
	for i := range a.Data {
		a.Data[i] = float32(i)
	}
	b, err := Dump(&Dict{Keys: []any{"f"}, Values: []any{a}})
	if err != nil {
		t.Fatal(err)
	}
	// Dump writes C order (False) just before the data's BINSTRING; claim
	// Fortran order: the same bytes are then the array's columns.
	at := bytes.Index(b, []byte{0x89, 'T'})
	if at < 0 {
		t.Fatal("no is_fortran flag before the data")
	}
	b[at] = 0x88
	v, err := Decode(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	arr := get(t, v, "f").(*Array)
	got, err := arr.Float32s()
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		for j := range cols {
			// Element (i, j) is at i + rows*j in the column-major data.
			if w := float32(i + rows*j); got[i*cols+j] != w {
				t.Fatalf("(%d, %d) = %v, want %v", i, j, got[i*cols+j], w)
			}
		}
	}
	eager := get(t, load0(t, b), "f").(*Array)
	if !sameFloats(eager.Values, func() []float64 { f, _ := arr.Float64s(); return f }()) {
		t.Error("Load and Decode disagree on a Fortran-order array")
	}
}

func load0(t *testing.T, b []byte) any {
	t.Helper()
	v, err := Load(b)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Reading a decoded float32 array allocates its float32s and little more:
// no copy of the pickle's bytes, no float64 detour.
func TestDecodeAllocatesAboutTheData(t *testing.T) {
	const n = 1 << 20
	a := &Float32Array{Shape: []int{n}, Data: make([]float32, n)}
	b, err := Dump(&Dict{Keys: []any{"x"}, Values: []any{a}})
	if err != nil {
		t.Fatal(err)
	}
	before := totalAlloc()
	v, err := Decode(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := v.(*Dict).Values[0].(*Array).Float32s()
	got := totalAlloc() - before
	if err != nil || len(f) != n {
		t.Fatal(err)
	}
	if limit := uint64(len(b)) + 2*chunkSize + 4*windowSize; got > limit {
		t.Errorf("decoding a %d-byte pickle and reading its array allocated %d bytes, want at most %d", len(b), got, limit)
	}
}

// totalAlloc is how many bytes the program has allocated so far.
func totalAlloc() uint64 {
	var s runtime.MemStats
	runtime.ReadMemStats(&s)
	return s.TotalAlloc
}
