//go:build unix

package output

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// lockDir opens dir and locks it with flock(2), exclusively or shared; the
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
	how := syscall.LOCK_EX
	if shared {
		how = syscall.LOCK_SH
	}
	if err := flock(f, how, dir); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// exclusive turns a shared lock into an exclusive one.
func exclusive(f *os.File, dir string) error { return flock(f, syscall.LOCK_EX, dir) }

func flock(f *os.File, how int, dir string) error {
	for {
		err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
		switch err {
		case nil:
			return nil
		case syscall.EINTR:
			continue
		case syscall.EWOULDBLOCK:
			return &Error{Path: dir, Err: ErrBusy}
		}
		return &Error{Path: dir, Op: "cannot lock", Err: err}
	}
}
