package pickle

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
)

// Float32Array is a float32 numpy array to write: C order, little-endian.
type Float32Array struct {
	Shape []int
	Data  []float32
}

// Dump encodes v as a protocol-2 pickle laid out as Python 2 wrote LMF's
// files: dict keys and other []byte values as Python 2 str, numpy arrays
// through numpy.core.multiarray._reconstruct with their raw data as a str.
// Python 3 reads the result with pickle.load(f, encoding='bytes'), and so
// does Load. Arrays sharing storage are written once and then referenced
// through the memo. v may be built from *Dict, []byte, string, int, int64, float64,
// bool, nil, Tuple, *List and *Float32Array.
func Dump(v any) ([]byte, error) {
	var e encoder
	e.b.Write([]byte{0x80, 2})
	if err := e.value(v); err != nil {
		return nil, err
	}
	e.b.WriteByte('.')
	return e.b.Bytes(), nil
}

type encoder struct {
	b bytes.Buffer
	// memo maps arrays already written (by their first element's address
	// and size) to their memo index, so shared arrays are written once and
	// referenced after, as Python's pickler does for shared objects.
	memo map[arrayKey]uint32
}

type arrayKey struct {
	first *float32
	n     int
	shape string
}

func (e *encoder) value(v any) error {
	switch v := v.(type) {
	case nil:
		e.b.WriteByte('N')
	case bool:
		if v {
			e.b.WriteByte(0x88)
		} else {
			e.b.WriteByte(0x89)
		}
	case int:
		e.int(int64(v))
	case int64:
		e.int(v)
	case float64:
		e.b.WriteByte('G')
		var buf [8]byte
		binary.BigEndian.PutUint64(buf[:], math.Float64bits(v))
		e.b.Write(buf[:])
	case []byte:
		e.str(v)
	case string:
		e.b.WriteByte('X')
		e.u32(uint32(len(v)))
		e.b.WriteString(v)
	case Tuple:
		if len(v) <= 3 {
			for _, x := range v {
				if err := e.value(x); err != nil {
					return err
				}
			}
			e.b.WriteByte([]byte{')', 0x85, 0x86, 0x87}[len(v)])
			return nil
		}
		e.b.WriteByte('(')
		for _, x := range v {
			if err := e.value(x); err != nil {
				return err
			}
		}
		e.b.WriteByte('t')
	case *List:
		e.b.WriteByte(']')
		for i := 0; i < len(*v); i += 1000 {
			e.b.WriteByte('(')
			for _, x := range (*v)[i:min(i+1000, len(*v))] {
				if err := e.value(x); err != nil {
					return err
				}
			}
			e.b.WriteByte('e')
		}
	case *Dict:
		e.b.WriteByte('}')
		for i := 0; i < len(v.Keys); i += 1000 {
			e.b.WriteByte('(')
			for j := i; j < min(i+1000, len(v.Keys)); j++ {
				if err := e.value(v.Keys[j]); err != nil {
					return err
				}
				if err := e.value(v.Values[j]); err != nil {
					return err
				}
			}
			e.b.WriteByte('u')
		}
	case *Float32Array:
		if len(v.Data) == 0 {
			return e.array(v)
		}
		key := arrayKey{&v.Data[0], len(v.Data), fmt.Sprint(v.Shape)}
		if i, ok := e.memo[key]; ok { // LONG_BINGET
			e.b.WriteByte('j')
			e.u32(i)
			return nil
		}
		if err := e.array(v); err != nil {
			return err
		}
		if e.memo == nil {
			e.memo = map[arrayKey]uint32{}
		}
		i := uint32(len(e.memo))
		e.memo[key] = i
		e.b.WriteByte('r') // LONG_BINPUT
		e.u32(i)
	default:
		return fmt.Errorf("pickle.Dump: cannot encode a %T", v)
	}
	return nil
}

func (e *encoder) u32(n uint32) {
	var buf [4]byte
	binary.LittleEndian.PutUint32(buf[:], n)
	e.b.Write(buf[:])
}

func (e *encoder) int(n int64) {
	switch {
	case n >= 0 && n < 256:
		e.b.WriteByte('K')
		e.b.WriteByte(byte(n))
	case n >= 0 && n < 65536:
		e.b.WriteByte('M')
		e.b.WriteByte(byte(n))
		e.b.WriteByte(byte(n >> 8))
	case n >= math.MinInt32 && n <= math.MaxInt32:
		e.b.WriteByte('J')
		e.u32(uint32(int32(n)))
	default:
		e.b.WriteByte(0x8a) // LONG1, 8 bytes two's complement
		e.b.WriteByte(8)
		var buf [8]byte
		binary.LittleEndian.PutUint64(buf[:], uint64(n))
		e.b.Write(buf[:])
	}
}

// str writes a Python 2 str.
func (e *encoder) str(b []byte) {
	if len(b) < 256 {
		e.b.WriteByte('U')
		e.b.WriteByte(byte(len(b)))
	} else {
		e.b.WriteByte('T')
		e.u32(uint32(len(b)))
	}
	e.b.Write(b)
}

func (e *encoder) global(module, name string) {
	e.b.WriteByte('c')
	e.b.WriteString(module + "\n" + name + "\n")
}

// array writes a float32 ndarray as Python 2's numpy pickled one:
// _reconstruct(ndarray, (0,), 'b') then BUILD with
// (1, shape, dtype('f4'), False, rawdata).
func (e *encoder) array(a *Float32Array) error {
	size := 1
	for _, d := range a.Shape {
		if d < 0 {
			return fmt.Errorf("pickle.Dump: negative dimension in %v", a.Shape)
		}
		size *= d
	}
	if size != len(a.Data) {
		return fmt.Errorf("pickle.Dump: %d values for shape %v", len(a.Data), a.Shape)
	}
	e.global("numpy.core.multiarray", "_reconstruct")
	e.global("numpy", "ndarray")
	e.int(0)
	e.b.WriteByte(0x85)
	e.str([]byte("b"))
	e.b.WriteByte(0x87)
	e.b.WriteByte('R')
	e.b.WriteByte('(')
	e.int(1)
	shape := make(Tuple, len(a.Shape))
	for i, d := range a.Shape {
		shape[i] = int64(d)
	}
	if err := e.value(shape); err != nil {
		return err
	}
	// dtype('f4') with Python 2 numpy's state (3, '<', None, None, None, -1, -1, 0)
	e.global("numpy", "dtype")
	e.str([]byte("f4"))
	e.int(0)
	e.int(1)
	e.b.WriteByte(0x87)
	e.b.WriteByte('R')
	e.b.WriteByte('(')
	e.int(3)
	e.str([]byte("<"))
	e.b.WriteString("NNN")
	e.int(-1)
	e.int(-1)
	e.int(0)
	e.b.WriteByte('t')
	e.b.WriteByte('b')
	e.b.WriteByte(0x89) // not Fortran order
	raw := make([]byte, 4*len(a.Data))
	for i, v := range a.Data {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(v))
	}
	e.str(raw)
	e.b.WriteByte('t')
	e.b.WriteByte('b')
	return nil
}
