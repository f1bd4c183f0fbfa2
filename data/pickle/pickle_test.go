package pickle

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/modistill/modistill/tensor"
	"github.com/modistill/modistill/tensor/tensortest"
)

type expected struct {
	Covarep struct {
		Shape []int      `json:"shape"`
		Data  []*float64 `json:"data"`
	} `json:"covarep"`
	Glove struct {
		Shape []int     `json:"shape"`
		Data  []float64 `json:"data"`
	} `json:"glove"`
	Label         []float64 `json:"label"`
	MMSATextFirst float64   `json:"mmsa_text_first"`
	FortranC      []float64 `json:"fortran_c_order"`
}

func readExpected(t *testing.T) expected {
	t.Helper()
	var e expected
	if err := tensortest.ReadJSON("testdata/expected.json", &e); err != nil {
		t.Fatal(err)
	}
	return e
}

func load(t *testing.T, name string) any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	v, err := Load(b)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

func get(t *testing.T, v any, keys ...string) any {
	t.Helper()
	for _, k := range keys {
		d, ok := v.(*Dict)
		if !ok {
			t.Fatalf("%s: not a dict but %s", k, TypeName(v))
		}
		if v, ok = d.Get(k); !ok {
			t.Fatalf("no key %q among %v", k, d.KeyStrings())
		}
	}
	return v
}

func TestLoadNumpyProtocols(t *testing.T) {
	e := readExpected(t)
	for _, name := range []string{"lmf_p2.pkl", "lmf_p4.pkl", "lmf_p5.pkl"} {
		v := load(t, name)
		cov := get(t, v, "train", "covarep").(*Array)
		if !tensor.EqualShapes(cov.Shape, e.Covarep.Shape) {
			t.Errorf("%s: covarep shape %v, want %v", name, cov.Shape, e.Covarep.Shape)
		}
		for i, w := range e.Covarep.Data {
			got := cov.Values[i]
			if w == nil {
				if !math.IsNaN(got) && !math.IsInf(got, 0) {
					t.Errorf("%s: covarep[%d] = %v, want non-finite", name, i, got)
				}
			} else if got != *w {
				t.Errorf("%s: covarep[%d] = %v, want %v", name, i, got, *w)
			}
		}
		glove := get(t, v, "train", "glove").(*Array)
		if !tensor.EqualShapes(glove.Shape, e.Glove.Shape) || glove.Values[7] != e.Glove.Data[7] {
			t.Errorf("%s: glove %v [7]=%v", name, glove.Shape, glove.Values[7])
		}
		label := get(t, v, "train", "label").(*Array)
		for i, w := range e.Label {
			if label.Values[i] != w {
				t.Errorf("%s: label[%d] = %v, want %v", name, i, label.Values[i], w)
			}
		}
		// Keys are bytes, as in the LMF files.
		if _, ok := v.(*Dict).Keys[0].([]byte); !ok {
			t.Errorf("%s: key is %T, want []byte", name, v.(*Dict).Keys[0])
		}
	}
}

func TestLoadMMSAObjects(t *testing.T) {
	e := readExpected(t)
	v := load(t, "mmsa_p4.pkl")
	text := get(t, v, "train", "text").(*Array)
	if text.Values[0] != e.MMSATextFirst || !tensor.EqualShapes(text.Shape, []int{2, 3, 4}) {
		t.Errorf("text %v first %v", text.Shape, text.Values[0])
	}
	ids := get(t, v, "train", "id").(*Array)
	if len(ids.Objects) != 2 || ids.Objects[1] != "vid$_$2" {
		t.Errorf("id objects %v", ids.Objects)
	}
	if l := get(t, v, "train", "audio_lengths").(*List); len(*l) != 2 || (*l)[1] != int64(3) {
		t.Errorf("audio_lengths %v", *l)
	}
	if vl := get(t, v, "train", "vision_lengths").(*Array); vl.Values[0] != 4 {
		t.Errorf("vision_lengths %v", vl.Values)
	}
	f := get(t, v, "train", "fortran").(*Array)
	for i, w := range e.FortranC {
		if f.Values[i] != w {
			t.Fatalf("Fortran-order array in C order: %v, want %v", f.Values, e.FortranC)
		}
	}
	if fl := get(t, v, "train", "flags").(*Array); fl.Values[0] != 1 || fl.Values[1] != 0 {
		t.Errorf("bool array %v", fl.Values)
	}
}

