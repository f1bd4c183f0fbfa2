// Package checkpoint saves and loads models: the weights as a safetensors
// file (model.safetensors, readable by Python's safetensors library and
// PyTorch; float32, little-endian, named as the model names its parameters
// and buffers) and a JSON description (model.json: the system, its
// hyperparameters, the data's dimensions and the task), which also records
// the SHA-256 of the weights file, checked on every load.
//
// Save writes both into a fresh directory next to the destination and
// renames it into place, so a crash mid-write never leaves a directory that
// Load accepts; it never replaces or removes anything that exists at the
// destination.
package checkpoint

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"

	"github.com/modistill/modistill/atomicfile"
	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/tensor"
)

// File names inside a model directory.
const (
	WeightsFile = "model.safetensors"
	MetaFile    = "model.json"
)

// ChecksumKey is the model.json field that holds the hex SHA-256 of
// WeightsFile.
const ChecksumKey = "weights_sha256"

// ErrExists is returned by Save and CheckDestination when something (a
// file, a directory, a symbolic link) already exists at the destination.
var ErrExists = atomicfile.ErrExists

// CheckDestination reports whether Save could write a model to dir: nothing
// exists there and the nearest existing ancestor is a writable directory.
// Call it before training, not after.
func CheckDestination(dir string) error { return atomicfile.CheckNew(dir) }

