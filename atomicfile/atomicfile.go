// Package atomicfile writes files so that a crash never leaves a partial
// file behind: the data goes to a temporary file in the same directory,
// which is synced and then renamed (or linked) into place. WriteFile
// replaces the destination; WriteNew and RenameNew never replace anything,
// and CheckNew tells before any work whether they could succeed.
package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFile writes data to path atomically, replacing any file there. It is
// for a program's own outputs (a report it rewrites on every run); a path a
// user names is written with WriteNew.
func WriteFile(path string, data []byte) error {
	tmp, err := writeTemp(path, data)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// writeTemp writes data to a synced temporary file (mode 0644) beside path
// and returns its name.
// Its errors name path, not the temporary file.
func writeTemp(path string, data []byte) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return "", renamed(err, path)
	}
	tmp := f.Name()
	fail := func(err error) (string, error) {
		f.Close()
		os.Remove(tmp)
		return "", renamed(err, path)
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Chmod(0o644); err != nil { // CreateTemp makes files private
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return "", renamed(err, path)
	}
	return tmp, nil
}

// renamed reports a file system error on a temporary file as one on path,
// the name the caller knows.
func renamed(err error, path string) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return &fs.PathError{Op: "write", Path: path, Err: pe.Err}
	}
	return err
}

// renameChecked renames oldpath to newpath after checking that newpath does
// not exist (a race with another writer remains).
func renameChecked(oldpath, newpath string) error {
	if err := existing(newpath); err != nil {
		return err
	}
	return os.Rename(oldpath, newpath)
}
