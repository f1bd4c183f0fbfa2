package wordvec

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const small = "the 0.1 -0.2 0.3\n, 1 2 3\nnew york 0.5 0.5 0.5\ngood -1e-3 2.5 0 \nbad  1  2 3\n"

func TestReadPlainAndGzip(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "v.txt")
	os.WriteFile(plain, []byte(small), 0o644)
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write([]byte(small))
	zw.Close()
	gz := filepath.Join(dir, "v.txt.gz")
	os.WriteFile(gz, z.Bytes(), 0o644)
	for _, p := range []string{plain, gz} {
		v, err := Read(p, nil)
		if err != nil {
			t.Fatal(err)
		}
		if v.Dim != 3 || v.Len() != 5 || v.Lines != 5 {
			t.Errorf("%s: dim %d, %d vectors of %d lines", p, v.Dim, v.Len(), v.Lines)
		}
		if x, ok := v.Lookup("new york"); !ok || x[2] != 0.5 { // 840B-style words with spaces
			t.Errorf("%s: new york %v %v", p, x, ok)
		}
		if x, ok := v.Lookup("good"); !ok || x[0] != -1e-3 || x[1] != 2.5 { // a trailing space
			t.Errorf("%s: good %v", p, x)
		}
		if x, ok := v.Lookup("bad"); !ok || x[2] != 3 { // runs of spaces
			t.Errorf("%s: bad %v %v", p, x, ok)
		}
	}
	v, err := Read(plain, func(w string) bool { return w == "good" || w == "absent" })
	if err != nil || v.Len() != 1 || v.Lines != 5 {
		t.Fatalf("kept %v of %v lines: %v", v.Len(), v.Lines, err)
	}
	if _, ok := v.Lookup("the"); ok {
		t.Error("a word not asked for was kept")
	}
}

func TestHeaderAndZip(t *testing.T) {
	v, err := Parse(strings.NewReader("2 3\nthe 1 2 3\ncat 4 5 6\n"), nil)
	if err != nil || v.Dim != 3 || v.Len() != 2 {
		t.Errorf("a word2vec header: %v, %+v", err, v)
	}
	p := filepath.Join(t.TempDir(), "glove.6B.zip")
	os.WriteFile(p, []byte("PK\x03\x04rest"), 0o644)
	if _, err := Read(p, nil); err == nil || !strings.Contains(err.Error(), "unzip it") {
		t.Errorf("a zip: %v", err)
	}
}

func TestMalformed(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", "no vectors"},
		{"the\n", "line 1: 1 fields"},
		{"the 1 2 3\ncat 1 2\n", "line 2: 2 values, want 3"},
		{"the 1 2 3\ncat 1 x 3\n", `line 2 ("cat"): value 2, "x"`},
		{"the 1 2 3\n\ncat 1 2 3\n", "line 2: empty"},
		{"the 1 2 3\ncat 1 NaN 3\n", "not a finite number"},
		{"the 1 2 3\n 1 2 3\n", "line 2: no word"},
	} {
		_, err := Parse(strings.NewReader(c.in), nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.in, err, c.want)
		}
	}
	// A value not kept is still checked.
	if _, err := Parse(strings.NewReader("the 1 2 3\ncat 1 x 3\n"), func(string) bool { return false }); err == nil {
		t.Error("a malformed line of a word not kept passed")
	}
	p := filepath.Join(t.TempDir(), "v.txt")
	os.WriteFile(p, []byte("the 1 2\ncat 1\n"), 0o644)
	if _, err := Read(p, nil); err == nil || !strings.Contains(err.Error(), p+": line 2") {
		t.Errorf("the error does not name the file and line: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(small))
	f.Add([]byte("a 1\nb 2 3\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := Parse(bytes.NewReader(b), nil)
		if err != nil {
			return
		}
		if v.Dim < 1 || len(v.data) != v.Len()*v.Dim {
			t.Fatalf("dim %d, %d values for %d words", v.Dim, len(v.data), v.Len())
		}
	})
}
