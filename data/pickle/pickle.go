// Package pickle reads the Python pickles that multimodal sentiment datasets
// ship in (LMF's mosi.pkl, pom.pkl and iemocap.pkl, written by Python 2 with
// protocol 2; MMSA's aligned_50.pkl and unaligned_50.pkl, protocol 4) and
// writes protocol-2 pickles the way Python 2 wrote LMF's.
//
// The reader is a bounded interpreter of the pickle virtual machine
// (protocols 0 to 5) over a file of known size, in memory (Load) or read as
// needed (Decode): every length is checked against the bytes that remain,
// every memo reference against the memo, so a corrupt file yields an error
// naming the offset and opcode, never a panic or an allocation larger than
// the file. Decode holds only the pickle's structure in memory and reads a
// numpy array's data when it is asked for, converting it as it reads, so a
// caller that wants part of a file reads only that part. It builds plain Go
// values:
//
//	None -> nil; bool; int -> int64 (one beyond 64 bits is an error); float -> float64
//	str (Python 3) -> string; bytes, bytearray and Python 2 str -> []byte
//	list -> *List; tuple -> Tuple; dict -> *Dict (ordered; keys may be
//	string or []byte, see Dict.Get)
//	numpy.ndarray -> *Array; numpy.dtype -> *Dtype
//	other objects -> *Object (class and arguments kept, not executed)
//
// Python 2 str values load as []byte, as Python 3's pickle.load(f,
// encoding='bytes') returns them: LMF's keys are b'train', b'covarep' and so on.
package pickle

import (
	"bytes"
	"fmt"
	"io"
	"strings"
)

// List is a Python list.
type List []any

// Tuple is a Python tuple.
type Tuple []any

// Dict is a Python dict, in insertion order.
type Dict struct {
	Keys   []any
	Values []any
}

// Get returns the value under key, matching a string key against both str
// and bytes keys (Python 2 pickles read with encoding='bytes' have bytes
// keys).
func (d *Dict) Get(key string) (any, bool) {
	for i, k := range d.Keys {
		switch k := k.(type) {
		case string:
			if k == key {
				return d.Values[i], true
			}
		case []byte:
			if string(k) == key {
				return d.Values[i], true
			}
		}
	}
	return nil, false
}

// KeyStrings returns the keys that are str or bytes, as strings.
func (d *Dict) KeyStrings() []string {
	var ks []string
	for _, k := range d.Keys {
		switch k := k.(type) {
		case string:
			ks = append(ks, k)
		case []byte:
			ks = append(ks, string(k))
		}
	}
	return ks
}

func (d *Dict) set(k, v any) {
	for i, old := range d.Keys {
		if equalKeys(old, k) {
			d.Values[i] = v
			return
		}
	}
	d.Keys = append(d.Keys, k)
	d.Values = append(d.Values, v)
}

func equalKeys(a, b any) bool {
	switch a := a.(type) {
	case string:
		b, ok := b.(string)
		return ok && a == b
	case []byte:
		b, ok := b.([]byte)
		return ok && bytes.Equal(a, b)
	case int64:
		b, ok := b.(int64)
		return ok && a == b
	}
	return false
}

// Global is a reference to a module-level Python name (a class or function).
type Global struct{ Module, Name string }

// String is the dotted name.
func (g Global) String() string { return g.Module + "." + g.Name }

// Object is an instance of a class the reader does not interpret; its
// constructor arguments and state are kept.
type Object struct {
	Class Global
	Args  []any
	State any
}

// Dtype is a numpy dtype: its kind string as numpy.dtype(...) receives it
// ("f4", "f8", "i8", "O", ...) and its byte order ('<', '>', '|' or '=').
type Dtype struct {
	Kind  string
	Order byte
}

// Array is a numpy ndarray. Load converts numeric arrays to float64 values
// in C order, in Values; Decode leaves their data in the input, to be read
// with Float32s or Float64s. Object arrays, and fixed-width string arrays
// ('S', 'U'), keep their elements in Objects.
type Array struct {
	Shape   []int
	Dtype   Dtype
	Values  []float64 // numeric dtypes, from Load
	Objects []any     // dtype object ('O'), 'S' and 'U'

	numeric bool
	fortran bool        // data in column-major order
	raw     []byte      // the data, or
	src     io.ReaderAt // its n bytes at off in the input
	off, n  int64
}

// Size is the number of elements.
func (a *Array) Size() int {
	n := 1
	for _, d := range a.Shape {
		n *= d
	}
	return n
}

// ShapeString formats the array's shape as (d0, d1, ...).
func (a *Array) ShapeString() string {
	parts := make([]string, len(a.Shape))
	for i, d := range a.Shape {
		parts[i] = fmt.Sprint(d)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// TypeName describes a decoded value for error messages.
func TypeName(v any) string {
	switch v := v.(type) {
	case nil:
		return "None"
	case bool:
		return "bool"
	case int64:
		return "int"
	case float64:
		return "float"
	case string:
		return "str"
	case []byte, lazyBytes:
		return "bytes"
	case *List:
		return "list"
	case Tuple:
		return "tuple"
	case *Dict:
		return "dict"
	case *Array:
		return "numpy array " + v.ShapeString() + " of " + v.Dtype.Kind
	case *Dtype:
		return "numpy dtype"
	case Global:
		return "global " + v.String()
	case *Object:
		return "object of " + v.Class.String()
	}
	return fmt.Sprintf("%T", v)
}
