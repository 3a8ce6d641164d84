package release

import (
	"fmt"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
)

const tableFile = "../../schema/releases/releases.cue"

// readmeFile is the release notes the table is read off; CI has ../shared
// beside the clone.
const readmeFile = "../../../shared/axios/releases/README.md"

func loadTable(t testing.TB) *Table {
	t.Helper()
	src, err := os.ReadFile(tableFile)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := Parse(src)
	if err != nil {
		t.Fatalf("Parse(%s): %v", tableFile, err)
	}
	return tab
}

func TestTable(t *testing.T) {
	tab := loadTable(t)
	rs := tab.Releases()
	if len(rs) < 13 {
		t.Errorf("%d releases, want at least 13", len(rs))
	}
	hex40 := regexp.MustCompile(`^[0-9a-f]{40}$`)
	tags := map[string]bool{}
	for i, r := range rs {
		if !hex40.MatchString(r.Rev) {
			t.Errorf("%s: rev %q is not 40 hex digits", r.Tag, r.Rev)
		}
		if tags[r.Tag] {
			t.Errorf("tag %s repeats", r.Tag)
		}
		tags[r.Tag] = true
		if r.Namespace == "" || r.Repo == "" || r.MkSystem == "" {
			t.Errorf("%s: empty field in %+v", r.Tag, r)
		}
		if !strings.HasPrefix(r.MkSystem, r.Namespace+".") {
			t.Errorf("%s: mkSystem %q is not under namespace %q", r.Tag, r.MkSystem, r.Namespace)
		}
		if i > 0 {
			p := rs[i-1]
			if r.Date < p.Date {
				t.Errorf("%s (%s) is dated before %s (%s)", r.Tag, r.Date, p.Tag, p.Date)
			}
			if r.LastModified <= p.LastModified {
				t.Errorf("%s lastModified %d not after %s's %d", r.Tag, r.LastModified, p.Tag, p.LastModified)
			}
		}
	}
	i := slices.IndexFunc(rs, func(r Release) bool { return r.Tag == "96990f9" })
	if i < 1 || i+1 >= len(rs) || rs[i-1].Tag != "v2025.11.21" || rs[i+1].Tag != "v2025.12.04" {
		t.Errorf("96990f9 is not between v2025.11.21 and v2025.12.04: %v", tab.Tags())
	} else if !rs[i].Untagged {
		t.Errorf("96990f9 is not marked untagged")
	}
	for _, r := range rs {
		if r.Untagged != (r.Tag == "96990f9") {
			t.Errorf("%s: untagged = %v", r.Tag, r.Untagged)
		}
	}
	if n, err := tab.Lookup("v2026.05.01"); err != nil || n.Namespace != "cairn" || n.Repo != "kcalvelli/cairn" || n.MkSystem != "cairn.lib.mkSystem" {
		t.Errorf("v2026.05.01 = %+v, %v", n, err)
	}
	if n := tab.Newest(); n != rs[len(rs)-1] {
		t.Errorf("Newest() = %s, want %s", n.Tag, rs[len(rs)-1].Tag)
	}
	if got := tab.Repos(); !slices.Equal(got, []string{"kcalvelli/axios", "kcalvelli/cairn"}) {
		t.Errorf("Repos() = %v", got)
	}
	// Releases returns a copy.
	rs[0].Tag = "changed"
	if tab.Releases()[0].Tag != "v2025.11.08" {
		t.Error("Releases() shares its slice")
	}
}

// readmeRelease is a row of the release notes' section 1.
type readmeRelease struct {
	tag, short, date, namespace, rev string
	untagged                         bool
}

