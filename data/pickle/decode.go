package pickle

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrCorrupt is wrapped by every error about a malformed pickle.
var ErrCorrupt = errors.New("corrupt pickle")

// Load decodes the first pickle in data and returns its value, with every
// numeric array's elements in Array.Values.
func Load(data []byte) (any, error) {
	return decode(bytes.NewReader(data), int64(len(data)), true)
}

// Decode decodes the first pickle in r, which holds size bytes, without
// reading the data of numpy arrays: their Values stay nil and Float32s or
// Float64s reads them from r when asked, so r must stay readable until then.
// Only the pickle's structure is held in memory; an array that is never
// asked for is never read. Every length is still checked against size, and
// every error is the one Load would give, except an array's read errors,
// which its Float32s or Float64s returns.
func Decode(r io.ReaderAt, size int64) (any, error) {
	return decode(r, size, false)
}

func decode(r io.ReaderAt, size int64, eager bool) (any, error) {
	d := &decoder{src: r, size: size, memo: map[uint64]any{}}
	v, err := d.run()
	if err != nil {
		return nil, err
	}
	return d.finish(v, eager)
}

// windowSize is how much of the input the decoder reads at a time.
const windowSize = 16 << 10

// lazyMin is the length from which a bytes value is left in the input until
// something needs it: a numpy array's data is then never copied, and read
// only when the array is.
const lazyMin = 512

type decoder struct {
	src   io.ReaderAt
	size  int64  // bytes in src
	buf   []byte // src's bytes from win on
	win   int64
	pos   int64
	op    byte // current opcode, for errors
	opPos int64
	stack []any
	marks []int
	memo  map[uint64]any
}

// lazyBytes is a bytes value of n bytes at off in the input, not yet read.
type lazyBytes struct{ off, n int64 }

func (d *decoder) fail(format string, args ...any) error {
	return fmt.Errorf("%w: at byte %d, opcode %s: %s", ErrCorrupt, d.opPos, opName(d.op), fmt.Sprintf(format, args...))
}

func opName(op byte) string {
	if op >= 0x20 && op < 0x7f {
		return fmt.Sprintf("%q", rune(op))
	}
	return fmt.Sprintf("0x%02x", op)
}

func (d *decoder) remain() int64 { return d.size - d.pos }

// ensure makes the window hold the n bytes from pos (n <= remain()).
func (d *decoder) ensure(n int64) error {
	if d.pos >= d.win && d.pos+n <= d.win+int64(len(d.buf)) {
		return nil
	}
	want := min(max(n, windowSize), d.remain())
	if int64(cap(d.buf)) < want || cap(d.buf) > 4*windowSize && want <= windowSize {
		d.buf = make([]byte, want)
	}
	d.buf = d.buf[:want]
	d.win = d.pos
	if err := readFull(d.src, d.buf, d.pos); err != nil {
		d.buf = d.buf[:0]
		return err
	}
	return nil
}

// readFull reads len(b) bytes at off.
func readFull(r io.ReaderAt, b []byte, off int64) error {
	n, err := r.ReadAt(b, off)
	if n == len(b) {
		return nil
	}
	if err == nil || err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("pickle: reading %d bytes at byte %d: %w", len(b), off, err)
}

// take returns the next n bytes, checking that they exist. They are valid
// until the next read from the input.
func (d *decoder) take(n uint64) ([]byte, error) {
	if n > uint64(d.remain()) {
		return nil, d.fail("needs %d bytes, %d remain", n, d.remain())
	}
	if err := d.ensure(int64(n)); err != nil {
		return nil, err
	}
	i := d.pos - d.win
	d.pos += int64(n)
	return d.buf[i : i+int64(n)], nil
}

// bytesValue returns the next n bytes as a value: a copy, or past lazyMin
// a lazyBytes left in the input.
func (d *decoder) bytesValue(n uint64) (any, error) {
	if n < lazyMin {
		b, err := d.take(n)
		if err != nil {
			return nil, err
		}
		return append([]byte(nil), b...), nil
	}
	if n > uint64(d.remain()) {
		return nil, d.fail("needs %d bytes, %d remain", n, d.remain())
	}
	lb := lazyBytes{d.pos, int64(n)}
	d.pos += int64(n)
	return lb, nil
}

