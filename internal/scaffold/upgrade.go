package scaffold

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

	"github.com/axc-dev/axc/internal/confine"
	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/release"
	"github.com/axc-dev/axc/internal/safeio"
	"github.com/axc-dev/axc/schema"
)

// Choose picks the release for the repository in dir: the one flag (--axios)
// names; else the one the flake.lock that axc vet reads for dir/hosts (dir's
// own, or one above it) pins; else the newest. dir "" reads no lock.
func Choose(t *release.Table, flag, dir string) (release.Choice, error) {
	opts := release.Options{Flag: flag}
	if flag == "" && dir != "" {
		from := filepath.Join(dir, "hosts")
		if info, err := os.Stat(from); err != nil || !info.IsDir() {
			from = dir
		}
		if lock, _ := release.FindLock(from); lock != "" {
			opts.LockFile = load.RelPath(lock)
		}
	}
	return t.Choose(opts)
}

// Upgraded says what Upgrade changed.
type Upgraded struct {
	// From is the release of the schema vendored before: "" when there was
	// none, or its host.cue declares none.
	From string
	To   release.Release
	// Added, Changed and Removed are the schema's files (by name) that
	// Upgrade added, rewrote and removed.
	Added, Changed, Removed []string
	// Lock is the release the rewritten flake.lock pins, or nil when it was
	// left alone.
	Lock *release.Release
}

// Any reports whether Upgrade changed anything.
func (u *Upgraded) Any() bool {
	return len(u.Added)+len(u.Changed)+len(u.Removed) > 0 || u.Lock != nil
}

// Upgrade makes the schema vendored in dir (SchemaDir) release r's, and
// when dir's flake.lock is the minimal lock Create wrote for another
// release, rewrites it for r, so that axc vet checks against r. A lock that
// is any other (Nix's, once it completed the minimal one) is left alone:
// the caller says when it pins another release. Nothing else changes.
//
// The schema directory is replaced whole: the new one is written beside it
// and renamed into place, the old one kept until the lock is written, and
// put back if anything fails.
//
// dir is the repository, as given; below it every operation goes through
// an os.Root on dir (internal/confine): a symbolic link on the way to the
// schema directory (cue.mod, cue.mod/pkg, …, the directory itself) that
// leads out of dir is refused with a *confine.LinkError before anything is
// written, and nothing outside dir is ever read, written or removed. A
// link that stays inside dir is followed; the schema directory, if it is
// one, is replaced by a directory (the link's target is left alone).
func Upgrade(dir string, t *release.Table, r release.Release) (*Upgraded, error) {
	modFile := filepath.Join(dir, filepath.FromSlash(ModuleFile))
	root, err := confine.Open(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: no %s, so no repository to upgrade (axc init makes one)", dir, ModuleFile)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %s", dir, confine.Reason(err))
	}
	defer root.Close()
	schemaRel := filepath.FromSlash(SchemaDir)
	if err := root.CheckDir(schemaRel, false); err != nil {
		return nil, err
	}
	switch _, err := root.Stat(filepath.FromSlash(ModuleFile)); {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%s: no %s, so no repository to upgrade (axc init makes one)", dir, ModuleFile)
	case err != nil:
		return nil, fmt.Errorf("%s: %s", modFile, root.Reason(err))
	}
	old, err := readSchemaDir(root, schemaRel)
	if err != nil {
		return nil, err
	}
	files, err := SchemaFiles(r.Tag)
	if err != nil {
		return nil, err
	}
	u := &Upgraded{From: schemaRelease(old[schema.HostFile]), To: r}
	for _, name := range sortedKeys(files) {
		switch data, ok := old[name]; {
		case !ok:
			u.Added = append(u.Added, name)
		case !bytes.Equal(data, files[name]):
			u.Changed = append(u.Changed, name)
		}
	}
	for _, name := range sortedKeys(old) {
		if _, ok := files[name]; !ok {
			u.Removed = append(u.Removed, name)
		}
	}

	var newLock []byte
	// A lock larger than any minimal lock is not the one Create wrote; a
	// lock that is not a regular file (a named pipe, say) is refused.
	switch data, err := root.ReadRegular(LockFile, 1<<20); {
	case err == nil:
		for _, pinned := range t.Releases() {
			if pinned.Rev != r.Rev && bytes.Equal(data, Lock(pinned)) {
				newLock, u.Lock = Lock(r), &r
				break
			}
		}
	case errors.Is(err, safeio.ErrNotRegular):
		return nil, err
	}
	if !u.Any() {
		return u, nil
	}

	var backup string
	replaced := len(u.Added)+len(u.Changed)+len(u.Removed) > 0
	if replaced {
		if backup, err = replaceDir(root, schemaRel, files, old != nil); err != nil {
			return nil, err
		}
	}
	if newLock != nil {
		if err := writeLock(root, LockFile, newLock); err != nil {
			if replaced { // put the old schema back
				root.RemoveAll(schemaRel)
				if backup != "" {
					root.Rename(backup, schemaRel)
				}
			}
			return nil, err
		}
	}
	if backup != "" {
		root.RemoveAll(backup)
	}
	return u, nil
}