// parseReadme reads section 1 of the release notes: the release table and
// the table of full commit ids.
func parseReadme(t *testing.T, text string) []readmeRelease {
	t.Helper()
	start := strings.Index(text, "\n## 1.")
	end := strings.Index(text, "\n## 2.")
	if start < 0 || end < start {
		t.Fatalf("%s: no section 1", readmeFile)
	}
	code := regexp.MustCompile("`([^`]*)`")
	unquote := func(cell string) string {
		if m := code.FindStringSubmatch(cell); m != nil {
			return m[1]
		}
		return strings.TrimSpace(cell)
	}
	var rows []readmeRelease
	revs := map[string]string{}
	inFull := false
	for _, line := range strings.Split(text[start:end], "\n") {
		if strings.HasPrefix(line, "Full commit ids") {
			inFull = true
			continue
		}
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if inFull {
			if len(cells) != 2 {
				t.Fatalf("%s: full commit id row %q", readmeFile, line)
			}
			revs[unquote(cells[0])] = unquote(cells[1])
			continue
		}
		if len(cells) < 7 {
			t.Fatalf("%s: release row %q", readmeFile, line)
		}
		ns := strings.TrimSuffix(unquote(cells[5]), ".*")
		rows = append(rows, readmeRelease{
			tag:       unquote(cells[0]),
			untagged:  strings.Contains(cells[0], "untagged"),
			short:     unquote(cells[1]),
			date:      strings.TrimSpace(cells[2]),
			namespace: ns,
		})
	}
	if len(rows) == 0 || len(revs) == 0 {
		t.Fatalf("%s: found %d releases and %d full commit ids", readmeFile, len(rows), len(revs))
	}
	if len(rows) != len(revs) {
		t.Errorf("%s: %d releases but %d full commit ids", readmeFile, len(rows), len(revs))
	}
	for i := range rows {
		rows[i].rev = revs[rows[i].tag]
		if rows[i].rev == "" {
			t.Errorf("%s: no full commit id for %s", readmeFile, rows[i].tag)
		}
	}
	return rows
}

func TestTableMatchesReadme(t *testing.T) {
	text, err := os.ReadFile(readmeFile)
	if os.IsNotExist(err) {
		t.Skipf("%s is not here", readmeFile)
	}
	if err != nil {
		t.Fatal(err)
	}
	rows := parseReadme(t, string(text))
	rs := loadTable(t).Releases()
	if len(rows) != len(rs) {
		t.Errorf("README lists %d releases, table %d", len(rows), len(rs))
	}
	for i := range min(len(rows), len(rs)) {
		w, r := rows[i], rs[i]
		if w.tag != r.Tag || w.rev != r.Rev || w.date != r.Date || w.namespace != r.Namespace || w.untagged != r.Untagged {
			t.Errorf("release %d: README %+v, table %+v", i+1, w, r)
		}
		if !strings.HasPrefix(w.rev, w.short) || w.short != r.Short() {
			t.Errorf("%s: README short commit %s, full %s, table %s", w.tag, w.short, w.rev, r.Rev)
		}
	}
}

