// Package runstore records finished trials durably, so that a long
// experiment can be killed at any moment (kill -9 included) and resumed, and
// split across machines and merged.
//
// A store is an append-only file of lines "<crc32c hex> <key> <json>\n". Each
// Append writes one whole line and syncs the file before returning, so a
// record that Append reported is on disk. A crash can only tear the line
// being written; Open recognises it (no newline, or a checksum that does not
// match) and cuts the file back to the last whole record, so nothing after it
// is ever glued onto garbage. Keys are unique: a second record for a key is
// ignored when reading, so re-running a finished trial is harmless, and
// merging the stores of several shards is reading them all.
//
// Why a log and not an embedded database: one writer per store, records
// written once and never updated, and reads of the whole store, is what an
// append-only log does best; it needs no dependency, and the file stays
// readable with a text editor and grep.
package runstore

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"strings"
	"sync"
)

var table = crc32.MakeTable(crc32.Castagnoli)

// Record is one finished trial.
type Record struct {
	Key  string
	Data json.RawMessage
}

// Store is an open store; its methods are safe for concurrent use.
type Store struct {
	mu      sync.Mutex
	f       *os.File
	path    string
	records []Record
	index   map[string]int
	// Dropped counts the bytes of a torn last line cut off at Open.
	Dropped int64
}

// Open opens (or creates) the store at path, reading every whole record and
// cutting off a torn last line.
func Open(path string) (*Store, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	s := &Store{f: f, path: path, index: map[string]int{}}
	good, err := s.read(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("runstore %s: %w", path, err)
	}
	end, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		f.Close()
		return nil, err
	}
	if good < end { // a torn last line: cut it off, durably
		s.Dropped = end - good
		if err := f.Truncate(good); err != nil {
			f.Close()
			return nil, fmt.Errorf("runstore %s: cut a torn record: %w", path, err)
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return nil, err
		}
	}
	if _, err := f.Seek(0, io.SeekEnd); err != nil {
		f.Close()
		return nil, err
	}
	return s, nil
}

// ErrCorrupt is returned for a damaged record that is not the last one: a
// crash cannot cause that, so something else changed the file.
var ErrCorrupt = errors.New("corrupt record")

// read loads records and returns the offset just after the last whole one.
func (s *Store) read(f *os.File) (int64, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	r := bufio.NewReader(f)
	var off int64
	for line := 1; ; line++ {
		b, err := r.ReadBytes('\n')
		if err == io.EOF {
			return off, nil // b, if any, is a torn last line
		}
		if err != nil {
			return 0, err
		}
		rec, ok := parse(b)
		if !ok {
			if _, err := r.Peek(1); err == io.EOF { // the last line: torn
				return off, nil
			}
			return 0, fmt.Errorf("%w at line %d", ErrCorrupt, line)
		}
		off += int64(len(b))
		if _, dup := s.index[rec.Key]; !dup {
			s.index[rec.Key] = len(s.records)
			s.records = append(s.records, rec)
		}
	}
}

// parse checks and splits one line.
func parse(b []byte) (Record, bool) {
	b = bytes.TrimSuffix(b, []byte("\n"))
	sum, rest, ok := bytes.Cut(b, []byte(" "))
	if !ok || len(sum) != 8 || fmt.Sprintf("%08x", crc32.Checksum(rest, table)) != string(sum) {
		return Record{}, false
	}
	key, data, ok := bytes.Cut(rest, []byte(" "))
	if !ok || !json.Valid(data) {
		return Record{}, false
	}
	return Record{Key: string(key), Data: append(json.RawMessage(nil), data...)}, true
}

// Has reports whether key is recorded.
func (s *Store) Has(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.index[key]
	return ok
}

// Records returns the records in the order they were first written.
func (s *Store) Records() []Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Record(nil), s.records...)
}

// Append records v under key and syncs it to disk; a key already recorded
// is left as it is. Keys may not contain spaces or newlines.
func (s *Store) Append(key string, v any) error {
	if key == "" || strings.ContainsAny(key, " \n") {
		return fmt.Errorf("runstore: key %q: want a non-empty key without spaces or newlines", key)
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("runstore: %s: %w", key, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.index[key]; dup {
		return nil
	}
	rest := append([]byte(key+" "), data...)
	line := fmt.Appendf(nil, "%08x %s\n", crc32.Checksum(rest, table), rest)
	if _, err := s.f.Write(line); err != nil {
		return fmt.Errorf("runstore %s: %w", s.path, err)
	}
	if err := s.f.Sync(); err != nil {
		return fmt.Errorf("runstore %s: %w", s.path, err)
	}
	s.index[key] = len(s.records)
	s.records = append(s.records, Record{Key: key, Data: data})
	return nil
}

// Close closes the store.
func (s *Store) Close() error { return s.f.Close() }

// Read returns the whole records of the store at path without changing the
// file (a torn last line is ignored, not cut).
func Read(path string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s := &Store{index: map[string]int{}}
	if _, err := s.read(f); err != nil {
		return nil, fmt.Errorf("runstore %s: %w", path, err)
	}
	return s.records, nil
}

// Path is the store's file.
func (s *Store) Path() string { return s.path }
