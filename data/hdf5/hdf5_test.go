package hdf5

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/modistill/modistill/tensor/tensortest"
)

func open(t *testing.T, name string) *File {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(b)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return f
}

func lookup(t *testing.T, links []Link, name string) uint64 {
	t.Helper()
	for _, l := range links {
		if l.Name == name {
			return l.Addr
		}
	}
	t.Fatalf("no link %q", name)
	return 0
}

type arr struct {
	Shape []int     `json:"shape"`
	Data  []float64 `json:"data"`
}

func TestEdgeCases(t *testing.T) {
	var want map[string]arr
	if err := tensortest.ReadJSON("testdata/expected.json", &want); err != nil {
		t.Fatal(err)
	}
	f := open(t, "edge.h5")
	root, err := f.Root()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"multichunk", "shuffled", "f64"} {
		d, err := f.Dataset(lookup(t, root, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		w := want[name]
		if len(d.Shape) != 2 || d.Shape[0] != w.Shape[0] || d.Shape[1] != w.Shape[1] {
			t.Fatalf("%s: shape %v, want %v", name, d.Shape, w.Shape)
		}
		for i, v := range w.Data {
			if name != "f64" {
				v = float64(float32(v))
			}
			if d.Values[i] != v {
				t.Fatalf("%s[%d] = %v, want %v", name, i, d.Values[i], v)
			}
		}
	}
	empty, err := f.Dataset(lookup(t, root, "empty"))
	if err != nil || empty.Shape[0] != 0 || len(empty.Values) != 0 {
		t.Errorf("empty dataset: %v %v", empty, err)
	}
	never, err := f.Dataset(lookup(t, root, "never_written"))
	if err != nil || len(never.Values) != 6 || never.Values[5] != 0 {
		t.Errorf("never-written dataset reads as fill: %v %v", never, err)
	}
	many, err := f.Group(lookup(t, root, "many"))
	if err != nil || len(many) != 300 || many[0].Name != "x000" || many[299].Name != "x299" {
		t.Fatalf("300-link group: %d links, err %v", len(many), err)
	}
	d, err := f.Dataset(many[123].Addr)
	if err != nil || d.Values[0] != 123 {
		t.Errorf("many/x123 = %v, %v", d, err)
	}
	cont, err := f.Group(lookup(t, root, "continued"))
	if err != nil {
		t.Fatalf("group with continuation blocks: %v", err)
	}
	v, err := f.Dataset(lookup(t, cont, "v"))
	if err != nil || v.Values[5] != 5 {
		t.Errorf("continued/v = %v, %v", v, err)
	}
	if f.IsGroup(lookup(t, root, "f64")) || !f.IsGroup(lookup(t, root, "many")) {
		t.Error("IsGroup confuses datasets and groups")
	}
}

func TestRejectsWhatItCannotRead(t *testing.T) {
	b, _ := os.ReadFile("testdata/latest.h5")
	if _, err := Parse(b); !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "superblock version") {
		t.Errorf("libver=latest: %v", err)
	}
	f := open(t, "track.h5")
	links, err := f.Root()
	if err == nil {
		_, err = f.Group(links[0].Addr)
	}
	if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "version 2") {
		t.Errorf("track_order=True: %v", err)
	}
	if _, err := Parse([]byte("not hdf5 at all, not at all")); !errors.Is(err, ErrFormat) {
		t.Errorf("no signature: %v", err)
	}
}

func TestTruncatedFilesAreErrors(t *testing.T) {
	b, err := os.ReadFile("testdata/edge.h5")
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n < len(b); n += len(b) / 37 {
		f, err := Parse(b[:n])
		if err != nil {
			continue
		}
		walk(f) // must not panic; errors are expected
	}
}

// walk reads everything reachable, ignoring errors (for fuzzing).
func walk(f *File) {
	root, err := f.Root()
	if err != nil {
		return
	}
	var visit func(links []Link, depth int)
	visit = func(links []Link, depth int) {
		if depth > 4 {
			return
		}
		for _, l := range links {
			if f.IsGroup(l.Addr) {
				if g, err := f.Group(l.Addr); err == nil {
					visit(g, depth+1)
				}
				continue
			}
			f.Dataset(l.Addr)
		}
	}
	visit(root, 0)
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"latest.h5", "track.h5", "../../csd/testdata/seq.csd"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if file, err := Parse(b); err == nil {
			walk(file)
		}
	})
}
