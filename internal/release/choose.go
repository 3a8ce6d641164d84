package release

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/axc-dev/axc/internal/reporoot"
)

// Options say where Choose looks.
type Options struct {
	// Flag is the value of --axios: a tag, a full rev, or a rev prefix of
	// at least MinPrefix hex digits. When set, the lock file is not read.
	Flag string
	// LockFile is the path of a flake.lock, or empty for none (FindLock
	// finds the one a directory belongs to).
	LockFile string
}

// Choice is the release chosen and why.
type Choice struct {
	Release Release
	// Source is "--axios", "flake.lock input NAME" (NAME is the input path
	// from the root: "axios", "my-axios", "foo/axios"), or "default (newest)".
	Source string
	// Warning, when not empty, says that the lock pins a commit that is no
	// release axc knows, and which release stands in for it (Approx, when
	// the commit is placed by the lock's rev), or that the lock's input
	// only looks like the framework's.
	Warning string
	// Approx, when not nil, is the approximation the warning states.
	Approx *Approximation
	// Equal: the lock pins an upstream commit that is no release but has
	// exactly Release's contract (the rev table): no warning.
	Equal bool
	// Note, when not empty, is information: the lock has no framework
	// input, or inputs of inputs pin other revs than the one chosen.
	Note string
	// Lock is the lock file read (Options.LockFile), "" when none was.
	Lock string
	// Node is the key of the lock's node chosen ("" without a lock):
	// where axc vet --nix finds the source to evaluate (LockNodes).
	Node string
}

// Sources of a Choice.
const (
	SourceFlag    = "--axios"
	SourceDefault = "default (newest)"
	sourceLock    = "flake.lock input "
)

// Choose picks the release: the one Flag names; else the one the lock file
// pins (see the package documentation); else, with no lock file or none of
// its inputs locking a release's repository, the newest. It fails on an
// unknown Flag, on a lock file that cannot be read or is no flake.lock, on
// several root inputs (or, with none, several inputs of inputs) pinning
// different revs, and on a pinned commit older than every release.
func (t *Table) Choose(opts Options) (Choice, error) {
	if opts.Flag != "" {
		r, err := t.Lookup(opts.Flag)
		if err != nil {
			c, ok, cerr := t.chooseCommit(opts.Flag)
			if cerr != nil {
				return Choice{}, fmt.Errorf("--axios: %w", cerr)
			}
			if !ok {
				return Choice{}, fmt.Errorf("--axios: %w", err)
			}
			return c, nil
		}
		return Choice{Release: r, Source: SourceFlag}, nil
	}
	if opts.LockFile == "" {
		return Choice{Release: t.Newest(), Source: SourceDefault}, nil
	}
	data, err := readLock(opts.LockFile)
	if err != nil {
		return Choice{}, err
	}
	c, err := t.chooseFromLock(opts.LockFile, data)
	c.Lock = opts.LockFile
	return c, err
}

