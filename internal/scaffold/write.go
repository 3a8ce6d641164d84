package scaffold

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/safeio"
)

// vcsDirs are the entries a directory may hold and still be empty for
// Create: a repository's own metadata, as after git init.
var vcsDirs = []string{".git", ".hg", ".jj", ".svn"}

// RefusedError is why Create writes nothing: files it would write exist,
// or the directory holds other things.
type RefusedError struct {
	Dir    string   // the directory, as given
	Exist  []string // files Create would write that exist, as paths under Dir
	Others []string // the directory's other entries (sorted, at most maxShown)
	More   int      // how many other entries were left out of Others
}

const maxShown = 5

func (e *RefusedError) Error() string { return strings.Join(e.lines(), "\n") }

// Unwrap gives the lines of the error one by one: each is a record of its
// own.
func (e *RefusedError) Unwrap() []error {
	var out []error
	for _, l := range e.lines() {
		out = append(out, errors.New(l))
	}
	return out
}

func (e *RefusedError) lines() []string {
	var lines []string
	for _, p := range e.Exist {
		lines = append(lines, p+": exists; axc init never overwrites a file")
	}
	if len(e.Others) > 0 {
		list := strings.Join(e.Others, ", ")
		if e.More > 0 {
			list += fmt.Sprintf(" and %d more", e.More)
		}
		lines = append(lines, fmt.Sprintf("%s: not empty (%s): axc init writes a new repository only into an empty directory (or one holding only %s); axc init --upgrade refreshes an existing one's schema",
			e.Dir, list, strings.Join(vcsDirs, ", ")))
	}
	return lines
}

// Create writes files (slash paths relative to dir) as a new repository in
// dir, which must not exist or be empty but for VCS metadata (else a
// *RefusedError naming every file that exists, and the other entries).
//
// All or nothing: the files are written into a hidden staging directory
// first (beside dir when dir does not exist, else inside it), then moved
// into place: a missing dir by one rename of the staging directory, an
// existing one entry by entry (renames and no-clobber links), undone if a
// move fails. Nothing is overwritten, even if a file appears meanwhile.
func Create(dir string, files map[string][]byte) error {
	exists, err := refuse(dir, files)
	if err != nil {
		return err
	}
	if !exists {
		return createDir(dir, files)
	}
	stage, err := os.MkdirTemp(dir, ".axc-init-*")
	if err != nil {
		return fmt.Errorf("%s: cannot write: %s", dir, load.IOReason(err))
	}
	defer os.RemoveAll(stage)
	if err := writeTree(stage, dir, files); err != nil {
		return err
	}
	entries, err := os.ReadDir(stage)
	if err != nil {
		return err
	}
	var moved []string
	undo := func() {
		for _, name := range slices.Backward(moved) {
			os.Rename(filepath.Join(dir, name), filepath.Join(stage, name))
		}
	}
	for _, e := range entries {
		from, to := filepath.Join(stage, e.Name()), filepath.Join(dir, e.Name())
		if err := moveEntry(from, to, e.IsDir()); err != nil {
			undo()
			return fmt.Errorf("%s: cannot write: %s", to, load.IOReason(err))
		}
		moved = append(moved, e.Name())
	}
	return nil
}

// refuse checks that Create may write files into dir, and reports whether
// dir exists.
func refuse(dir string, files map[string][]byte) (bool, error) {
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("%s: %s", dir, load.IOReason(err))
	case !info.IsDir():
		return false, fmt.Errorf("%s: not a directory", dir)
	}
	entries, err := safeio.ReadDir(dir)
	if err != nil {
		return false, fmt.Errorf("%s: %s", dir, load.IOReason(err))
	}
	refused := &RefusedError{Dir: dir}
	for _, name := range sortedKeys(files) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if _, err := os.Lstat(p); err == nil {
			refused.Exist = append(refused.Exist, p)
		}
	}
	for _, e := range entries {
		if slices.Contains(vcsDirs, e.Name()) {
			continue
		}
		name := e.Name()
		if e.IsDir() {
			name += "/"
		}
		if len(refused.Others) < maxShown {
			refused.Others = append(refused.Others, name)
		} else {
			refused.More++
		}
	}
	if len(refused.Exist) > 0 || len(refused.Others) > 0 {
		return true, refused
	}
	return true, nil
}

// createDir writes files as the new directory dir: staged beside it, then
// renamed into place at once. Missing parents of dir are created (and
// removed again on failure).
func createDir(dir string, files map[string][]byte) (err error) {
	parent := filepath.Dir(filepath.Clean(dir))
	created, err := mkdirParents(parent)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			for _, d := range slices.Backward(created) {
				os.Remove(d) // only if still empty
			}
		}
	}()
	stage, err := os.MkdirTemp(parent, "."+filepath.Base(filepath.Clean(dir))+".axc-init-*")
	if err != nil {
		return fmt.Errorf("%s: cannot create directory: %s", dir, load.IOReason(err))
	}
	defer func() {
		if err != nil {
			os.RemoveAll(stage)
		}
	}()
	// MkdirTemp's directory is private; the repository is not.
	if err := os.Chmod(stage, 0o755); err != nil {
		return fmt.Errorf("%s: cannot create directory: %s", dir, load.IOReason(err))
	}
	if err := writeTree(stage, dir, files); err != nil {
		return err
	}
	if err := os.Rename(stage, dir); err != nil {
		return fmt.Errorf("%s: cannot create directory: %s", dir, load.IOReason(err))
	}
	return nil
}

// mkdirParents creates dir and its missing parents, and returns those it
// created, outermost first.
func mkdirParents(dir string) ([]string, error) {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil || !errors.Is(err, fs.ErrNotExist) {
			break
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	slices.Reverse(missing)
	var created []string
	for _, d := range missing {
		if err := os.Mkdir(d, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			for _, c := range slices.Backward(created) {
				os.Remove(c)
			}
			return nil, fmt.Errorf("%s: cannot create directory: %s", d, load.IOReason(err))
		}
		created = append(created, d)
	}
	return created, nil
}

// writeTree writes files under root, each synced to disk; messages name
// them under shown, where they are going.
func writeTree(root, shown string, files map[string][]byte) error {
	for _, name := range sortedKeys(files) {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("%s: cannot create directory: %s", filepath.Dir(filepath.Join(shown, name)), load.IOReason(err))
		}
		if err := writeFile(p, files[name]); err != nil {
			return fmt.Errorf("%s: cannot write: %s", filepath.Join(shown, name), load.IOReason(err))
		}
	}
	return nil
}

func writeFile(p string, data []byte) error {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// moveEntry is moveNew; tests make it fail.
var moveEntry = moveNew

// moveNew moves from to to, which must not exist: a directory by rename
// (which fails onto a non-empty directory or a file, and replaces only an
// empty directory), a file by a hard link, which never replaces anything.
func moveNew(from, to string, isDir bool) error {
	if isDir {
		if _, err := os.Lstat(to); err == nil {
			return fs.ErrExist
		}
		return unwrapLink(os.Rename(from, to))
	}
	err := unwrapLink(os.Link(from, to))
	switch {
	case err == nil:
		return os.Remove(from)
	case errors.Is(err, fs.ErrExist):
		return err
	}
	// A file system without hard links: check, then rename.
	if _, err := os.Lstat(to); err == nil {
		return fs.ErrExist
	}
	return unwrapLink(os.Rename(from, to))
}

func unwrapLink(err error) error {
	if le, ok := err.(*os.LinkError); ok {
		return le.Err
	}
	return err
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