// read returns the bytes of a lazyBytes, in a new slice.
func (d *decoder) read(lb lazyBytes) ([]byte, error) {
	b := make([]byte, lb.n)
	return b, readFull(d.src, b, lb.off)
}

// resolve reads v if it is a lazyBytes, for the opcodes that look into
// bytes values.
func (d *decoder) resolve(v any) (any, error) {
	if lb, ok := v.(lazyBytes); ok {
		return d.read(lb)
	}
	return v, nil
}

func (d *decoder) u8() (uint64, error) {
	b, err := d.take(1)
	if err != nil {
		return 0, err
	}
	return uint64(b[0]), nil
}

func (d *decoder) u16() (uint64, error) {
	b, err := d.take(2)
	if err != nil {
		return 0, err
	}
	return uint64(binary.LittleEndian.Uint16(b)), nil
}

func (d *decoder) u32() (uint64, error) {
	b, err := d.take(4)
	if err != nil {
		return 0, err
	}
	return uint64(binary.LittleEndian.Uint32(b)), nil
}

func (d *decoder) u64() (uint64, error) {
	b, err := d.take(8)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(b), nil
}

// line returns the bytes up to the next newline (protocol 0 arguments).
func (d *decoder) line() (string, error) {
	var avail []byte // what the window holds from pos
	if d.pos >= d.win && d.pos <= d.win+int64(len(d.buf)) {
		avail = d.buf[d.pos-d.win:]
	}
	for want := int64(windowSize); ; want *= 2 {
		if i := bytes.IndexByte(avail, '\n'); i >= 0 {
			s := string(avail[:i])
			d.pos += int64(i) + 1
			return s, nil
		}
		if int64(len(avail)) >= d.remain() {
			return "", d.fail("no newline before the end of the data")
		}
		want = min(max(want, 2*int64(len(avail))), d.remain())
		if err := d.ensure(want); err != nil {
			return "", err
		}
		avail = d.buf[d.pos-d.win : d.pos-d.win+want]
	}
}

func (d *decoder) push(v any) { d.stack = append(d.stack, v) }

func (d *decoder) pop() (any, error) {
	floor := 0
	if len(d.marks) > 0 {
		floor = d.marks[len(d.marks)-1]
	}
	if len(d.stack) <= floor {
		return nil, d.fail("stack is empty")
	}
	v := d.stack[len(d.stack)-1]
	d.stack = d.stack[:len(d.stack)-1]
	return v, nil
}

func (d *decoder) top() (any, error) {
	floor := 0
	if len(d.marks) > 0 {
		floor = d.marks[len(d.marks)-1]
	}
	if len(d.stack) <= floor {
		return nil, d.fail("stack is empty")
	}
	return d.stack[len(d.stack)-1], nil
}

// popMark returns the items above the topmost mark and removes them and it.
func (d *decoder) popMark() ([]any, error) {
	if len(d.marks) == 0 {
		return nil, d.fail("no mark on the stack")
	}
	m := d.marks[len(d.marks)-1]
	d.marks = d.marks[:len(d.marks)-1]
	items := append([]any(nil), d.stack[m:]...)
	clear(d.stack[m:])
	d.stack = d.stack[:m]
	return items, nil
}

func (d *decoder) memoGet(i uint64) error {
	v, ok := d.memo[i]
	if !ok {
		return d.fail("memo entry %d was never stored", i)
	}
	d.push(v)
	return nil
}

func (d *decoder) memoPut(i uint64) error {
	v, err := d.top()
	if err != nil {
		return err
	}
	d.memo[i] = v
	return nil
}

func (d *decoder) run() (any, error) {
	for {
		if d.pos >= d.size {
			return nil, fmt.Errorf("%w: data ends at byte %d before the STOP opcode", ErrCorrupt, d.pos)
		}
		d.opPos = d.pos
		b, err := d.take(1)
		if err != nil {
			return nil, err
		}
		d.op = b[0]
		if d.op == '.' { // STOP
			v, err := d.pop()
			if err != nil {
				return nil, err
			}
			return v, nil
		}
		if err := d.step(); err != nil {
			return nil, err
		}
	}
}

