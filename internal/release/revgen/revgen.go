// Package revgen generates axc's rev table (internal/release/revs.txt):
// for every upstream commit of axios (later cairn) since the oldest release
// axc knows, the shipped release whose host contract it has, or the release
// that stands in for it and how the two differ. It reads the upstream
// history from a git mirror with the git command (run it with
// `go run ./tools/revgen`); axc itself only reads the table it wrote.
//
// # When a commit "equals" a release
//
// A commit equals a release when every file that can decide the host
// contract is byte-identical in both (git object ids compared, so no blob
// need be present in the mirror):
//
//   - lib/ (mkSystem: the host fields it reads, their fallbacks, the modules
//     it imports, its assertions),
//   - modules/ and home/ (every NixOS and home-manager option declaration,
//     the module assertions, the definitions one module makes of another's
//     options),
//   - pkgs/ (modules import data from it, e.g. pkgs/pwa-apps/pwa-defs.nix),
//   - flake.nix (which modules the flake exports and hands to mkSystem),
//   - and every other path that a .nix file of those names by a relative
//     path literal (../../scripts/x.sh, ./devshells.nix), at the release.
//
// The check is conservative: identical inputs give an identical contract
// whatever the code means, so no commit is said to equal a release whose
// contract differs; a commit that only reformats a module, or changes a
// package list, is not recognised (it is approximated, below). What is left
// out cannot change the host contract as axc models it: flake.lock pins the
// third-party modules (home-manager, nixpkgs), whose options axc does not
// check; docs, examples, CI files and README files are not evaluated.
//
// # The stand-in of any other commit
//
// A commit that equals no release is checked against its nearest release
// ancestor (the newest release it descends from), except on the cairn side
// of the rename: a commit whose modules declare options.cairn (looked for in
// the descendants of the last axios release, after which the rename came) is
// never checked in the axios namespace, and takes the oldest cairn release. The
// table says what differs between the commit and its stand-in: "mkSystem"
// when lib/ or flake.nix differ, "options" when modules/, home/, pkgs/ or a
// referenced file differ.
//
// # Which commits
//
// Every commit that descends from the oldest release (it included) and is
// reachable from the heads recorded in the table's header: the branch heads
// of the mirror when the table was made. Regenerating with the same heads
// gives the same bytes (the test does that when a mirror is present).
package revgen

import (
	"bufio"
	"bytes"
	"fmt"
	"maps"
	"os/exec"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/axc-dev/axc/internal/release"
)

// ContractPaths are the paths compared (see the package documentation).
var ContractPaths = []string{"lib", "modules", "home", "pkgs", "flake.nix"}

// mkSystemPaths are the contract paths that make up mkSystem; the others
// make up the options.
var mkSystemPaths = []string{"lib", "flake.nix"}

// Git reads a bare repository with the git command.
type Git struct{ Dir string }

