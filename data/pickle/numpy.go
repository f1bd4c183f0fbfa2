package pickle

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// call applies a global to arguments, for the few globals datasets use:
// numpy's array and dtype constructors, numpy scalars, _codecs.encode (how
// Python 3 writes bytes at protocol 2) and OrderedDict. Anything else becomes
// an *Object holding its arguments.
func call(g Global, args Tuple) (any, error) {
	switch g.Module + "." + g.Name {
	case "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct":
		return &Array{}, nil
	case "numpy.dtype":
		if len(args) < 1 {
			return nil, fmt.Errorf("numpy.dtype without arguments")
		}
		kind, ok := str(args[0])
		if !ok {
			return nil, fmt.Errorf("numpy.dtype of a %s", TypeName(args[0]))
		}
		return &Dtype{Kind: kind, Order: '='}, nil
	case "numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar":
		if len(args) != 2 {
			return nil, fmt.Errorf("numpy scalar with %d arguments, want 2", len(args))
		}
		dt, ok1 := args[0].(*Dtype)
		raw, ok2 := args[1].([]byte)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("numpy scalar of %s and %s", TypeName(args[0]), TypeName(args[1]))
		}
		vals, err := decodeNumeric(*dt, raw, 1)
		if err != nil {
			return nil, err
		}
		return vals[0], nil
	case "numpy.core.numeric._frombuffer", "numpy._core.numeric._frombuffer":
		// protocol 5, in-band: (buffer, dtype, shape, order)
		if len(args) != 4 {
			return nil, fmt.Errorf("numpy _frombuffer with %d arguments, want 4", len(args))
		}
		raw, ok1 := args[0].([]byte)
		dt, ok2 := args[1].(*Dtype)
		shape, ok3 := args[2].(Tuple)
		order, _ := str(args[3])
		if !ok1 || !ok2 || !ok3 {
			return nil, fmt.Errorf("numpy _frombuffer of %s, %s, %s", TypeName(args[0]), TypeName(args[1]), TypeName(args[2]))
		}
		a := &Array{}
		return a, a.fill(shape, *dt, order == "F", raw)
	case "_codecs.encode":
		if len(args) != 2 {
			return nil, fmt.Errorf("_codecs.encode with %d arguments", len(args))
		}
		s, ok := args[0].(string)
		if !ok {
			return nil, fmt.Errorf("_codecs.encode of a %s", TypeName(args[0]))
		}
		out := make([]byte, 0, len(s))
		for _, r := range s {
			if r > 255 {
				return nil, fmt.Errorf("_codecs.encode: rune %U outside latin-1", r)
			}
			out = append(out, byte(r))
		}
		return out, nil
	case "collections.OrderedDict", "builtins.dict", "__builtin__.dict":
		return &Dict{}, nil
	case "builtins.set", "builtins.frozenset", "__builtin__.set", "builtins.list", "__builtin__.list":
		l := List{}
		if len(args) == 1 {
			if src, ok := args[0].(*List); ok {
				l = append(l, *src...)
			}
		}
		return &l, nil
	}
	return &Object{Class: g, Args: args}, nil
}

// build applies a BUILD state to obj.
func build(obj, state any) error {
	switch o := obj.(type) {
	case *Array:
		t, ok := state.(Tuple)
		if !ok {
			return fmt.Errorf("ndarray state is a %s, not a tuple", TypeName(state))
		}
		if len(t) == 5 { // (version, shape, dtype, is_fortran, data)
			t = t[1:]
		}
		if len(t) != 4 {
			return fmt.Errorf("ndarray state has %d items, want 4 or 5", len(t))
		}
		shape, ok1 := t[0].(Tuple)
		dt, ok2 := t[1].(*Dtype)
		fortran, _ := t[2].(bool)
		if !ok1 || !ok2 {
			return fmt.Errorf("ndarray state holds %s and %s, want a shape tuple and a dtype", TypeName(t[0]), TypeName(t[1]))
		}
		if list, ok := t[3].(*List); ok { // object arrays pickle their elements
			return o.fillObjects(shape, *dt, fortran, *list)
		}
		raw, ok := t[3].([]byte)
		if !ok {
			if s, isStr := t[3].(string); isStr { // Python 2 str read as text
				raw = []byte(s)
			} else {
				return fmt.Errorf("ndarray data is a %s", TypeName(t[3]))
			}
		}
		return o.fill(shape, *dt, fortran, raw)
	case *Dtype:
		t, ok := state.(Tuple)
		if !ok || len(t) < 2 {
			return fmt.Errorf("dtype state is a %s", TypeName(state))
		}
		if order, ok := str(t[1]); ok && len(order) == 1 {
			o.Order = order[0]
		}
		return nil
	case *Object:
		o.State = state
		return nil
	case *Dict:
		if sd, ok := state.(*Dict); ok {
			for i, k := range sd.Keys {
				o.set(k, sd.Values[i])
			}
			return nil
		}
		return fmt.Errorf("dict state is a %s", TypeName(state))
	}
	return fmt.Errorf("cannot set the state of a %s", TypeName(obj))
}

