package pickle

import (
	"bytes"
	"math"
	"testing"
)

// sameValue compares decoded values, NaN equal to NaN.
func sameValue(a, b any) bool {
	switch a := a.(type) {
	case float64:
		b, ok := b.(float64)
		return ok && (a == b && math.Signbit(a) == math.Signbit(b) || math.IsNaN(a) && math.IsNaN(b))
	case []byte:
		b, ok := b.([]byte)
		return ok && bytes.Equal(a, b)
	case *List:
		b, ok := b.(*List)
		return ok && sameValue(Tuple(*a), Tuple(*b))
	case Tuple:
		b, ok := b.(Tuple)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !sameValue(a[i], b[i]) {
				return false
			}
		}
		return true
	case *Dict:
		b, ok := b.(*Dict)
		return ok && sameValue(Tuple(a.Keys), Tuple(b.Keys)) && sameValue(Tuple(a.Values), Tuple(b.Values))
	case *Array:
		b, ok := b.(*Array)
		return ok && a.ShapeString() == b.ShapeString() && a.Dtype == b.Dtype && a.Numeric() == b.Numeric() &&
			sameValue(floats(a.Values), floats(b.Values)) && sameValue(Tuple(a.Objects), Tuple(b.Objects))
	}
	return a == b
}

func floats(v []float64) Tuple {
	t := make(Tuple, len(v))
	for i, f := range v {
		t[i] = f
	}
	return t
}

// Protocols 0 and 1, from Python 3 and (protocol 0) as Python 2 wrote it,
// decode to what protocol 2 does: the same dicts, keys and arrays.
func TestProtocols0And1MatchProtocol2(t *testing.T) {
	for want, names := range map[string][]string{
		"lmf_p2.pkl":  {"lmf_p0.pkl", "lmf_p1.pkl", "lmf_py2_p0.pkl"},
		"mmsa_p4.pkl": {"mmsa_p0.pkl"},
	} {
		w := load(t, want)
		for _, name := range names {
			if got := load(t, name); !sameValue(got, w) {
				t.Errorf("%s does not decode to what %s does", name, want)
			}
		}
	}
}

// plain_p0.pkl: see make_pickles.py.
func TestProtocol0PlainValues(t *testing.T) {
	v := load(t, "plain_p0.pkl")
	shared := &List{int64(1), "two"}
	want := map[string]any{
		"ints":        &List{int64(0), int64(-1), int64(math.MaxInt32), int64(math.MinInt32), int64(1) << 40, -int64(1) << 62},
		"floats":      &List{1.5, math.Copysign(0, -1), 1e-300, math.Inf(1), math.Inf(-1), math.NaN()},
		"str":         "caf\u00e9 \u20ac \U0001f600 back\\slash new\nline nul\x00 cr\r z\x1a",
		"bytes":       []byte("\x00\n\r\\\xff'\""),
		"empty_bytes": []byte{},
		"bytearray":   []byte("ab\x00\xff"),
		"nested": &Dict{Keys: []any{"t", "empty_t", "l", "d"},
			Values: []any{Tuple{int64(1), "a", nil, true, false}, Tuple{}, &List{}, &Dict{}}},
		"shared": &List{shared, shared},
		"set":    &List{int64(3)},
	}
	d := v.(*Dict)
	for k, w := range want {
		if got := get(t, v, k); !sameValue(got, w) {
			t.Errorf("%s = %#v, want %#v", k, got, w)
		}
	}
	if s := get(t, v, "shared").(*List); (*s)[0] != (*s)[1] {
		t.Error("GET of a memoised list gave a copy, not the list")
	}
	if len(d.Keys) != len(want)+1 || d.Keys[len(d.Keys)-1] != int64(7) || d.Values[len(d.Keys)-1] != "int key" {
		t.Errorf("keys %v", d.Keys)
	}
	v = load(t, "plain_py2_p0.pkl")
	if b := get(t, v, "bytes"); !sameValue(b, []byte("\x00\n\r\\\xff'\"\t\x7f")) {
		t.Errorf("Python 2 STRING = %q", b)
	}
	if b := get(t, v, "quote"); !sameValue(b, []byte("it's")) {
		t.Errorf("double-quoted STRING = %q", b)
	}
}

func TestRawUnicodeUnescape(t *testing.T) {
	for in, want := range map[string]string{
		"plain":            "plain",
		"caf\xe9":          "café", // latin-1 byte
		`\u20ac`:           "€",
		`\U0001f600`:       "\U0001f600",
		`\u005c`:           `\`,
		`a\b`:              `a\b`, // a backslash before anything else stays
		`\\u0041`:          `\\u0041`,
		`\\\u0041`:         `\\A`,
		`end\`:             `end\`,
		`\u0000\u000a\xff`: "\x00\n\\xff",
	} {
		if got, err := rawUnicodeUnescape(in); err != nil || got != want {
			t.Errorf("rawUnicodeUnescape(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{`\u12`, `\U0000004`, `\u12g4`, `\U00110000`, `\u+123`} {
		if got, err := rawUnicodeUnescape(bad); err == nil {
			t.Errorf("rawUnicodeUnescape(%q) = %q, want an error", bad, got)
		}
	}
}

func TestUnquote(t *testing.T) {
	for in, want := range map[string]string{
		`'a\'b'`:          "a'b",
		`"it's"`:          "it's",
		`'\x00\xff\\'`:    "\x00\xff\\",
		`'\a\b\f\v\t\n'`:  "\a\b\f\v\t\n",
		`'\0\12\101\777'`: "\x00\nA\xff", // octal: up to three digits, low 8 bits
		`'\8\q'`:          `\8\q`,
	} {
		if got, err := unquote(in); err != nil || string(got) != want {
			t.Errorf("unquote(%s) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{`abc`, `'abc"`, `'a\'`, `'\x4'`, `'\xzz'`} {
		if got, err := unquote(bad); err == nil {
			t.Errorf("unquote(%s) = %q, want an error", bad, got)
		}
	}
}
