package output

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sync"
	"syscall"

	"github.com/axc-dev/axc/internal/safeio"
)

// Names of axc's own files in DIR. For a file NAME of the set, its new
// content is staged in .NAME.axc-new and its old file kept in
// .NAME.axc-old, beside it; the layout names the journal of the files a
// run puts in place.
const (
	newSuffix = ".axc-new"
	oldSuffix = ".axc-old"
)

func tempName(rel string) string {
	return filepath.Join(filepath.Dir(rel), "."+filepath.Base(rel)+newSuffix)
}

func backupName(rel string) string {
	return filepath.Join(filepath.Dir(rel), "."+filepath.Base(rel)+oldSuffix)
}

// tempFile matches the temporary files of axc in a directory, capturing
// the name of the file of the set they belong to: .NAME.axc-new,
// .NAME.axc-old, and the .NAME.tmpDIGITS of older axc versions.
var tempFile = regexp.MustCompile(`^\.(.+)(?:\.axc-new|\.axc-old|\.tmp[0-9]+)$`)

// testHook, set only by tests, is called at each step of a commit or a
// recovery: "staged" (the new files and backups are written), "journaled",
// "applied" (after each file is put in place or removed, with its path),
// "committed" (the journal is removed), and "restored" (by a rollback,
// after each file, with its path). An error from it fails the step;
// errKilled makes the commit or the recovery return at once, leaving DIR
// as a killed process would.
var testHook func(step, rel string) error

var errKilled = errors.New("killed (test)")

func hook(step, rel string) error {
	if testHook == nil {
		return nil
	}
	return testHook(step, rel)
}

// journal is the on-disk record of a commit, written before the first file
// is put in place and removed once the last one is.
type journal struct {
	Version int `json:"axc-build-journal"`
	// Dirs are directories the run created, to remove if empty.
	Dirs []string `json:"dirs,omitempty"`
	// Files are the files the run changes, in the order it changes them.
	Files []journalFile `json:"files"`
}

// journalFile is one file of a commit. Paths are relative to DIR, with
// slashes.
type journalFile struct {
	Path string `json:"path"`
	// New is the staged new content that is renamed to Path; none when
	// Path is removed.
	New string `json:"new,omitempty"`
	// Old is a backup of the file at Path before the run (a hard link,
	// or a copy on file systems without them); none when Path was absent.
	Old string `json:"old,omitempty"`
	// Sum is the SHA-256, in hex, of New's content: for a layout without
	// Generated (axc import's files carry no header by which to know
	// them), a rollback may remove or replace a file with this content.
	Sum string `json:"sha256,omitempty"`
}

// txnFile is a file of a commit.
type txnFile struct {
	rel      string
	data     []byte
	write    bool // else remove
	staged   bool // .axc-new written
	backedUp bool // .axc-old written
}

// txn is one commit's changes to DIR.
type txn struct {
	d     *Dir
	files []*txnFile
	dirs  []string // created, relative to DIR
}

// run stages every file, writes the journal, then puts the files in place.
func (t *txn) run() error {
	d := t.d
	if err := t.stage(); err != nil {
		t.discard()
		return err
	}
	if err := hook("staged", ""); err != nil {
		if err != errKilled {
			t.discard()
		}
		return err
	}
	j := t.journal()
	if err := d.writeJournal(j); err != nil {
		t.discard()
		return err
	}
	if err := hook("journaled", ""); err != nil {
		if err != errKilled {
			err = d.rollBackAfter(j, err)
		}
		return err
	}
	for _, f := range t.files {
		if f.write {
			if err := d.root.Rename(tempName(f.rel), f.rel); err != nil {
				return d.rollBackAfter(j, &Error{Path: d.join(f.rel), Op: "cannot write", Err: err})
			}
		} else if err := d.root.Remove(f.rel); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return d.rollBackAfter(j, &Error{Path: d.join(f.rel), Op: "cannot remove", Err: err})
		}
		if err := hook("applied", f.rel); err != nil {
			if err != errKilled {
				err = d.rollBackAfter(j, err)
			}
			return err
		}
	}
	t.syncDirs()
	// The commit point: a journal left behind is rolled back.
	journalPath := d.layout.Journal
	if err := d.root.Remove(journalPath); err != nil {
		return d.rollBackAfter(j, &Error{Path: d.join(journalPath), Op: "cannot remove", Err: err})
	}
	d.root.SyncDir(".")
	if err := hook("committed", ""); err != nil {
		return err // only errKilled makes sense here
	}
	for _, f := range t.files {
		if f.backedUp {
			d.root.Remove(backupName(f.rel))
		}
	}
	// They hold the output now.
	d.madeIn, d.madeOut = nil, nil
	return nil
}

