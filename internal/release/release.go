// Package release chooses the axios (later cairn) release whose schema axc
// checks hosts against: the one named by --axios, else the one the user's
// flake.lock pins, else the newest release axc knows.
//
// The releases themselves are data, a CUE file read by [Parse]:
//
//	package schema
//
//	releases: [
//		{tag: "v2025.11.08", rev: "a455f2d8…", date: "2025-11-08", lastModified: 1762614977,
//		 namespace: "axios", repo: "kcalvelli/axios", mkSystem: "axios.lib.mkSystem"},
//		{tag: "96990f9", rev: "96990f9d…", …, untagged: true},
//		…
//	]
//
// oldest first, so that teaching axc a release is one line of data. Only the
// top-level field releases is read; the file may hold anything else.
//
// # Choosing from a flake.lock
//
// Every node of the lock that the root reaches (directly, through other
// inputs, or through follows) and whose locked reference is the GitHub
// repository of some release (github type, or git type with a github.com
// URL; owner and name compared case-insensitively, as GitHub does) is a
// framework input, whatever its input name. The input the root node
// references itself wins over inputs of inputs. Its locked.rev selects the
// release with that rev. Any other rev selects the newest release whose
// commit time is not after the input's locked.lastModified, with a warning:
// both are a commit's committer time in seconds since the epoch (that is what
// Nix records for github and git inputs), so the comparison is exact, not by
// day. On upstream's history, where the releases lie on one line, this is the
// nearest release that is an ancestor of the pinned commit; for a commit of a
// fork or a side branch it is only the newest release older than it.
package release

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/cuecontext"

	cueerrors "cuelang.org/go/cue/errors"
)

// Release is one release of the framework that axc knows.
type Release struct {
	// Tag is the git tag, or for an untagged commit its 7-digit rev prefix.
	Tag string
	// Rev is the full commit id, as flake.lock's locked.rev records it.
	Rev string
	// Date is the commit date (YYYY-MM-DD) in the committer's time zone.
	Date string
	// LastModified is the committer time in seconds since the epoch, as
	// flake.lock's locked.lastModified records it.
	LastModified int64
	// Namespace is the framework's own option prefix ("axios", "cairn").
	Namespace string
	// Repo is the GitHub owner/name of the flake input.
	Repo string
	// MkSystem is how a flake reaches mkSystem ("axios.lib.mkSystem").
	MkSystem string
	// Untagged marks a commit that is no tag.
	Untagged bool
}

// Short is the 7-digit prefix of the rev.
func (r Release) Short() string { return r.Rev[:7] }

// Time is the commit time.
func (r Release) Time() time.Time { return time.Unix(r.LastModified, 0).UTC() }

// Table is the list of known releases, oldest first. It is never empty.
type Table struct {
	releases []Release
	// revs maps upstream commits that are no release to the release they
	// equal or stand in for (nil: only releases are known by rev). Read
	// with revTable: the built-in table parses it from revsSrc on first
	// use, as most runs pin a release and never ask (parsing it was a
	// sixth of a one-host vet).
	revs    *revTable
	revsSrc []byte
	revsOne sync.Once
}

// revTable is t's rev table, parsed on first use; nil when there is none
// (or it does not parse: TestRevTable holds the built-in one to
// parsing).
func (t *Table) revTable() *revTable {
	t.revsOne.Do(func() {
		if t.revs == nil && t.revsSrc != nil {
			t.revs, _ = parseRevs(t.revsSrc, t)
		}
	})
	return t.revs
}

// TableFile is the name Parse gives the CUE text in its errors.
const TableFile = "releases.cue"

// MinPrefix is the shortest rev prefix Lookup accepts.
const MinPrefix = 7

var (
	hexRev  = regexp.MustCompile(`^[0-9a-f]{40}$`)
	hexOnly = regexp.MustCompile(`^[0-9a-fA-F]+$`)
	ident   = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)
	ghRepo  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$`)
	tagRe   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._+-]*$`)
)

