// Package atomicfile writes files so that a reader, or a crash, sees either
// the old content or the new one, never a mix.
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
)

// Write replaces name with data: it writes a temporary file in the same
// directory, syncs it and renames it over name.
func Write(name string, data []byte) error {
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("%s: cannot create directory: %v", dir, reason(err))
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(name)+".tmp*")
	if err != nil {
		return fmt.Errorf("%s: cannot write: %v", name, reason(err))
	}
	tmp := f.Name()
	defer os.Remove(tmp) // a no-op after the rename
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("%s: cannot write: %v", name, reason(err))
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return fmt.Errorf("%s: cannot write: %v", name, reason(err))
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("%s: cannot write: %v", name, reason(err))
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s: cannot write: %v", name, reason(err))
	}
	if err := os.Rename(tmp, name); err != nil {
		return fmt.Errorf("%s: cannot write: %v", name, reason(err))
	}
	return nil
}

func reason(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	if le, ok := err.(*os.LinkError); ok {
		return le.Err
	}
	return err
}
