package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// ErrExists is returned when the destination of WriteNew or RenameNew, or
// the path given to CheckNew, already exists; nothing was changed.
var ErrExists = errors.New("already exists")

// CheckNew reports whether path is free to be created by WriteNew or
// RenameNew: nothing exists there (not a file, a directory or a symbolic
// link, even a dangling one), and the nearest existing ancestor directory
// can be written to. Commands call it before long work, so that a bad
// destination is an error at once rather than after the work.
func CheckNew(path string) error {
	if err := existing(path); err != nil {
		return err
	}
	dir := filepath.Dir(filepath.Clean(path))
	for {
		fi, err := os.Stat(dir)
		if err == nil {
			if !fi.IsDir() {
				return fmt.Errorf("%s: %s is not a directory", path, dir)
			}
			break
		}
		if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, fs.ErrInvalid) {
			return err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return fmt.Errorf("%s: no ancestor directory exists", path)
		}
		dir = parent
	}
	// Permission bits do not tell (root, ACLs, read-only mounts): try.
	f, err := os.CreateTemp(dir, ".modistill-write-check*")
	if err != nil {
		return fmt.Errorf("%s: cannot write in %s: %w", path, dir, errors.Unwrap(err))
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

// existing returns an error wrapping ErrExists, saying what is there, if
// anything exists at path; any other error from looking, except that an
// ancestor is missing or is not a directory (CheckNew says which).
func existing(path string) error {
	fi, err := os.Lstat(path)
	switch {
	case err == nil:
		return fmt.Errorf("%s %w (%s)", path, ErrExists, describe(fi))
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ENOTDIR):
		return nil
	}
	return err
}

// describe names what a file is, for error messages.
func describe(fi fs.FileInfo) string {
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		return "a symbolic link"
	case fi.IsDir():
		return "a directory"
	case fi.Mode().IsRegular():
		return "a file"
	}
	return "a special file"
}

// WriteNew writes data to path atomically, as WriteFile does (creating
// missing parent directories), but never replaces anything: if path exists
// (whatever it is) it returns an error wrapping ErrExists and leaves path as
// it was. The file appears complete
// or not at all (it is hard-linked into place, which fails if the name is
// taken).
func WriteNew(path string, data []byte) error {
	if err := existing(path); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := writeTemp(path, data)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s %w", path, ErrExists)
		}
		return err
	}
	syncDir(filepath.Dir(path))
	return nil
}

// RenameNew renames oldpath (a file or a directory) to newpath if nothing
// exists at newpath; otherwise it returns an error wrapping ErrExists and
// changes nothing. On Linux the check and the rename are one atomic step
// (renameat2 with RENAME_NOREPLACE); elsewhere, or on file systems without
// it, newpath is checked just before the rename.
func RenameNew(oldpath, newpath string) error {
	if err := existing(newpath); err != nil {
		return err
	}
	if err := renameNoReplace(oldpath, newpath); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s %w", newpath, ErrExists)
		}
		return err
	}
	syncDir(filepath.Dir(newpath))
	return nil
}

// syncDir makes a rename or link in dir durable (best effort).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
