package importer

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"axc.dev/axc/internal/load"
	"axc.dev/axc/internal/safeio"
)

// input is a file to read: a flake, or a host file or user module.
type input struct {
	abs     string
	flake   bool
	scanned bool // found in a directory, not named
}

// resolveInputs turns the paths given into files: a directory is its
// flake.nix if it has one, else the .nix files in it and in its hosts and
// users directories; a file named flake.nix is a flake. roots are the
// directories given, whose files may import each other.
func resolveInputs(paths []string) (out []input, roots []string, err error) {
	seen := map[string]bool{}
	add := func(abs string, flake, scanned bool) {
		if !seen[abs] {
			seen[abs] = true
			out = append(out, input{abs: abs, flake: flake, scanned: scanned})
		}
	}
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, nil, &IOError{fmt.Errorf("%s: %v", p, err)}
		}
		fi, err := os.Stat(abs)
		if err != nil {
			return nil, nil, &IOError{fmt.Errorf("%s: %s", p, load.IOReason(err))}
		}
		if !fi.IsDir() {
			add(abs, filepath.Base(abs) == "flake.nix", false)
			continue
		}
		roots = append(roots, abs)
		if fl := filepath.Join(abs, "flake.nix"); isFile(fl) {
			add(fl, true, false)
			continue
		}
		var files []string
		for _, dir := range []string{abs, filepath.Join(abs, "hosts"), filepath.Join(abs, "users")} {
			entries, err := safeio.ReadDir(dir)
			switch {
			case errors.Is(err, fs.ErrNotExist) && dir != abs:
				continue // hosts/ and users/ are optional
			case err != nil:
				return nil, nil, &IOError{fmt.Errorf("%s: %s", load.RelPath(dir), safeio.Reason(err))}
			}
			for _, e := range entries {
				if !e.IsDir() && strings.HasSuffix(e.Name(), ".nix") {
					files = append(files, filepath.Join(dir, e.Name()))
				}
			}
		}
		if len(files) == 0 {
			return nil, nil, &IOError{fmt.Errorf("%s: no flake.nix, and no .nix files in it or in its hosts or users directories", p)}
		}
		sort.Strings(files)
		for _, f := range files {
			add(f, false, true)
		}
	}
	return out, roots, nil
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

// findRoot is the directory of the tree dir belongs to: the nearest one at
// or above it with a flake.nix, a flake.lock or a .git, else dir. Files
// may import files anywhere below it.
func findRoot(dir string) string {
	for d := dir; ; {
		for _, marker := range []string{"flake.nix", "flake.lock", ".git"} {
			if _, err := os.Stat(filepath.Join(d, marker)); err == nil {
				return d
			}
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}
