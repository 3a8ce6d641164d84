// Package confine does axc's file operations inside one directory tree, the
// repository it writes in, so that nothing the tree holds (a symbolic link,
// a named pipe, a device, a huge file) makes axc write, remove or read
// outside it, or hang.
//
// # The repository, and leading out of it
//
// The repository is the directory axc is told to write in, taken as given:
// DIR of axc build -o DIR and axc import -o DIR, DIR of axc init --upgrade
// DIR. Its own path may go through symbolic links (the user named it).
// Below it, every operation goes through one os.Root opened on it (Open):
// a symbolic link is followed only when it is relative and resolves,
// step by step, inside the repository. A link that is absolute, or whose
// target leaves the repository (through "..", or through another link),
// leads out of it: the operation fails, and nothing outside is touched.
// Before writing, axc checks the directories it writes in (CheckDir), so
// that such a link is refused with a message naming it; os.Root is what
// makes the guarantee hold even if the tree changes meanwhile.
//
// # Special and huge files
//
// A file axc reads or replaces must be a regular file: ReadRegular and
// LstatRegular refuse anything else (a named pipe, a device, a socket, a
// directory, a symbolic link) before opening it, with a *safeio.Error;
// the open that follows uses O_NONBLOCK and checks again what it opened,
// so a file swapped meanwhile cannot block either. Reads are bounded.
package confine

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/axc-dev/axc/internal/load"

	"github.com/axc-dev/axc/internal/safeio"
)

// Root is a repository opened for confined operations: an os.Root, and the
// path it was opened with, for messages.
type Root struct {
	*os.Root
	Path string
	// escape is the error os.Root gives for a path that leaves it.
	escape error
}

// Open opens the repository at path. The errors are those of os.OpenRoot.
func Open(path string) (*Root, error) {
	r, err := os.OpenRoot(path)
	if err != nil {
		return nil, err
	}
	// os.Root's error for a path leading out of it is not exported: ask
	// for one, without touching the file system.
	_, err = r.Lstat("..")
	var pe *fs.PathError
	if !errors.As(err, &pe) {
		r.Close()
		return nil, fmt.Errorf("%s: os.Root let .. through: %v", path, err)
	}
	return &Root{Root: r, Path: path, escape: pe.Err}, nil
}

// Join is rel (in the OS's syntax, relative to the repository) as a path
// for messages: the repository's path joined with it.
func (r *Root) Join(rel string) string { return filepath.Join(r.Path, rel) }

// LeadsOut reports whether err is os.Root's refusal of a path that leads
// out of the repository.
func (r *Root) LeadsOut(err error) bool { return err != nil && errors.Is(err, r.escape) }

// Reason says in a few words why an operation in the repository failed.
func (r *Root) Reason(err error) string {
	if r.LeadsOut(err) {
		return "a symbolic link on the way leads out of " + r.Path
	}
	return Reason(err)
}

// Reason says in a few words why a file operation failed: the system's
// error, without the operation and path that the message names already.
func Reason(err error) string {
	var le *os.LinkError
	if errors.As(err, &le) {
		err = le.Err
	}
	var se *os.SyscallError
	if errors.As(err, &se) {
		err = se.Err
	}
	return load.IOReason(err)
}

// LinkError is a symbolic link in the way of a directory axc writes in or
// removes from.
type LinkError struct {
	Path   string // the link, as Root.Join gives it
	Target string // what it points to
	Out    bool   // it leads out of the repository
	Repo   string // the repository's path
}

func (e *LinkError) Error() string {
	if e.Out {
		return fmt.Sprintf("%s: a symbolic link to %s, leading out of %s: axc does not write through it", e.Path, e.Target, e.Repo)
	}
	return fmt.Sprintf("%s: a symbolic link to %s: axc writes here only in a real directory, never through a link", e.Path, e.Target)
}

// CheckDir checks the directory rel of the repository (and each directory
// on the way to it) before axc writes in it or removes from it: each that
// exists must be a directory, and a symbolic link is refused (*LinkError)
// when it leads out of the repository, or whatever it leads to when
// strict. A missing one is fine: axc creates it. rel "." is the
// repository itself, which is as given.
func (r *Root) CheckDir(rel string, strict bool) error {
	rel = filepath.Clean(rel)
	if rel == "." {
		return nil
	}
	if !filepath.IsLocal(rel) {
		return fmt.Errorf("%s: not a path inside %s", rel, r.Path)
	}
	parts := strings.Split(rel, string(filepath.Separator))
	for i := range parts {
		p := filepath.Join(parts[:i+1]...)
		fi, err := r.Lstat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil
		case err != nil:
			return &fs.PathError{Op: "lstat", Path: r.Join(p), Err: errors.New(r.Reason(err))}
		case fi.Mode()&fs.ModeSymlink != 0:
			target, _ := r.Readlink(p)
			_, serr := r.Stat(p)
			out := r.LeadsOut(serr)
			if strict || out {
				return &LinkError{Path: r.Join(p), Target: target, Out: out, Repo: r.Path}
			}
			if serr != nil {
				return nil // dangling: creating in it fails, and says why
			}
			if fi, err = r.Stat(p); err == nil && !fi.IsDir() {
				return &safeio.Error{Path: r.Join(p), Err: safeio.ErrNotDir, Kind: safeio.Kind(fi.Mode())}
			}
		case !fi.IsDir():
			return &safeio.Error{Path: r.Join(p), Err: safeio.ErrNotDir, Kind: safeio.Kind(fi.Mode())}
		}
	}
	return nil
}

// LstatRegular is os.Root's Lstat, but a file that exists and is not a
// regular file is a *safeio.Error (safeio.ErrNotRegular): axc neither
// reads nor replaces it.
func (r *Root) LstatRegular(rel string) (fs.FileInfo, error) {
	fi, err := r.Lstat(rel)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return fi, safeio.NotRegular(r.Join(rel), fi.Mode())
	}
	return fi, nil
}

// ReadRegular reads the regular file rel, of at most max bytes: anything
// else is refused before it is opened (*safeio.Error: safeio.ErrNotRegular, safeio.ErrTooLarge),
// and what is opened is checked again.
func (r *Root) ReadRegular(rel string, max int64) ([]byte, error) {
	fi, err := r.LstatRegular(rel)
	if err != nil {
		return nil, err
	}
	if fi.Size() > max {
		return nil, safeio.TooLarge(r.Join(rel), max)
	}
	// O_NONBLOCK: should rel have become a named pipe since, the open
	// does not wait for a writer.
	f, err := r.OpenFile(rel, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return nil, err
	} else if !fi.Mode().IsRegular() {
		return nil, safeio.NotRegular(r.Join(rel), fi.Mode())
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, safeio.TooLarge(r.Join(rel), max)
	}
	return data, nil
}

// WriteNew writes data to rel as a new regular file of mode perm, synced:
// whatever was at rel (a file of a killed run, a link) is removed first,
// and the file is created exclusively, so no link at rel is followed. On
// an error nothing is left at rel.
func (r *Root) WriteNew(rel string, data []byte, perm fs.FileMode) error {
	if err := r.Remove(rel); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	f, err := r.OpenFile(rel, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, bytes.NewReader(data))
	if err == nil {
		err = f.Chmod(perm) // whatever the umask
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		r.Remove(rel)
	}
	return err
}

// SyncDir makes the entries of the directory rel durable, where the file
// system can.
func (r *Root) SyncDir(rel string) {
	if f, err := r.Open(rel); err == nil {
		f.Sync()
		f.Close()
	}
}
