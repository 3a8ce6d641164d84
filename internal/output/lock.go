package output

import (
	"errors"
	"io/fs"
	"os"
	"syscall"

	"github.com/axc-dev/axc/internal/confine"
)

// openLocked opens DIR as the root of every operation below it, and locks
// it, exclusively or shared (see lock); the lock goes with the descriptor,
// so it is released by Close or when the process ends, however it ends. A
// shared lock of a missing DIR leaves d.root nil.
func (d *Dir) openLocked() error {
	shared := d.mode == ForCheck
	root, err := confine.Open(d.path)
	switch {
	case shared && errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil && isFile(d.path):
		// os.OpenRoot's error for it is not syscall.ENOTDIR.
		return &Error{Path: d.path, Err: syscall.ENOTDIR}
	case err != nil:
		return &Error{Path: d.path, Op: "cannot lock", Err: err}
	}
	f, err := root.Open(".")
	if err != nil {
		root.Close()
		return &Error{Path: d.path, Op: "cannot lock", Err: err}
	}
	if err := lock(f, d.path, shared); err != nil {
		f.Close()
		root.Close()
		return err
	}
	d.root, d.lock = root, f
	return nil
}

func isFile(name string) bool {
	fi, err := os.Stat(name)
	return err == nil && !fi.IsDir()
}