func (t *Table) chooseFromLock(name string, data []byte) (Choice, error) {
	inputs, lookalikes, err := parseLock(name, data, t.Repos())
	if err != nil {
		return Choice{}, err
	}
	if len(inputs) == 0 {
		n := t.Newest()
		if len(lookalikes) > 0 {
			// Meant for the framework, perhaps, but not it: say so.
			return Choice{
				Release: n,
				Source:  SourceDefault,
				Warning: fmt.Sprintf("%s: %s, which is not %s (names are compared in ASCII); using the newest release axc knows, %s",
					name, strings.Join(lookalikes, ", "), strings.Join(t.Repos(), " or "), n.Tag),
			}, nil
		}
		return Choice{
			Release: n,
			Source:  SourceDefault,
			Note: fmt.Sprintf("%s has no %s input; using the newest release axc knows, %s",
				name, strings.Join(t.Repos(), " or "), n.Tag),
		}, nil
	}
	// The root's own inputs, or failing those the shallowest.
	best := inputs[0]
	var same, others []input
	for _, in := range inputs {
		switch {
		case in.Depth == best.Depth:
			same = append(same, in)
		case in.Rev != best.Rev:
			others = append(others, in)
		}
	}
	for _, in := range same {
		if in.Rev != best.Rev {
			return Choice{}, fmt.Errorf("%s: inputs pin different framework revs: %s; pass --axios TAG to choose",
				name, listInputs(same))
		}
	}
	c := Choice{Source: sourceLock + best.Name(), Node: best.Node}
	if len(others) > 0 {
		c.Note = fmt.Sprintf("%s: also pinned by %s; axc follows input %s", name, listInputs(others), best.Name())
	}
	if r, ok := t.ByRev(best.Rev); ok {
		c.Release = r
		return c, nil
	}
	a := &Approximation{Lock: name, Input: best.Name(), Repo: best.Repo, Rev: best.Rev}
	if i := strings.Index(lowerASCII(string(data)), `"`+best.Rev+`"`); i >= 0 {
		a.Line, a.Column = lineCol(data, int64(i))
	}
	if best.LastModified != nil {
		a.Committed = time.Unix(*best.LastModified, 0).UTC().Format("2006-01-02 15:04:05 UTC")
	}
	if e, ok := t.revTable().lookup(best.Rev); ok {
		r, _ := t.byTag(e.tag)
		c.Release = r
		if len(e.differs) == 0 {
			// Upstream's commit with exactly this release's contract
			// (the rev table): checked as that release, nothing to say.
			c.Equal = true
			return c, nil
		}
		a.StandIn, a.Known, a.Differs = r, true, e.differs
		a.Why = "its nearest release ancestor"
		if e.cairnSide {
			a.Why = "the oldest " + r.Namespace + " release: the commit is on the " + r.Namespace + " side of the rename"
		}
		c.Approx, c.Warning = a, a.Message()
		return c, nil
	}
	pinned := fmt.Sprintf("input %s pins %s at rev %s", best.Name(), best.Repo, best.Rev)
	if best.LastModified == nil {
		return Choice{}, fmt.Errorf("%s: %s, which is not a release axc knows, and has no locked.lastModified to place it among them; pass --axios TAG (one of %s)",
			name, pinned, strings.Join(t.Tags(), ", "))
	}
	r, why, ok := t.standIn(best.Repo, *best.LastModified)
	if !ok {
		old := t.releases[0]
		return Choice{}, fmt.Errorf("%s: %s (committed %s), older than every release axc knows (the oldest is %s of %s); update the input, or pass --axios TAG",
			name, pinned, a.Committed, old.Tag, old.Date)
	}
	a.StandIn, a.Why = r, why
	c.Release, c.Approx, c.Warning = r, a, a.Message()
	return c, nil
}

// chooseCommit is the choice for --axios naming an upstream commit (a full
// rev or a prefix of at least MinPrefix hex digits) that is no release:
// one the rev table says has exactly a release's contract is checked as
// that release; one that only approximates a release is refused, naming
// the release to pass instead, since a flag, unlike a lock, leaves no
// place to report the approximation at. ok is false when the table does
// not know the commit.
func (t *Table) chooseCommit(flag string) (c Choice, ok bool, err error) {
	s := lowerASCII(strings.TrimSpace(flag))
	rt := t.revTable()
	if rt == nil || len(s) < MinPrefix || len(s) > 40 || !hexOnly.MatchString(s) {
		return Choice{}, false, nil
	}
	var found []string
	for rev := range rt.byRev {
		if strings.HasPrefix(rev, s) {
			found = append(found, rev)
		}
	}
	switch len(found) {
	case 0:
		return Choice{}, false, nil
	case 1:
	default:
		slices.Sort(found)
		if len(found) > maxListed {
			found = append(found[:maxListed], fmt.Sprintf("and %d more", len(found)-maxListed))
		}
		return Choice{}, false, fmt.Errorf("upstream commit %q: ambiguous rev prefix, matches %s", flag, strings.Join(found, ", "))
	}
	rev := found[0]
	e := rt.byRev[rev]
	r, _ := t.byTag(e.tag)
	if len(e.differs) > 0 || e.cairnSide {
		a := Approximation{StandIn: r, Known: true, Differs: e.differs}
		return Choice{}, false, fmt.Errorf("upstream commit %s is no release axc knows, and differs from %s (%s): pass --axios %s to check against that release instead, or pin the commit in flake.lock to have the approximation reported",
			rev, r.Tag, a.DiffersText(), r.Tag)
	}
	return Choice{Release: r, Source: SourceFlag, Equal: true}, true, nil
}

