package checkpoint

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/modistill/modistill/nn"
	"github.com/modistill/modistill/tensor"
)

func TestSaveLoadRoundTrip(t *testing.T) {
	a := nn.NewParam("enc.a.0.weight", 2, 3)
	copy(a.Value.Data, []float32{1, -2, 3.5, 0, 1e-8, -7})
	b := nn.NewParam("head.bias", 1)
	b.Value.Data[0] = 0.25
	buf := &nn.Buffer{Name: "bn.running_var", Value: tensor.From([]float32{1, 2}, 2)}
	dir := filepath.Join(t.TempDir(), "model")
	meta := map[string]any{"system": "lmf", "seed": 3}
	if err := Save(dir, []*nn.Param{a, b}, []*nn.Buffer{buf}, meta); err != nil {
		t.Fatal(err)
	}
	a2, b2 := nn.NewParam("enc.a.0.weight", 2, 3), nn.NewParam("head.bias", 1)
	buf2 := &nn.Buffer{Name: "bn.running_var", Value: tensor.New(2)}
	if err := LoadWeights(dir, []*nn.Param{a2, b2}, []*nn.Buffer{buf2}); err != nil {
		t.Fatal(err)
	}
	for i, v := range a.Value.Data {
		if a2.Value.Data[i] != v {
			t.Fatalf("weights %v, want %v", a2.Value.Data, a.Value.Data)
		}
	}
	if b2.Value.Data[0] != 0.25 || buf2.Value.Data[1] != 2 {
		t.Error("bias or buffer not restored")
	}
	var m map[string]any
	if err := ReadMeta(dir, &m); err != nil || m["system"] != "lmf" {
		t.Errorf("meta %v, %v", m, err)
	}
	if err := Save(dir, []*nn.Param{a}, nil, meta); !errors.Is(err, ErrExists) {
		t.Errorf("overwrite: %v", err)
	}
	// Mismatches name the tensor.
	wrong := nn.NewParam("enc.a.0.weight", 3, 2)
	if err := LoadWeights(dir, []*nn.Param{wrong, b2}, []*nn.Buffer{buf2}); err == nil || !strings.Contains(err.Error(), "enc.a.0.weight is (2, 3) in the file, the model has (3, 2)") {
		t.Errorf("shape mismatch: %v", err)
	}
	if err := LoadWeights(dir, []*nn.Param{a2}, []*nn.Buffer{buf2}); err == nil || !strings.Contains(err.Error(), "the file has head.bias") {
		t.Errorf("extra tensor: %v", err)
	}
	// No temporary directory is left behind.
	entries, _ := os.ReadDir(filepath.Dir(dir))
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only the model", len(entries))
	}
}

func TestSafetensorsLayout(t *testing.T) {
	b, err := Encode(map[string]*tensor.Tensor{"w": tensor.From([]float32{1, 2}, 2), "a": tensor.From([]float32{3}, 1)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := int(b[0])
	header := string(b[8 : 8+n])
	if n%8 != 0 || !strings.Contains(header, `"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}`) ||
		!strings.Contains(header, `"w":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}`) {
		t.Errorf("header %q", header)
	}
	if len(b) != 8+n+12 {
		t.Errorf("file of %d bytes", len(b))
	}
	for _, bad := range [][]byte{{1}, b[:len(b)-1], append([]byte{0xff, 0xff, 0, 0, 0, 0, 0, 0}, b[8:]...)} {
		if _, _, err := Decode(bad); err == nil {
			t.Errorf("corrupt file of %d bytes decoded", len(bad))
		}
	}
}

func FuzzDecode(f *testing.F) {
	b, _ := Encode(map[string]*tensor.Tensor{"w": tensor.From([]float32{1, 2}, 2)}, map[string]string{"k": "v"})
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) { Decode(b) })
}

func TestSaveNeverReplaces(t *testing.T) {
	a := nn.NewParam("w", 2)
	root := t.TempDir()
	file := filepath.Join(root, "results.csv")
	os.WriteFile(file, []byte("precious"), 0o644)
	empty := filepath.Join(root, "empty")
	os.Mkdir(empty, 0o755)
	link := filepath.Join(root, "link")
	os.Symlink(file, link)
	for _, dst := range []string{file, empty, link} {
		if err := CheckDestination(dst); !errors.Is(err, ErrExists) {
			t.Errorf("CheckDestination(%s) = %v, want ErrExists", dst, err)
		}
		if err := Save(dst, []*nn.Param{a}, nil, map[string]any{}); !errors.Is(err, ErrExists) {
			t.Errorf("Save(%s) = %v, want ErrExists", dst, err)
		}
	}
	if b, err := os.ReadFile(file); err != nil || string(b) != "precious" {
		t.Errorf("the file at the destination now holds %q (%v)", b, err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symbolic link was replaced: %v", err)
	}
	if err := CheckDestination(filepath.Join(file, "model")); err == nil {
		t.Error("a destination under a regular file was accepted")
	}
	if entries, _ := os.ReadDir(root); len(entries) != 3 {
		t.Errorf("%d entries in the parent, want the 3 that were there", len(entries))
	}
}

func TestLoadChecksWeights(t *testing.T) {
	a := nn.NewParam("w", 4)
	copy(a.Value.Data, []float32{1, 2, 3, 4})
	dir := filepath.Join(t.TempDir(), "m")
	if err := Save(dir, []*nn.Param{a}, nil, map[string]any{"system": "x"}); err != nil {
		t.Fatal(err)
	}
	var meta map[string]any
	if err := ReadMeta(dir, &meta); err != nil || meta["system"] != "x" || len(meta[ChecksumKey].(string)) != 64 {
		t.Fatalf("model.json %v (%v)", meta, err)
	}
	wf := filepath.Join(dir, WeightsFile)
	b, _ := os.ReadFile(wf)
	b[len(b)-1] ^= 0x01 // one bit of the last weight
	os.WriteFile(wf, b, 0o644)
	err := LoadWeights(dir, []*nn.Param{nn.NewParam("w", 4)}, nil)
	if err == nil || !strings.Contains(err.Error(), WeightsFile+" is corrupt") {
		t.Errorf("a flipped bit: %v", err)
	}
	mf := filepath.Join(dir, MetaFile)
	os.WriteFile(mf, []byte(`{"system": "x"}`), 0o644)
	if err := LoadWeights(dir, []*nn.Param{nn.NewParam("w", 4)}, nil); err == nil || !strings.Contains(err.Error(), "records no "+ChecksumKey) {
		t.Errorf("no checksum: %v", err)
	}
	if err := Save(filepath.Join(t.TempDir(), "m"), nil, nil, map[string]any{ChecksumKey: "mine"}); err == nil {
		t.Error("a description with its own checksum field was accepted")
	}
}