// writeLock replaces the file rel of root with data: written beside it,
// then renamed over it, so that a reader sees the old or the new lock,
// and a link at rel is replaced, not followed. Tests make it fail.
var writeLock = func(root *confine.Root, rel string, data []byte) error {
	tmp := filepath.Join(filepath.Dir(rel), "."+filepath.Base(rel)+".axc-new")
	err := root.WriteNew(tmp, data, 0o644)
	if err == nil {
		if err = root.Rename(tmp, rel); err != nil {
			root.Remove(tmp)
		}
	}
	if err != nil {
		return fmt.Errorf("%s: cannot write: %s", root.Join(rel), root.Reason(err))
	}
	return nil
}

// maxSchemaFile bounds the read of a vendored schema file: far above any
// (the largest, options_gen.cue, is under 1 MiB).
const maxSchemaFile = 16 << 20

// readSchemaDir reads the files of the vendored schema directory rel of
// root: nil when it does not exist. Subdirectories, links and special
// files count as files (with a trailing /), never opened, so that
// replacing the directory reports them removed.
func readSchemaDir(root *confine.Root, rel string) (map[string][]byte, error) {
	f, err := root.Open(rel)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("%s: %s", root.Join(rel), root.Reason(err))
	}
	entries, err := f.ReadDir(-1)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("%s: %s", root.Join(rel), root.Reason(err))
	}
	out := map[string][]byte{}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			out[e.Name()+"/"] = nil
			continue
		}
		p := filepath.Join(rel, e.Name())
		data, err := root.ReadRegular(p, maxSchemaFile)
		if err != nil {
			if errors.Is(err, safeio.ErrNotRegular) || errors.Is(err, safeio.ErrTooLarge) {
				return nil, err
			}
			return nil, fmt.Errorf("%s: %s", root.Join(p), root.Reason(err))
		}
		out[e.Name()] = data
	}
	return out, nil
}

// replaceDir makes the directory rel of root hold exactly files: written
// into a new directory beside it, which is renamed into place. The old
// one, if it exists, is renamed aside first; its new name is returned, for
// the caller to remove (or put back).
func replaceDir(root *confine.Root, rel string, files map[string][]byte, exists bool) (backup string, err error) {
	parent := filepath.Dir(rel)
	shown := root.Join(rel)
	if err := root.MkdirAll(parent, 0o755); err != nil {
		return "", fmt.Errorf("%s: cannot create directory: %s", root.Join(parent), root.Reason(err))
	}
	stage, err := mkdirFresh(root, filepath.Join(parent, "."+filepath.Base(rel)+".new-"))
	if err != nil {
		return "", fmt.Errorf("%s: cannot write: %s", shown, root.Reason(err))
	}
	defer func() {
		if err != nil {
			root.RemoveAll(stage)
		}
	}()
	for _, name := range sortedKeys(files) {
		if err := root.WriteNew(filepath.Join(stage, name), files[name], 0o644); err != nil {
			return "", fmt.Errorf("%s: cannot write: %s", filepath.Join(shown, name), root.Reason(err))
		}
	}
	if exists {
		// A fresh name for the old directory: made, then freed for the
		// rename (which cannot replace a directory portably).
		if backup, err = mkdirFresh(root, filepath.Join(parent, "."+filepath.Base(rel)+".old-")); err != nil {
			return "", fmt.Errorf("%s: cannot write: %s", shown, root.Reason(err))
		}
		root.Remove(backup)
		if err := root.Rename(rel, backup); err != nil {
			return "", fmt.Errorf("%s: cannot replace: %s", shown, root.Reason(err))
		}
	}
	if err := root.Rename(stage, rel); err != nil {
		if exists {
			root.Rename(backup, rel)
		}
		return "", fmt.Errorf("%s: cannot replace: %s", shown, root.Reason(err))
	}
	return backup, nil
}

// mkdirFresh creates a new directory in root named prefix and a random
// number, and returns its name.
func mkdirFresh(root *confine.Root, prefix string) (string, error) {
	for {
		name := prefix + strconv.FormatUint(uint64(rand.Uint32()), 10)
		err := root.Mkdir(name, 0o755)
		if err == nil {
			return name, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", err
		}
	}
}
