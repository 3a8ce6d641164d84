package load

import (
	"fmt"
	"slices"
	"testing"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/format"
	"cuelang.org/go/cue/parser"
)

// A ScanCache answers as the scans themselves do, for a file whose text
// changes under the same name, Load after Load.
func TestScanCacheMatchesScans(t *testing.T) {
	c := NewScanCache()
	texts := []string{
		"package hosts\n\na: {}\nb: {x: 1}\n",
		"package hosts\n\na: {}\n[string]: {}\n",
		"package hosts\n\nfor x in [1] {c: x}\n",
		"package hosts\n\na: {}\nb: {x: 1}\n",
		"package hosts\n\n\"bob\": {users: [\"alice\"]}\n",
		"package other\n\na: {}\n",
		"@extern(embed)\n\npackage hosts\n\na: {}\n",
		"package hosts\n\n@extern(embed)\na: {}\n",
		"package hosts\n\na: {\n",
		"a: {}\n",
		"package hosts\n\n// a comment\na: {} // and another\n",
		"package hosts\n\na: [1\n2]\n",
	}
	for round := range 3 {
		c.begin()
		for i, text := range texts {
			name := fmt.Sprintf("/p/f%d.cue", (i+round)%3)
			src := []byte(text)
			// The parse and the clause first: they are the first to see
			// the new text.
			f, err := c.parse(name, src, schemaLanguage)
			wf, werr := parser.ParseFile(name, src, parser.ParseComments, parser.Version(schemaLanguage))
			if got, want := fmt.Sprint(nodeText(f), err), fmt.Sprint(nodeText(wf), werr); got != want {
				t.Errorf("round %d, %s: kept parse %s, parse %s", round, text, got, want)
			}
			// Kept by language version too: v0.16 wants commas between
			// a list's lines.
			f, err = c.parse(name, src, "v0.16.0")
			wf, werr = parser.ParseFile(name, src, parser.ParseComments, parser.Version("v0.16.0"))
			if got, want := fmt.Sprint(nodeText(f), err), fmt.Sprint(nodeText(wf), werr); got != want {
				t.Errorf("round %d, %s: kept parse in v0.16.0 %s, parse %s", round, text, got, want)
			}
			cl, err := c.packageClause(name, src)
			want, werr := packageClause(name, src)
			if cl != want || (err == nil) != (werr == nil) {
				t.Errorf("round %d, %s: kept clause %+v, %v; parse %+v, %v", round, text, cl, err, want, werr)
			}
			l1, p1, c1 := c.topLevelLabels(name, src)
			l2, p2, c2 := topLevelLabels(name, src)
			if !slices.Equal(l1, l2) || p1 != p2 || c1 != c2 {
				t.Errorf("round %d, %s: kept %v %v %v, scan %v %v %v", round, text, l1, p1, c1, l2, p2, c2)
			}
			for _, words := range [][]string{{"alice"}, {"b", "x"}, {"zed"}} {
				if got, want := c.containsAny(name, src, words), containsAny(src, words); got != want {
					t.Errorf("round %d, %s, %v: kept %v, scan %v", round, text, words, got, want)
				}
			}
		}
	}
}

// packageClause is (*ScanCache)(nil).packageClause: the parse itself.
func packageClause(name string, src []byte) (clause, error) {
	var c *ScanCache
	return c.packageClause(name, src)
}

// nodeText is f formatted, or "<nil>".
func nodeText(f *ast.File) string {
	if f == nil {
		return "<nil>"
	}
	b, err := format.Node(f)
	if err != nil {
		return "unformattable: " + err.Error()
	}
	return string(b)
}