// Save writes the named tensors and the description meta (a value that
// encodes as a JSON object without a ChecksumKey field) to the directory
// dir, which must not exist; missing parent directories are created.
func Save(dir string, params []*nn.Param, buffers []*nn.Buffer, meta any) error {
	if err := nn.CheckNames(params, buffers); err != nil {
		return fmt.Errorf("save %s: %w", dir, err)
	}
	if err := CheckDestination(dir); err != nil {
		return fmt.Errorf("save %w", err)
	}
	named := map[string]*tensor.Tensor{}
	for _, p := range params {
		named[p.Name] = p.Value
	}
	for _, b := range buffers {
		named[b.Name] = b.Value
	}
	st, err := Encode(named, map[string]string{"format": "pt", "producer": "modistill"})
	if err != nil {
		return fmt.Errorf("save %s: %w", dir, err)
	}
	mj, err := withChecksum(meta, st)
	if err != nil {
		return fmt.Errorf("save %s: %w", dir, err)
	}
	parent := filepath.Dir(filepath.Clean(dir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("save %s: %w", dir, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp*")
	if err != nil {
		return fmt.Errorf("save %s: %w", dir, err)
	}
	defer os.RemoveAll(tmp) // a no-op once renamed
	for name, b := range map[string][]byte{WeightsFile: st, MetaFile: mj} {
		if err := writeSynced(filepath.Join(tmp, name), b); err != nil {
			return fmt.Errorf("save %s: %w", dir, err)
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil { // MkdirTemp makes it private
		return fmt.Errorf("save %s: %w", dir, err)
	}
	if err := atomicfile.RenameNew(tmp, dir); err != nil {
		return fmt.Errorf("save %w", err)
	}
	return nil
}

// withChecksum encodes meta as indented JSON with the weights' SHA-256 as
// its first field.
func withChecksum(meta any, weights []byte) ([]byte, error) {
	mj, err := json.MarshalIndent(meta, "", "  ")
	if err != nil {
		return nil, err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(mj, &fields); err != nil {
		return nil, fmt.Errorf("the model description must be a JSON object: %w", err)
	}
	if _, ok := fields[ChecksumKey]; ok {
		return nil, fmt.Errorf("the model description has its own %s field", ChecksumKey)
	}
	sum := sha256.Sum256(weights)
	var b bytes.Buffer
	fmt.Fprintf(&b, "{\n  %q: %q", ChecksumKey, hex.EncodeToString(sum[:]))
	if body := bytes.TrimSpace(mj[1 : len(mj)-1]); len(body) > 0 {
		b.WriteString(",\n  ")
		b.Write(body)
	}
	b.WriteString("\n}\n")
	return b.Bytes(), nil
}

func writeSynced(path string, b []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// ReadMeta decodes dir's model.json into meta.
func ReadMeta(dir string, meta any) error {
	b, err := os.ReadFile(filepath.Join(dir, MetaFile))
	if err != nil {
		return fmt.Errorf("load %s: %w", dir, err)
	}
	if err := json.Unmarshal(b, meta); err != nil {
		return fmt.Errorf("load %s: %s: %w", dir, MetaFile, err)
	}
	return nil
}

// LoadWeights reads dir's weights into params and buffers after checking
// the file against the SHA-256 that model.json records. They must match
// the file exactly: the same names, the same shapes, nothing extra or
// missing.
func LoadWeights(dir string, params []*nn.Param, buffers []*nn.Buffer) error {
	b, err := os.ReadFile(filepath.Join(dir, WeightsFile))
	if err != nil {
		return fmt.Errorf("load %s: %w", dir, err)
	}
	var sum struct {
		SHA256 string `json:"weights_sha256"`
	}
	if err := ReadMeta(dir, &sum); err != nil {
		return err
	}
	if sum.SHA256 == "" {
		return fmt.Errorf("load %s: %s records no %s, so %s cannot be checked (saved by a modistill before checksums, or edited); train the model again",
			dir, MetaFile, ChecksumKey, WeightsFile)
	}
	if got := sha256.Sum256(b); hex.EncodeToString(got[:]) != sum.SHA256 {
		return fmt.Errorf("load %s: %s is corrupt: its SHA-256 is %x, %s records %s", dir, WeightsFile, got, MetaFile, sum.SHA256)
	}
	named, _, err := Decode(b)
	if err != nil {
		return fmt.Errorf("load %s: %s: %w", dir, WeightsFile, err)
	}
	want := map[string]*tensor.Tensor{}
	for _, p := range params {
		want[p.Name] = p.Value
	}
	for _, b := range buffers {
		want[b.Name] = b.Value
	}
	for name, dst := range want {
		src, ok := named[name]
		if !ok {
			return fmt.Errorf("load %s: the weights lack %s", dir, name)
		}
		if !src.SameShape(dst) {
			return fmt.Errorf("load %s: %s is %s in the file, the model has %s", dir, name, tensor.ShapeString(src.Shape), tensor.ShapeString(dst.Shape))
		}
	}
	for name := range named {
		if _, ok := want[name]; !ok {
			return fmt.Errorf("load %s: the file has %s, which the model does not", dir, name)
		}
	}
	for name, dst := range want {
		dst.CopyFrom(named[name])
	}
	return nil
}

// entry is one tensor's header entry in a safetensors file.
type entry struct {
	Dtype       string   `json:"dtype"`
	Shape       []int    `json:"shape"`
	DataOffsets [2]int64 `json:"data_offsets"`
}

// Encode writes tensors in the safetensors format: an 8-byte little-endian
// header length, a JSON header (names sorted; padded with spaces to a
// multiple of 8), then the float32 data.
func Encode(named map[string]*tensor.Tensor, metadata map[string]string) ([]byte, error) {
	names := make([]string, 0, len(named))
	for n := range named {
		if n == "__metadata__" {
			return nil, fmt.Errorf("a tensor may not be named __metadata__")
		}
		names = append(names, n)
	}
	sort.Strings(names)
	header := map[string]any{}
	if len(metadata) > 0 {
		header["__metadata__"] = metadata
	}
	var off int64
	for _, n := range names {
		t := named[n]
		end := off + 4*int64(t.Len())
		header[n] = entry{Dtype: "F32", Shape: append([]int{}, t.Shape...), DataOffsets: [2]int64{off, end}}
		off = end
	}
	h, err := json.Marshal(header)
	if err != nil {
		return nil, err
	}
	for len(h)%8 != 0 {
		h = append(h, ' ')
	}
	out := make([]byte, 8, 8+len(h)+int(off))
	binary.LittleEndian.PutUint64(out, uint64(len(h)))
	out = append(out, h...)
	for _, n := range names {
		for _, v := range named[n].Data {
			out = binary.LittleEndian.AppendUint32(out, math.Float32bits(v))
		}
	}
	return out, nil
}

// Decode reads a safetensors file of float32 (F32) tensors; other dtypes
// are an error.
func Decode(b []byte) (map[string]*tensor.Tensor, map[string]string, error) {
	if len(b) < 8 {
		return nil, nil, fmt.Errorf("file of %d bytes is shorter than the safetensors header length", len(b))
	}
	n := binary.LittleEndian.Uint64(b)
	if n > uint64(len(b)-8) {
		return nil, nil, fmt.Errorf("header of %d bytes in a file of %d", n, len(b))
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b[8:8+n], &raw); err != nil {
		return nil, nil, fmt.Errorf("header: %w", err)
	}
	body := b[8+n:]
	named := map[string]*tensor.Tensor{}
	var meta map[string]string
	for name, r := range raw {
		if name == "__metadata__" {
			if err := json.Unmarshal(r, &meta); err != nil {
				return nil, nil, fmt.Errorf("__metadata__: %w", err)
			}
			continue
		}
		var e entry
		if err := json.Unmarshal(r, &e); err != nil {
			return nil, nil, fmt.Errorf("tensor %s: %w", name, err)
		}
		if e.Dtype != "F32" {
			return nil, nil, fmt.Errorf("tensor %s has dtype %s, want F32", name, e.Dtype)
		}
		size := int64(1)
		for _, d := range e.Shape {
			if d < 0 || (d > 0 && size > math.MaxInt32/int64(d)) {
				return nil, nil, fmt.Errorf("tensor %s has shape %v", name, e.Shape)
			}
			size *= int64(d)
		}
		lo, hi := e.DataOffsets[0], e.DataOffsets[1]
		if lo < 0 || hi < lo || hi > int64(len(body)) || hi-lo != 4*size {
			return nil, nil, fmt.Errorf("tensor %s: offsets [%d, %d) for %d values in %d bytes of data", name, lo, hi, size, len(body))
		}
		t := tensor.New(e.Shape...)
		for i := range t.Data {
			t.Data[i] = math.Float32frombits(binary.LittleEndian.Uint32(body[lo+4*int64(i):]))
		}
		named[name] = t
	}
	return named, meta, nil
}
