package output

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// FuzzJournal feeds arbitrary bytes as DIR/.axc-build.journal to the
// recovery that every axc build and axc build --check runs first (Open),
// in a fixed tree that holds, beside DIR, files an escaping rollback would
// clobber, and in DIR the author's files, generated outputs, backups and
// staged files, a link leading out and an empty directory. The tree's
// variant (the first byte) makes DIR/hosts or DIR/users a link leading
// out, relative or absolute, picks Open's mode, and whether the bytes are
// the journal or lines that make a well-formed one (see structured), so
// that the fuzzer explores names as well as JSON. It checks that:
//
//  1. nothing outside DIR changes, ever;
//
//  2. inside DIR, no file that is not axc's changes or disappears: axc's
//     are the regular files of the Build layout whose first line is the
//     header, their temporary names (.NAME.axc-new, .NAME.axc-old,
//     .NAME.tmpDIGITS), the journal and its temporary name; directories
//     disappear only when they are DIR/hosts or DIR/users and empty; new
//     files appear only at names of the layout;
//
//  3. a journal that is refused changes nothing at all in DIR;
//
//  4. one that is rolled back is gone afterwards.
//
//     go test ./internal/output -run '^$' -fuzz FuzzJournal -fuzztime 5m
func FuzzJournal(f *testing.F) {
	for _, seed := range journalSeeds {
		for v := range uint8(2 * numVariants) {
			f.Add(v, []byte(seed))
		}
	}
	for _, seed := range structuredSeeds {
		for v := range uint8(2 * numVariants) {
			f.Add(v+2*numVariants, []byte(seed))
		}
	}
	f.Fuzz(func(t *testing.T, variant uint8, data []byte) {
		work := t.TempDir()
		dir := newJournalTree(t, work, variant)
		if variant/(2*numVariants)%2 == 1 {
			data = structured(data)
		}
		if err := os.WriteFile(filepath.Join(dir, Build.Journal), data, 0o644); err != nil {
			t.Fatal(err)
		}
		before := snapshot(t, work)
		mode := ForWrite
		if variant/numVariants%2 == 1 {
			mode = ForCheck
		}
		d, err := Open(dir, Build, mode)
		if err == nil {
			d.Close()
		}
		after := snapshot(t, work)
		var problems []string
		refused := false
		var e *Error
		if errors.As(err, &e) && e.Op == "not rolled back, nothing changed" {
			refused = true
		}
		for _, p := range sortedPaths(before, after) {
			b, hadB := before[p]
			a, hasA := after[p]
			if hadB && hasA && b == a {
				continue
			}
			change := describe(p, b, hadB, a, hasA)
			rel, inside := strings.CutPrefix(p, "dir/")
			switch {
			case !inside:
				problems = append(problems, "outside DIR: "+change)
			case refused:
				problems = append(problems, "journal refused, yet: "+change)
			case hadB && b.isDir:
				if hasA || !(rel == HostsDir || rel == UsersDir) {
					problems = append(problems, "directory: "+change)
				}
			case hadB && !isAxcs(rel, b):
				problems = append(problems, "not axc's: "+change)
			case !hadB && !(Build.Writes(rel) || isTemp(rel)):
				problems = append(problems, "created: "+change)
			}
		}
		if err == nil {
			if _, ok := after["dir/"+Build.Journal]; ok {
				problems = append(problems, "the journal is left after a recovery that succeeded")
			}
		}
		if len(problems) > 0 {
			t.Errorf("variant %d, journal %q: Open = %v\n%s", variant, data, err, strings.Join(problems, "\n"))
		}
	})
}

// The tree variants: DIR/hosts and DIR/users as they are, DIR/hosts a link
// to the outside directory (relative, then absolute), DIR/users one.
const numVariants = 4

