// Package output writes a set of files into an output directory DIR, as
// one transaction: the files of an axc build (flake.nix, hosts/NAME.nix,
// users/NAME.nix: the Build layout) or of an axc import (hosts/NAME.cue,
// users/NAME.cue: importer.Layout).
//
// A Layout says which files a set writes and which files of DIR are its
// own. A Plan compares the files the set produces (paths relative to DIR)
// with what DIR holds: which files are unchanged, which are new or
// changed, which of the set's own files in its directories nothing
// produces any more (stale: they are removed), and which files it would
// overwrite but that are not its own (foreign). For axc build a file is
// its own only when its whole first line is the header compile writes
// (compile.IsGenerated); for axc import no existing file is. A foreign
// file is never overwritten (unless forced) nor removed.
//
// # The guarantee
//
// Commit is all or nothing, for the files it changes: either every new or
// changed file is in place and every stale file is removed, or DIR is left
// as it was before, every file byte for byte.
//
//   - Nothing is written when a foreign file is refused, or when anything
//     fails before the first file is put in place (writing the new files to
//     temporary names, backing up the old ones, writing the journal).
//   - A failure while files are being put in place (a rename or a removal)
//     rolls back the files already replaced or removed, from their backups.
//   - A run that is killed, or a machine that crashes, while files are put
//     in place leaves the journal (DIR/.axc-build.journal for axc build).
//     The next Open of DIR (axc build, or axc build --check) rolls DIR back
//     to what it held before the killed run, since the killed run's output
//     may be incomplete, then removes the journal and the temporary files
//     and backups it lists. Temporary files of a run killed before it wrote
//     its journal are removed too; its output was never touched. A run's
//     commit point is the removal of its journal.
//   - Each file is replaced by a rename, so a reader sees a whole old or a
//     whole new file, never a partial one; while a commit runs, a reader may
//     see some files new and others still old.
//   - Unchanged files are not rewritten. Only the set's files and its own
//     temporary files (.NAME.axc-new, .NAME.axc-old beside a file NAME of
//     the set, the journal, and the .NAME.tmpDIGITS of older axc versions)
//     in DIR and its directories (DIR/hosts, DIR/users) are ever touched:
//     DIR may be the author's repository and DIR/hosts may hold the
//     author's sources, so no directory is ever swapped or removed unless
//     axc created it for this run and it is empty.
//   - One run at a time: Open locks DIR itself with flock(2), so no lock
//     file is left behind. A second build or import of the same DIR fails
//     at once with ErrBusy; checks share the lock with each other but not
//     with a build.
//
// # A hostile DIR
//
// DIR may be a repository of strangers (CI runs axc build --check -o . on
// pull requests), so what DIR holds, its journal included, is input, not
// trust:
//
//   - Every operation below DIR goes through one os.Root opened on DIR
//     (internal/confine): nothing outside DIR is ever read, written or
//     removed, whatever symbolic links DIR holds. DIR itself is as given.
//   - The set's directories (DIR/hosts, DIR/users) must be real
//     directories: a symbolic link there is refused (exit 2), wherever it
//     leads, so that every name in a journal is the file it names.
//   - An existing file of the set, a backup and the journal must be regular
//     files: a named pipe, a device, a socket or a symbolic link is refused
//     (exit 2) before it is opened. At most MaxFileSize bytes of any of
//     them are read; a bigger file of the set is foreign.
//   - A journal is honoured only when every entry names a file of the set
//     (for axc build: flake.nix, hosts/NAME.nix, users/NAME.nix with NAME a
//     valid host or user name) and its own temporary names, its
//     directories are DIR/hosts or DIR/users, none of them is a symbolic
//     link, and every file the rollback would remove or replace is the
//     set's own or the very backup that replaces it. For axc build a file
//     is its own only by its header, whatever the journal says; for axc
//     import, whose files carry no header, by being the content the
//     journal's sha256 says the import wrote (so a journal there can at
//     worst remove a file of the import's names whose content its author
//     knew).
//     Directories are removed only when empty. A journal failing any of
//     this is refused (exit 2) and nothing is touched.
package output

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/axc-dev/axc/internal/compile"
	"github.com/axc-dev/axc/internal/confine"
	"github.com/axc-dev/axc/internal/diff"
	"github.com/axc-dev/axc/internal/safeio"
)

// HostsDir and UsersDir are the directories of DIR whose generated .nix
// files are stale when no host or user produces them.
const (
	HostsDir = "hosts"
	UsersDir = "users"
)

// MaxFileSize is the most axc reads of an existing file of the set, a
// backup or a journal: four times the largest host file it reads (4 MiB),
// far above any file it writes. A bigger file of the set is foreign.
const MaxFileSize = 16 << 20

