//go:build unix

package output

import (
	"os"
	"syscall"
)

// lock takes flock(2) on the open dir f, failing at once if another build
// holds it.
func lock(f *os.File, dir string, shared bool) error {
	how := syscall.LOCK_EX
	if shared {
		how = syscall.LOCK_SH
	}
	return flock(f, how, dir)
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
