package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.json")
	if err := WriteFile(p, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(p, []byte("two")); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(p); st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", st.Mode().Perm())
	}
	if b, _ := os.ReadFile(p); string(b) != "two" {
		t.Errorf("content %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files left, want 1", len(entries))
	}
	if err := WriteFile(filepath.Join(dir, "missing", "y"), nil); err == nil {
		t.Error("a missing directory gave no error")
	}
}

func TestNewNeverReplaces(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	emptyDir := filepath.Join(dir, "empty")
	os.Mkdir(emptyDir, 0o755)
	link := filepath.Join(dir, "dangling")
	if err := os.Symlink(filepath.Join(dir, "nowhere"), link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{file, emptyDir, link} {
		if err := CheckNew(p); !errors.Is(err, ErrExists) {
			t.Errorf("CheckNew(%s) = %v, want ErrExists", p, err)
		}
		if err := WriteNew(p, []byte("new")); !errors.Is(err, ErrExists) {
			t.Errorf("WriteNew(%s) = %v, want ErrExists", p, err)
		}
		src := filepath.Join(dir, "src")
		os.Mkdir(src, 0o755)
		if err := RenameNew(src, p); !errors.Is(err, ErrExists) {
			t.Errorf("RenameNew(dir, %s) = %v, want ErrExists", p, err)
		}
		os.Remove(src)
	}
	if b, _ := os.ReadFile(file); string(b) != "keep" {
		t.Errorf("the existing file now holds %q", b)
	}
	if fi, err := os.Stat(emptyDir); err != nil || !fi.IsDir() {
		t.Errorf("the empty directory is gone: %v", err)
	}
	if _, err := os.Lstat(link); err != nil {
		t.Errorf("the symbolic link is gone: %v", err)
	}
	// The race RenameNew closes: the check passes, then the name is taken.
	src, dst := filepath.Join(dir, "src2"), filepath.Join(dir, "dst2")
	os.Mkdir(src, 0o755)
	os.Mkdir(dst, 0o755)
	if err := renameNoReplace(src, dst); !errors.Is(err, fs.ErrExist) {
		t.Errorf("renameNoReplace onto an empty directory = %v, want fs.ErrExist", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 5 {
		t.Errorf("%d entries left, want 5 (file, empty, dangling, src2, dst2)", len(entries))
	}
}

func TestNewWrites(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a", "b", "x.json")
	if err := CheckNew(p); err != nil {
		t.Errorf("CheckNew under missing directories: %v", err)
	}
	if err := WriteNew(filepath.Join(dir, "x.json"), []byte("one")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "x.json")); string(b) != "one" {
		t.Errorf("content %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files left, want 1", len(entries))
	}
	under := filepath.Join(dir, "x.json", "y")
	if err := CheckNew(under); err == nil || errors.Is(err, ErrExists) {
		t.Errorf("CheckNew under a file = %v, want a not-a-directory error", err)
	}
	src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
	os.Mkdir(src, 0o755)
	if err := RenameNew(src, dst); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(dst); err != nil || !fi.IsDir() {
		t.Errorf("renamed directory: %v", err)
	}
}