// Layout says which files a set writes in DIR and which are its own.
type Layout struct {
	// Command names what writes the set, for messages: "axc build".
	Command string
	// Journal is the file name of the set's journal in DIR.
	Journal string
	// Dirs are the directories below DIR (one level, slash-free) that the
	// set's files are in, besides DIR itself: the only ones it creates or
	// removes.
	Dirs []string
	// Writes reports whether rel (relative to DIR, with slashes) names a
	// file of the set. Its files and their temporary names are the only
	// files of DIR the set changes, and the only ones a journal may name.
	Writes func(rel string) bool
	// Generated reports whether a file's content is the set's own: then it
	// is overwritten without force, removed when stale, and removed or
	// replaced by a rollback. nil: no existing file is (an existing file
	// is never overwritten without force, and nothing is stale).
	Generated func(data []byte) bool
	// RemoveStale: the set's own files in Dirs that the set no longer
	// produces are removed.
	RemoveStale bool
}

// Build is the layout of axc build: flake.nix, hosts/NAME.nix and
// users/NAME.nix, of valid host and user names; a file is axc's when its
// first line is compile's header.
var Build = &Layout{
	Command:     "axc build",
	Journal:     ".axc-build.journal",
	Dirs:        []string{HostsDir, UsersDir},
	Writes:      buildWrites,
	Generated:   compile.IsGenerated,
	RemoveStale: true,
}

func buildWrites(rel string) bool {
	if rel == "flake.nix" {
		return true
	}
	dir, file, ok := strings.Cut(rel, "/")
	name, isNix := strings.CutSuffix(file, ".nix")
	if !ok || !isNix {
		return false
	}
	switch dir {
	case HostsDir:
		return compile.CheckHostName(name) == nil
	case UsersDir:
		return compile.CheckUserName(name) == nil
	}
	return false
}

// Errors that Open and Commit return wrapped in an *Error naming the path.
var (
	// ErrBusy: another axc run holds the lock on DIR.
	ErrBusy = errors.New("another axc build is writing here")
	// ErrNotGenerated: a file that Commit would overwrite is not axc's.
	ErrNotGenerated = errors.New("not generated by axc; not overwriting it (use --force)")
	// ErrExists: a file that Commit would write exists, and the layout
	// owns no existing file.
	ErrExists = errors.New("file exists; not overwriting it (use --force)")
)

// Error is an I/O error on a file or directory of the output, or a refusal
// (ErrBusy, ErrNotGenerated, ErrExists, a journal refused). axc exits 2 on
// any of them, as on the *confine.LinkError and *safeio.Error
// that Open, Plan and Commit return for a link or a special file in the
// way.
type Error struct {
	Path string // the file or directory, DIR as given to Open joined with its relative path
	Op   string // what failed, e.g. "cannot write"; empty for a refusal
	Err  error
}

