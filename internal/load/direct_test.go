package load

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/errors"
	"github.com/rogpeppe/go-internal/txtar"

	"axc.dev/axc/bench/hostgen"
	"axc.dev/axc/internal/release"
	"axc.dev/axc/schema"
)

// Loading a package without cue/load must give exactly what cue/load gives:
// the same errors and warnings, the same hosts in the same order, and for
// each host the same value (as CUE and as JSON) and the same validation
// errors, with their positions. The packages are every hosts and users
// directory of the test scripts, the shipped fleet, and a generated author
// repository like bench/run.sh's (module file, vendored schema). The
// direct way must be taken for at least the shipped fleet and the
// generated repository, or it would prove nothing.
func TestDirectInstanceMatchesLoader(t *testing.T) {
	table, err := release.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	type pkgDir struct{ name, dir string }
	var dirs []pkgDir
	for _, d := range []string{"hosts", "users"} {
		abs, err := filepath.Abs(filepath.Join("..", "..", d))
		if err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, pkgDir{"shipped " + d, abs})
	}
	gen := t.TempDir()
	mustWrite(t, filepath.Join(gen, "cue.mod", "module.cue"), "module: \"example.com/flake@v0\"\nlanguage: version: \"v0.17.0\"\n")
	pinned := pinnedSchema(t)
	entries, err := fs.ReadDir(pinned, ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := fs.ReadFile(pinned, e.Name())
		if err != nil {
			t.Fatal(err)
		}
		mustWrite(t, filepath.Join(gen, "cue.mod", "pkg", filepath.FromSlash(schema.ImportPath), e.Name()), string(data))
	}
	lock, err := os.ReadFile(filepath.Join("..", "..", "testdata", "fleet-2025.11", "flake.lock"))
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, filepath.Join(gen, "flake.lock"), string(lock))
	if err := os.MkdirAll(filepath.Join(gen, "hosts"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := hostgen.Write(filepath.Join(gen, "hosts"), 30); err != nil {
		t.Fatal(err)
	}
	dirs = append(dirs, pkgDir{"generated", filepath.Join(gen, "hosts")})
	mustDirect := len(dirs)

	scripts, err := filepath.Glob(filepath.Join("..", "..", "testdata", "scripts", "*.txtar"))
	if err != nil || len(scripts) == 0 {
		t.Fatalf("no test scripts: %v", err)
	}
	for _, script := range scripts {
		ar, err := txtar.ParseFile(script)
		if err != nil {
			t.Fatal(err)
		}
		root := filepath.Join(t.TempDir(), "work")
		seen := map[string]bool{}
		for _, f := range ar.Files {
			mustWrite(t, filepath.Join(root, f.Name), string(f.Data))
			d := filepath.Dir(f.Name)
			if strings.HasSuffix(f.Name, ".cue") && !seen[d] && !strings.Contains("/"+d+"/", "/cue.mod/") {
				seen[d] = true
				dirs = append(dirs, pkgDir{filepath.Base(script) + ":" + d, filepath.Join(root, d)})
			}
		}
	}

	direct := 0
	for i, d := range dirs {
		var fsys fs.FS = schema.Files
		if lock, err := release.FindLock(d.dir); err == nil && lock != "" {
			if c, err := table.Choose(release.Options{LockFile: lock}); err == nil {
				if fsys, err = schema.Release(c.Release.Tag); err != nil {
					t.Fatal(err)
				}
			}
		}
		kind := Hosts
		if filepath.Base(d.dir) == "users" {
			kind = Users
		}
		before := directLoads.Load()
		viaDirect := loadSummary(t, fsys, kind, d.dir, true)
		took := directLoads.Load() > before
		if took {
			direct++
		} else if i < mustDirect {
			t.Errorf("%s: not loaded directly", d.name)
		}
		if viaLoader := loadSummary(t, fsys, kind, d.dir, false); viaDirect != viaLoader {
			t.Errorf("%s: loaded directly:\n%s\nwith cue/load:\n%s", d.name, viaDirect, viaLoader)
		}
	}
	t.Logf("%d of %d packages loaded directly", direct, len(dirs))
}

// loadSummary is everything Load and Each give for dir, as text.
func loadSummary(t *testing.T, fsys fs.FS, kind *Kind, dir string, viaDirect bool) string {
	t.Helper()
	old := directLoading
	directLoading = viaDirect
	defer func() { directLoading = old }()
	l, err := NewWithSchema(fsys)
	if err != nil {
		t.Fatal(err)
	}
	l.SetKind(kind)
	res, err := l.Load([]string{dir})
	if err != nil {
		return "load: " + err.Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "errors: %s\nwarnings: %v\n", errors.Details(res.Errors, nil), res.Warnings)
	hosts := make([]string, len(res.Hosts))
	var mu sync.Mutex
	res.Each(func(i int, h *Host, v cue.Value) {
		var lines []string
		for _, e := range errors.Errors(v.Validate(cue.Concrete(true))) {
			f, a := e.Msg()
			lines = append(lines, fmt.Sprintf("%v: %s %v", e.Path(), fmt.Sprintf(f, a...), errors.Positions(e)))
		}
		slices.Sort(lines)
		js, err := v.MarshalJSON()
		s := fmt.Sprintf("host %s at %v\n%v\njson %s %v\n%s\n", h.Name, h.Pos, v, js, err, strings.Join(lines, "\n"))
		mu.Lock()
		hosts[i] = s
		mu.Unlock()
	})
	b.WriteString(strings.Join(hosts, ""))
	return b.String()
}

func mustWrite(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
