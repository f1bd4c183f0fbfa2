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
	magic, _ := br.Peek(4)
	switch {
	case bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		defer zr.Close()
		r = zr
	case bytes.Equal(magic, []byte("PK\x03\x04")):
		return nil, fmt.Errorf("%s is a zip archive (as glove.6B.zip is distributed); unzip it and give one of its .txt files", path)
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
// that many values after a non-empty word. A first line of exactly two
// integers (word2vec's and fastText's "count dim" header) is skipped. A
// malformed line is an error naming its number.
func Parse(r io.Reader, keep func(word string) bool) (*Vectors, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	v := &Vectors{index: map[string]int{}}
	var fields []field
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimRight(sc.Bytes(), "\r")
		if len(bytes.TrimSpace(b)) == 0 {
			return nil, fmt.Errorf("line %d: empty", line)
		}
		fields = splitSpaces(fields[:0], b)
		if line == 1 && len(fields) == 2 && isInt(fields[0].b) && isInt(fields[1].b) {
			continue // a "count dim" header
		}
		if v.Dim == 0 {
			if len(fields) < 2 {
				return nil, fmt.Errorf("line %d: %d fields; want a word and its values", line, len(fields))
			}
			v.Dim = len(fields) - 1
		}
		values := fields[max(len(fields)-v.Dim, 0):]
		if len(fields) == v.Dim && checkNumbers(values) == nil {
			return nil, fmt.Errorf("line %d: no word before the values", line)
		}
		if len(fields) < v.Dim+1 {
			return nil, fmt.Errorf("line %d: %d values, want %d (the first line's)", line, len(fields)-1, v.Dim)
		}
		// The word is everything before the values, inner spaces kept
		// (840B's words may hold spaces).
		word := string(bytes.TrimSpace(b[:values[0].at]))
		v.Lines++
		if keep != nil && !keep(word) {
			if err := checkNumbers(values); err != nil {
				return nil, fmt.Errorf("line %d (%q): %w", line, clip(word), err)
			}
			continue
		}
		if _, dup := v.index[word]; dup {
			continue // GloVe files have no duplicates; keep the first
		}
		start := len(v.data)
		for i, f := range values {
			x, err := strconv.ParseFloat(string(f.b), 32)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				v.data = v.data[:start]
				return nil, fmt.Errorf("line %d (%q): value %d, %q, is not a finite number", line, clip(word), i+1, clip(string(f.b)))
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

// field is one space-separated field of a line and its byte offset.
type field struct {
	b  []byte
	at int
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

func isInt(b []byte) bool {
	_, err := strconv.Atoi(string(b))
	return err == nil
}

// checkNumbers checks that fields are numbers without keeping them.
func checkNumbers(fields []field) error {
	for i, f := range fields {
		if _, err := strconv.ParseFloat(string(f.b), 32); err != nil {
			return fmt.Errorf("value %d, %q, is not a number", i+1, clip(string(f.b)))
		}
	}
	return nil
}

// splitSpaces appends the space-separated fields of b, with their offsets,
// to dst (runs of spaces separate like one).
func splitSpaces(dst []field, b []byte) []field {
	at := 0
	for at < len(b) {
		for at < len(b) && b[at] == ' ' {
			at++
		}
		if at == len(b) {
			break
		}
		end := at
		for end < len(b) && b[end] != ' ' {
			end++
		}
		dst = append(dst, field{b[at:end], at})
		at = end
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
