package load

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
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
		res := loadPinned(t, dir)
		lazy := 0
		for _, h := range res.Hosts {
			if h.lazy != nil {
				lazy++
			}
		}
		if want := map[bool]int{true: 130, false: 0}[size < 130]; lazy != want {
			t.Fatalf("chunk size %d: %d lazy hosts, want %d", size, lazy, want)
		}
		return evaluated(res, false)
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

// A chunk leaves out the files whose hosts it does not evaluate (when they
// declare nothing else): every host must still get exactly the errors of
// evaluating the whole package at once, whatever the other files hold (a
// shared hidden field, a let, imports, a definition), and files must be
// left out.
func TestChunkLeavesOutOtherFilesMatchesWhole(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a.cue": "package hosts\n\nimport \"strings\"\n\n// hosts only, and an import they use\na0: extraConfig: axios: system: timeZone: strings.ToUpper(\"utc\")\na1: hardware: cpu: strings.ToLower(\"ARM\")\n",
		"b.cue": "package hosts\n\n_tz: extraConfig: axios: system: timeZone: \"UTC\"\n_root: extraConfig: fileSystems: \"/\": device: \"/dev/sda1\"\nb0: _tz & _root\nb1: _tz & {modules: gaming: true}\n",
		"c.cue": "package hosts\n\nlet zone = \"Europe/Paris\"\n_zone: zone\n#Laptop: {formFactor: \"laptop\", hardware: isLaptop: true}\nc0: _root & {extraConfig: axios: system: timeZone: _zone}\nc1: #Laptop & _tz\n",
		"d.cue": "package hosts\n\n// only hosts\nd0: _tz & _root & {homeProfile: \"laptop\"}\nd1: {hardwre: {}}\nd2: _root & {extraConfig: axios: system: timeZone: \"Mars/Base\"}\n",
		"e.cue": "package hosts\n\ne0: _tz & #Laptop & _root\n",
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var left atomic.Int64 // files a chunk left out
	run := func(size int) map[string]string {
		oldSize, oldMin := chunkSize, lazyMin
		chunkSize, lazyMin = size, size
		defer func() { chunkSize, lazyMin = oldSize, oldMin }()
		res := loadPinned(t, dir)
		if res.Errors != nil {
			t.Fatal(res.Errors)
		}
		if len(res.lazy) == 1 && size == 1 {
			lp := res.lazy[0]
			for _, n := range lp.names {
				inst, err := lp.only(map[string]bool{n: true}, false)
				if err != nil {
					t.Fatal(err)
				}
				left.Add(int64(len(lp.files) - len(inst.Files)))
			}
		}
		return evaluated(res, true)
	}
	whole := run(1 << 30)
	for _, size := range []int{1, 2, 3} {
		chunked := run(size)
		if len(whole) != 10 || len(chunked) != 10 {
			t.Fatalf("got %d and %d hosts, want 10", len(whole), len(chunked))
		}
		for name, w := range whole {
			if chunked[name] != w {
				t.Errorf("chunks of %d: %s: chunked\n%s\nwhole\n%s", size, name, chunked[name], w)
			}
		}
	}
	// One host a chunk: the files of hosts only (a.cue, d.cue, e.cue)
	// are left out of the chunks of other files' hosts; b.cue and c.cue
	// declare more, and are kept, as is the pattern file. a's 2 hosts
	// leave out d and e, b's and c's 2 each a, d and e, d's 3 a and e,
	// e's one a and d: 4 + 6 + 6 + 6 + 2.
	if left.Load() != 24 {
		t.Errorf("chunks of one host left out %d files, want 24", left.Load())
	}
}

// loadPinned loads dir against the pinned commit's schema.
func loadPinned(t *testing.T, dir string) *Result {
	t.Helper()
	l, err := NewWithSchema(pinnedSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	res, err := l.Load([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// evaluated is what res.Each says of each host, by name: CUE's errors of
// validating it, sorted, each with its path and positions, after its JSON
// when withJSON.
func evaluated(res *Result, withJSON bool) map[string]string {
	var mu sync.Mutex
	out := map[string]string{}
	res.Each(func(_ int, h *Host, v cue.Value) {
		var lines []string
		for _, e := range errors.Errors(v.Validate(cue.Concrete(true))) {
			f, a := e.Msg()
			lines = append(lines, fmt.Sprintf("%v: %s %v", e.Path(), fmt.Sprintf(f, a...), errors.Positions(e)))
		}
		sort.Strings(lines)
		text := strings.Join(lines, "\n")
		if withJSON {
			js, _ := v.MarshalJSON()
			text = string(js) + "\n" + text
		}
		mu.Lock()
		out[h.Name] = text
		mu.Unlock()
	})
	return out
}