func (g Git) run(stdin []byte, args ...string) ([]byte, error) {
	cmd := exec.Command("git", append([]string{"--git-dir", g.Dir}, args...)...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// Heads are the full ids of the branch heads of the mirror, sorted.
func (g Git) Heads() ([]string, error) {
	out, err := g.run(nil, "for-each-ref", "--format=%(objectname)", "refs/heads")
	if err != nil {
		return nil, err
	}
	heads := strings.Fields(string(out))
	slices.Sort(heads)
	return slices.Compact(heads), nil
}

// objects returns the object id of each rev:path asked, "-" for none.
func (g Git) objects(names []string) (map[string]string, error) {
	var in bytes.Buffer
	for _, n := range names {
		in.WriteString(n + "\n")
	}
	out, err := g.run(in.Bytes(), "cat-file", "--batch-check=%(objectname)")
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(names) {
		return nil, fmt.Errorf("git cat-file: %d answers for %d names", len(lines), len(names))
	}
	m := make(map[string]string, len(names))
	for i, l := range lines {
		if strings.HasSuffix(l, " missing") {
			l = "-"
		}
		m[names[i]] = l
	}
	return m, nil
}

// relPath finds relative path literals in Nix text: ./x, ../x.
const relPath = `(\.\./)+[A-Za-z0-9_.+/-]+|\./[A-Za-z0-9_.+/-]+`

// referenced are the paths outside ContractPaths that a .nix file of the
// contract paths at rev names by a relative path literal, sorted. (A
// match that is no path literal, inside a string or a comment, only adds
// a path to compare: stricter, never looser.)
func (g Git) referenced(rev string) ([]string, error) {
	args := []string{"grep", "-I", "-o", "-E", relPath, rev, "--"}
	for _, p := range ContractPaths {
		if strings.HasSuffix(p, ".nix") {
			args = append(args, p)
		} else {
			args = append(args, ":(glob)"+p+"/**/*.nix")
		}
	}
	out, err := g.run(nil, args...)
	if err != nil {
		if strings.Contains(err.Error(), "exit status 1") {
			return nil, nil // no match
		}
		return nil, err
	}
	seen := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
		// REV:FILE:MATCH
		file, match, ok := strings.Cut(strings.TrimPrefix(l, rev+":"), ":")
		if !ok || !strings.HasSuffix(file, ".nix") {
			continue
		}
		p := path.Clean(path.Join(path.Dir(file), match))
		if strings.HasPrefix(p, "../") || p == ".." || p == "." || inContract(p) {
			continue
		}
		seen[p] = true
	}
	return slices.Sorted(maps.Keys(seen)), nil
}

func inContract(p string) bool {
	for _, c := range ContractPaths {
		if p == c || strings.HasPrefix(p, c+"/") {
			return true
		}
	}
	return false
}

// Entry is one row of the table.
type Entry struct {
	Rev string
	// Tag is the release the commit equals (Differs empty) or its stand-in.
	Tag string
	// Differs is what differs from the stand-in: "mkSystem", "options".
	Differs []string
	// CairnSide: the stand-in is the oldest cairn release, newer than the
	// commit, which is on the cairn side of the rename.
	CairnSide bool
}

// Generate makes the table of the commits reachable from heads, against
// the releases of t (all of which must be in the mirror).
func Generate(g Git, t *release.Table, heads []string) ([]byte, error) {
	rels := t.Releases()
	base := rels[0].Rev
	revListArgs := append([]string{"rev-list", "--topo-order", "--reverse", "--ancestry-path"}, "^"+base)
	revListArgs = append(revListArgs, heads...)
	out, err := g.run(nil, revListArgs...)
	if err != nil {
		return nil, err
	}
	commits := append([]string{base}, strings.Fields(string(out))...)

	// Descendants of each release (it included): the stand-in of a
	// commit is the newest release among its ancestors.
	desc := make([]map[string]bool, len(rels))
	for i, r := range rels {
		out, err := g.run(nil, append([]string{"rev-list", "--ancestry-path", "^" + r.Rev}, heads...)...)
		if err != nil {
			return nil, err
		}
		desc[i] = map[string]bool{r.Rev: true}
		for _, c := range strings.Fields(string(out)) {
			desc[i][c] = true
		}
	}

	// What each release's contract files reference beyond them.
	extra := make([][]string, len(rels))
	for i, r := range rels {
		if extra[i], err = g.referenced(r.Rev); err != nil {
			return nil, err
		}
	}
	var names []string
	for _, c := range append(slices.Clone(commits), revsOf(rels)...) {
		for _, p := range ContractPaths {
			names = append(names, c+":"+p)
		}
	}
	oid, err := g.objects(names)
	if err != nil {
		return nil, err
	}
	for _, r := range rels {
		if oid[r.Rev+":lib"] == "-" {
			return nil, fmt.Errorf("release %s (%s) is not in the mirror", r.Tag, r.Rev)
		}
	}
	// The referenced files matter only where the contract paths leave
	// the options equal: look those up, in a second batch.
	names = nil
	for _, c := range commits {
		for i, r := range rels {
			if !slices.Contains(differsIn(oid, c, r.Rev, ContractPaths), DiffersOptions) {
				for _, p := range extra[i] {
					names = append(names, c+":"+p, r.Rev+":"+p)
				}
			}
		}
	}
	more, err := g.objects(names)
	if err != nil {
		return nil, err
	}
	maps.Copy(oid, more)
	// differs says what of the contract differs between commit c and
	// release i: nothing when c equals it.
	differs := func(c string, i int) []string {
		d := differsIn(oid, c, rels[i].Rev, ContractPaths)
		if !slices.Contains(d, DiffersOptions) && len(differsIn(oid, c, rels[i].Rev, extra[i])) > 0 {
			d = append(d, DiffersOptions)
		}
		return d
	}
	firstCairn := slices.IndexFunc(rels, func(r release.Release) bool { return r.Namespace == "cairn" })

	var entries []Entry
	rename := ""
	for _, c := range commits {
		// A release's own rev is a release; ByRev finds it.
		if _, ok := t.ByRev(c); ok {
			continue
		}
		equal := -1
		for i := range rels {
			if len(differs(c, i)) == 0 {
				equal = i
				break
			}
		}
		if equal >= 0 {
			entries = append(entries, Entry{Rev: c, Tag: rels[equal].Tag})
			continue
		}
		standIn := -1
		for i := len(rels) - 1; i >= 0; i-- {
			if desc[i][c] {
				standIn = i
				break
			}
		}
		if standIn < 0 {
			return nil, fmt.Errorf("commit %s descends from no release", c)
		}
		// The rename came after the last axios release: only its
		// descendants can be on the cairn side.
		if firstCairn > 0 && standIn == firstCairn-1 {
			cairn, err := g.declaresCairn(c)
			if err != nil {
				return nil, err
			}
			if cairn {
				if rename == "" {
					rename = c // the first, in topological order
				}
				entries = append(entries, Entry{Rev: c, Tag: rels[firstCairn].Tag, Differs: differs(c, firstCairn), CairnSide: true})
				continue
			}
		}
		entries = append(entries, Entry{Rev: c, Tag: rels[standIn].Tag, Differs: differs(c, standIn)})
	}
	renameTime := int64(0)
	if rename != "" {
		out, err := g.run(nil, "log", "-1", "--format=%ct", rename)
		if err != nil {
			return nil, err
		}
		if renameTime, err = strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64); err != nil {
			return nil, err
		}
	}
	return format(heads, rename, renameTime, entries), nil
}