// newJournalTree makes the fixed tree in work and returns DIR.
func newJournalTree(t *testing.T, work string, variant uint8) string {
	t.Helper()
	header := gen("../hosts/x.cue", "{ }\n")
	files := map[string]string{
		"outside/x.nix":               header,
		"outside/a.nix":               header,
		"outside/.x.nix.axc-old":      "old outside\n",
		"outside/.x.nix.axc-new":      header,
		"outside/sentinel":            "precious\n",
		"dir/README.md":               "# my fleet\n",
		"dir/.README.md.axc-old":      "evil\n",
		"dir/flake.nix":               gen("hosts", "flake\n"),
		"dir/.flake.nix.axc-old":      "# not a header\n",
		"dir/.flake.nix.axc-new":      gen("hosts", "flake new\n"),
		"dir/hosts/a.cue":             "package hosts\n",
		"dir/hosts/a.nix":             header,
		"dir/hosts/.a.nix.axc-old":    gen("../hosts/a.cue", "old a\n"),
		"dir/hosts/mine.nix":          "# my own module\n{ }\n",
		"dir/hosts/.mine.nix.axc-old": "# a backup of mine\n",
		"dir/hosts/.b.nix.axc-new":    header,
		"dir/hosts/.a.cue.axc-old":    "evil\n",
		"dir/users/alice.nix":         gen("../users/alice.cue", "alice\n"),
		"dir/users/Bob.nix":           "# not axc's\n",
		"dir/sub/c.nix":               header,
		"dir/keep/.keep":              "",
	}
	for p, data := range files {
		full := filepath.Join(work, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dir := filepath.Join(work, "dir")
	for _, p := range []string{"empty", "users/empty"} {
		if err := os.MkdirAll(filepath.Join(dir, p), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{
		"evil":                       "../outside",
		"abs":                        filepath.Join(work, "outside"),
		"hosts/up":                   "../../outside",
		"hosts/z.nix":                "../../outside/x.nix",
		".axc-build.journal.axc-new": "outside/sentinel",
	}
	switch variant % numVariants {
	case 1:
		os.RemoveAll(filepath.Join(dir, "hosts"))
		links["hosts"] = "../outside"
		delete(links, "hosts/up")
		delete(links, "hosts/z.nix")
	case 2:
		os.RemoveAll(filepath.Join(dir, "hosts"))
		links["hosts"] = filepath.Join(work, "outside")
		delete(links, "hosts/up")
		delete(links, "hosts/z.nix")
	case 3:
		os.RemoveAll(filepath.Join(dir, "users"))
		links["users"] = "../outside"
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(name))); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// isAxcs reports whether the file rel of DIR, as it was before, is one a
// recovery may change or remove.
func isAxcs(rel string, s entryState) bool {
	if rel == Build.Journal || isTemp(rel) {
		return true
	}
	return s.mode.IsRegular() && Build.Writes(rel) && Build.Generated([]byte(s.data))
}

// isTemp reports whether rel is a temporary name of a file of the Build
// layout, or of the journal.
func isTemp(rel string) bool {
	if rel == Build.Journal+newSuffix {
		return true
	}
	m := tempFile.FindStringSubmatch(path.Base(rel))
	return m != nil && Build.Writes(path.Join(path.Dir(rel), m[1]))
}

// entryState is a file, directory or link of a snapshot.
type entryState struct {
	mode  fs.FileMode
	isDir bool
	data  string // a file's content, a link's target
}

// snapshot is every entry below root, by slash path, links not followed.
func snapshot(t *testing.T, root string) map[string]entryState {
	t.Helper()
	s := map[string]entryState{}
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if rel == "." {
			return nil
		}
		info, err := e.Info()
		if err != nil {
			return err
		}
		st := entryState{mode: info.Mode(), isDir: info.IsDir()}
		switch {
		case info.Mode().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			st.data = string(data)
		case info.Mode()&fs.ModeSymlink != 0:
			if st.data, err = os.Readlink(p); err != nil {
				return err
			}
		}
		s[filepath.ToSlash(rel)] = st
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func sortedPaths(a, b map[string]entryState) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range []map[string]entryState{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}

func describe(p string, b entryState, hadB bool, a entryState, hasA bool) string {
	switch {
	case !hadB:
		return fmt.Sprintf("%s: created (%v) %.100q", p, a.mode, a.data)
	case !hasA:
		return fmt.Sprintf("%s: removed", p)
	}
	return fmt.Sprintf("%s: changed from (%v) %.100q to (%v) %.100q", p, b.mode, b.data, a.mode, a.data)
}

// structured makes a well-formed journal of lines: "dir NAME" lists a
// directory; any other line is a file entry, its fields (split at spaces)
// the path, the new and the old name, and the sha256 ("-" for none).
func structured(data []byte) []byte {
	j := journal{Version: 1, Files: []journalFile{}}
	for _, line := range strings.Split(string(data), "\n") {
		if dir, ok := strings.CutPrefix(line, "dir "); ok {
			j.Dirs = append(j.Dirs, dir)
			continue
		}
		var f journalFile
		for i, field := range strings.SplitN(line, " ", 4) {
			if field == "-" {
				continue
			}
			switch i {
			case 0:
				f.Path = field
			case 1:
				f.New = field
			case 2:
				f.Old = field
			case 3:
				f.Sum = field
			}
		}
		j.Files = append(j.Files, f)
	}
	out, err := json.Marshal(j)
	if err != nil {
		panic(err)
	}
	return out
}

// structuredSeeds are journals in structured's lines.
var structuredSeeds = []string{
	"flake.nix .flake.nix.axc-new .flake.nix.axc-old\nhosts/a.nix hosts/.a.nix.axc-new hosts/.a.nix.axc-old\nhosts/b.nix hosts/.b.nix.axc-new\ndir users",
	"hosts/x.nix hosts/.x.nix.axc-new",
	"hosts/x.nix - hosts/.x.nix.axc-old",
	"hosts/z.nix hosts/.z.nix.axc-new",
	"users/x.nix - users/.x.nix.axc-old",
	"hosts/mine.nix - hosts/.mine.nix.axc-old",
	"hosts/mine.nix hosts/.mine.nix.axc-new - " + strings.Repeat("0", 64),
	// The sha256 of the author's hosts/mine.nix: for axc build only the
	// header makes a file axc's.
	"hosts/mine.nix hosts/.mine.nix.axc-new - 6c8f58468507c1737f6941b3206c28c023e358751696dd0b4bfdf16f3f9e7cf8",
	"users/alice.nix users/.alice.nix.axc-new",
	"flake.nix - .flake.nix.axc-old",
	"dir users\ndir hosts\ndir keep",
}

// journalSeeds are journals a killed build writes, and hostile ones.
var journalSeeds = []string{
	``,
	`{`,
	`{"axc-build-journal": 1, "files": []}`,
	// A killed build of this tree: a.nix replaced, b.nix new, flake.nix in place.
	`{"axc-build-journal": 1, "files": [
		{"path": "flake.nix", "new": ".flake.nix.axc-new", "old": ".flake.nix.axc-old"},
		{"path": "hosts/a.nix", "new": "hosts/.a.nix.axc-new", "old": "hosts/.a.nix.axc-old"},
		{"path": "hosts/b.nix", "new": "hosts/.b.nix.axc-new"},
		{"path": "users/alice.nix", "new": "users/.alice.nix.axc-new"}
	], "dirs": ["users"]}`,
	`{"axc-build-journal": 1, "files": [{"path": "hosts/a.nix", "new": "hosts/.a.nix.axc-new", "sha256": "0000000000000000000000000000000000000000000000000000000000000000"}]}`,
	// Hostile: outside DIR, through links, not axc's files.
	`{"axc-build-journal": 1, "files": [{"path": "../outside/x.nix", "new": "../outside/.x.nix.axc-new"}]}`,
	`{"axc-build-journal": 1, "files": [{"path": "hosts/../../outside/x.nix", "new": "hosts/../../outside/.x.nix.axc-new"}]}`,
	`{"axc-build-journal": 1, "files": [{"path": "evil/x.nix", "new": "evil/.x.nix.axc-new"}]}`,
	`{"axc-build-journal": 1, "files": [{"path": "hosts/x.nix", "new": "hosts/.x.nix.axc-new"}]}`,
	`{"axc-build-journal": 1, "files": [{"path": "hosts/x.nix", "old": "hosts/.x.nix.axc-old"}]}`,
	`{"axc-build-journal": 1, "files": [{"path": "hosts/z.nix", "new": "hosts/.z.nix.axc-new"}]}`,
	`{"axc-build-journal": 1, "files": [{"path": "users/x.nix", "new": "users/.x.nix.axc-new"}]}`,
	`{"axc-build-journal": 1, "files": [{"path": "README.md", "new": ".README.md.axc-new", "old": ".README.md.axc-old"}]}`,
	`{"axc-build-journal": 1, "files": [{"path": "hosts/mine.nix", "new": "hosts/.mine.nix.axc-new"}]}`,
	`{"axc-build-journal": 1, "files": [{"path": "hosts/mine.nix", "old": "hosts/.mine.nix.axc-old"}]}`,
	`{"axc-build-journal": 1, "files": [{"path": "hosts/a.cue", "old": "hosts/.a.cue.axc-old"}]}`,
	`{"axc-build-journal": 1, "files": [{"path": "users/Bob.nix", "new": "users/.Bob.nix.axc-new"}]}`,
	`{"axc-build-journal": 1, "files": [{"path": "sub/c.nix", "new": "sub/.c.nix.axc-new"}]}`,
	`{"axc-build-journal": 1, "files": [{"path": "/etc/passwd", "new": "/etc/.passwd.axc-new"}]}`,
	`{"axc-build-journal": 1, "files": [], "dirs": ["keep", "empty", "users/empty", "hosts", "users", "evil", "abs"]}`,
	`{"axc-build-journal": 1, "files": [], "dirs": ["users"]}`,
	`{"axc-build-journal": 1, "files": [{"path": "flake.nix", "new": ".flake.nix.axc-new"}]}` + "\n" + `{"axc-build-journal": 1, "files": [{"path": "README.md", "new": ".README.md.axc-new"}]}`,
}