func (d *decoder) step() error {
	switch d.op {
	case 0x80: // PROTO
		p, err := d.u8()
		if err != nil {
			return err
		}
		if p > 5 {
			return d.fail("protocol %d is newer than 5", p)
		}
	case 0x95: // FRAME: a length hint; the data is read linearly anyway
		_, err := d.u64()
		return err
	case '(': // MARK
		d.marks = append(d.marks, len(d.stack))
	case '0': // POP
		if len(d.marks) > 0 && d.marks[len(d.marks)-1] == len(d.stack) {
			_, err := d.popMark()
			return err
		}
		_, err := d.pop()
		return err
	case '1': // POP_MARK
		_, err := d.popMark()
		return err
	case '2': // DUP
		v, err := d.top()
		if err != nil {
			return err
		}
		d.push(v)
	case 'N':
		d.push(nil)
	case 0x88:
		d.push(true)
	case 0x89:
		d.push(false)
	case 'I': // INT (protocol 0), also True/False as 01/00
		s, err := d.line()
		if err != nil {
			return err
		}
		switch s {
		case "01":
			d.push(true)
			return nil
		case "00":
			d.push(false)
			return nil
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return d.fail("bad integer %q", s)
		}
		d.push(n)
	case 'L': // LONG (protocol 0)
		s, err := d.line()
		if err != nil {
			return err
		}
		n, err := strconv.ParseInt(strings.TrimSuffix(s, "L"), 10, 64)
		if err != nil {
			return d.fail("integer %q does not fit in 64 bits", s)
		}
		d.push(n)
	case 'J': // BININT
		v, err := d.u32()
		if err != nil {
			return err
		}
		d.push(int64(int32(uint32(v))))
	case 'K': // BININT1
		v, err := d.u8()
		if err != nil {
			return err
		}
		d.push(int64(v))
	case 'M': // BININT2
		v, err := d.u16()
		if err != nil {
			return err
		}
		d.push(int64(v))
	case 0x8a, 0x8b: // LONG1, LONG4
		var n uint64
		var err error
		if d.op == 0x8a {
			n, err = d.u8()
		} else {
			n, err = d.u32()
		}
		if err != nil {
			return err
		}
		b, err := d.take(n)
		if err != nil {
			return err
		}
		v, err := decodeLong(b)
		if err != nil {
			return d.fail("%v", err)
		}
		d.push(v)
	case 'F': // FLOAT
		s, err := d.line()
		if err != nil {
			return err
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return d.fail("bad float %q", s)
		}
		d.push(f)
	case 'G': // BINFLOAT, big-endian
		b, err := d.take(8)
		if err != nil {
			return err
		}
		d.push(math.Float64frombits(binary.BigEndian.Uint64(b)))
	case 'S': // STRING: a quoted Python 2 str literal
		s, err := d.line()
		if err != nil {
			return err
		}
		b, err := unquote(s)
		if err != nil {
			return d.fail("%v", err)
		}
		d.push(b)
	case 'T', 'U', 'B', 'C', 0x8e, 0x96: // BINSTRING, SHORT_BINSTRING, BINBYTES, SHORT_BINBYTES, BINBYTES8, BYTEARRAY8
		var n uint64
		var err error
		switch d.op {
		case 'U', 'C':
			n, err = d.u8()
		case 'T', 'B':
			n, err = d.u32()
		default:
			n, err = d.u64()
		}
		if err != nil {
			return err
		}
		v, err := d.bytesValue(n)
		if err != nil {
			return err
		}
		d.push(v)
	case 'V': // UNICODE (raw-unicode-escape)
		s, err := d.line()
		if err != nil {
			return err
		}
		u, err := rawUnicodeUnescape(s)
		if err != nil {
			return d.fail("%v", err)
		}
		d.push(u)
	case 'X', 0x8c, 0x8d: // BINUNICODE, SHORT_BINUNICODE, BINUNICODE8
		var n uint64
		var err error
		switch d.op {
		case 0x8c:
			n, err = d.u8()
		case 'X':
			n, err = d.u32()
		default:
			n, err = d.u64()
		}
		if err != nil {
			return err
		}
		b, err := d.take(n)
		if err != nil {
			return err
		}
		if !utf8.Valid(b) {
			return d.fail("str is not valid UTF-8")
		}
		d.push(string(b))
	case 0x98: // READONLY_BUFFER: no-op for in-band buffers
	case 0x97: // NEXT_BUFFER
		return d.fail("out-of-band buffers (protocol 5) are not supported; pickle without buffer_callback")
	case ')':
		d.push(Tuple{})
	case 't':
		items, err := d.popMark()
		if err != nil {
			return err
		}
		d.push(Tuple(items))
	case 0x85, 0x86, 0x87: // TUPLE1..3
		n := int(d.op - 0x84)
		t := make(Tuple, n)
		for i := n - 1; i >= 0; i-- {
			v, err := d.pop()
			if err != nil {
				return err
			}
			t[i] = v
		}
		d.push(t)
	case ']':
		d.push(&List{})
	case 'l':
		items, err := d.popMark()
		if err != nil {
			return err
		}
		l := List(items)
		d.push(&l)
	case 'a', 'e': // APPEND, APPENDS
		var items []any
		if d.op == 'a' {
			v, err := d.pop()
			if err != nil {
				return err
			}
			items = []any{v}
		} else {
			var err error
			if items, err = d.popMark(); err != nil {
				return err
			}
		}
		t, err := d.top()
		if err != nil {
			return err
		}
		l, ok := t.(*List)
		if !ok {
			return d.fail("appending to a %s, not a list", TypeName(t))
		}
		*l = append(*l, items...)
	case 0x8f: // EMPTY_SET
		d.push(&List{})
	case 0x90: // ADDITEMS
		items, err := d.popMark()
		if err != nil {
			return err
		}
		t, err := d.top()
		if err != nil {
			return err
		}
		l, ok := t.(*List)
		if !ok {
			return d.fail("adding items to a %s, not a set", TypeName(t))
		}
		*l = append(*l, items...)
	case 0x91: // FROZENSET
		items, err := d.popMark()
		if err != nil {
			return err
		}
		l := List(items)
		d.push(&l)
	case '}':
		d.push(&Dict{})
	case 'd':
		items, err := d.popMark()
		if err != nil {
			return err
		}
		dict := &Dict{}
		if err := d.setItems(dict, items); err != nil {
			return err
		}
		d.push(dict)
	case 's', 'u': // SETITEM, SETITEMS
		var items []any
		if d.op == 's' {
			v, err := d.pop()
			if err != nil {
				return err
			}
			k, err := d.pop()
			if err != nil {
				return err
			}
			items = []any{k, v}
		} else {
			var err error
			if items, err = d.popMark(); err != nil {
				return err
			}
		}
		t, err := d.top()
		if err != nil {
			return err
		}
		dict, ok := t.(*Dict)
		if !ok {
			return d.fail("setting items on a %s, not a dict", TypeName(t))
		}
		return d.setItems(dict, items)
	case 'g':
		s, err := d.line()
		if err != nil {
			return err
		}
		i, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return d.fail("bad memo index %q", s)
		}
		return d.memoGet(i)
	case 'h':
		i, err := d.u8()
		if err != nil {
			return err
		}
		return d.memoGet(i)
	case 'j':
		i, err := d.u32()
		if err != nil {
			return err
		}
		return d.memoGet(i)
	case 'p':
		s, err := d.line()
		if err != nil {
			return err
		}
		i, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return d.fail("bad memo index %q", s)
		}
		return d.memoPut(i)
	case 'q':
		i, err := d.u8()
		if err != nil {
			return err
		}
		return d.memoPut(i)
	case 'r':
		i, err := d.u32()
		if err != nil {
			return err
		}
		return d.memoPut(i)
	case 0x94: // MEMOIZE
		return d.memoPut(uint64(len(d.memo)))
	case 'c': // GLOBAL
		mod, err := d.line()
		if err != nil {
			return err
		}
		name, err := d.line()
		if err != nil {
			return err
		}
		d.push(Global{mod, name})
	case 0x93: // STACK_GLOBAL
		name, err := d.pop()
		if err != nil {
			return err
		}
		mod, err := d.pop()
		if err != nil {
			return err
		}
		ms, ok1 := mod.(string)
		ns, ok2 := name.(string)
		if !ok1 || !ok2 {
			return d.fail("STACK_GLOBAL needs two str, got %s and %s", TypeName(mod), TypeName(name))
		}
		d.push(Global{ms, ns})
	case 'R': // REDUCE
		args, err := d.pop()
		if err != nil {
			return err
		}
		fn, err := d.pop()
		if err != nil {
			return err
		}
		t, ok := args.(Tuple)
		if !ok {
			return d.fail("REDUCE arguments are a %s, not a tuple", TypeName(args))
		}
		g, ok := fn.(Global)
		if !ok {
			return d.fail("REDUCE calls a %s, not a global", TypeName(fn))
		}
		v, err := d.call(g, t)
		if err != nil {
			return d.fail("%v", err)
		}
		d.push(v)
	case 0x81, 0x92: // NEWOBJ, NEWOBJ_EX
		if d.op == 0x92 {
			if _, err := d.pop(); err != nil { // keyword arguments
				return err
			}
		}
		args, err := d.pop()
		if err != nil {
			return err
		}
		cls, err := d.pop()
		if err != nil {
			return err
		}
		t, ok1 := args.(Tuple)
		g, ok2 := cls.(Global)
		if !ok1 || !ok2 {
			return d.fail("NEWOBJ needs a class and a tuple, got %s and %s", TypeName(cls), TypeName(args))
		}
		v, err := d.call(g, t)
		if err != nil {
			return d.fail("%v", err)
		}
		d.push(v)
	case 'b': // BUILD
		state, err := d.pop()
		if err != nil {
			return err
		}
		obj, err := d.top()
		if err != nil {
			return err
		}
		if err := d.build(obj, state); err != nil {
			return d.fail("%v", err)
		}
	case 'i', 'o': // INST, OBJ (protocol 0 and 1 instances)
		var g Global
		var args []any
		if d.op == 'i' {
			mod, err := d.line()
			if err != nil {
				return err
			}
			name, err := d.line()
			if err != nil {
				return err
			}
			g = Global{mod, name}
			if args, err = d.popMark(); err != nil {
				return err
			}
		} else {
			items, err := d.popMark()
			if err != nil {
				return err
			}
			if len(items) == 0 {
				return d.fail("OBJ without a class")
			}
			cls, ok := items[0].(Global)
			if !ok {
				return d.fail("OBJ class is a %s", TypeName(items[0]))
			}
			g, args = cls, items[1:]
		}
		d.push(&Object{Class: g, Args: args})
	case 'P', 'Q':
		return d.fail("persistent IDs are not supported")
	case 0x82, 0x83, 0x84:
		return d.fail("extension registry codes are not supported")
	default:
		return d.fail("unknown opcode")
	}
	return nil
}

