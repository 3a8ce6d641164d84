package importer

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/nixpath"
	"github.com/axc-dev/axc/internal/safeio"
)

// input is a file to read: a flake, or a host file or user module.
type input struct {
	abs     string // as found or named
	file    string // the file read for it (importer.file)
	flake   bool
	scanned bool // found in a directory, not named
	// in is the tree the file belongs to (paths.go): a flake's source
	// tree; for a file found in a directory, the tree of that directory;
	// for a file named on its own, the tree of the file Nix reads for it.
	in tree
}

// resolveInputs turns the paths given into files: a directory is its
// flake.nix if it has one, else the .nix files in it and in its hosts and
// users directories; a file named flake.nix is a flake.
func resolveInputs(paths []string) (out []input, err error) {
	seen := map[string]bool{}
	add := func(in input) {
		if !seen[in.abs] {
			seen[in.abs] = true
			out = append(out, in)
		}
	}
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, &IOError{fmt.Errorf("%s: %v", p, err)}
		}
		fi, err := os.Stat(abs)
		if err != nil {
			return nil, &IOError{fmt.Errorf("%s: %s", p, load.IOReason(err))}
		}
		if !fi.IsDir() {
			if !fi.Mode().IsRegular() {
				// Named as given, before any link is followed: a FIFO or
				// device is refused before it is opened.
				return nil, &IOError{&safeio.Error{Path: p, Err: safeio.ErrNotRegular, Kind: safeio.Kind(fi.Mode())}}
			}
			in := input{abs: abs, flake: filepath.Base(abs) == "flake.nix"}
			if in.flake {
				in.in = flakeTree(filepath.Dir(abs))
			} else if file, err := nixpath.File(abs); err == nil {
				in.in = fileTree(file)
			} else {
				in.in = fileTree(abs)
			}
			add(in)
			continue
		}
		if fl := filepath.Join(abs, "flake.nix"); isFile(fl) {
			add(input{abs: fl, flake: true, in: flakeTree(abs)})
			continue
		}
		t := treeAt(abs, abs)
		var files []string
		for _, dir := range []string{abs, filepath.Join(abs, "hosts"), filepath.Join(abs, "users")} {
			entries, err := safeio.ReadDir(dir)
			switch {
			case errors.Is(err, fs.ErrNotExist) && dir != abs:
				continue // hosts/ and users/ are optional
			case err != nil:
				return nil, &IOError{fmt.Errorf("%s: %s", load.RelPath(dir), safeio.Reason(err))}
			}
			for _, e := range entries {
				if !e.IsDir() && strings.HasSuffix(e.Name(), ".nix") {
					f := filepath.Join(dir, e.Name())
					// A FIFO or device, or a link to one, is refused
					// before it is opened, wherever it leads.
					if fi, err := os.Stat(f); err == nil && !fi.Mode().IsRegular() {
						return nil, &IOError{&safeio.Error{Path: load.RelPath(f), Err: safeio.ErrNotRegular, Kind: safeio.Kind(fi.Mode())}}
					}
					files = append(files, f)
				}
			}
		}
		if len(files) == 0 {
			return nil, &IOError{fmt.Errorf("%s: no flake.nix, and no .nix files in it or in its hosts or users directories", p)}
		}
		sort.Strings(files)
		for _, f := range files {
			add(input{abs: f, scanned: true, in: t})
		}
	}
	return out, nil
}

// file is the file Nix reads for the input (through symbolic links), if
// import may read it: a file found in a directory, or a flake.nix, must be
// in its tree (a repository's link to elsewhere is not followed; a flake's
// pure evaluation reads nothing else). A file named on its own is read
// where it leads. ok is false when it is not read: the problem is
// reported.
func (im *importer) file(in input) (abs string, ok bool) {
	if !in.scanned && !in.flake {
		abs, err := nixpath.File(in.abs)
		if err != nil {
			abs = in.abs // reading it says why it cannot be read
		}
		im.ev.trees[abs] = in.in
		return abs, true
	}
	rel, _ := filepath.Rel(in.in.root, in.abs)
	abs, why := im.ev.readFileAs(pathVal{abs: in.abs, in: in.in, place: filepath.ToSlash(rel)}, "it")
	if why != "" {
		im.report.add(&im.report.problems, Note{File: load.RelPath(in.abs), Msg: "not read: " + why})
		return "", false
	}
	return abs, true
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}
