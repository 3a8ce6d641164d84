package output

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"syscall"
)

// Names of axc's own files in DIR. For an output file NAME, its new content
// is staged in .NAME.axc-new and its old file kept in .NAME.axc-old, beside
// it; a journal of the files a build puts in place is DIR/.axc-build.journal.
const (
	journalName = ".axc-build.journal"
	newSuffix   = ".axc-new"
	oldSuffix   = ".axc-old"
)

func tempName(rel string) string {
	return filepath.Join(filepath.Dir(rel), "."+filepath.Base(rel)+newSuffix)
}

func backupName(rel string) string {
	return filepath.Join(filepath.Dir(rel), "."+filepath.Base(rel)+oldSuffix)
}

// leftover matches axc's temporary files in DIR (false) and its generated
// directories, DIR/hosts and DIR/users (true), and those of
// axc versions that staged files as .NAME.tmpDIGITS.
var leftover = map[bool]*regexp.Regexp{
	false: regexp.MustCompile(`^\.(.+\.axc-new|.+\.axc-old|flake\.nix\.tmp[0-9]+)$`),
	true:  regexp.MustCompile(`^\.(.+\.axc-new|.+\.axc-old|.+\.nix\.tmp[0-9]+)$`),
}

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
	// Dirs are directories the build created, to remove if empty.
	Dirs []string `json:"dirs,omitempty"`
	// Files are the files the build changes, in the order it changes them.
	Files []journalFile `json:"files"`
}

// journalFile is one file of a commit. Paths are relative to DIR, with
// slashes.
type journalFile struct {
	Path string `json:"path"`
	// New is the staged new content that is renamed to Path; none when
	// Path is removed.
	New string `json:"new,omitempty"`
	// Old is a backup of the file at Path before the build (a hard link,
	// or a copy on file systems without them); none when Path was absent.
	Old string `json:"old,omitempty"`
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
		target := d.join(f.rel)
		if f.write {
			if err := os.Rename(d.join(tempName(f.rel)), target); err != nil {
				return d.rollBackAfter(j, &Error{Path: target, Op: "cannot write", Err: err})
			}
		} else if err := os.Remove(target); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return d.rollBackAfter(j, &Error{Path: target, Op: "cannot remove", Err: err})
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
	if err := os.Remove(d.join(journalName)); err != nil {
		return d.rollBackAfter(j, &Error{Path: d.join(journalName), Op: "cannot remove", Err: err})
	}
	syncDir(d.path)
	if err := hook("committed", ""); err != nil {
		return err // only errKilled makes sense here
	}
	for _, f := range t.files {
		if f.backedUp {
			os.Remove(d.join(backupName(f.rel)))
		}
	}
	d.created = nil // they hold the output now
	return nil
}

// stage writes each new file to its temporary name and backs up each file
// that is to be replaced or removed.
func (t *txn) stage() error {
	d := t.d
	for _, f := range t.files {
		target := d.join(f.rel)
		op := "cannot remove"
		if f.write {
			op = "cannot write"
			created, err := mkdirAll(filepath.Dir(target))
			d.created = append(d.created, created...)
			for _, c := range created {
				rel, _ := filepath.Rel(d.path, c)
				t.dirs = append(t.dirs, rel)
			}
			if err != nil {
				return err
			}
			f.staged = true
			if err := writeSynced(d.join(tempName(f.rel)), f.data, 0o644); err != nil {
				return &Error{Path: target, Op: op, Err: err}
			}
		}
		if _, err := os.Lstat(target); err == nil {
			f.backedUp = true
			if err := backup(target, d.join(backupName(f.rel))); err != nil {
				return &Error{Path: target, Op: op, Err: err}
			}
		} else if !errors.Is(err, fs.ErrNotExist) {
			return &Error{Path: target, Op: op, Err: err}
		}
	}
	t.syncDirs()
	return nil
}

// discard removes what stage wrote; nothing was put in place.
func (t *txn) discard() {
	for _, f := range t.files {
		if f.staged {
			os.Remove(t.d.join(tempName(f.rel)))
		}
		if f.backedUp {
			os.Remove(t.d.join(backupName(f.rel)))
		}
	}
	os.Remove(t.d.join(journalName + newSuffix))
	t.d.removeCreated()
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
		}
		if f.backedUp {
			jf.Old = filepath.ToSlash(backupName(f.rel))
		}
		j.Files = append(j.Files, jf)
	}
	return j
}

// syncDirs makes the directory entries of the commit's files durable.
func (t *txn) syncDirs() {
	seen := map[string]bool{}
	for _, f := range t.files {
		dir := filepath.Dir(t.d.join(f.rel))
		if !seen[dir] {
			seen[dir] = true
			syncDir(dir)
		}
	}
}

// writeJournal writes j to DIR/.axc-build.journal, durably: the journal is
// either absent or whole.
func (d *Dir) writeJournal(j *journal) error {
	data, err := json.MarshalIndent(j, "", "\t")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	path, tmp := d.join(journalName), d.join(journalName+newSuffix)
	if err := writeSynced(tmp, data, 0o644); err != nil {
		return &Error{Path: path, Op: "cannot write", Err: err}
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return &Error{Path: path, Op: "cannot write", Err: err}
	}
	syncDir(d.path)
	return nil
}

