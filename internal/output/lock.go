package output

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// lockDir opens dir and locks it, exclusively or shared (see lock); the
// lock goes with the descriptor, so it is released by Close or when the
// process ends, however it ends. A shared lock of a missing dir is nil.
func lockDir(dir string, shared bool) (*os.File, error) {
	f, err := os.Open(dir)
	if err != nil {
		if shared && errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, &Error{Path: dir, Op: "cannot lock", Err: err}
	}
	if fi, err := f.Stat(); err == nil && !fi.IsDir() {
		f.Close()
		return nil, &Error{Path: dir, Err: syscall.ENOTDIR}
	}
	if err := lock(f, dir, shared); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
