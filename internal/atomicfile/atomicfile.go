// Package atomicfile writes files so that a reader, or a crash, sees either
// the old content or the new one, never a mix.
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
)

// Pending is a file written to a temporary name beside its destination,
// not yet in place.
type Pending struct {
	tmp, name string
}

// Stage writes data to a temporary file in name's directory (created if
// missing) and syncs it. Commit puts it in place; Abort removes it.
func Stage(name string, data []byte) (*Pending, error) {
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("%s: cannot create directory: %v", dir, reason(err))
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(name)+".tmp*")
	if err != nil {
		return nil, fmt.Errorf("%s: cannot write: %v", name, reason(err))
	}
	p := &Pending{tmp: f.Name(), name: name}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		p.Abort()
		return nil, fmt.Errorf("%s: cannot write: %v", name, reason(err))
	}
	return p, nil
}

// RemoveLeftovers removes temporary files that a Stage of name left behind
// when its process was killed before Commit or Abort.
func RemoveLeftovers(name string) {
	matches, _ := filepath.Glob(filepath.Join(filepath.Dir(name), "."+filepath.Base(name)+".tmp*"))
	for _, m := range matches {
		os.Remove(m)
	}
}

// Commit renames the staged file over its destination.
func (p *Pending) Commit() error {
	if err := os.Rename(p.tmp, p.name); err != nil {
		p.Abort()
		return fmt.Errorf("%s: cannot write: %v", p.name, reason(err))
	}
	return nil
}

// Abort removes the staged file.
func (p *Pending) Abort() { os.Remove(p.tmp) }

// Write replaces name with data atomically.
func Write(name string, data []byte) error {
	p, err := Stage(name, data)
	if err != nil {
		return err
	}
	return p.Commit()
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
