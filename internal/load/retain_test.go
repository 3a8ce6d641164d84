package load

import (
	"runtime"
	"testing"
	"weak"

	"cuelang.org/go/cue/ast"

	"github.com/axc-dev/axc/bench/hostgen"
)

// A loaded package evaluated in chunks keeps none of its parsed files:
// not the field index (Decl keeps a literal, not the expression), not the
// lazy package (declaration starts, not the files). Kept for the run,
// they were 117 MiB of a live heap of 270 at 10,000 hosts (issue 24).
// The files are those the scan cache handed the loader: once the cache
// lets them go, the result must not hold them.
func TestLoadKeepsNoParsedFiles(t *testing.T) {
	dir := t.TempDir()
	if err := hostgen.Write(dir, 40); err != nil {
		t.Fatal(err)
	}
	l, err := NewWithSchema(pinnedSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	sc := NewScanCache()
	l.SetScanCache(sc)
	res, err := l.Load([]string{dir})
	if err != nil || res.Errors != nil {
		t.Fatal(err, res.Errors)
	}
	if len(res.lazy) != 1 {
		t.Fatalf("%d packages evaluated in chunks, want 1", len(res.lazy))
	}
	var parsed []weak.Pointer[ast.File]
	for _, e := range sc.files {
		if e.parsed != nil {
			parsed = append(parsed, weak.Make(e.parsed))
		}
	}
	if len(parsed) < 4 {
		t.Fatalf("the scan cache parsed %d files, want the package's (4 at least)", len(parsed))
	}
	sc.begin() // the next Load: the cache forgets its parses
	runtime.GC()
	runtime.GC()
	kept := 0
	for _, p := range parsed {
		if p.Value() != nil {
			kept++
		}
	}
	if kept > 0 {
		t.Errorf("%d of %d parsed files still reachable after Load", kept, len(parsed))
	}
	// And the result still does its job: every host evaluates.
	if got := len(evaluated(res, false)); got != 40 {
		t.Errorf("%d hosts evaluated, want 40", got)
	}
}