// stage writes each new file to its temporary name and backs up each file
// that is to be replaced or removed. The directories are made first, in
// order; then the files are staged stageWorkers at a time, since each is a
// write and an fsync, and the file system commits fsyncs that wait
// together at once (1000 hosts' files, one after another, took 0.1 to
// 0.4 s of waiting, more after another large build). The error is the
// first file's in order, its directory's or its own, as when they were
// staged one by one (build_unwritable: a read-only DIR names flake.nix,
// not hosts/).
func (t *txn) stage() error {
	d := t.d
	errs := make([]error, len(t.files))
	for i, f := range t.files {
		if dir := filepath.Dir(f.rel); f.write && dir != "." {
			// Plan checked that it is a real directory if it exists.
			err := d.root.Mkdir(dir, 0o755)
			switch {
			case err == nil:
				d.madeIn = append(d.madeIn, dir)
				t.dirs = append(t.dirs, dir)
			case !errors.Is(err, fs.ErrExist):
				// The file's error, in its place in the order: an earlier
				// file's error, if any, is the one said.
				errs[i] = &Error{Path: d.join(dir), Op: "cannot create directory", Err: err}
			}
		}
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, stageWorkers)
	for i, f := range t.files {
		if errs[i] != nil {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			errs[i] = t.stageFile(f)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	t.syncDirs()
	return nil
}

// stageWorkers is how many files stage writes at once.
const stageWorkers = 16

// stageFile writes f's temporary file and backs up the file it replaces
// or removes.
func (t *txn) stageFile(f *txnFile) error {
	d := t.d
	op := "cannot remove"
	if f.write {
		op = "cannot write"
		f.staged = true
		if err := d.root.WriteNew(tempName(f.rel), f.data, 0o644); err != nil {
			return &Error{Path: d.join(f.rel), Op: op, Err: err}
		}
	}
	if _, err := d.root.LstatRegular(f.rel); err == nil {
		f.backedUp = true
		if err := d.backup(f.rel); err != nil {
			return &Error{Path: d.join(f.rel), Op: op, Err: err}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// discard removes what stage wrote; nothing was put in place.
func (t *txn) discard() {
	d := t.d
	for _, f := range t.files {
		if f.staged {
			d.root.Remove(tempName(f.rel))
		}
		if f.backedUp {
			d.root.Remove(backupName(f.rel))
		}
	}
	d.root.Remove(d.layout.Journal + newSuffix)
	d.removeCreated()
}

func (t *txn) journal() *journal {
	j := &journal{Version: 1, Files: []journalFile{}}
	for _, dir := range t.dirs {
		j.Dirs = append(j.Dirs, filepath.ToSlash(dir))
	}
	for _, f := range t.files {
		jf := journalFile{Path: filepath.ToSlash(f.rel)}
		if f.write {
			jf.New = filepath.ToSlash(tempName(f.rel))
			jf.Sum = digest(f.data)
		}
		if f.backedUp {
			jf.Old = filepath.ToSlash(backupName(f.rel))
		}
		j.Files = append(j.Files, jf)
	}
	return j
}

func digest(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// syncDirs makes the directory entries of the commit's files durable.
func (t *txn) syncDirs() {
	seen := map[string]bool{}
	for _, f := range t.files {
		dir := filepath.Dir(f.rel)
		if !seen[dir] {
			seen[dir] = true
			t.d.root.SyncDir(dir)
		}
	}
}

// writeJournal writes j to the layout's journal, durably: the journal is
// either absent or whole.
func (d *Dir) writeJournal(j *journal) error {
	data, err := json.MarshalIndent(j, "", "\t")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	name := d.layout.Journal
	tmp := name + newSuffix
	if err := d.root.WriteNew(tmp, data, 0o644); err != nil {
		return &Error{Path: d.join(name), Op: "cannot write", Err: err}
	}
	if err := d.root.Rename(tmp, name); err != nil {
		d.root.Remove(tmp)
		return &Error{Path: d.join(name), Op: "cannot write", Err: err}
	}
	d.root.SyncDir(".")
	return nil
}

// readJournal parses a journal of layout l and checks that it names only
// the set's files and their temporary names, and only the set's
// directories. It does not look at DIR (see checkRollBack).
func readJournal(l *Layout, data []byte) (*journal, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var j journal
	if err := dec.Decode(&j); err != nil {
		return nil, fmt.Errorf("damaged journal: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("damaged journal: more after its end")
	}
	if j.Version != 1 {
		return nil, fmt.Errorf("journal of version %d; this axc reads version 1", j.Version)
	}
	seen := map[string]bool{}
	for _, dir := range j.Dirs {
		if !isLayoutDir(l, dir) || seen[dir] {
			return nil, fmt.Errorf("directory %q is not one %s creates", dir, l.Command)
		}
		seen[dir] = true
	}
	for _, f := range j.Files {
		rel := filepath.FromSlash(f.Path)
		switch {
		case !l.Writes(f.Path) || path.Clean(f.Path) != f.Path:
			return nil, fmt.Errorf("%q is not a file %s writes", f.Path, l.Command)
		case seen[f.Path]:
			return nil, fmt.Errorf("%q is listed twice", f.Path)
		case f.New != "" && f.New != filepath.ToSlash(tempName(rel)),
			f.Old != "" && f.Old != filepath.ToSlash(backupName(rel)),
			f.New == "" && f.Old == "",
			f.Sum != "" && !isDigest(f.Sum):
			return nil, fmt.Errorf("bad entry for %q", f.Path)
		}
		seen[f.Path] = true
	}
	return &j, nil
}

func isLayoutDir(l *Layout, dir string) bool {
	for _, d := range l.Dirs {
		if dir == d {
			return true
		}
	}
	return false
}

var digestRe = regexp.MustCompile(`^[0-9a-f]{64}$`)

func isDigest(s string) bool { return digestRe.MatchString(s) }

// recover rolls back a run that was killed after writing its journal, and
// removes the temporary files of killed runs.
func (d *Dir) recover() error {
	name := d.layout.Journal
	_, err := d.root.LstatRegular(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		d.removeLeftovers()
		return nil
	case err != nil:
		return d.refuse(err)
	}
	if d.mode == ForCheck {
		if err := exclusive(d.lock, d.path); err != nil {
			return err
		}
	}
	data, err := d.root.ReadRegular(name, MaxFileSize)
	if err != nil {
		return d.refuse(err)
	}
	j, err := readJournal(d.layout, data)
	if err != nil {
		return d.refuse(err)
	}
	if err := d.checkRollBack(j); err != nil {
		return d.refuse(err)
	}
	if err := d.rollBack(j); err != nil {
		return err
	}
	d.removeLeftovers()
	return nil
}

// refuse is the error of a journal that is not rolled back: nothing was
// changed.
func (d *Dir) refuse(why error) error {
	return &Error{
		Path: d.join(d.layout.Journal),
		Op:   "not rolled back, nothing changed",
		Err:  fmt.Errorf("%s (remove the journal if no %s was killed writing here)", confineReason(d, why), d.layout.Command),
	}
}

// confineReason says why without the journal's own path when the error
// names it already.
func confineReason(d *Dir, err error) string {
	var se *safeio.Error
	switch {
	case errors.As(err, &se) && se.Path == d.join(d.layout.Journal):
		return se.Reason()
	case errors.As(err, &se):
		return err.Error()
	}
	return d.root.Reason(err)
}

// removeLeftovers removes, best effort, the temporary files of runs killed
// before they wrote a journal (or after they removed it): only names that
// are temporary names of files of the set, in DIR and the set's real
// directories, and never a directory.
func (d *Dir) removeLeftovers() {
	var found []string
	if _, err := d.root.Lstat(d.layout.Journal + newSuffix); err == nil {
		found = append(found, d.layout.Journal+newSuffix)
	}
	for _, sub := range append([]string{"."}, d.layout.Dirs...) {
		if fi, err := d.root.Lstat(sub); err != nil || !fi.IsDir() {
			continue // missing, or a link: not the set's
		}
		entries, _ := d.readDir(sub)
		for _, e := range entries {
			m := tempFile.FindStringSubmatch(e.Name())
			if m != nil && !e.IsDir() && d.layout.Writes(path.Join(filepath.ToSlash(sub), m[1])) {
				found = append(found, filepath.Join(sub, e.Name()))
			}
		}
	}
	if len(found) == 0 {
		return
	}
	if d.mode == ForCheck && exclusive(d.lock, d.path) != nil {
		return // another check is reading DIR: leave them to the next build
	}
	for _, f := range found {
		d.root.Remove(f)
	}
}

// rollBackAfter rolls back a commit that failed with cause after writing
// its journal.
func (d *Dir) rollBackAfter(j *journal, cause error) error {
	if err := d.rollBack(j); err != nil {
		if err == errKilled {
			return err
		}
		return errors.Join(cause, err)
	}
	return cause
}

// checkRollBack checks, changing nothing, that rolling back j touches only
// what the package documentation allows: the directories of its files and
// its directories are real ones, its temporary files are regular files,
// and every file it would remove or replace is regular and the set's own
// (or the backup that replaces it).
func (d *Dir) checkRollBack(j *journal) error {
	dirs := map[string]bool{}
	for _, dir := range j.Dirs {
		dirs[dir] = true
	}
	for _, f := range j.Files {
		if dir := path.Dir(f.Path); dir != "." {
			dirs[dir] = true
		}
	}
	for _, dir := range sortedSet(dirs) {
		fi, err := d.root.Lstat(filepath.FromSlash(dir))
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return &fs.PathError{Op: "lstat", Path: d.join(dir), Err: err}
		case fi.Mode()&fs.ModeSymlink != 0:
			target, _ := d.root.Readlink(dir)
			return fmt.Errorf("%s is a symbolic link (to %s), not the directory the journal's files are in", d.join(dir), target)
		case !fi.IsDir():
			return fmt.Errorf("%s: not a directory", d.join(dir))
		}
	}
	for _, f := range j.Files {
		if err := d.checkRestore(f); err != nil {
			return err
		}
	}
	return nil
}

// checkRestore checks that restoring f (see restore) may touch what it
// touches.
func (d *Dir) checkRestore(f journalFile) error {
	target := filepath.FromSlash(f.Path)
	for _, name := range []string{f.New, f.Old} {
		if name == "" {
			continue
		}
		if _, err := d.root.LstatRegular(filepath.FromSlash(name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	replaces, err := d.replaces(f)
	if err != nil || !replaces {
		return err
	}
	ti, err := d.root.LstatRegular(target)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	data, rerr := d.root.ReadRegular(target, MaxFileSize)
	if rerr == nil && d.owns(f, data) {
		return nil
	}
	if f.Old != "" {
		// The backup itself (a second link to the file, when the run was
		// killed before its rename) or a copy of it.
		old := filepath.FromSlash(f.Old)
		if oi, err := d.root.Lstat(old); err == nil && os.SameFile(ti, oi) {
			return nil
		}
		if odata, err := d.root.ReadRegular(old, MaxFileSize); rerr == nil && err == nil && bytes.Equal(data, odata) {
			return nil
		}
	}
	verb := "remove"
	if f.Old != "" {
		verb = "replace"
	}
	return fmt.Errorf("%s is not a file %s wrote (%s), which the journal would %s", d.join(target), d.layout.Command, d.notOwnedWhy(), verb)
}

func (d *Dir) notOwnedWhy() string {
	if d.layout.Generated != nil {
		return "its first line is not axc's header"
	}
	return "its content is not what the journal says was written"
}

// replaces reports whether restoring f removes or replaces the file at
// f.Path: when its backup is there to put back, or when it was absent
// before and its new content was put in place (its staged copy is gone).
func (d *Dir) replaces(f journalFile) (bool, error) {
	name := f.Old
	if name == "" {
		name = f.New
	}
	_, err := d.root.Lstat(filepath.FromSlash(name))
	switch {
	case err == nil:
		return f.Old != "", nil
	case errors.Is(err, fs.ErrNotExist):
		return f.Old == "", nil
	}
	return false, err
}

// owns reports whether data, the content of f.Path, is the set's own: the
// layout says so (axc build: only its header does, whatever the journal
// says), or, for a layout that knows no file of its own (axc import), it
// is what the journal says the run wrote.
func (d *Dir) owns(f journalFile, data []byte) bool {
	if d.layout.Generated != nil {
		return d.layout.Generated(data)
	}
	return f.Sum != "" && digest(data) == f.Sum
}

// rollBack puts back, from their backups, the files of j that its run
// replaced or removed, and removes what the run added; then it removes
// the run's temporary files and journal. It can be run again after it was
// itself killed: a backup already put back is gone, and a new file whose
// staged copy is still there was never put in place. When a file cannot be
// put back, the journal and backups stay for the next run to retry. Each
// file is checked again (checkRestore) right before it is touched.
func (d *Dir) rollBack(j *journal) error {
	for i := len(j.Files) - 1; i >= 0; i-- {
		f := j.Files[i]
		target := d.join(filepath.FromSlash(f.Path))
		if err := d.checkRestore(f); err != nil {
			return &Error{Path: d.join(d.layout.Journal), Op: "rollback stopped, the rest left as it is", Err: err}
		}
		if err := d.restore(f); err != nil {
			return &Error{Path: target, Op: "cannot restore the previous output (the next " + d.layout.Command + " retries)", Err: err}
		}
		if err := hook("restored", filepath.FromSlash(f.Path)); err != nil {
			return err
		}
	}
	dirs := map[string]bool{".": true}
	for _, f := range j.Files {
		for _, name := range []string{f.New, f.Old} {
			if name == "" {
				continue
			}
			rel := filepath.FromSlash(name)
			if fi, err := d.root.Lstat(rel); err == nil && fi.Mode().IsRegular() {
				d.root.Remove(rel)
			}
		}
		dirs[filepath.Dir(filepath.FromSlash(f.Path))] = true
	}
	for i := len(j.Dirs) - 1; i >= 0; i-- {
		d.removeEmptyDir(filepath.FromSlash(j.Dirs[i]))
	}
	for dir := range dirs {
		d.root.SyncDir(dir)
	}
	name := d.layout.Journal
	if err := d.root.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return &Error{Path: d.join(name), Op: "cannot remove", Err: err}
	}
	d.root.SyncDir(".")
	return nil
}

// restore puts back the file f.Path had before its run.
func (d *Dir) restore(f journalFile) error {
	target := filepath.FromSlash(f.Path)
	replaces, err := d.replaces(f)
	if err != nil || !replaces {
		return err
	}
	if f.Old != "" {
		// When the backup is a second link to the file in place, rename
		// does nothing and succeeds; the backup is removed afterwards.
		return d.root.Rename(filepath.FromSlash(f.Old), target)
	}
	if err := d.root.Remove(target); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// backup keeps the regular file rel as its backup name: a hard link, or a
// copy where the file system (or fs.protected_hardlinks) does not allow
// one.
func (d *Dir) backup(rel string) error {
	name := backupName(rel)
	if err := d.root.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err // of a killed run
	}
	err := d.root.Link(rel, name)
	if err == nil {
		return nil
	}
	var errno syscall.Errno
	if !errors.As(err, &errno) || !(errno == syscall.EPERM || errno == syscall.EMLINK || errno == syscall.EXDEV || errno == syscall.ENOTSUP || errno == syscall.EOPNOTSUPP) {
		return err
	}
	fi, err := d.root.LstatRegular(rel)
	if err != nil {
		return err
	}
	data, err := d.root.ReadRegular(rel, MaxFileSize)
	if err != nil {
		return err
	}
	return d.root.WriteNew(name, data, fi.Mode().Perm())
}

func sortedSet(m map[string]bool) []string { return slices.Sorted(maps.Keys(m)) }
