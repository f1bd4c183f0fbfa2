// Package wordvec reads pretrained word vectors in GloVe's text format: one
// word per line followed by its d space-separated values, no header (the
// format of glove.6B.*.txt and glove.840B.300d.txt, whose words may
// contain spaces: a line's last d fields are the vector, the rest is the
// word). Files may be gzip-compressed. Only the words asked for are kept,
// so a 5 GB file costs the memory of a vocabulary, not of the file.
package wordvec

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
)

// Vectors are the word vectors read from a file.
type Vectors struct {
	Dim   int
	index map[string]int
	data  []float32 // len(index) x Dim
	// Lines is the number of vectors in the file (kept or not).
	Lines int
}

// Read reads the vectors of the words keep accepts (nil: every word) from
// the file at path, plain or gzip-compressed.
func Read(path string, keep func(word string) bool) (*Vectors, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	var r io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		defer zr.Close()
		r = zr
	}
	v, err := Parse(r, keep)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}

// maxLine bounds a line (840B's 300 values take about 3 KB).
const maxLine = 1 << 20

// Parse reads vectors from r; see Read. The dimension is the number of
// fields of the first line less one; every later line must have at least
// that many values after a non-empty word. A malformed line is an error
// naming its number.
func Parse(r io.Reader, keep func(word string) bool) (*Vectors, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	v := &Vectors{index: map[string]int{}}
	var fields [][]byte
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimRight(sc.Bytes(), "\r")
		if len(bytes.TrimSpace(b)) == 0 {
			return nil, fmt.Errorf("line %d: empty", line)
		}
		fields = splitSpaces(fields[:0], b)
		if v.Dim == 0 {
			if len(fields) < 2 {
				return nil, fmt.Errorf("line %d: %d fields; want a word and its values", line, len(fields))
			}
			v.Dim = len(fields) - 1
		}
		if len(fields) == v.Dim && checkNumbers(fields) == nil {
			return nil, fmt.Errorf("line %d: no word before the values", line)
		}
		if len(fields) < v.Dim+1 {
			return nil, fmt.Errorf("line %d: %d values, want %d (the first line's)", line, len(fields)-1, v.Dim)
		}
		split := len(fields) - v.Dim
		// The word is everything before the last Dim fields, spaces kept.
		word := string(b[:len(b)-len(bytes.Join(fields[split:], []byte(" ")))])
		word = string(bytes.TrimRight([]byte(word), " "))
		if word == "" {
			return nil, fmt.Errorf("line %d: no word before the values", line)
		}
		v.Lines++
		if keep != nil && !keep(word) {
			if err := checkNumbers(fields[split:]); err != nil {
				return nil, fmt.Errorf("line %d (%q): %w", line, word, err)
			}
			continue
		}
		if _, dup := v.index[word]; dup {
			continue // GloVe files have no duplicates; keep the first
		}
		start := len(v.data)
		for i, f := range fields[split:] {
			x, err := strconv.ParseFloat(string(f), 32)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				v.data = v.data[:start]
				return nil, fmt.Errorf("line %d (%q): value %d, %q, is not a finite number", line, word, i+1, f)
			}
			v.data = append(v.data, float32(x))
		}
		v.index[word] = len(v.index)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("a line longer than %d bytes", maxLine)
		}
		return nil, err
	}
	if v.Lines == 0 {
		return nil, errors.New("no vectors")
	}
	return v, nil
}

// checkNumbers checks that fields are numbers without keeping them.
func checkNumbers(fields [][]byte) error {
	for i, f := range fields {
		if _, err := strconv.ParseFloat(string(f), 32); err != nil {
			return fmt.Errorf("value %d, %q, is not a number", i+1, f)
		}
	}
	return nil
}

// splitSpaces appends the space-separated fields of b to dst.
func splitSpaces(dst [][]byte, b []byte) [][]byte {
	for len(b) > 0 {
		i := bytes.IndexByte(b, ' ')
		if i < 0 {
			return append(dst, b)
		}
		if i > 0 {
			dst = append(dst, b[:i])
		}
		b = b[i+1:]
	}
	return dst
}

// Len is the number of vectors kept.
func (v *Vectors) Len() int { return len(v.index) }

// Lookup returns word's vector (not to be modified) and whether the file
// had it among the words kept.
func (v *Vectors) Lookup(word string) ([]float32, bool) {
	i, ok := v.index[word]
	if !ok {
		return nil, false
	}
	return v.data[i*v.Dim : (i+1)*v.Dim], true
}
