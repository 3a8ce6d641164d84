package schema

import (
	"io/fs"
	"maps"
	"slices"
	"strings"
	"testing"
)

// ScanOptions reads the same attributes as a walk of the parsed file, on
// every release.
func TestScanMatchesSyntax(t *testing.T) {
	dirs, err := fs.ReadDir(Files, "releases")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		n++
		src, err := fs.ReadFile(Files, "releases/"+d.Name()+"/"+GenFile)
		if err != nil {
			t.Fatal(err)
		}
		want, err := optionsFromSyntax(src)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ScanOptions(src)
		if err != nil {
			t.Fatalf("%s: %v", d.Name(), err)
		}
		// The scanner meets an attribute set's own @option after its
		// sub-options; the order does not matter.
		byName := func(a, b Option) int { return strings.Compare(a.Set+" "+a.Name, b.Set+" "+b.Name) }
		slices.SortFunc(got, byName)
		slices.SortFunc(want, byName)
		if !slices.Equal(got, want) {
			t.Errorf("%s: ScanOptions differs from the syntax: got %d options, want %d", d.Name(), len(got), len(want))
			for i := range min(len(got), len(want)) {
				if got[i] != want[i] {
					t.Errorf("first difference: got %+v, want %+v", got[i], want[i])
					break
				}
			}
		}
	}
	if n != 13 {
		t.Errorf("scanned %d releases, want 13", n)
	}
}

// A scanner that loses its place fails.
func TestScanErrors(t *testing.T) {
	for _, src := range []string{
		`a: bool @option(name="a", type="boolean"`,
		`a: bool @option(name="a", frobnicate="x")`,
		`a: bool @option(name="a, type="boolean")`,
	} {
		if _, err := ScanOptions([]byte(src)); err == nil {
			t.Errorf("ScanOptions(%q): no error", src)
		}
	}
}

// What a message, an example or a doc comment quotes is not an attribute;
// a doc comment is the field's, also when the field's value spans lines.
func TestScanQuotedAndDocs(t *testing.T) {
	src := `#NixOSOptions: {
	// not @option(name="c1", type="boolean")
	// second line
	a?: bool | error("see @option(name=\"q\", type=\"boolean\")") @option(name="a", type="boolean", example="\"@option(\\\"e\\\")\"")
	// of s
	s?: {[string]: {
		// of s.<name>.x
		x?: string @option(name="s.<name>.x", type="string")
		y?: string @option(name="s.<name>.y", type="string")
	}} @option(name="s", type="attribute set of (submodule)")
}
`
	got, err := ScanOptions([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want, err := optionsFromSyntax([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	byName := func(a, b Option) int { return strings.Compare(a.Name, b.Name) }
	slices.SortFunc(got, byName)
	slices.SortFunc(want, byName)
	if !slices.Equal(got, want) {
		t.Fatalf("ScanOptions:\n%+v\nsyntax:\n%+v", got, want)
	}
	docs := map[string]string{}
	for _, o := range got {
		docs[o.Name] = o.Doc
	}
	wantDocs := map[string]string{
		"a":          "not @option(name=\"c1\", type=\"boolean\")\nsecond line",
		"s":          "of s",
		"s.<name>.x": "of s.<name>.x",
		"s.<name>.y": "",
	}
	if !maps.Equal(docs, wantDocs) {
		t.Errorf("docs %q, want %q", docs, wantDocs)
	}
	if got[0].Example != `"@option(\"e\")"` {
		t.Errorf("example %q", got[0].Example)
	}
}
