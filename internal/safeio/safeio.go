// Package safeio reads files of a repository that may be hostile: a pull
// request can put a FIFO, a device, a symbolic link to one, or a huge file
// wherever axc reads. Every read of a file or directory a user or a
// repository names goes through here (a test enforces it), and here each is
//
//   - stated first, and refused unless it is a regular file (a directory,
//     for ReadDir), so that nothing is opened that could block or has side
//     effects on open;
//   - opened with O_NONBLOCK, so that a file swapped for a FIFO after the
//     stat cannot block the open, and checked again on the open descriptor
//     (fstat), which is the file actually read;
//   - read to a bound, so that no file can exhaust memory.
package safeio

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"syscall"
)

// Errors an *Error wraps besides the operating system's own.
var (
	// ErrNotRegular is a file that is not a regular file (a FIFO, a
	// device, a socket, a directory).
	ErrNotRegular = errors.New("not a regular file")
	// ErrNotDir is a directory that is not one.
	ErrNotDir = errors.New("not a directory")
	// ErrTooLarge is a file larger than the bound of its kind.
	ErrTooLarge = errors.New("file too large")
)

// Error is a file that could not be read, and why.
type Error struct {
	Path string
	// Err is ErrNotRegular, ErrNotDir, ErrTooLarge or the operating
	// system's error.
	Err error
	// What the file is, for ErrNotRegular and ErrNotDir: "a named pipe".
	Kind string
	// Limit is the bound exceeded, for ErrTooLarge.
	Limit int64
}

func (e *Error) Error() string { return e.Path + ": " + e.Reason() }

// NotRegular is the *Error of name, of mode m, which is not a regular file.
func NotRegular(name string, m fs.FileMode) *Error {
	return &Error{Path: name, Err: ErrNotRegular, Kind: Kind(m)}
}

// TooLarge is the *Error of name, larger than limit.
func TooLarge(name string, limit int64) *Error {
	return &Error{Path: name, Err: ErrTooLarge, Limit: limit}
}
func (e *Error) Unwrap() error { return e.Err }

// Reason says in a few words what is wrong, without the path.
func (e *Error) Reason() string {
	switch e.Err {
	case ErrNotRegular, ErrNotDir:
		if e.Kind == "" {
			return e.Err.Error()
		}
		return e.Err.Error() + ": " + e.Kind
	case ErrTooLarge:
		return "larger than " + Size(e.Limit)
	}
	return Reason(e.Err)
}

// Reason says in a few words why a file could not be read or written,
// without the path the error may carry.
func Reason(err error) string {
	var se *Error
	if errors.As(err, &se) {
		return se.Reason()
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Size writes a bound in bytes for people: "4 MiB".
func Size(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Kind says what a file that is not a regular file is: "a named pipe".
func Kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsRegular():
		return "a regular file"
	}
	return "a special file"
}

// openFlags open without blocking (a FIFO would block open(2) until a
// writer came) and without leaking the descriptor to child processes.
const openFlags = os.O_RDONLY | syscall.O_NONBLOCK | syscall.O_CLOEXEC

// ReadFile reads the regular file name (a symbolic link to one is one),
// of at most limit bytes. Anything else is an *Error, without blocking.
func ReadFile(name string, limit int64) ([]byte, error) {
	info, err := os.Stat(name)
	if err != nil {
		return nil, &Error{Path: name, Err: err}
	}
	if err := checkRegular(name, info, limit); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(name, openFlags, 0)
	if err != nil {
		return nil, &Error{Path: name, Err: err}
	}
	defer f.Close()
	// The name may have been changed since the stat: what counts is the
	// file opened.
	if info, err = f.Stat(); err != nil {
		return nil, &Error{Path: name, Err: err}
	}
	if err := checkRegular(name, info, limit); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, &Error{Path: name, Err: err}
	}
	if int64(len(data)) > limit {
		// It grew while read.
		return nil, &Error{Path: name, Err: ErrTooLarge, Limit: limit}
	}
	return data, nil
}

func checkRegular(name string, info fs.FileInfo, limit int64) error {
	if !info.Mode().IsRegular() {
		return NotRegular(name, info.Mode())
	}
	if info.Size() > limit {
		return &Error{Path: name, Err: ErrTooLarge, Limit: limit}
	}
	return nil
}

// ReadDir lists the directory name (a symbolic link to one is one), sorted
// by name as os.ReadDir does. A FIFO or a device where a directory should
// be is an *Error, without blocking.
func ReadDir(name string) ([]fs.DirEntry, error) {
	f, err := openDir(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	entries, err := f.ReadDir(-1)
	if err != nil {
		return nil, &Error{Path: name, Err: err}
	}
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, nil
}

// openDir opens the directory name for reading its entries.
func openDir(name string) (*os.File, error) {
	info, err := os.Stat(name)
	if err != nil {
		return nil, &Error{Path: name, Err: err}
	}
	if !info.IsDir() {
		return nil, &Error{Path: name, Err: ErrNotDir, Kind: Kind(info.Mode())}
	}
	f, err := os.OpenFile(name, openFlags, 0)
	if err != nil {
		return nil, &Error{Path: name, Err: err}
	}
	if info, err = f.Stat(); err != nil || !info.IsDir() {
		f.Close()
		if err != nil {
			return nil, &Error{Path: name, Err: err}
		}
		return nil, &Error{Path: name, Err: ErrNotDir, Kind: Kind(info.Mode())}
	}
	return f, nil
}