// readJournal parses a journal and checks that it names only axc's files
// inside DIR.
func readJournal(data []byte) (*journal, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var j journal
	if err := dec.Decode(&j); err != nil {
		return nil, fmt.Errorf("damaged journal: %v", err)
	}
	if j.Version != 1 {
		return nil, fmt.Errorf("journal of version %d; this axc reads version 1", j.Version)
	}
	for _, dir := range j.Dirs {
		if !filepath.IsLocal(filepath.FromSlash(dir)) {
			return nil, fmt.Errorf("damaged journal: directory %q is not inside the output directory", dir)
		}
	}
	for _, f := range j.Files {
		rel := filepath.FromSlash(f.Path)
		switch {
		case !filepath.IsLocal(rel):
			return nil, fmt.Errorf("damaged journal: %q is not inside the output directory", f.Path)
		case f.New != "" && f.New != filepath.ToSlash(tempName(rel)),
			f.Old != "" && f.Old != filepath.ToSlash(backupName(rel)),
			f.New == "" && f.Old == "":
			return nil, fmt.Errorf("damaged journal: bad entry for %q", f.Path)
		}
	}
	return &j, nil
}

// recover rolls back a build that was killed after writing its journal, and
// removes the temporary files of killed builds.
func (d *Dir) recover() error {
	path := d.join(journalName)
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return &Error{Path: path, Op: "cannot read", Err: err}
	}
	if err == nil {
		if d.mode == ForCheck {
			if err := exclusive(d.lock, d.path); err != nil {
				return err
			}
		}
		j, err := readJournal(data)
		if err != nil {
			return &Error{Path: path, Op: "cannot roll back a killed build", Err: err}
		}
		if err := d.rollBack(j); err != nil {
			return err
		}
	}
	d.removeLeftovers()
	return nil
}

// removeLeftovers removes, best effort, the temporary files of builds killed
// before they wrote a journal (or after they removed it).
func (d *Dir) removeLeftovers() {
	var found []string
	for _, sub := range append([]string{""}, generatedDirs...) {
		dir := d.join(sub)
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if !e.IsDir() && leftover[sub != ""].MatchString(e.Name()) {
				found = append(found, filepath.Join(dir, e.Name()))
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
		os.Remove(f)
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

// rollBack puts back, from their backups, the files of j that its build
// replaced or removed, and removes what the build added; then it removes
// the build's temporary files and journal. It can be run again after it was
// itself killed: a backup already put back is gone, and a new file whose
// staged copy is still there was never put in place. When a file cannot be
// put back, the journal and backups stay for the next build to retry.
func (d *Dir) rollBack(j *journal) error {
	for i := len(j.Files) - 1; i >= 0; i-- {
		f := j.Files[i]
		target := d.join(filepath.FromSlash(f.Path))
		if err := d.restore(f); err != nil {
			return &Error{Path: target, Op: "cannot restore the previous output (the next axc build retries)", Err: err}
		}
		if err := hook("restored", filepath.FromSlash(f.Path)); err != nil {
			return err
		}
	}
	dirs := map[string]bool{d.path: true}
	for _, f := range j.Files {
		for _, name := range []string{f.New, f.Old} {
			if name != "" {
				os.Remove(d.join(filepath.FromSlash(name)))
			}
		}
		dirs[filepath.Dir(d.join(filepath.FromSlash(f.Path)))] = true
	}
	for i := len(j.Dirs) - 1; i >= 0; i-- {
		os.Remove(d.join(filepath.FromSlash(j.Dirs[i]))) // if empty
	}
	for dir := range dirs {
		syncDir(dir)
	}
	path := d.join(journalName)
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return &Error{Path: path, Op: "cannot remove", Err: err}
	}
	syncDir(d.path)
	return nil
}

// restore puts back the file f.Path had before its build.
func (d *Dir) restore(f journalFile) error {
	target := d.join(filepath.FromSlash(f.Path))
	if f.Old != "" {
		// When the backup is a second link to the file in place, rename
		// does nothing and succeeds; the backup is removed afterwards.
		err := os.Rename(d.join(filepath.FromSlash(f.Old)), target)
		if errors.Is(err, fs.ErrNotExist) {
			return nil // put back by an earlier rollback
		}
		return err
	}
	// Absent before: remove the new file, if it was put in place (its
	// staged copy is gone).
	if _, err := os.Lstat(d.join(filepath.FromSlash(f.New))); err == nil {
		return nil
	}
	if err := os.Remove(target); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// writeSynced writes data to name with mode perm and syncs it.
func writeSynced(name string, data []byte, perm fs.FileMode) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
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
		os.Remove(name)
	}
	return err
}

// backup keeps the file at target as name: a hard link, or a copy where
// the file system (or fs.protected_hardlinks) does not allow one.
func backup(target, name string) error {
	os.Remove(name) // of a killed build
	err := os.Link(target, name)
	if err == nil {
		return nil
	}
	var errno syscall.Errno
	if !errors.As(err, &errno) || !(errno == syscall.EPERM || errno == syscall.EMLINK || errno == syscall.EXDEV || errno == syscall.ENOTSUP || errno == syscall.EOPNOTSUPP) {
		return err
	}
	fi, err := os.Lstat(target)
	if err != nil {
		return err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		dest, err := os.Readlink(target)
		if err != nil {
			return err
		}
		return os.Symlink(dest, name)
	}
	data, err := os.ReadFile(target)
	if err != nil {
		return err
	}
	return writeSynced(name, data, fi.Mode().Perm())
}

// syncDir makes the entries of dir durable, where the file system can.
func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		f.Sync()
		f.Close()
	}
}