func (e *Error) Error() string {
	s := e.Path + ": "
	if e.Op != "" {
		s += e.Op + ": "
	}
	return s + confine.Reason(e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Mode says what Open locks DIR for.
type Mode int

const (
	// ForWrite creates DIR if it is missing and locks it for a build.
	ForWrite Mode = iota
	// ForCheck locks DIR shared with other checks; DIR may be missing. It
	// writes only to recover from a killed build.
	ForCheck
)

// Dir is an output directory, locked, and recovered from any run that was
// killed while writing it.
type Dir struct {
	path   string // as given to Open, for messages
	layout *Layout
	mode   Mode
	root   *confine.Root // nil when DIR is missing (ForCheck)
	lock   *os.File      // DIR, open in root, holding the lock
	// madeOut are DIR and the parents of it that Open created, outermost
	// first; madeIn the directories below DIR created for this run
	// (relative to DIR).
	madeOut, madeIn []string
}

// Open locks dir and recovers it from a killed run of the layout's
// command (see the package documentation). Close releases it.
func Open(dir string, l *Layout, mode Mode) (*Dir, error) {
	d := &Dir{path: dir, layout: l, mode: mode}
	if mode == ForWrite {
		created, err := mkdirAll(dir)
		d.madeOut = created
		if err != nil {
			d.removeCreated()
			return nil, err
		}
	}
	if err := d.openLocked(); err != nil {
		d.removeCreated()
		return nil, err
	}
	if d.root == nil {
		return d, nil // ForCheck of a missing DIR
	}
	if err := d.recover(); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// Close releases the lock, and removes the directories Open or Commit
// created if they are empty (the run wrote nothing).
func (d *Dir) Close() error {
	d.removeCreated()
	var err error
	if d.lock != nil {
		err = d.lock.Close()
		d.lock = nil
	}
	if d.root != nil {
		d.root.Close()
		d.root = nil
	}
	return err
}

func (d *Dir) removeCreated() {
	for i := len(d.madeIn) - 1; i >= 0; i-- {
		d.removeEmptyDir(d.madeIn[i])
	}
	d.madeIn = nil
	for i := len(d.madeOut) - 1; i >= 0; i-- {
		os.Remove(d.madeOut[i]) // fails, as it should, unless empty
	}
	d.madeOut = nil
}

// removeEmptyDir removes the directory rel of DIR if it is one (not a
// link) and empty.
func (d *Dir) removeEmptyDir(rel string) {
	if fi, err := d.root.Lstat(rel); err == nil && fi.IsDir() {
		d.root.Remove(rel) // fails, as it should, unless empty
	}
}

func (d *Dir) join(rel string) string { return filepath.Join(d.path, rel) }

// checkDirs checks that the layout's directories that exist are real
// directories, not links.
func (d *Dir) checkDirs() error {
	var errs []error
	for _, sub := range d.layout.Dirs {
		if err := d.root.CheckDir(sub, true); err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) && pe.Err == syscall.ENOTDIR {
				err = &Error{Path: pe.Path, Err: syscall.ENOTDIR}
			}
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Plan is what writing a set's files to DIR would change.
type Plan struct {
	// Want is every file of the set, by path relative to DIR.
	Want map[string][]byte
	// OnDisk holds the files of Want that DIR already has, with their content.
	OnDisk map[string][]byte
	// Stale holds the set's own files in its directories that Want lacks,
	// with their content: Commit removes them.
	Stale map[string][]byte
	// Foreign lists, as DIR joined with the relative path, the files of Want
	// that DIR has but that are not the set's own, or cannot be read:
	// Commit refuses to overwrite them unless forced.
	Foreign []string

	d *Dir
}

// Plan reads what DIR holds of want (paths relative to DIR, local, in the
// OS's syntax, each a file of the layout) and what it holds that is stale.
// A file of want that exists and is not a regular file, or a directory of
// the layout that is a link or not a directory, is an error.
func (d *Dir) Plan(want map[string][]byte) (*Plan, error) {
	l := d.layout
	p := &Plan{Want: map[string][]byte{}, OnDisk: map[string][]byte{}, Stale: map[string][]byte{}, d: d}
	for rel, data := range want {
		rel = filepath.Clean(rel)
		if !filepath.IsLocal(rel) || !l.Writes(filepath.ToSlash(rel)) {
			return nil, fmt.Errorf("output: %q is not a file %s writes", rel, l.Command)
		}
		p.Want[rel] = data
	}
	if d.root == nil {
		return p, nil // DIR is missing: every file is new
	}
	if err := d.checkDirs(); err != nil {
		return nil, err
	}
	var errs []error
	for _, rel := range sortedKeys(p.Want) {
		fi, err := d.root.Lstat(rel)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			errs = append(errs, &Error{Path: d.join(rel), Op: "cannot read", Err: err})
		case !fi.Mode().IsRegular():
			errs = append(errs, safeio.NotRegular(d.join(rel), fi.Mode()))
		case l.Generated == nil:
			p.Foreign = append(p.Foreign, d.join(rel))
		default:
			data, err := d.root.ReadRegular(rel, MaxFileSize)
			switch {
			case errors.Is(err, safeio.ErrNotRegular):
				errs = append(errs, err) // changed since the Lstat
			case err != nil:
				p.Foreign = append(p.Foreign, d.join(rel)) // there, but unreadable or too big
			default:
				p.OnDisk[rel] = data
				if !l.Generated(data) {
					p.Foreign = append(p.Foreign, d.join(rel))
				}
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if !l.RemoveStale {
		return p, nil
	}
	for _, sub := range l.Dirs {
		entries, err := d.readDir(sub)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			rel := filepath.Join(sub, e.Name())
			if !e.Type().IsRegular() || !l.Writes(path.Join(sub, e.Name())) || p.Want[rel] != nil {
				continue
			}
			if data, err := d.root.ReadRegular(rel, MaxFileSize); err == nil && l.Generated(data) {
				p.Stale[rel] = data
			}
		}
	}
	return p, nil
}

// readDir lists the directory sub of DIR: none when it is missing.
func (d *Dir) readDir(sub string) ([]fs.DirEntry, error) {
	f, err := d.root.Open(sub)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, &Error{Path: d.join(sub), Op: "cannot read", Err: err}
	}
	defer f.Close()
	entries, err := f.ReadDir(-1)
	if err != nil {
		return nil, &Error{Path: d.join(sub), Op: "cannot read", Err: err}
	}
	return entries, nil
}

// changed lists the files of Want whose content DIR does not have.
func (p *Plan) changed() []string {
	var out []string
	for _, rel := range sortedKeys(p.Want) {
		if old, ok := p.OnDisk[rel]; !ok || !bytes.Equal(old, p.Want[rel]) {
			out = append(out, rel)
		}
	}
	return out
}

// Diff is the unified diff from DIR to the set, "" when DIR is up to date:
// changed and new files, then stale files, each in path order.
func (p *Plan) Diff() string {
	var out strings.Builder
	for _, rel := range p.changed() {
		name := filepath.ToSlash(rel)
		from := "a/" + name
		if _, ok := p.OnDisk[rel]; !ok {
			from = "/dev/null"
		}
		out.WriteString(diff.Unified(from, "b/"+name, string(p.OnDisk[rel]), string(p.Want[rel])))
	}
	for _, rel := range sortedKeys(p.Stale) {
		out.WriteString(diff.Unified("a/"+filepath.ToSlash(rel), "/dev/null", string(p.Stale[rel]), ""))
	}
	return out.String()
}

// Result is what a Commit did; paths are relative to DIR, sorted.
type Result struct {
	Written   []string // new or changed files put in place
	Unchanged []string // files DIR already had, not rewritten
	Removed   []string // stale files removed
}

// Commit makes DIR hold the plan's files, as one transaction (see the
// package documentation). It refuses, writing nothing, when a file of
// p.Foreign would be overwritten, unless force. On an error, DIR is as it
// was.
func (p *Plan) Commit(force bool) (Result, error) {
	d := p.d
	if d.mode != ForWrite || d.root == nil {
		return Result{}, fmt.Errorf("output: %s was not opened for writing", d.path)
	}
	if len(p.Foreign) > 0 && !force {
		refusal := ErrNotGenerated
		if d.layout.Generated == nil {
			refusal = ErrExists
		}
		errs := make([]error, len(p.Foreign))
		for i, f := range p.Foreign {
			errs[i] = &Error{Path: f, Err: refusal}
		}
		return Result{}, errors.Join(errs...)
	}
	var res Result
	t := &txn{d: d}
	for _, rel := range sortedKeys(p.Want) {
		if old, ok := p.OnDisk[rel]; ok && bytes.Equal(old, p.Want[rel]) {
			res.Unchanged = append(res.Unchanged, rel)
			continue
		}
		res.Written = append(res.Written, rel)
		t.files = append(t.files, &txnFile{rel: rel, data: p.Want[rel], write: true})
	}
	for _, rel := range sortedKeys(p.Stale) {
		res.Removed = append(res.Removed, rel)
		t.files = append(t.files, &txnFile{rel: rel})
	}
	if len(t.files) == 0 {
		return res, nil
	}
	if err := t.run(); err != nil {
		return Result{}, err
	}
	return res, nil
}

// Write opens dir for writing, plans want and commits it: what axc build
// (with the Build layout) and axc import do.
func Write(dir string, l *Layout, want map[string][]byte, force bool) (Result, error) {
	d, err := Open(dir, l, ForWrite)
	if err != nil {
		return Result{}, err
	}
	defer d.Close()
	p, err := d.Plan(want)
	if err != nil {
		return Result{}, err
	}
	return p.Commit(force)
}

// Check opens dir for checking and returns the diff from it to want, ""
// when it is up to date: what axc build --check does.
func Check(dir string, l *Layout, want map[string][]byte) (string, error) {
	d, err := Open(dir, l, ForCheck)
	if err != nil {
		return "", err
	}
	defer d.Close()
	p, err := d.Plan(want)
	if err != nil {
		return "", err
	}
	return p.Diff(), nil
}

// mkdirAll creates dir and any missing parents, and returns the directories
// it created, outermost first. dir is as the user gave it: this is the one
// place output works outside DIR's root.
func mkdirAll(dir string) ([]string, error) {
	var missing []string
	for p := filepath.Clean(dir); ; {
		fi, err := os.Stat(p)
		if err == nil {
			if !fi.IsDir() {
				return nil, &Error{Path: p, Err: syscall.ENOTDIR}
			}
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, &Error{Path: p, Op: "cannot create directory", Err: err}
		}
		missing = append(missing, p)
		parent := filepath.Dir(p)
		if parent == p {
			break
		}
		p = parent
	}
	var created []string
	for i := len(missing) - 1; i >= 0; i-- {
		if err := os.Mkdir(missing[i], 0o755); err != nil {
			return created, &Error{Path: missing[i], Op: "cannot create directory", Err: err}
		}
		created = append(created, missing[i])
	}
	return created, nil
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