// str returns v as a string if it is str or bytes.
func str(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case []byte:
		return string(v), true
	}
	return "", false
}

// shapeOf checks and converts a shape tuple.
func shapeOf(t Tuple) ([]int, int, error) {
	shape := make([]int, len(t))
	size := 1
	for i, v := range t {
		n, ok := v.(int64)
		if !ok || n < 0 || n > math.MaxInt32 {
			return nil, 0, fmt.Errorf("bad ndarray dimension %v", v)
		}
		shape[i] = int(n)
		if size > 0 && int(n) > math.MaxInt/size {
			return nil, 0, fmt.Errorf("ndarray shape %v is too large", t)
		}
		size *= int(n)
	}
	return shape, size, nil
}

func (a *Array) fill(shapeT Tuple, dt Dtype, fortran bool, raw []byte) error {
	shape, size, err := shapeOf(shapeT)
	if err != nil {
		return err
	}
	a.Shape, a.Dtype = shape, dt
	switch kindByte(dt.Kind) {
	case 'U', 'S':
		objs, err := decodeStrings(dt, raw, size)
		if err != nil {
			return err
		}
		a.Objects = objs
		if fortran {
			a.Objects = toCOrderAny(a.Objects, shape)
		}
		return nil
	}
	vals, err := decodeNumeric(dt, raw, size)
	if err != nil {
		return err
	}
	if fortran {
		vals = toCOrder(vals, shape)
	}
	a.Values = vals
	return nil
}

func (a *Array) fillObjects(shapeT Tuple, dt Dtype, fortran bool, items List) error {
	shape, size, err := shapeOf(shapeT)
	if err != nil {
		return err
	}
	if len(items) != size {
		return fmt.Errorf("object ndarray of shape %v holds %d items", shapeT, len(items))
	}
	a.Shape, a.Dtype, a.Objects = shape, dt, []any(items)
	if fortran {
		a.Objects = toCOrderAny(a.Objects, shape)
	}
	return nil
}

func kindByte(kind string) byte {
	if kind == "" {
		return 0
	}
	if kind[0] == '<' || kind[0] == '>' || kind[0] == '|' || kind[0] == '=' {
		if len(kind) < 2 {
			return 0
		}
		return kind[1]
	}
	return kind[0]
}

// itemSize parses the byte count of a dtype kind like "f4" or "<i8".
func itemSize(kind string) (int, error) {
	k := kind
	if len(k) > 0 && (k[0] == '<' || k[0] == '>' || k[0] == '|' || k[0] == '=') {
		k = k[1:]
	}
	if len(k) < 2 {
		return 0, fmt.Errorf("unsupported dtype %q", kind)
	}
	n, err := strconv.Atoi(k[1:])
	if err != nil || n <= 0 || n > 1<<20 {
		return 0, fmt.Errorf("unsupported dtype %q", kind)
	}
	return n, nil
}

func bigEndian(dt Dtype) bool {
	return dt.Order == '>' || (len(dt.Kind) > 0 && dt.Kind[0] == '>')
}

