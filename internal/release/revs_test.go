package release

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// lockAt writes a flake.lock whose input NAME locks owner/repo at rev.
func lockAt(t *testing.T, input, repo, rev string, lastModified int64) string {
	t.Helper()
	owner, name, _ := strings.Cut(repo, "/")
	p := filepath.Join(t.TempDir(), "flake.lock")
	lm := ""
	if lastModified != 0 {
		lm = fmt.Sprintf(`, "lastModified": %d`, lastModified)
	}
	data := fmt.Sprintf(`{"version": 7, "root": "root", "nodes": {"root": {"inputs": {%q: %q}}, %q: {"locked": {"type": "github", "owner": %q, "repo": %q, "rev": %q%s}}}}`,
		input, input, input, owner, name, rev, lm)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func builtin(t *testing.T) *Table {
	t.Helper()
	tab, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// Every release's own rev is that release, with nothing to say; no
// release's rev is in the rev table (it would shadow nothing, but the
// generator leaves them out).
func TestReleaseRevsAreThemselves(t *testing.T) {
	tab := builtin(t)
	for _, r := range tab.Releases() {
		c, err := tab.Choose(Options{LockFile: lockAt(t, "axios", r.Repo, r.Rev, r.LastModified)})
		if err != nil {
			t.Fatal(err)
		}
		if c.Release.Tag != r.Tag || c.Warning != "" || c.Approx != nil {
			t.Errorf("%s: chose %s, warning %q", r.Tag, c.Release.Tag, c.Warning)
		}
		if _, ok := tab.revTable().byRev[r.Rev]; ok {
			t.Errorf("%s: its rev is in the rev table", r.Tag)
		}
	}
}

// The rev table: what it holds, and how Choose uses each kind of row.
func TestRevTable(t *testing.T) {
	tab := builtin(t)
	// Parsed on first use, where an error would leave no table: it parses.
	if _, err := parseRevs(revsFile, tab); err != nil {
		t.Fatal(err)
	}
	cov := tab.Coverage()
	if cov.Commits < 1000 || cov.Exact == 0 || len(cov.Heads) == 0 {
		t.Fatalf("coverage %+v: want the upstream history since v2025.11.08", cov)
	}
	if tab.revTable().rename != "3c3de95b028ffa0e8b2256a7ca858fdc806d59bd" || tab.revTable().renameTime != 1776271544 {
		t.Errorf("rename %s at %d, want upstream's rename commit 3c3de95 (2026-04-15 16:45:44 UTC)", tab.revTable().rename, tab.revTable().renameTime)
	}
	kinds := map[string]bool{}
	for rev, e := range tab.revTable().byRev {
		if _, ok := tab.byTag(e.tag); !ok {
			t.Fatalf("%s: no release %s", rev, e.tag)
		}
		kind := "="
		if e.cairnSide {
			kind = ">"
		} else if len(e.differs) > 0 {
			kind = "~"
		}
		kinds[kind] = true
	}
	if len(kinds) != 3 {
		t.Errorf("row kinds %v: want =, ~ and >", kinds)
	}

	for _, tc := range []struct {
		name, input, repo, rev string
		lastModified           int64
		tag                    string
		equal                  bool
		warning                []string // substrings; none: no warning
	}{
		// fd3ea05 was committed before v2025.12.04's commit (by time the
		// stand-in would be 96990f9) but has v2025.12.04's contract.
		{name: "exact", input: "axios", repo: "kcalvelli/axios", rev: "fd3ea05d357b86ac00132165becda4236cf15811", lastModified: 1764867300,
			tag: "v2025.12.04", equal: true},
		{name: "exact without lastModified", input: "axios", repo: "kcalvelli/axios", rev: "FD3EA05D357B86AC00132165BECDA4236CF15811",
			tag: "v2025.12.04", equal: true},
		{name: "options differ", input: "axios", repo: "kcalvelli/axios", rev: "268ce0131d4f95124151861553c9912f70458c41",
			tag: "v2025.11.13", warning: []string{"checking against v2025.11.13 (2025-11-13), its nearest release ancestor: options differ"}},
		{name: "mkSystem and options differ", input: "axios", repo: "kcalvelli/axios", rev: "221ea017efb907ea7bf3fd3aac53c586de6dcd36",
			tag: "v2025.11.08", warning: []string{"v2025.11.08 (2025-11-08), its nearest release ancestor: mkSystem differs, options differ"}},
		{name: "the rename commit, under the axios name", input: "axios", repo: "kcalvelli/axios", rev: "3c3de95b028ffa0e8b2256a7ca858fdc806d59bd", lastModified: 1776271544,
			tag: "v2026.05.01", warning: []string{"checking against v2026.05.01 (2026-05-01), the oldest cairn release: the commit is on the cairn side of the rename: mkSystem differs, options differ"}},
		{name: "unknown rev before the rename", input: "axios", repo: "kcalvelli/axios", rev: strings.Repeat("1", 40), lastModified: 1776271543,
			tag: "v2026.03.30", warning: []string{"committed 2026-04-15 16:45:43 UTC", "v2026.03.30 (2026-03-30), the newest release not newer than it: axc's table of upstream commits does not know this one"}},
		{name: "unknown rev after the rename", input: "axios", repo: "kcalvelli/axios", rev: strings.Repeat("1", 40), lastModified: 1776271544,
			tag: "v2026.05.01", warning: []string{"v2026.05.01 (2026-05-01), the oldest cairn release: the commit is on the cairn side of the rename"}},
		{name: "unknown rev of the cairn repository", input: "cairn", repo: "kcalvelli/cairn", rev: strings.Repeat("2", 40), lastModified: 1770000000,
			tag: "v2026.05.01", warning: []string{"the oldest cairn release"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := tab.Choose(Options{LockFile: lockAt(t, tc.input, tc.repo, tc.rev, tc.lastModified)})
			if err != nil {
				t.Fatal(err)
			}
			if c.Release.Tag != tc.tag || c.Equal != tc.equal {
				t.Errorf("chose %s (equal %v), want %s (equal %v)", c.Release.Tag, c.Equal, tc.tag, tc.equal)
			}
			if len(tc.warning) == 0 && (c.Warning != "" || c.Approx != nil) {
				t.Errorf("unexpected warning %q", c.Warning)
			}
			if len(tc.warning) > 0 && (c.Approx == nil || c.Approx.StandIn.Tag != tc.tag) {
				t.Errorf("no approximation with stand-in %s: %+v", tc.tag, c.Approx)
			}
			for _, w := range tc.warning {
				if !strings.Contains(c.Warning, w) {
					t.Errorf("warning %q does not contain %q", c.Warning, w)
				}
			}
		})
	}
}

// A broken rev table is refused, line by line.
func TestParseRevs(t *testing.T) {
	tab := loadTable(t)
	a455 := "a455f2d8415a468feb4add4e183e442926969f9b"
	other := strings.Repeat("a", 40)
	for _, tc := range []struct{ text, err string }{
		{other + " = v2025.11.08\n", ""},
		{other + " ~ v2025.11.08 options\n", ""},
		{other + " = v1999.01.01\n", "no release v1999.01.01"},
		{other + " = v2025.11.08\n" + other + " = v2025.11.13\n", "repeats"},
		{a455 + " = v2025.11.08\n", "a release's own"},
		{other + " ~ v2025.11.08 colours\n", `unknown difference "colours"`},
		{other + " ~ v2025.11.08\n", "want REV"},
		{other + " = v2025.11.08 options\n", "want REV"},
		{"xyz = v2025.11.08\n", "want REV"},
		{"# rename zz 1\n", "want # rename"},
	} {
		_, err := parseRevs([]byte(tc.text), tab)
		if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("%q: error %v, want %q", tc.text, err, tc.err)
		}
	}
	if !slices.Equal(builtin(t).Coverage().Heads, builtin(t).revTable().heads) {
		t.Error("Coverage heads")
	}
}
