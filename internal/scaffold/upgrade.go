package scaffold

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"axc.dev/axc/internal/atomicfile"
	"axc.dev/axc/internal/load"
	"axc.dev/axc/internal/release"
	"axc.dev/axc/internal/safeio"
	"axc.dev/axc/schema"
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
func Upgrade(dir string, t *release.Table, r release.Release) (*Upgraded, error) {
	modFile := filepath.Join(dir, filepath.FromSlash(ModuleFile))
	switch _, err := os.Stat(modFile); {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("%s: no %s, so no repository to upgrade (axc init makes one)", dir, ModuleFile)
	case err != nil:
		return nil, fmt.Errorf("%s: %s", modFile, load.IOReason(err))
	}
	schemaDir := filepath.Join(dir, filepath.FromSlash(SchemaDir))
	old, err := readSchemaDir(schemaDir)
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

	lockFile := filepath.Join(dir, LockFile)
	var newLock []byte
	switch data, err := safeio.ReadFile(lockFile, release.MaxLockSize); {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, err
	default:
		for _, pinned := range t.Releases() {
			if pinned.Rev != r.Rev && bytes.Equal(data, Lock(pinned)) {
				newLock, u.Lock = Lock(r), &r
				break
			}
		}
	}
	if !u.Any() {
		return u, nil
	}

	var backup string
	replaced := len(u.Added)+len(u.Changed)+len(u.Removed) > 0
	if replaced {
		if backup, err = replaceDir(schemaDir, files, old != nil); err != nil {
			return nil, err
		}
	}
	if newLock != nil {
		if err := writeLock(lockFile, newLock); err != nil {
			if replaced { // put the old schema back
				os.RemoveAll(schemaDir)
				if backup != "" {
					os.Rename(backup, schemaDir)
				}
			}
			return nil, err
		}
	}
	if backup != "" {
		os.RemoveAll(backup)
	}
	return u, nil
}

// writeLock is atomicfile.Write; tests make it fail.
var writeLock = atomicfile.Write

// readSchemaDir reads the files of a vendored schema directory: nil when it
// does not exist. Subdirectories count as files (with a trailing /), so that
// replacing the directory reports them removed.
func readSchemaDir(dir string) (map[string][]byte, error) {
	entries, err := safeio.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("%s: %s", dir, load.IOReason(err))
	}
	out := map[string][]byte{}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			out[e.Name()+"/"] = nil
			continue
		}
		data, err := safeio.ReadFile(filepath.Join(dir, e.Name()), load.MaxFileSize)
		if err != nil {
			return nil, fmt.Errorf("%s: %s", filepath.Join(dir, e.Name()), load.IOReason(err))
		}
		out[e.Name()] = data
	}
	return out, nil
}

// replaceDir makes dir hold exactly files: written into a new directory
// beside it, which is renamed into place. The old dir, if it exists, is
// renamed aside first; its new name is returned, for the caller to remove
// (or put back).
func replaceDir(dir string, files map[string][]byte, exists bool) (backup string, err error) {
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", fmt.Errorf("%s: cannot create directory: %s", parent, load.IOReason(err))
	}
	stage, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".new-*")
	if err != nil {
		return "", fmt.Errorf("%s: cannot write: %s", dir, load.IOReason(err))
	}
	defer func() {
		if err != nil {
			os.RemoveAll(stage)
		}
	}()
	if err := os.Chmod(stage, 0o755); err != nil {
		return "", fmt.Errorf("%s: cannot write: %s", dir, load.IOReason(err))
	}
	if err := writeTree(stage, dir, files); err != nil {
		return "", err
	}
	if exists {
		// A fresh name for the old directory: made, then freed for the
		// rename (which cannot replace a directory portably).
		if backup, err = os.MkdirTemp(parent, "."+filepath.Base(dir)+".old-*"); err != nil {
			return "", fmt.Errorf("%s: cannot write: %s", dir, load.IOReason(err))
		}
		os.Remove(backup)
		if err := os.Rename(dir, backup); err != nil {
			return "", fmt.Errorf("%s: cannot replace: %s", dir, load.IOReason(unwrapLink(err)))
		}
	}
	if err := os.Rename(stage, dir); err != nil {
		if exists {
			os.Rename(backup, dir)
		}
		return "", fmt.Errorf("%s: cannot replace: %s", dir, load.IOReason(unwrapLink(err)))
	}
	return backup, nil
}
