package importer

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/axc-dev/axc/internal/nix/nixtest"
	"github.com/axc-dev/axc/schema"
)

// pathTree writes the files the path tests import: below top, the tree A
// (host files reached through symbolic links of every kind, paths that
// climb out, absolute ones) and, beside it, outside. Each data file holds
// its own name, so that what Nix reads says which file it is.
func pathTree(t *testing.T) (top string, entries []string) {
	t.Helper()
	top = t.TempDir()
	a := filepath.Join(top, "A")
	files := map[string]string{
		"A/data":            "A/data",
		"A/sub/data":        "A/sub/data",
		"A/sub/real.nix":    "{ p = ./data; }",
		"A/sub/default.nix": "{ p = ./data; }",
		"A/dirdef/data":     "A/dirdef/data",
		"A/dotdot.nix":      "{ p = ./sub/../data; }",
		"A/up.nix":          "{ p = ../outside/data; }",
		"A/climb.nix":       "{ p = ../A/data; }",
		"A/abspath.nix":     "{ p = " + a + "/data; }",
		"A/viadir.nix":      "{ p = ./dirlink/data; }",
		"A/viaout.nix":      "{ p = ./outlink/data; }",
		"A/plus.nix":        `{ p = ./. + "/sub/data"; }`,
		"A/plusout.nix":     `{ p = ./. + "/../outside/data"; }`,
		"A/importout.nix":   "import ../outside/x.nix",
		"A/backin.nix":      "{ p = ./backin/data; }",
		"outside/data":      "outside/data",
		"outside/x.nix":     "{ p = ./data; }",
	}
	links := map[string]string{
		"A/hosts/link.nix":      "../sub/real.nix",
		"A/chain.nix":           "hosts/link.nix",
		"A/dirlink":             "sub",
		"A/dirdef/default.nix":  "../sub/real.nix",
		"A/esc.nix":             "../outside/x.nix",
		"A/abs.nix":             filepath.Join(a, "sub", "real.nix"),
		"A/outlink":             "../outside",
		"A/hosts/dirlinked.nix": "../dirlink/real.nix",
		"A/backin":              "../A/sub",
	}
	for name, text := range files {
		p := filepath.Join(top, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, target := range links {
		p := filepath.Join(top, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
	// What `import ./E` is given, for each E.
	entries = []string{
		"sub/real.nix", "hosts/link.nix", "chain.nix", "dirlink/real.nix",
		"dirlink", "dirdef", "dirdef/default.nix", "hosts/dirlinked.nix",
		"dotdot.nix", "up.nix", "climb.nix", "esc.nix", "abs.nix",
		"abspath.nix", "viadir.nix", "viaout.nix", "plus.nix", "plusout.nix",
		"importout.nix", "backin.nix",
	}
	return top, entries
}

// importPath imports a host whose diskConfigPath is (import ./entry).p,
// written in dir/h.nix (a host file of no flake) or dir/flake.nix,
// and returns the absolute path the imported host names, or kept when the
// importer kept the expression as Nix; err is the import's error.
func importPath(t *testing.T, dir, entry string, flake bool) (abs string, kept bool, err error) {
	t.Helper()
	host := `hostname = "h"; hardware = { }; diskConfigPath = (import ./` + entry + `).p; extraConfig.axios.system.timeZone = "UTC";`
	input := filepath.Join(dir, "flake.nix")
	text := "{ outputs = { self, axios, ... }: { nixosConfigurations.h = axios.lib.mkSystem { " + host + " }; }; }\n"
	if !flake {
		input = filepath.Join(dir, "h.nix")
		text = "{ lib, ... }: { hostConfig = { " + host + " }; }\n"
	}
	if err := os.WriteFile(input, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(input)
	fsys, err := schema.Release("96990f9")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(filepath.Dir(dir), "out")
	res, err := Import(Options{Inputs: []string{input}, OutDir: out, Schema: fsys})
	if err != nil {
		return "", false, err
	}
	for _, f := range res.Files {
		if f.Path != "hosts/h.cue" {
			continue
		}
		if m := regexp.MustCompile(`diskConfigPath: "(.*)"`).FindSubmatch(f.Data); m != nil {
			if p := string(m[1]); filepath.IsAbs(p) {
				return p, false, nil // written as it was: absolute
			}
			abs := filepath.Join(out, "hosts", string(m[1]))
			rel, err := filepath.Rel(out, abs)
			if err != nil || !filepath.IsLocal(rel) {
				return abs, false, nil // where it is
			}
			// A copy, at the place the file has below dir: the path
			// names that file, and the copy holds what Nix reads there.
			src := filepath.Join(dir, rel)
			for _, c := range res.Copies {
				if c.Path == filepath.ToSlash(rel) {
					if data, err := os.ReadFile(src); err != nil || string(data) != string(c.Data) {
						t.Errorf("%s: the copy of %s holds %q, the file %q (%v)", entry, src, c.Data, data, err)
					}
				}
			}
			return src, false, nil
		}
		if strings.Contains(string(f.Data), `diskConfigPath: {$nix: "(import `) {
			return "", true, nil
		}
		t.Fatalf("%s: no diskConfigPath in\n%s", entry, f.Data)
	}
	t.Fatalf("%s: no hosts/h.cue in %v", entry, res.Files)
	return "", false, nil
}

// The importer resolves a path as Nix does: a file reached through a
// symbolic link resolves its relative paths against the link's target
// (only the last name is followed; links among the directories on the way
// stay in the path); a directory is its default.nix, not followed further;
// .. is lexical. Compared with nix-instantiate (impure, as a host file of
// no flake is evaluated) on the same files, in a tree (a git work tree)
// wide enough that the importer reads them all.
func TestPathsResolveAsNix(t *testing.T) {
	nixtest.Require(t)
	top, entries := pathTree(t)
	a := filepath.Join(top, "A")
	if err := os.Mkdir(filepath.Join(top, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		got, kept, err := importPath(t, a, e, false)
		if err != nil {
			t.Errorf("%s: %v", e, err)
			continue
		}
		want, err := nixtest.Eval(t.Context(), "toString (import ./"+e+").p", a)
		if err != nil {
			t.Fatalf("%s: %v", e, err)
		}
		switch {
		case kept && e == "abs.nix":
			// An absolute symbolic link is not followed (in a flake's
			// copy it would lead out): the expression stays Nix, which
			// means what it meant.
		case kept:
			t.Errorf("%s: the importer kept it as Nix; Nix resolves %v", e, want)
		case got != want:
			t.Errorf("%s: the importer resolves %s, Nix %v", e, got, want)
		}
	}
}

// A flake's pure evaluation reads nothing outside its tree, as it is
// copied to the store; import refuses exactly the paths Nix cannot read,
// and resolves the others to the file Nix reads (in a flake, through every
// symbolic link on the way). Nix's own check runs on a copy of the tree
// elsewhere (its links copied as they are, as the store's copy keeps them),
// in restricted evaluation reading nothing outside the copy; the importer
// judges the original.
func TestPathsReadableAsPureNix(t *testing.T) {
	nixtest.Require(t)
	top, entries := pathTree(t)
	a, b := filepath.Join(top, "A"), filepath.Join(top, "B")
	copyTree(t, a, b)
	readable := 0
	for _, e := range entries {
		if e == "importout.nix" {
			// The importer keeps (import ./importout.nix).p as Nix: a
			// file of the tree, whose own reading it does not judge.
			continue
		}
		abs, kept, ierr := importPath(t, a, e, true)
		got, err := nixtest.EvalRestricted(t.Context(), "let p = (import ./"+e+").p; in [ (toString p) (builtins.readFile p) ]", b, b)
		if err != nil && !strings.Contains(err.Error(), "forbidden in restricted mode") {
			t.Fatalf("%s: %v", e, err)
		}
		switch {
		case kept:
			t.Errorf("%s: the importer kept it as Nix", e)
		case ierr == nil && err != nil:
			t.Errorf("%s: the importer reads %s, Nix cannot: %v", e, abs, err)
		case ierr != nil && err == nil:
			t.Errorf("%s: Nix reads it (%v), the importer does not: %v", e, got, ierr)
		case ierr == nil:
			readable++
			// The same path, in the copy; the same file read.
			data, rerr := os.ReadFile(abs)
			want := []any{filepath.Join(b, strings.TrimPrefix(abs, a)), string(data)}
			if rerr != nil || fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s: Nix reads %q, the importer %q (%v)", e, got, want, rerr)
			}
		}
	}
	// Both kinds are there: the test tells them apart.
	if readable == 0 || readable == len(entries)-1 {
		t.Fatalf("%d of %d entries readable: the tree does not test both", readable, len(entries)-1)
	}
}

// copyTree copies the tree at from to to, symbolic links as they are.
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(target, dst)
		case d.IsDir():
			return os.MkdirAll(dst, 0o755)
		case d.Type().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(dst, data, 0o644)
		}
		return errors.New(fmt.Sprint(p, ": not a file, directory or link"))
	})
	if err != nil {
		t.Fatal(err)
	}
}