func (d *decoder) setItems(dict *Dict, items []any) error {
	if len(items)%2 != 0 {
		return d.fail("odd number of items (%d) for a dict", len(items))
	}
	for i := 0; i < len(items); i += 2 {
		k, err := d.resolve(items[i])
		if err != nil {
			return err
		}
		items[i] = k
		switch k.(type) {
		case string, []byte, int64, bool, nil, float64, Tuple:
		default:
			return d.fail("unhashable dict key of type %s", TypeName(items[i]))
		}
		dict.set(items[i], items[i+1])
	}
	return nil
}

// decodeLong decodes a little-endian two's-complement integer.
func decodeLong(b []byte) (int64, error) {
	if len(b) == 0 {
		return 0, nil
	}
	if len(b) > 8 {
		n := new(big.Int)
		rev := make([]byte, len(b))
		for i := range b {
			rev[len(b)-1-i] = b[i]
		}
		n.SetBytes(rev)
		if b[len(b)-1]&0x80 != 0 {
			n.Sub(n, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
		}
		if !n.IsInt64() {
			return 0, fmt.Errorf("integer of %d bytes does not fit in 64 bits", len(b))
		}
		return n.Int64(), nil
	}
	var u uint64
	for i := len(b) - 1; i >= 0; i-- {
		u = u<<8 | uint64(b[i])
	}
	if b[len(b)-1]&0x80 != 0 && len(b) < 8 {
		u |= ^uint64(0) << (8 * len(b))
	}
	return int64(u), nil
}

// rawUnicodeUnescape decodes Python's raw-unicode-escape, as protocol 0's
// UNICODE argument is written: each byte is the code point of that value
// (latin-1), except \uXXXX and \UXXXXXXXX, which the pickler also uses for
// backslash, NUL, newline, carriage return and ^Z. A backslash before
// anything else stands for itself, and so does the character after it.
func rawUnicodeUnescape(s string) (string, error) {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		c := s[i]
		i++
		if c != '\\' || i == len(s) {
			out = utf8.AppendRune(out, rune(c))
			continue
		}
		count := 0
		switch s[i] {
		case 'u':
			count = 4
		case 'U':
			count = 8
		default:
			out = append(out, '\\')
			out = utf8.AppendRune(out, rune(s[i]))
			i++
			continue
		}
		i++
		if i+count > len(s) {
			return "", fmt.Errorf("truncated \\%c escape in UNICODE", s[i-1])
		}
		r, err := strconv.ParseUint(s[i:i+count], 16, 32)
		if err != nil {
			return "", fmt.Errorf("bad \\%c escape %q in UNICODE", s[i-1], s[i:i+count])
		}
		if r > unicode.MaxRune {
			return "", fmt.Errorf("\\U%s is beyond Unicode", s[i:i+count])
		}
		out = utf8.AppendRune(out, rune(r)) // a lone surrogate, which Go strings cannot hold, becomes U+FFFD
		i += count
	}
	return string(out), nil
}