func TestDumpRoundTrip(t *testing.T) {
	d := &Dict{}
	inner := &Dict{}
	shared := []float32{1, float32(math.NaN()), -3, 4e-9}
	inner.set([]byte("covarep"), &Float32Array{Shape: []int{2, 2}, Data: shared})
	inner.set([]byte("again"), &Float32Array{Shape: []int{2, 2}, Data: shared})
	inner.set([]byte("flat"), &Float32Array{Shape: []int{4}, Data: shared})
	inner.set([]byte("n"), int64(-70000))
	inner.set("big", int64(1)<<40)
	inner.set([]byte("long"), make([]byte, 300))
	inner.set("t", Tuple{1, 2.5, "x", nil, true})
	d.set([]byte("train"), inner)
	b, err := Dump(d)
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("MODISTILL_PY2_CHECK"); dir != "" { // for make_pickles.py's cross-check
		os.WriteFile(dir, b, 0o644)
	}
	v, err := Load(b)
	if err != nil {
		t.Fatal(err)
	}
	c := get(t, v, "train", "covarep").(*Array)
	if c.Values[0] != 1 || !math.IsNaN(c.Values[1]) || c.Values[3] != float64(float32(4e-9)) || c.Dtype.Order != '<' {
		t.Errorf("array round trip: %+v", c)
	}
	if again := get(t, v, "train", "again").(*Array); again != c {
		t.Errorf("shared array not memoised: %p vs %p", again, c)
	}
	if flat := get(t, v, "train", "flat").(*Array); flat == c || len(flat.Shape) != 1 {
		t.Errorf("a differently shaped view was merged: %v", flat.Shape)
	}
	if n := get(t, v, "train", "n"); n != int64(-70000) {
		t.Errorf("int round trip: %v", n)
	}
	if n := get(t, v, "train", "big"); n != int64(1)<<40 {
		t.Errorf("long round trip: %v", n)
	}
	if tu := get(t, v, "train", "t").(Tuple); len(tu) != 5 || tu[1] != 2.5 || tu[2] != "x" || tu[4] != true {
		t.Errorf("tuple round trip: %v", tu)
	}
}

func TestCorruptInputsAreErrors(t *testing.T) {
	good, err := os.ReadFile("testdata/lmf_p4.pkl")
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"empty":               {},
		"huge BINBYTES8":      []byte("\x80\x04\x8e\xff\xff\xff\xff\xff\xff\xff\x7f"),
		"missing memo":        []byte("\x80\x02h\x05."),
		"append to int":       []byte("\x80\x02K\x01K\x02a."),
		"setitems no mark":    []byte("\x80\x02}u."),
		"stop on empty stack": []byte("\x80\x02."),
		"unknown opcode":      []byte("\x80\x02\xff."),
		"no STOP":             []byte("\x80\x02K\x01"),
		"bad array data":      []byte("\x80\x02cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\nK\x00\x85U\x01b\x87R(K\x01K\x03\x85cnumpy\ndtype\nU\x02f4K\x00K\x01\x87R\x89U\x04abcdtb."),
		// 2^44 elements of 2^20 bytes: size*itemsize wraps to 0, the data's length.
		"overflowing size":    []byte("\x80\x02cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\nK\x00\x85U\x01b\x87R(K\x01J\x00\x00\x40\x00J\x00\x00\x40\x00\x86cnumpy\ndtype\nU\x08f1048576K\x00K\x01\x87R\x89U\x00tb."),
		"overflowing strings": []byte("\x80\x02cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\nK\x00\x85U\x01b\x87R(K\x01J\x00\x00\x40\x00J\x00\x00\x40\x00\x86cnumpy\ndtype\nU\x08S1048576K\x00K\x01\x87R\x89U\x00tb."),
	}
	for i := 1; i < len(good); i += len(good) / 20 {
		cases["truncated at byte "+strconv.Itoa(i)] = good[:i]
	}
	for name, b := range cases {
		if _, err := Load(b); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: err = %v, want a corrupt-pickle error", name, err)
		}
	}
}

// FuzzLoad feeds arbitrary bytes to the reader: it must return a value or an
// error, never panic, and never allocate more than the input holds.
func FuzzLoad(f *testing.F) {
	for _, name := range []string{"lmf_p2.pkl", "lmf_p4.pkl", "lmf_p5.pkl", "mmsa_p4.pkl", "lmf_py2_p0.pkl", "mmsa_p0.pkl", "plain_p0.pkl"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("\x80\x02}q\x00(U\x01aK\x01u."))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, err := Load(b)
		v, lerr := Decode(bytes.NewReader(b), int64(len(b)))
		if (err == nil) != (lerr == nil) {
			t.Fatalf("Load: %v; Decode: %v", err, lerr)
		}
		if d, ok := v.(*Dict); ok { // read Decode's arrays as Load did
			for _, x := range d.Values {
				if a, ok := x.(*Array); ok && a.Numeric() {
					if _, err := a.Float32s(); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	})
}