// declaresCairn reports whether commit c's modules declare options.cairn:
// the cairn side of the rename.
func (g Git) declaresCairn(c string) (bool, error) {
	_, err := g.run(nil, "grep", "-q", "-E", `options\.cairn\b`, c, "--", "modules")
	if err == nil {
		return true, nil
	}
	if strings.Contains(err.Error(), "exit status 1") {
		return false, nil
	}
	return false, err
}

// Differences, as the table writes them.
const (
	DiffersMkSystem = "mkSystem"
	DiffersOptions  = "options"
)

// differsIn says which parts of the contract differ between commits a and
// b in the paths given (oid holds a:p and b:p for each): mkSystem, options,
// in that order.
func differsIn(oid map[string]string, a, b string, paths []string) []string {
	var ms, opts bool
	for _, p := range paths {
		if oid[a+":"+p] != oid[b+":"+p] {
			if slices.Contains(mkSystemPaths, p) {
				ms = true
			} else {
				opts = true
			}
		}
	}
	var d []string
	if ms {
		d = append(d, DiffersMkSystem)
	}
	if opts {
		d = append(d, DiffersOptions)
	}
	return d
}

func revsOf(rels []release.Release) []string {
	var revs []string
	for _, r := range rels {
		revs = append(revs, r.Rev)
	}
	return revs
}

// Header lines of the table.
const (
	headerHeads  = "# heads "
	headerRename = "# rename "
)

func format(heads []string, rename string, renameTime int64, entries []Entry) []byte {
	var b bytes.Buffer
	b.WriteString("# axc rev table: every upstream axios/cairn commit since the oldest release axc knows,\n")
	b.WriteString("# with the release whose host contract it has (REV = TAG) or its stand-in and what differs\n")
	b.WriteString("# (REV ~ TAG mkSystem,options; REV > TAG: a commit on the cairn side of the rename, older than\n")
	b.WriteString("# the oldest cairn release TAG). Generated by `go run ./tools/revgen`; do not edit.\n")
	b.WriteString("# contract files: " + strings.Join(ContractPaths, " ") + " (and the files they reference)\n")
	b.WriteString(headerHeads + strings.Join(heads, " ") + "\n")
	if rename != "" {
		fmt.Fprintf(&b, "%s%s %d\n", headerRename, rename, renameTime)
	}
	for _, e := range entries {
		switch {
		case len(e.Differs) == 0:
			fmt.Fprintf(&b, "%s = %s\n", e.Rev, e.Tag)
		case e.CairnSide:
			fmt.Fprintf(&b, "%s > %s %s\n", e.Rev, e.Tag, strings.Join(e.Differs, ","))
		default:
			fmt.Fprintf(&b, "%s ~ %s %s\n", e.Rev, e.Tag, strings.Join(e.Differs, ","))
		}
	}
	return b.Bytes()
}

// HeadsOf reads the heads recorded in a table's header.
func HeadsOf(table []byte) []string {
	sc := bufio.NewScanner(bytes.NewReader(table))
	for sc.Scan() {
		if h, ok := strings.CutPrefix(sc.Text(), headerHeads); ok {
			return strings.Fields(h)
		}
	}
	return nil
}