// decodeNumeric decodes size numeric elements of dtype dt from raw.
func decodeNumeric(dt Dtype, raw []byte, size int) ([]float64, error) {
	n, err := itemSize(dt.Kind)
	if err != nil {
		return nil, err
	}
	if len(raw) != size*n {
		return nil, fmt.Errorf("ndarray of %d %s elements needs %d bytes, has %d", size, dt.Kind, size*n, len(raw))
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if bigEndian(dt) {
		bo = binary.BigEndian
	}
	out := make([]float64, size)
	kind := kindByte(dt.Kind)
	for i := range out {
		b := raw[i*n : (i+1)*n]
		switch {
		case kind == 'f' && n == 4:
			out[i] = float64(math.Float32frombits(bo.Uint32(b)))
		case kind == 'f' && n == 8:
			out[i] = math.Float64frombits(bo.Uint64(b))
		case kind == 'f' && n == 2:
			out[i] = halfToFloat(bo.Uint16(b))
		case kind == 'i' && n == 1:
			out[i] = float64(int8(b[0]))
		case kind == 'i' && n == 2:
			out[i] = float64(int16(bo.Uint16(b)))
		case kind == 'i' && n == 4:
			out[i] = float64(int32(bo.Uint32(b)))
		case kind == 'i' && n == 8:
			out[i] = float64(int64(bo.Uint64(b)))
		case (kind == 'u' || kind == 'b') && n == 1:
			out[i] = float64(b[0])
		case kind == 'u' && n == 2:
			out[i] = float64(bo.Uint16(b))
		case kind == 'u' && n == 4:
			out[i] = float64(bo.Uint32(b))
		case kind == 'u' && n == 8:
			out[i] = float64(bo.Uint64(b))
		default:
			return nil, fmt.Errorf("unsupported dtype %q", dt.Kind)
		}
	}
	return out, nil
}

// decodeStrings decodes fixed-width numpy strings: 'S' bytes, 'U' UTF-32.
func decodeStrings(dt Dtype, raw []byte, size int) ([]any, error) {
	n, err := itemSize(dt.Kind)
	if err != nil {
		return nil, err
	}
	width := n
	if kindByte(dt.Kind) == 'U' {
		width = 4 * n
	}
	if len(raw) != size*width {
		return nil, fmt.Errorf("ndarray of %d %s strings needs %d bytes, has %d", size, dt.Kind, size*width, len(raw))
	}
	out := make([]any, size)
	for i := range out {
		b := raw[i*width : (i+1)*width]
		if kindByte(dt.Kind) == 'S' {
			end := len(b)
			for end > 0 && b[end-1] == 0 {
				end--
			}
			out[i] = append([]byte(nil), b[:end]...)
			continue
		}
		var s []byte
		for j := 0; j < len(b); j += 4 {
			var r uint32
			if bigEndian(dt) {
				r = binary.BigEndian.Uint32(b[j:])
			} else {
				r = binary.LittleEndian.Uint32(b[j:])
			}
			if r == 0 {
				break
			}
			s = utf8.AppendRune(s, rune(r))
		}
		out[i] = string(s)
	}
	return out, nil
}

// halfToFloat converts an IEEE binary16 value.
func halfToFloat(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	exp := int(h>>10) & 0x1f
	frac := float64(h & 0x3ff)
	switch exp {
	case 0:
		return sign * frac * math.Pow(2, -24)
	case 31:
		if frac == 0 {
			return sign * math.Inf(1)
		}
		return math.NaN()
	}
	return sign * (1 + frac/1024) * math.Pow(2, float64(exp-15))
}

// toCOrder reorders column-major values to row-major.
func toCOrder(v []float64, shape []int) []float64 {
	out := make([]float64, len(v))
	for i := range v {
		out[cIndexOfFortran(i, shape)] = v[i]
	}
	return out
}

func toCOrderAny(v []any, shape []int) []any {
	out := make([]any, len(v))
	for i := range v {
		out[cIndexOfFortran(i, shape)] = v[i]
	}
	return out
}

// cIndexOfFortran maps the flat column-major index i to its row-major index.
func cIndexOfFortran(i int, shape []int) int {
	idx := make([]int, len(shape))
	for k := range shape {
		if shape[k] == 0 {
			return 0
		}
		idx[k] = i % shape[k]
		i /= shape[k]
	}
	c := 0
	for k := range shape {
		c = c*shape[k] + idx[k]
	}
	return c
}