// unquote decodes a protocol-0 string literal: quoted, with the escapes of
// Python's codecs.escape_decode.
func unquote(s string) ([]byte, error) {
	if len(s) < 2 || s[0] != s[len(s)-1] || (s[0] != '\'' && s[0] != '"') {
		return nil, fmt.Errorf("STRING argument %q is not quoted", s)
	}
	s = s[1 : len(s)-1]
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		if i+1 >= len(s) {
			return nil, fmt.Errorf("STRING ends with a backslash")
		}
		i++
		switch s[i] {
		case 'n':
			out = append(out, '\n')
		case 't':
			out = append(out, '\t')
		case 'r':
			out = append(out, '\r')
		case 'a':
			out = append(out, '\a')
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'v':
			out = append(out, '\v')
		case '\\', '\'', '"':
			out = append(out, s[i])
		case '0', '1', '2', '3', '4', '5', '6', '7': // up to three octal digits, the byte's low 8 bits
			v := int(s[i] - '0')
			for k := 0; k < 2 && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '7'; k++ {
				i++
				v = v*8 + int(s[i]-'0')
			}
			out = append(out, byte(v))
		case 'x':
			if i+2 >= len(s) {
				return nil, fmt.Errorf("short \\x escape")
			}
			v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if err != nil {
				return nil, fmt.Errorf("bad \\x escape")
			}
			out = append(out, byte(v))
			i += 2
		default:
			out = append(out, '\\', s[i])
		}
	}
	return out, nil
}

