package schema

import (
	"io/fs"
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