// Parse reads the release table from CUE text: the list in the top-level
// field releases, each element a struct of tag, rev, date, lastModified,
// namespace, repo, mkSystem (all required) and untagged (optional, default
// false). It checks the data: unknown fields, a rev that is not 40 lowercase
// hex digits, a date that is not the commit's day (±1 for time zones),
// duplicate tags or revs, releases out of order, a tag that reads as a prefix
// of another release's rev, an untagged release whose tag is not its rev's
// prefix. All problems are reported, each at its position.
func Parse(src []byte) (*Table, error) {
	v := cuecontext.New().CompileBytes(src, cue.Filename(TableFile))
	if err := v.Err(); err != nil {
		return nil, cueError(err)
	}
	list := v.LookupPath(cue.MakePath(cue.Str("releases")))
	if !list.Exists() {
		return nil, fmt.Errorf("%s: no field releases", TableFile)
	}
	if err := list.Validate(cue.Concrete(true)); err != nil {
		return nil, cueError(err)
	}
	iter, err := list.List()
	if err != nil {
		return nil, fmt.Errorf("%s: %v", pos(list), err)
	}
	var (
		t    Table
		errs []error
		at   []string // position of each release
	)
	for iter.Next() {
		r, err := decodeRelease(iter.Value())
		if err != nil {
			errs = append(errs, err)
			continue
		}
		t.releases = append(t.releases, r)
		at = append(at, pos(iter.Value()))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(t.releases) == 0 {
		return nil, fmt.Errorf("%s: releases is empty", pos(list))
	}
	tags := map[string]int{}
	revs := map[string]int{}
	for i, r := range t.releases {
		bad := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("%s: release %s: %s", at[i], r.Tag, fmt.Sprintf(format, args...)))
		}
		if j, dup := tags[strings.ToLower(r.Tag)]; dup {
			bad("tag repeats release %d (%s)", j+1, at[j])
		}
		tags[strings.ToLower(r.Tag)] = i
		if j, dup := revs[r.Rev]; dup {
			bad("rev repeats release %s (%s)", t.releases[j].Tag, at[j])
		}
		revs[r.Rev] = i
		if i > 0 && r.LastModified <= t.releases[i-1].LastModified {
			bad("lastModified %d is not after the previous release's (%s, %d); releases go oldest first",
				r.LastModified, t.releases[i-1].Tag, t.releases[i-1].LastModified)
		}
		if r.Untagged && !strings.HasPrefix(r.Rev, r.Tag) {
			bad("untagged, so its tag must be a prefix of its rev %s", r.Rev)
		}
		if len(r.Tag) >= MinPrefix && hexOnly.MatchString(r.Tag) {
			for _, o := range t.releases {
				if o.Rev != r.Rev && strings.HasPrefix(o.Rev, strings.ToLower(r.Tag)) {
					bad("tag is also a prefix of the rev of %s; --axios %s would be ambiguous", o.Tag, r.Tag)
				}
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return &t, nil
}

var fieldNames = []string{"tag", "rev", "date", "lastModified", "namespace", "repo", "mkSystem", "untagged"}

func decodeRelease(v cue.Value) (Release, error) {
	var r Release
	if v.Kind() != cue.StructKind {
		return r, fmt.Errorf("%s: a release is a struct, not %v", pos(v), v.Kind())
	}
	seen := map[string]bool{}
	var errs []error
	bad := func(f cue.Value, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", pos(f), fmt.Sprintf(format, args...)))
	}
	it, err := v.Fields()
	if err != nil {
		return r, fmt.Errorf("%s: %v", pos(v), err)
	}
	for it.Next() {
		name, f := it.Selector().String(), it.Value()
		seen[name] = true
		var err error
		switch name {
		case "tag":
			r.Tag, err = f.String()
			if err == nil && !tagRe.MatchString(r.Tag) {
				bad(f, "tag %q: want letters, digits, '.', '_', '+', '-'", r.Tag)
			}
		case "rev":
			r.Rev, err = f.String()
			if err == nil && !hexRev.MatchString(r.Rev) {
				bad(f, "rev %q: want 40 lowercase hex digits", r.Rev)
			}
		case "date":
			r.Date, err = f.String()
			if err == nil {
				if _, perr := time.Parse(time.DateOnly, r.Date); perr != nil {
					bad(f, "date %q: want YYYY-MM-DD", r.Date)
				}
			}
		case "lastModified":
			r.LastModified, err = f.Int64()
			if err == nil && r.LastModified <= 0 {
				bad(f, "lastModified %d: want seconds since the epoch", r.LastModified)
			}
		case "namespace":
			r.Namespace, err = f.String()
			if err == nil && !ident.MatchString(r.Namespace) {
				bad(f, "namespace %q: want an identifier", r.Namespace)
			}
		case "repo":
			r.Repo, err = f.String()
			if err == nil && !ghRepo.MatchString(r.Repo) {
				bad(f, "repo %q: want OWNER/NAME", r.Repo)
			}
		case "mkSystem":
			r.MkSystem, err = f.String()
			if err == nil && strings.TrimSpace(r.MkSystem) == "" {
				bad(f, "mkSystem is empty")
			}
		case "untagged":
			r.Untagged, err = f.Bool()
		default:
			bad(f, "unknown field %s (want %s)", name, strings.Join(fieldNames, ", "))
			continue
		}
		if err != nil {
			bad(f, "%s: %s", name, cueMsg(err))
		}
	}
	for _, name := range fieldNames {
		if !seen[name] && name != "untagged" {
			errs = append(errs, fmt.Errorf("%s: release has no %s", pos(v), name))
		}
	}
	if len(errs) == 0 && r.Date != "" && r.LastModified > 0 {
		day, _ := time.Parse(time.DateOnly, r.Date)
		utc := r.Time().Truncate(24 * time.Hour)
		if d := day.Sub(utc); d > 24*time.Hour || d < -24*time.Hour {
			errs = append(errs, fmt.Errorf("%s: release %s: date %s is not the day of lastModified %d (%s)",
				pos(v), r.Tag, r.Date, r.LastModified, r.Time().Format(time.RFC3339)))
		}
	}
	return r, errors.Join(errs...)
}

func pos(v cue.Value) string {
	if p := v.Pos(); p.IsValid() {
		return p.String()
	}
	return TableFile
}

// cueMsg is the message of the first CUE error in err, without position.
func cueMsg(err error) string {
	if errs := cueerrors.Errors(err); len(errs) > 0 {
		format, args := errs[0].Msg()
		return fmt.Sprintf(format, args...)
	}
	return err.Error()
}

func cueError(err error) error {
	var msgs []string
	for _, e := range cueerrors.Errors(err) {
		format, args := e.Msg()
		msg := fmt.Sprintf(format, args...)
		if ps := e.InputPositions(); len(ps) > 0 {
			msg = ps[0].String() + ": " + msg
		} else if p := e.Position(); p.IsValid() {
			msg = p.String() + ": " + msg
		} else {
			msg = TableFile + ": " + msg
		}
		msgs = append(msgs, msg)
	}
	if len(msgs) == 0 {
		return fmt.Errorf("%s: %v", TableFile, err)
	}
	errs := make([]error, len(msgs))
	for i, m := range msgs {
		errs[i] = errors.New(m)
	}
	return errors.Join(errs...)
}

// Releases returns the releases, oldest first (a copy).
func (t *Table) Releases() []Release { return slices.Clone(t.releases) }

// Newest returns the newest release.
func (t *Table) Newest() Release { return t.releases[len(t.releases)-1] }

// Tags returns the tags, oldest first.
func (t *Table) Tags() []string {
	tags := make([]string, len(t.releases))
	for i, r := range t.releases {
		tags[i] = r.Tag
	}
	return tags
}

// Repos returns the GitHub owner/name of every release's flake input, each
// once, in table order.
func (t *Table) Repos() []string {
	var repos []string
	for _, r := range t.releases {
		if !slices.ContainsFunc(repos, func(s string) bool { return strings.EqualFold(s, r.Repo) }) {
			repos = append(repos, r.Repo)
		}
	}
	return repos
}

// ByRev returns the release whose rev is rev (40 hex digits, any case).
func (t *Table) ByRev(rev string) (Release, bool) {
	rev = strings.ToLower(rev)
	for _, r := range t.releases {
		if r.Rev == rev {
			return r, true
		}
	}
	return Release{}, false
}

// AtTime returns the newest release whose commit time is not after sec
// (seconds since the epoch), and false when every release is newer.
func (t *Table) AtTime(sec int64) (Release, bool) {
	for i := len(t.releases) - 1; i >= 0; i-- {
		if t.releases[i].LastModified <= sec {
			return t.releases[i], true
		}
	}
	return Release{}, false
}

// Lookup finds a release by tag (case-insensitive), by full rev, or by a
// prefix of at least MinPrefix hex digits of one release's rev.
func (t *Table) Lookup(s string) (Release, error) {
	s = strings.TrimSpace(s)
	for _, r := range t.releases {
		if equalFoldASCII(r.Tag, s) {
			return r, nil
		}
	}
	if s != "" && hexOnly.MatchString(s) {
		l := lowerASCII(s)
		var found []Release
		for _, r := range t.releases {
			if strings.HasPrefix(r.Rev, l) {
				found = append(found, r)
			}
		}
		switch {
		case len(found) == 0:
		case len(s) < MinPrefix:
			return Release{}, fmt.Errorf("axios release %q: a rev prefix needs at least %d hex digits", s, MinPrefix)
		case len(found) == 1:
			return found[0], nil
		default:
			var tags []string
			for _, r := range found {
				tags = append(tags, r.Tag)
			}
			return Release{}, fmt.Errorf("axios release %q: ambiguous rev prefix, matches %s", s, strings.Join(tags, ", "))
		}
	}
	return Release{}, fmt.Errorf("unknown axios release %q; axc knows %s (or give a rev of one, or of an upstream commit with exactly one's contract, at least %d hex digits)",
		s, strings.Join(t.Tags(), ", "), MinPrefix)
}

// Builtin is the table of the releases whose schemas are built into axc
// (schema.ReleasesFile).
//
// It is what Parse makes of that file, kept as Go (builtin_gen.go, held
// equal to the file by TestBuiltinMatchesReleasesFile): compiling it with
// CUE took half a millisecond of every run.
func Builtin() (*Table, error) {
	return &Table{releases: slices.Clone(builtinReleases), revsSrc: revsFile}, nil
}
