// Package reporoot finds the configuration repository a path belongs to:
// the nearest directory at or above it that holds a flake.nix, a
// flake.lock, a cue.mod or a .git. Its hosts/ and users/ are the ones the
// path's hosts and users are read with, and axc build writes there by
// default: one rule, so that axc gives the same verdict wherever in the
// repository it runs.
//
// The flake.lock that pins the release is found by the same walk with
// Nix's own markers (FlakeMarkers: a CUE module is nothing to Nix), so a
// CUE module kept in a subdirectory of a flake is checked against the
// flake's lock.
package reporoot

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Markers are the entries whose presence makes a directory the top of a
// configuration repository: a flake (flake.nix, or only its lock), a CUE
// module, a git work tree (a .git directory, or the .git file of a
// worktree or submodule).
var Markers = []string{"flake.nix", "flake.lock", "cue.mod", ".git"}

// FlakeMarkers are where Nix stops looking for a flake: its flake.nix (or
// the lock of one), or the top of a git work tree.
var FlakeMarkers = []string{"flake.nix", "flake.lock", ".git"}

// Find returns the absolute path of the repository dir belongs to, or ""
// when no directory at or above dir holds one of Markers. dir must be a
// directory; a relative dir is taken from the working directory.
func Find(dir string) (string, error) { return FindWith(dir, Markers) }

// FindWith is Find with other markers.
func FindWith(dir string, markers []string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return "", err
	}
	if !fi.IsDir() {
		return "", fmt.Errorf("%s: not a directory", dir)
	}
	for {
		for _, m := range markers {
			switch ok, err := Exists(filepath.Join(dir, m)); {
			case err != nil:
				return "", err
			case ok:
				return dir, nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// Exists reports whether p is there, of any type (a .git file, a dangling
// link: Lstat, as Nix and git look).
func Exists(p string) (bool, error) {
	_, err := os.Lstat(p)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	default:
		return false, err
	}
}
