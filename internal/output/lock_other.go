//go:build !unix

package output

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// lockDir opens dir. Without flock(2), concurrent builds are not excluded.
func lockDir(dir string, shared bool) (*os.File, error) {
	f, err := os.Open(dir)
	if err != nil {
		if shared && errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, &Error{Path: dir, Op: "cannot open", Err: err}
	}
	if fi, err := f.Stat(); err == nil && !fi.IsDir() {
		f.Close()
		return nil, &Error{Path: dir, Err: syscall.ENOTDIR}
	}
	return f, nil
}

func exclusive(f *os.File, dir string) error { return nil }