// standIn is the release that stands in for a commit of repo, committed at
// sec, that the rev table does not know: the newest release not newer than
// it, in the namespace of its side of the rename (the cairn side: committed
// at or after the rename, or in a repository only cairn releases have).
// Failing that on the cairn side, the oldest cairn release.
func (t *Table) standIn(repo string, sec int64) (Release, string, bool) {
	var cairn string // the namespace after the rename
	for _, r := range t.releases {
		if r.Namespace != t.releases[0].Namespace {
			cairn = r.Namespace
			break
		}
	}
	rt := t.revTable()
	onCairnSide := cairn != "" && (rt != nil && rt.renameTime > 0 && sec >= rt.renameTime || t.repoOnlyOf(repo, cairn))
	if !onCairnSide {
		r, ok := t.AtTime(sec)
		return r, "the newest release not newer than it", ok
	}
	for i := len(t.releases) - 1; i >= 0; i-- {
		if r := t.releases[i]; r.Namespace == cairn && r.LastModified <= sec {
			return r, "the newest release not newer than it", true
		}
	}
	for _, r := range t.releases {
		if r.Namespace == cairn {
			return r, "the oldest " + cairn + " release: the commit is on the " + cairn + " side of the rename", true
		}
	}
	return Release{}, "", false
}

// repoOnlyOf reports whether every release of repo is in namespace ns.
func (t *Table) repoOnlyOf(repo, ns string) bool {
	found := false
	for _, r := range t.releases {
		if equalFoldASCII(r.Repo, repo) {
			if r.Namespace != ns {
				return false
			}
			found = true
		}
	}
	return found
}

// Approximation says that the lock pins a commit that is no release and
// whose contract is not known to equal one: its stand-in is checked.
type Approximation struct {
	Lock, Input, Repo, Rev string
	// Committed is the commit time ("2025-11-30 10:53:20 UTC"), or "" when
	// the lock does not say.
	Committed string
	StandIn   Release
	// Why says how the stand-in was chosen.
	Why string
	// Known: the commit is in the rev table, which says what differs from
	// the stand-in (Differs: DiffersMkSystem, DiffersOptions). Otherwise
	// what differs is not known (a fork's commit, or one newer than axc).
	Known   bool
	Differs []string
	// Line and Column place the pinned rev in the lock file (1-based; 0
	// when not found).
	Line, Column int
}

// DiffersText says what differs, in words: "mkSystem differs, options
// differ", or that it is not known.
func (a *Approximation) DiffersText() string {
	if !a.Known {
		return "axc's table of upstream commits does not know this one (a fork's, or newer than this axc), so mkSystem and the options may differ"
	}
	return strings.Join(a.DiffersList(), ", ")
}

// Message is the approximation in one line, naming the lock file.
func (a *Approximation) Message() string { return a.Lock + ": " + a.Finding() }

// Finding is the approximation in one line, for a finding placed at the
// pinned rev in the lock file.
func (a *Approximation) Finding() string {
	committed := ""
	if a.Committed != "" {
		committed = " (committed " + a.Committed + ")"
	}
	return fmt.Sprintf("input %s pins %s at rev %s%s, which is not a release axc knows; checking against %s (%s), %s: %s",
		a.Input, a.Repo, a.Rev, committed, a.StandIn.Tag, a.StandIn.Date, a.Why, a.DiffersText())
}

// DiffersList is what differs, one phrase each ("mkSystem differs",
// "options differ"); empty when not known.
func (a *Approximation) DiffersList() []string {
	var out []string
	for _, d := range a.Differs {
		switch d {
		case DiffersMkSystem:
			out = append(out, "mkSystem differs")
		case DiffersOptions:
			out = append(out, "options differ")
		}
	}
	return out
}

// maxListed is how many inputs a message lists; a lock of thousands
// (a generated one, a hostile one) gets a count of the rest.
const maxListed = 10

// listInputs lists inputs for a message: input path, repository, rev.
func listInputs(ins []input) string {
	var list []string
	for i, in := range ins {
		if i == maxListed {
			list = append(list, fmt.Sprintf("and %d more", len(ins)-maxListed))
			break
		}
		list = append(list, fmt.Sprintf("%s (%s %.7s)", in.Name(), in.Repo, in.Rev))
	}
	return strings.Join(list, ", ")
}

// FindLock returns the flake.lock of the flake that dir belongs to, or ""
// when there is none. It looks in dir and then in each parent, and stops at
// the first directory that holds a flake.lock (its path is returned), a
// flake.nix without a flake.lock (an unlocked flake: ""), or a .git entry
// (the top of a repository, as Nix stops there looking for flake.nix: ""),
// or at the filesystem root (""): reporoot's walk, with Nix's markers.
// Whatever the type of the flake.lock found, it is returned; reading it is
// Choose's business.
func FindLock(dir string) (string, error) {
	root, err := reporoot.FindWith(dir, reporoot.FlakeMarkers)
	if err != nil || root == "" {
		return "", err
	}
	lock := filepath.Join(root, "flake.lock")
	if ok, err := reporoot.Exists(lock); err != nil || !ok {
		return "", err
	}
	return lock, nil
}