// finish replaces the lazyBytes left in the decoded value by their bytes
// (only numpy arrays keep their data in the input) and, for Load, decodes
// every numeric array into Values. It walks the value with a stack of its
// own, visiting each list, dict, object, array and tuple once, so neither
// deep nesting nor sharing through the memo costs more than the input.
func (d *decoder) finish(root any, eager bool) (any, error) {
	read := map[int64][]byte{} // a lazyBytes in several places is one slice, as it was one object
	seen := map[any]bool{}
	var todo []any
	fix := func(slot *any) error {
		switch v := (*slot).(type) {
		case lazyBytes:
			b, ok := read[v.off]
			if !ok {
				var err error
				if b, err = d.read(v); err != nil {
					return err
				}
				read[v.off] = b
			}
			*slot = b
		case *List, *Dict, *Object, *Array:
			if !seen[v] {
				seen[v] = true
				todo = append(todo, v)
			}
		case Tuple:
			if len(v) > 0 && !seen[&v[0]] {
				seen[&v[0]] = true
				todo = append(todo, v)
			}
		}
		return nil
	}
	fixAll := func(vs []any) error {
		for i := range vs {
			if err := fix(&vs[i]); err != nil {
				return err
			}
		}
		return nil
	}
	if err := fix(&root); err != nil {
		return nil, err
	}
	for len(todo) > 0 {
		v := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		var err error
		switch v := v.(type) {
		case *List:
			err = fixAll(*v)
		case Tuple:
			err = fixAll(v)
		case *Dict:
			if err = fixAll(v.Keys); err == nil {
				err = fixAll(v.Values)
			}
		case *Object:
			if err = fixAll(v.Args); err == nil {
				err = fix(&v.State)
			}
		case *Array:
			err = fixAll(v.Objects)
			if err == nil && eager && v.numeric && v.Values == nil {
				v.Values, err = readArray[float64](v)
				v.raw, v.src = nil, nil
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return root, nil
}
