// Package compile turns axiOS hosts and users written in CUE (or JSON or
// YAML) into the Nix files axios.lib.mkSystem takes, as axc build does:
// hosts/NAME.nix, users/NAME.nix and flake.nix. Every host and user is
// vetted first, against the schema of the axios (later cairn) release the
// repository's flake.lock pins; the files are made only when nothing is
// wrong, and the findings are axc vet's, at the author's file and line.
//
// Compile writes nothing: what to do with the files is the caller's (axc
// build writes them as one transaction).
package compile

import (
	"cmp"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/axc-dev/axc/internal/check"
	"github.com/axc-dev/axc/internal/safeio"
	"github.com/axc-dev/axc/internal/vet"
)

// Options say what to compile.
type Options struct {
	// Paths are the hosts and users, as axc build's arguments: a
	// directory (a CUE package whose top-level fields are hosts), a .cue
	// file, or a .json/.yaml file holding one host. A directory named
	// users, or a file in one, holds users; when no users are named, the
	// users directory beside the hosts is read if there is one. At least
	// one path must hold hosts.
	Paths []string
	// Release is the axios or cairn release to check against: a tag
	// ("v2026.05.01") or a commit. Empty: the one the flake.lock beside or
	// above the first path pins, else the newest release axc knows.
	Release string
	// OutDir is the directory the files are meant for, the flake's root:
	// relative paths in hosts become Nix paths from there. Empty: the top
	// of the repository the hosts belong to (the nearest directory at or
	// above them holding flake.nix, flake.lock, cue.mod or .git).
	OutDir string
}

// Result is what Compile found and made.
type Result struct {
	// Release is the release checked against, as axc names it
	// ("cairn v2026.05.01").
	Release string
	// Warning is what is doubtful about that choice ("" when nothing is):
	// a flake.lock pinning a commit that is no release, say.
	Warning string
	// Files are the Nix files by path relative to OutDir, slash-separated
	// (hosts/NAME.nix, users/NAME.nix, flake.nix); nil when an error was
	// found.
	Files map[string][]byte
	// Diagnostics are every finding, errors and warnings, in file order.
	Diagnostics []Diagnostic
}

// Failed reports whether an error (not only warnings) was found.
func (r *Result) Failed() bool {
	for _, d := range r.Diagnostics {
		if !d.Warning {
			return true
		}
	}
	return false
}

// Diagnostic is one finding, placed in the author's file.
type Diagnostic struct {
	File         string // as given, or relative to the working directory
	Line, Column int
	Host         string // the host, or the user, it is about
	User         bool   // Host names a user
	Path         string // the field, dotted ("extraConfig.services"), or ""
	Message      string
	Warning      bool // does not stop the files being made
}

// String is the diagnostic as axc vet prints it: file:line:col: [warning: ]
// path: message. Names in it are the author's, unescaped: escape them
// before printing to a terminal.
func (d Diagnostic) String() string {
	s := ""
	if d.File != "" {
		s = fmt.Sprintf("%s:%d:%d: ", d.File, d.Line, d.Column)
	}
	if d.Warning {
		s += "warning: "
	}
	if d.Path != "" {
		s += d.Path + ": "
	}
	return s + d.Message
}

// Compile vets the hosts and users at opts.Paths and, when nothing is
// wrong, compiles them. The error is for what stops it before any host is
// vetted: no hosts named, a release that cannot be chosen, input that
// cannot be read, a schema or output directory that cannot be used.
// Findings in the hosts are the Result's Diagnostics, not an error.
func Compile(opts Options) (*Result, error) {
	if len(opts.Paths) == 0 {
		return nil, errors.New("compile: no paths: name the hosts")
	}
	in := check.SplitInputs(safeio.Disk, opts.Paths)
	if len(in.Hosts) == 0 {
		// The flake is the hosts': built from users alone it would drop
		// every host.
		return nil, errors.New("compile: only users named: name the hosts too")
	}
	outDir := opts.OutDir
	if outDir == "" {
		if in.Root == "" {
			return nil, errors.New("compile: no OutDir and no repository (a directory holding flake.nix, flake.lock, cue.mod or .git) at or above the hosts")
		}
		outDir = in.Root
	}
	out, ds, err := check.Run(check.Options{Axios: opts.Release}, opts.Paths, outDir, nil)
	if err != nil {
		return nil, err
	}
	res := &Result{Release: out.Schema.Name, Warning: out.Schema.Warning}
	for _, d := range ds {
		res.Diagnostics = append(res.Diagnostics, Diagnostic{
			File: d.File, Line: d.Line, Column: d.Column,
			Host: cmp.Or(d.Host, d.User), User: d.User != "", Path: d.Path, Message: d.Message,
			Warning: d.Severity == vet.Warning,
		})
	}
	if res.Failed() {
		return res, nil
	}
	flake, err := check.Flake(out, outDir)
	if err != nil {
		return nil, err
	}
	res.Files = map[string][]byte{"flake.nix": flake}
	for name, data := range out.Files {
		res.Files[filepath.ToSlash(name)] = data
	}
	return res, nil
}