func TestParseErrors(t *testing.T) {
	const (
		a = `tag: "v1", rev: "a455f2d8415a468feb4add4e183e442926969f9b", date: "2025-11-08", lastModified: 1762614977, namespace: "axios", repo: "kcalvelli/axios", mkSystem: "axios.lib.mkSystem"`
		b = `tag: "v2", rev: "463640500c0b7fa7bf5040f03f8e7a9e62c5528d", date: "2025-11-13", lastModified: 1763047669, namespace: "axios", repo: "kcalvelli/axios", mkSystem: "axios.lib.mkSystem"`
	)
	for _, tc := range []struct {
		name, src string
		want      []string // substrings of the error
	}{
		{"syntax", "releases: [{", []string{"releases.cue:1:"}},
		{"no releases", "other: 1", []string{"no field releases"}},
		{"not a list", "releases: 1", []string{"releases.cue:1:", "as list"}},
		{"empty", "releases: []", []string{"releases is empty"}},
		{"not concrete", "releases: [{tag: string}]", []string{"releases.cue:1:"}},
		{"not a struct", `releases: ["x"]`, []string{"releases.cue:1:12", "a release is a struct"}},
		{"unknown field", "releases: [{" + a + `, mkSytem: "x"}]`, []string{"releases.cue:1:", "unknown field mkSytem"}},
		{"missing field", `releases: [{tag: "v1"}]`, []string{"release has no rev", "release has no mkSystem"}},
		{"bad rev", "releases: [{" + strings.Replace(a, "a455f2d8", "A455F2D8", 1) + "}]", []string{"want 40 lowercase hex digits"}},
		{"short rev", "releases: [{" + strings.Replace(a, "a455f2d8415a468f", "a455f2d", 1) + "}]", []string{"want 40 lowercase hex digits"}},
		{"bad date", "releases: [{" + strings.Replace(a, "2025-11-08", "2025-13-08", 1) + "}]", []string{"want YYYY-MM-DD"}},
		{"date far from lastModified", "releases: [{" + strings.Replace(a, "2025-11-08", "2025-11-10", 1) + "}]", []string{"not the day of lastModified"}},
		{"wrong type", "releases: [{" + strings.Replace(a, "1762614977", `"1762614977"`, 1) + "}]", []string{"lastModified"}},
		{"bad repo", "releases: [{" + strings.Replace(a, "kcalvelli/axios", "axios", 1) + "}]", []string{"want OWNER/NAME"}},
		{"duplicate tag", "releases: [{" + a + "}, {" + strings.Replace(b, `"v2"`, `"v1"`, 1) + "}]", []string{"releases.cue:1:", "tag repeats"}},
		{"duplicate rev", "releases: [{" + a + "}, {" + strings.Replace(b, "463640500c0b7fa7bf5040f03f8e7a9e62c5528d", "a455f2d8415a468feb4add4e183e442926969f9b", 1) + "}]", []string{"rev repeats"}},
		{"out of order", "releases: [{" + b + "}, {" + a + "}]", []string{"oldest first"}},
		{"untagged not a prefix", "releases: [{" + a + ", untagged: true}]", []string{"untagged, so its tag must be a prefix"}},
		{"hex tag names another rev", "releases: [{" + strings.Replace(a, `"v1"`, `"4636405"`, 1) + "}, {" + b + "}]", []string{"would be ambiguous"}},
		{"all problems", "releases: [{" + strings.Replace(a, "kcalvelli/axios", "x", 1) + "}, {" + strings.Replace(b, "kcalvelli/axios", "y", 1) + "}]",
			[]string{`repo "x"`, `repo "y"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tab, err := Parse([]byte("package schema\n" + strings.Replace(tc.src, "\n", " ", -1)))
			if err == nil {
				t.Fatalf("no error, table %v", tab.Tags())
			}
			for _, w := range tc.want {
				// The source is on line 2 of what Parse read.
				w = strings.Replace(w, "releases.cue:1:", "releases.cue:2:", 1)
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestParseIgnoresOtherFields(t *testing.T) {
	src := `package schema

#Host: {hostname: string}
releases: [{tag: "v1", rev: "a455f2d8415a468feb4add4e183e442926969f9b", date: "2025-11-08", lastModified: 1762614977, namespace: "axios", repo: "kcalvelli/axios", mkSystem: "axios.lib.mkSystem"}]
`
	tab, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got := tab.Tags(); !slices.Equal(got, []string{"v1"}) {
		t.Errorf("Tags() = %v", got)
	}
}

func TestLookup(t *testing.T) {
	tab := loadTable(t)
	for _, tc := range []struct {
		in, want, err string
	}{
		{in: "v2025.12.04", want: "v2025.12.04"},
		{in: "V2025.12.04", want: "v2025.12.04"},
		{in: " v2026.05.01 ", want: "v2026.05.01"},
		{in: "96990f9", want: "96990f9"},
		{in: "93a81afef077bc7c9801f68cec0405b8c0944187", want: "v2025.12.04"},
		{in: "93A81AFEF077BC7C9801F68CEC0405B8C0944187", want: "v2025.12.04"},
		{in: "93a81af", want: "v2025.12.04"},
		{in: "0b4b6cb380c6", want: "v2026.05.01"},
		{in: "93a81a", err: "at least 7 hex digits"},
		{in: "93a81afef077bc7c9801f68cec0405b8c0944188", err: "unknown axios release"},
		{in: "deadbeef", err: "unknown axios release"},
		{in: "v2025.11.09", err: "axc knows v2025.11.08, v2025.11.13"},
		{in: "2025.11.08", err: "unknown axios release"},
		{in: "", err: "unknown axios release"},
	} {
		r, err := tab.Lookup(tc.in)
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("Lookup(%q) = %s, %v; want error containing %q", tc.in, r.Tag, err, tc.err)
			}
		case err != nil || r.Tag != tc.want:
			t.Errorf("Lookup(%q) = %s, %v; want %s", tc.in, r.Tag, err, tc.want)
		}
	}
}

func TestLookupAmbiguousPrefix(t *testing.T) {
	src := `package schema
releases: [
	{tag: "v1", rev: "abcdef0000000000000000000000000000000001", date: "2025-11-08", lastModified: 1762614977, namespace: "axios", repo: "kcalvelli/axios", mkSystem: "axios.lib.mkSystem"},
	{tag: "v2", rev: "abcdef0000000000000000000000000000000002", date: "2025-11-13", lastModified: 1763047669, namespace: "axios", repo: "kcalvelli/axios", mkSystem: "axios.lib.mkSystem"},
]`
	tab, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tab.Lookup("abcdef0"); err == nil || !strings.Contains(err.Error(), "ambiguous rev prefix, matches v1, v2") {
		t.Errorf("Lookup(abcdef0): %v", err)
	}
	if r, err := tab.Lookup("abcdef0000000000000000000000000000000002"); err != nil || r.Tag != "v2" {
		t.Errorf("Lookup(full rev) = %v, %v", r.Tag, err)
	}
}

func TestAtTime(t *testing.T) {
	tab := loadTable(t)
	for _, tc := range []struct {
		sec  int64
		want string
	}{
		{1762614976, ""},
		{1762614977, "v2025.11.08"},
		{1763047668, "v2025.11.08"},
		{1764181876, "96990f9"},
		{1764868160, "96990f9"},
		{1777642997, "v2026.05.01"},
		{1777650192, "v2026.05.01"},
	} {
		r, ok := tab.AtTime(tc.sec)
		if ok != (tc.want != "") || r.Tag != tc.want {
			t.Errorf("AtTime(%d) = %q, %v; want %q", tc.sec, r.Tag, ok, tc.want)
		}
	}
}

// chainLock is a flake.lock whose root's input starts a chain of n inputs,
// the last of which locks axios 96990f9 (each of them too, with all).
func chainLock(n int, all bool) []byte {
	var b strings.Builder
	b.WriteString(`{"version": 7, "root": "root", "nodes": {"root": {"inputs": {"dep": "n1"}}`)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, ",\n\"n%d\": {", i)
		if i < n {
			fmt.Fprintf(&b, `"inputs": {"dep": "n%d"}`, i+1)
		} else {
			b.WriteString(`"inputs": {}`)
		}
		if all || i == n {
			b.WriteString(`, "locked": {"type": "github", "owner": "kcalvelli", "repo": "axios", "rev": "96990f9dadc30a94ca18f26f901cfef98550de07", "lastModified": 1764181876}`)
		}
		b.WriteString("}")
	}
	b.WriteString("}}\n")
	return []byte(b.String())
}

// Reading a lock costs memory linear in its size, however long its chains
// of inputs (whose input paths are as long as the chain): four times the
// chain, at most five times the memory, and a bounded multiple of the
// file's size. Each input's path used to be its parent's and one more
// name: n²/2 bytes for a chain of n (16 000 inputs: 416 MiB).
func TestLockChainLinearMemory(t *testing.T) {
	tab := loadTable(t)
	for _, all := range []bool{false, true} {
		var prev uint64
		for _, n := range []int{5000, 20000} {
			data := chainLock(n, all)
			var m0, m1 runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&m0)
			c, err := tab.chooseFromLock("chain.lock", data)
			runtime.ReadMemStats(&m1)
			if err != nil {
				t.Fatal(err)
			}
			if c.Release.Tag == "" {
				t.Fatalf("no release chosen: %+v", c)
			}
			alloc := m1.TotalAlloc - m0.TotalAlloc
			t.Logf("all=%v, chain of %d (%d bytes): %d KiB allocated", all, n, len(data), alloc>>10)
			if alloc > 100*uint64(len(data)) {
				t.Errorf("all=%v, chain of %d: %d bytes allocated for a %d-byte lock", all, n, alloc, len(data))
			}
			if prev > 0 && alloc > 5*prev {
				t.Errorf("all=%v: 4 times the chain allocates %.1f times the memory", all, float64(alloc)/float64(prev))
			}
			prev = alloc
		}
	}
}

// A message about a lock's inputs names at most maxListed of them and
// counts the rest: a lock of thousands of framework inputs makes a message
// of a few lines.
func TestLockMessagesListFew(t *testing.T) {
	tab := loadTable(t)
	var b strings.Builder
	b.WriteString(`{"version": 7, "root": "root", "nodes": {"root": {"inputs": {`)
	for i := range 1000 {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `"a%d": "n%d"`, i, i)
	}
	b.WriteString("}}")
	for i := range 1000 {
		fmt.Fprintf(&b, `, "n%d": {"locked": {"type": "github", "owner": "kcalvelli", "repo": "axios", "rev": "%040x", "lastModified": 1764181876}}`, i, i)
	}
	b.WriteString("}}")
	_, err := tab.chooseFromLock("many.lock", []byte(b.String()))
	if err == nil {
		t.Fatal("no error for 1000 inputs pinning different revs")
	}
	if n := strings.Count(err.Error(), "kcalvelli/axios"); n != maxListed || !strings.Contains(err.Error(), "and 990 more") {
		t.Errorf("lists %d inputs, want %d and a count of the rest: %.300s", n, maxListed, err)
	}
}
