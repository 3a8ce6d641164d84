package release

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"github.com/axc-dev/axc/schema"
)

// revsFile is the rev table, generated from upstream's history by
// `go run ./tools/revgen` (package revgen says how it decides).
//
//go:embed revs.txt
var revsFile []byte

// RevsFile is the name the rev table's errors give it.
const RevsFile = "internal/release/revs.txt"

// Differences between a pinned commit and its stand-in.
const (
	DiffersMkSystem = "mkSystem"
	DiffersOptions  = "options"
)

// revEntry is what the rev table says of one upstream commit.
type revEntry struct {
	tag string
	// differs is empty when the commit has the release's contract, else
	// what differs from the stand-in (DiffersMkSystem, DiffersOptions).
	differs []string
	// cairnSide: the stand-in is the oldest release of the namespace after
	// the rename, newer than the commit, which is on that side of it
	// (written REV > TAG DIFFERS).
	cairnSide bool
}

// revTable maps upstream commits to releases.
type revTable struct {
	byRev map[string]revEntry
	// rename is the first commit on the cairn side of the rename, and
	// renameTime its committer time (0 when unknown).
	rename     string
	renameTime int64
	heads      []string
}

// parseRevs reads the rev table, checking every tag against t.
func parseRevs(data []byte, t *Table) (*revTable, error) {
	rt := &revTable{byRev: map[string]revEntry{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	line := 0
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s", RevsFile, line, fmt.Sprintf(format, args...))
	}
	for sc.Scan() {
		line++
		text := sc.Text()
		if h, ok := strings.CutPrefix(text, "# heads "); ok {
			rt.heads = strings.Fields(h)
			continue
		}
		if r, ok := strings.CutPrefix(text, "# rename "); ok {
			f := strings.Fields(r)
			if len(f) != 2 || !hexRev.MatchString(f[0]) {
				return nil, bad("want # rename REV TIME")
			}
			n, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				return nil, bad("rename time: %v", err)
			}
			rt.rename, rt.renameTime = f[0], n
			continue
		}
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Fields(text)
		if len(f) < 3 || !hexRev.MatchString(f[0]) || (f[1] == "=") != (len(f) == 3) || !strings.Contains("=~>", f[1]) || len(f[1]) != 1 || len(f) > 4 {
			return nil, bad("want REV = TAG, REV ~ TAG DIFFERS or REV > TAG DIFFERS")
		}
		r, ok := t.byTag(f[2])
		if !ok {
			return nil, bad("no release %s", f[2])
		}
		if _, dup := rt.byRev[f[0]]; dup {
			return nil, bad("rev %s repeats", f[0])
		}
		if _, rel := t.ByRev(f[0]); rel {
			return nil, bad("rev %s is a release's own", f[0])
		}
		e := revEntry{tag: r.Tag, cairnSide: f[1] == ">"}
		if f[1] != "=" {
			e.differs = strings.Split(f[3], ",")
			for _, d := range e.differs {
				if d != DiffersMkSystem && d != DiffersOptions {
					return nil, bad("unknown difference %q", d)
				}
			}
		}
		rt.byRev[f[0]] = e
	}
	return rt, sc.Err()
}

// lookup finds rev (lowercase, 40 hex digits) in the table.
func (rt *revTable) lookup(rev string) (revEntry, bool) {
	if rt == nil {
		return revEntry{}, false
	}
	e, ok := rt.byRev[rev]
	return e, ok
}

func (t *Table) byTag(tag string) (Release, bool) {
	for _, r := range t.releases {
		if r.Tag == tag {
			return r, true
		}
	}
	return Release{}, false
}

// BuiltinSource is the text of the built-in release table, for tools that
// need the releases before the rev table exists (tools/revgen).
func BuiltinSource() ([]byte, error) {
	return fs.ReadFile(schema.Files, schema.ReleasesFile)
}

// RevsData is the embedded rev table, as generated.
func RevsData() []byte { return slices.Clone(revsFile) }

// Coverage says what the rev table covers: how many upstream commits it
// knows besides the releases themselves, how many of them have a release's
// contract exactly, and the heads it was made from.
type Coverage struct {
	Commits, Exact int
	Heads          []string
}

// Coverage of the table's rev table (zero without one).
func (t *Table) Coverage() Coverage {
	rt := t.revTable()
	if rt == nil {
		return Coverage{}
	}
	c := Coverage{Commits: len(rt.byRev), Heads: slices.Clone(rt.heads)}
	for _, e := range rt.byRev {
		if len(e.differs) == 0 {
			c.Exact++
		}
	}
	return c
}
