//go:build !linux

package atomicfile

// renameNoReplace renames unless newpath exists, checked just before.
func renameNoReplace(oldpath, newpath string) error { return renameChecked(oldpath, newpath) }
