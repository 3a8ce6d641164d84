package load

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/errors"
	"cuelang.org/go/cue/parser"

	"github.com/axc-dev/axc/schema"
)

// Evaluating a large package in chunks, in parallel, must give every host
// exactly the errors (paths, messages, positions) of evaluating the whole
// package at once.
func TestChunkedEvaluationMatchesWhole(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("package hosts\n\n_tz: extraConfig: {axios: system: timeZone: \"UTC\", fileSystems: \"/\": device: \"/dev/sda1\"}\n#Laptop: {formFactor: \"laptop\", hardware: isLaptop: true}\n")
	for i := range 130 {
		switch i % 5 {
		case 0:
			fmt.Fprintf(&b, "h%03d: _tz & {hardware: cpu: \"arm\"}\n", i)
		case 1:
			fmt.Fprintf(&b, "h%03d: _tz & {modules: gaming: true}\n", i)
		case 2:
			fmt.Fprintf(&b, "h%03d: {hardwre: {}}\n", i)
		case 3:
			fmt.Fprintf(&b, "h%03d: _tz & #Laptop & {homeProfile: \"laptop\"}\n", i)
		default:
			fmt.Fprintf(&b, "h%03d: _tz\n", i)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "hosts.cue"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}

	run := func(size int) map[string]string {
		oldSize, oldMin := chunkSize, lazyMin
		chunkSize, lazyMin = size, size
		defer func() { chunkSize, lazyMin = oldSize, oldMin }()
		l, err := NewWithSchema(pinnedSchema(t))
		if err != nil {
			t.Fatal(err)
		}
		res, err := l.Load([]string{dir})
		if err != nil {
			t.Fatal(err)
		}
		lazy := 0
		for _, h := range res.Hosts {
			if h.lazy != nil {
				lazy++
			}
		}
		if want := map[bool]int{true: 130, false: 0}[size < 130]; lazy != want {
			t.Fatalf("chunk size %d: %d lazy hosts, want %d", size, lazy, want)
		}
		var mu sync.Mutex
		out := map[string]string{}
		res.Each(func(_ int, h *Host, v cue.Value) {
			var lines []string
			for _, e := range errors.Errors(v.Validate(cue.Concrete(true))) {
				f, a := e.Msg()
				lines = append(lines, fmt.Sprintf("%v: %s %v", e.Path(), fmt.Sprintf(f, a...), errors.Positions(e)))
			}
			sort.Strings(lines)
			mu.Lock()
			out[h.Name] = strings.Join(lines, "\n")
			mu.Unlock()
		})
		return out
	}
	whole, chunked := run(1<<30), run(7)
	if len(whole) != 130 || len(chunked) != 130 {
		t.Fatalf("got %d and %d hosts, want 130", len(whole), len(chunked))
	}
	errs := 0
	for name, w := range whole {
		if chunked[name] != w {
			t.Errorf("%s: chunked\n%s\nwhole\n%s", name, chunked[name], w)
		}
		if w != "" {
			errs++
		}
	}
	if errs != 104 {
		t.Errorf("%d hosts with errors, want 104 (4 of every 5: #Laptop is closed)", errs)
	}
}

// A host that refers to another host by name keeps the package whole.
func TestStaticHostsSeesReferences(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want bool
	}{
		{"a: {x: 1}\nb: {y: 2}\n_c: 3\n#D: 4\nlet e = 5\n[string]: {...}", true},
		{"a: {x: 1}\nb: a & {y: 2}", false},
		{"a: {b: 1}\nb: {}", true}, // a label, not a reference
		{"a: {x: 1}\nfor k, v in {c: 1} {(k): v}", false},
		{"a: 1\n(\"b\"): 2", false},
	} {
		f, err := parseTestFile(tc.src)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := staticHosts(f); ok != tc.want {
			t.Errorf("%q: static %v, want %v", tc.src, ok, tc.want)
		}
	}
}

func parseTestFile(src string) ([]*ast.File, error) {
	f, err := parser.ParseFile("test.cue", "package hosts\n"+src)
	if err != nil {
		return nil, err
	}
	return []*ast.File{f}, nil
}

// pinnedSchema is the schema of the pinned commit 96990f9, which these
// tests' hosts are written for.
func pinnedSchema(t testing.TB) fs.FS {
	t.Helper()
	fsys, err := schema.Release("96990f9")
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}
