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
func (d *decoder) call(g Global, args Tuple) (any, error) {
	name := g.Module + "." + g.Name
	frombuffer := name == "numpy.core.numeric._frombuffer" || name == "numpy._core.numeric._frombuffer"
	for i, v := range args {
		if i == 0 && frombuffer { // the array's data, read when the array is
			continue
		}
		var err error
		if args[i], err = d.resolve(v); err != nil {
			return nil, err
		}
	}
	switch name {
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
		a := &Array{Shape: []int{1}, Dtype: *dt, raw: raw, n: int64(len(raw))}
		if err := a.checkNumeric(1); err != nil {
			return nil, err
		}
		vals, err := a.Float64s()
		if err != nil {
			return nil, err
		}
		return vals[0], nil
	case "numpy.core.numeric._frombuffer", "numpy._core.numeric._frombuffer":
		// protocol 5, in-band: (buffer, dtype, shape, order)
		if len(args) != 4 {
			return nil, fmt.Errorf("numpy _frombuffer with %d arguments, want 4", len(args))
		}
		_, ok1 := args[0].([]byte)
		_, lazy := args[0].(lazyBytes)
		dt, ok2 := args[1].(*Dtype)
		shape, ok3 := args[2].(Tuple)
		order, _ := str(args[3])
		if !ok1 && !lazy || !ok2 || !ok3 {
			return nil, fmt.Errorf("numpy _frombuffer of %s, %s, %s", TypeName(args[0]), TypeName(args[1]), TypeName(args[2]))
		}
		a := &Array{}
		return a, d.fill(a, shape, *dt, order == "F", args[0])
	case "_codecs.encode":
		if len(args) != 2 {
			return nil, fmt.Errorf("_codecs.encode with %d arguments", len(args))
		}
		s, ok := args[0].(string)
		if !ok {
			return nil, fmt.Errorf("_codecs.encode of a %s", TypeName(args[0]))
		}
		return latin1(s)
	case "builtins.bytes", "__builtin__.bytes", "builtins.bytearray", "__builtin__.bytearray":
		// bytes() is how Python 3 writes b'' at protocols 0 to 2;
		// bytearray(str, 'latin-1') a bytearray, bytearray(bytes) at 3 and 4.
		switch {
		case len(args) == 0:
			return []byte{}, nil
		case len(args) == 1:
			if b, ok := args[0].([]byte); ok {
				return append([]byte{}, b...), nil
			}
		case len(args) == 2 && g.Name == "bytearray":
			s, ok1 := args[0].(string)
			enc, ok2 := str(args[1])
			if ok1 && ok2 && (enc == "latin-1" || enc == "latin1") {
				return latin1(s)
			}
		}
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

// latin1 encodes s as latin-1, as _codecs.encode(s, 'latin1') does for
// the bytes Python 3 writes at protocols 0 to 2.
func latin1(s string) ([]byte, error) {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 255 {
			return nil, fmt.Errorf("_codecs.encode: rune %U outside latin-1", r)
		}
		out = append(out, byte(r))
	}
	return out, nil
}

// build applies a BUILD state to obj.
func (d *decoder) build(obj, state any) error {
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
		switch data := t[3].(type) {
		case []byte, lazyBytes:
			return d.fill(o, shape, *dt, fortran, data)
		case string: // Python 2 str read as text
			return d.fill(o, shape, *dt, fortran, []byte(data))
		}
		return fmt.Errorf("ndarray data is a %s", TypeName(t[3]))
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

// fill gives a the shape, dtype and data ([]byte or lazyBytes) of an
// ndarray. Numeric data is checked here and left where it is, to be decoded
// by Float32s or Float64s; fixed-width strings are decoded now.
func (d *decoder) fill(a *Array, shapeT Tuple, dt Dtype, fortran bool, data any) error {
	shape, size, err := shapeOf(shapeT)
	if err != nil {
		return err
	}
	a.Shape, a.Dtype, a.fortran = shape, dt, fortran
	a.Values, a.Objects, a.numeric, a.raw, a.src = nil, nil, false, nil, nil // a second BUILD starts afresh
	switch kindByte(dt.Kind) {
	case 'U', 'S':
		raw, err := d.resolve(data)
		if err != nil {
			return err
		}
		objs, err := decodeStrings(dt, raw.([]byte), size)
		if err != nil {
			return err
		}
		a.Objects = objs
		if fortran {
			a.Objects = toCOrder(a.Objects, shape)
		}
		return nil
	}
	switch data := data.(type) {
	case []byte:
		a.raw, a.n = data, int64(len(data))
	case lazyBytes:
		a.src, a.off, a.n = d.src, data.off, data.n
	}
	return a.checkNumeric(size)
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
		a.Objects = toCOrder(a.Objects, shape)
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

// checkNumeric checks that the array's a.n bytes of data hold size elements
// of a numeric dtype the reader decodes, and marks it numeric.
func (a *Array) checkNumeric(size int) error {
	n, err := itemSize(a.Dtype.Kind)
	if err != nil {
		return err
	}
	if size > math.MaxInt64/n {
		return fmt.Errorf("ndarray of %d %s elements is larger than any file", size, a.Dtype.Kind)
	}
	if a.n != int64(size)*int64(n) {
		return fmt.Errorf("ndarray of %d %s elements needs %d bytes, has %d", size, a.Dtype.Kind, size*n, a.n)
	}
	if _, ok := numericFormat(a.Dtype, n); !ok && size > 0 {
		return fmt.Errorf("unsupported dtype %q", a.Dtype.Kind)
	}
	a.numeric = true
	return nil
}

// format is how a numeric dtype lays out one element.
type format struct {
	kind byte // 'f', 'i', 'u' or 'b' (bool)
	size int
	bo   binary.ByteOrder
}

func numericFormat(dt Dtype, n int) (format, bool) {
	f := format{kind: kindByte(dt.Kind), size: n, bo: binary.LittleEndian}
	if bigEndian(dt) {
		f.bo = binary.BigEndian
	}
	switch f.kind {
	case 'f':
		return f, n == 2 || n == 4 || n == 8
	case 'i', 'u':
		return f, n == 1 || n == 2 || n == 4 || n == 8
	case 'b':
		return f, n == 1
	}
	return f, false
}

// Numeric reports whether the array holds numbers, which Float32s and
// Float64s return.
func (a *Array) Numeric() bool { return a.numeric }

// Float32s returns a numeric array's elements in C order as float32, in a
// new slice. For an array from Decode it reads them from the input, each
// time it is called.
func (a *Array) Float32s() ([]float32, error) {
	if a.Values != nil {
		out := make([]float32, len(a.Values))
		for i, v := range a.Values {
			out[i] = float32(v)
		}
		return out, nil
	}
	return readArray[float32](a)
}

// Float64s returns a numeric array's elements in C order as float64: Values
// when it is set (do not modify it then), else a new slice read from the
// input.
func (a *Array) Float64s() ([]float64, error) {
	if a.Values != nil {
		return a.Values, nil
	}
	return readArray[float64](a)
}

// chunkSize is how many bytes of an array's data are read from the input at
// a time.
const chunkSize = 256 << 10

// readArray decodes a numeric array's data, converting each element as
// it goes: the raw bytes are never held whole.
func readArray[T float32 | float64](a *Array) ([]T, error) {
	if !a.numeric {
		return nil, fmt.Errorf("pickle: a %s has no numbers to read", TypeName(a))
	}
	size := a.Size()
	out := make([]T, size)
	if size == 0 {
		return out, nil
	}
	n, _ := itemSize(a.Dtype.Kind)
	f, _ := numericFormat(a.Dtype, n)
	var scatter *fortranOrder
	var tmp []T
	if a.fortran {
		scatter = newFortranOrder(a.Shape)
	}
	var buf []byte
	per := max(1, chunkSize/n)
	for i := 0; i < size; i += per {
		k := min(per, size-i)
		var raw []byte
		if a.raw != nil {
			raw = a.raw[i*n : (i+k)*n]
		} else {
			if buf == nil {
				buf = make([]byte, min(per, size)*n)
			}
			raw = buf[:k*n]
			if err := readFull(a.src, raw, a.off+int64(i)*int64(n)); err != nil {
				return nil, err
			}
		}
		if scatter == nil {
			decodeElems(out[i:i+k], raw, f)
			continue
		}
		if tmp == nil {
			tmp = make([]T, min(per, size))
		}
		decodeElems(tmp[:k], raw, f)
		for _, v := range tmp[:k] {
			out[scatter.next()] = v
		}
	}
	return out, nil
}

// decodeElems decodes len(out) elements of format f from raw.
func decodeElems[T float32 | float64](out []T, raw []byte, f format) {
	bo, n := f.bo, f.size
	switch {
	case f.kind == 'f' && n == 4:
		for i := range out {
			out[i] = T(math.Float32frombits(bo.Uint32(raw[4*i:])))
		}
	case f.kind == 'f' && n == 8:
		for i := range out {
			out[i] = T(math.Float64frombits(bo.Uint64(raw[8*i:])))
		}
	case f.kind == 'f' && n == 2:
		for i := range out {
			out[i] = T(halfToFloat(bo.Uint16(raw[2*i:])))
		}
	case f.kind == 'i' && n == 1:
		for i := range out {
			out[i] = T(int8(raw[i]))
		}
	case f.kind == 'i' && n == 2:
		for i := range out {
			out[i] = T(int16(bo.Uint16(raw[2*i:])))
		}
	case f.kind == 'i' && n == 4:
		for i := range out {
			out[i] = T(int32(bo.Uint32(raw[4*i:])))
		}
	case f.kind == 'i' && n == 8:
		for i := range out {
			out[i] = T(int64(bo.Uint64(raw[8*i:])))
		}
	case n == 1: // 'u1', 'b1'
		for i := range out {
			out[i] = T(raw[i])
		}
	case n == 2:
		for i := range out {
			out[i] = T(bo.Uint16(raw[2*i:]))
		}
	case n == 4:
		for i := range out {
			out[i] = T(bo.Uint32(raw[4*i:]))
		}
	case n == 8:
		for i := range out {
			out[i] = T(bo.Uint64(raw[8*i:]))
		}
	}
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
	if size > 0 && width > math.MaxInt/size {
		return nil, fmt.Errorf("ndarray of %d %s strings is larger than any file", size, dt.Kind)
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
func toCOrder[T any](v []T, shape []int) []T {
	out := make([]T, len(v))
	f := newFortranOrder(shape)
	for _, x := range v {
		out[f.next()] = x
	}
	return out
}

// fortranOrder walks the elements of an array in column-major order,
// giving each one's row-major index.
type fortranOrder struct {
	shape, idx, stride []int
	c                  int
}

func newFortranOrder(shape []int) *fortranOrder {
	f := &fortranOrder{shape: shape, idx: make([]int, len(shape)), stride: make([]int, len(shape))}
	s := 1
	for k := len(shape) - 1; k >= 0; k-- {
		f.stride[k] = s
		s *= shape[k]
	}
	return f
}

// next returns the row-major index of the next column-major element.
func (f *fortranOrder) next() int {
	c := f.c
	for k := range f.shape {
		f.idx[k]++
		f.c += f.stride[k]
		if f.idx[k] < f.shape[k] {
			break
		}
		f.c -= f.stride[k] * f.shape[k]
		f.idx[k] = 0
	}
	return c
}
