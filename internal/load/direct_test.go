package load

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/errors"
	"github.com/rogpeppe/go-internal/txtar"

	"github.com/axc-dev/axc/bench/hostgen"
	"github.com/axc-dev/axc/internal/release"
	"github.com/axc-dev/axc/schema"
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
	pkgs, mustDirect := testPackages(t)
	direct := 0
	for i, p := range pkgs {
		before := directLoads.Load()
		viaDirect := loadSummary(t, p, true, (*Result).Each)
		took := directLoads.Load() > before
		if took {
			direct++
		} else if i < mustDirect {
			t.Errorf("%s: not loaded directly", p.name)
		}
		if viaLoader := loadSummary(t, p, false, (*Result).Each); viaDirect != viaLoader {
			t.Errorf("%s: loaded directly:\n%s\nwith cue/load:\n%s", p.name, viaDirect, viaLoader)
		}
	}
	t.Logf("%d of %d packages loaded directly", direct, len(pkgs))
}

// EachLean over hosts evaluated in chunks must hand out, as the value a
// pass keeps for each host, exactly what Each hands out for the package
// evaluated whole: for a host valid against the lean schema the same
// value, for the others the full schema's errors. Every package of
// testPackages is evaluated both ways (JSON hosts are always in chunks).
// Both ways must be taken, and the lean schema must accept every host the
// full one does. So must EachLean evaluating chunks against the full
// schema at once (leanFirst false: most hosts fail).
func TestEachLeanMatchesEach(t *testing.T) {
	oldSize, oldMin, oldFirst := chunkSize, lazyMin, leanFirst
	defer func() { chunkSize, lazyMin, leanFirst = oldSize, oldMin, oldFirst }()
	pkgs, _ := testPackages(t)
	var sufficed, again atomic.Int64
	eachLean := func(r *Result, fn func(i int, h *Host, v cue.Value)) {
		var mu sync.Mutex
		calls := map[*Host]int{}
		r.EachLean(func(i int, h *Host, v cue.Value) bool {
			mu.Lock()
			calls[h]++
			first := calls[h] == 1
			mu.Unlock()
			fn(i, h, v) // the last value is the one kept, as in a vet pass
			ok := v.Validate(cue.Concrete(true)) == nil
			switch {
			case first && ok:
				sufficed.Add(1)
			case !first:
				again.Add(1)
			}
			return ok
		})
	}
	var valid atomic.Int64 // hosts valid against the full schema
	var fullFirstCalls atomic.Int64
	each := func(r *Result, fn func(i int, h *Host, v cue.Value)) {
		r.Each(func(i int, h *Host, v cue.Value) {
			fn(i, h, v)
			if v.Validate(cue.Concrete(true)) == nil {
				valid.Add(1)
			}
		})
	}
	for _, p := range pkgs {
		chunkSize, lazyMin = 1<<30, 1<<30 // whole, by Load
		full := loadSummary(t, p, true, each)
		chunkSize, lazyMin = 1, 1
		leanFirst = func(int64, int64) bool { return true }
		lean := loadSummary(t, p, true, eachLean)
		if lean != full {
			t.Errorf("%s: EachLean:\n%s\nEach:\n%s", p.name, lean, full)
		}
		// Against the full schema at once, as when most hosts fail.
		leanFirst = func(int64, int64) bool { return false }
		fullFirst := loadSummary(t, p, true, func(r *Result, fn func(i int, h *Host, v cue.Value)) {
			r.EachLean(func(i int, h *Host, v cue.Value) bool {
				fn(i, h, v)
				fullFirstCalls.Add(1)
				return v.Validate(cue.Concrete(true)) == nil
			})
		})
		if fullFirst != full {
			t.Errorf("%s: EachLean, full schema first:\n%s\nEach:\n%s", p.name, fullFirst, full)
		}
		leanFirst = oldFirst
	}
	if fullFirstCalls.Load() == 0 {
		t.Error("no host evaluated in chunks against the full schema first")
	}
	// The lean schema accepts what the full one does: no valid host is
	// evaluated twice.
	if sufficed.Load() != valid.Load() || again.Load() == 0 {
		t.Errorf("values sufficed for %d hosts (%d are valid), %d hosts were seen again: want all valid ones, and some seen again", sufficed.Load(), valid.Load(), again.Load())
	}
	t.Logf("lean values sufficed for %d hosts; %d hosts were seen again", sufficed.Load(), again.Load())
}

// EachLean switches to evaluating chunks against the full schema at once
// when most hosts fail (leanFirst), and not when they pass: fn is called
// once for every host but those of the first chunk, which went lean.
// TestEachLeanMatchesEach holds what is kept to Each's either way.
func TestEachLeanSwitchesToFullFirst(t *testing.T) {
	oldSize, oldMin := chunkSize, lazyMin
	defer func() { chunkSize, lazyMin = oldSize, oldMin }()
	// 40 hosts in chunks of 2 on one worker, all failing (no root file
	// system) or all valid.
	chunkSize, lazyMin = 2, 2
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	for _, tc := range []struct {
		name, host string
		wantCalls  int64
	}{
		{"failing", "{}", 40 + 2},
		{"valid", `{diskConfigPath: "./d.nix", extraConfig: axios: system: timeZone: "UTC"}`, 40},
	} {
		dir := t.TempDir()
		var b strings.Builder
		b.WriteString("package hosts\n\nimport \"axc.dev/axc/schema\"\n\n[Name=string]: schema.#Host & {hostname: *Name | _}\n")
		for i := range 40 {
			fmt.Fprintf(&b, "h%02d: %s\n", i, tc.host)
		}
		mustWrite(t, filepath.Join(dir, "hosts.cue"), b.String())
		var calls atomic.Int64
		loadSummary(t, testPackage{name: tc.name, dir: dir, schema: pinnedSchema(t), kind: Hosts}, true, func(r *Result, fn func(i int, h *Host, v cue.Value)) {
			r.EachLean(func(i int, h *Host, v cue.Value) bool {
				calls.Add(1)
				fn(i, h, v)
				return v.Validate(cue.Concrete(true)) == nil
			})
		})
		if calls.Load() != tc.wantCalls {
			t.Errorf("%s hosts: fn called %d times, want %d", tc.name, calls.Load(), tc.wantCalls)
		}
	}
}

// testPackage is a hosts or users directory and the schema it is for.
type testPackage struct {
	name, dir string
	schema    fs.FS
	kind      *Kind
}

// testPackages are the shipped hosts and users, a generated author
// repository like bench/run.sh's (module file, vendored schema), and every
// directory of .cue files of the test scripts (written out to temporary
// directories), each with the release its flake.lock picks. The first
// mustDirect are ones the direct way must take.
func testPackages(t *testing.T) (pkgs []testPackage, mustDirect int) {
	t.Helper()
	table, err := release.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	type pkgDir struct{ name, dir string }
	var dirs []pkgDir
	for _, d := range []string{"hosts", "users"} {
		abs, err := filepath.Abs(filepath.Join("..", "..", "examples", "fleet", d))
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
	mustDirect = len(dirs)

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

	for _, d := range dirs {
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
		pkgs = append(pkgs, testPackage{d.name, d.dir, fsys, kind})
	}
	return pkgs, mustDirect
}

// loadSummary is everything Load and Each give for dir, as text.
// each is the way the summary walks the hosts (Each, or EachLean keeping
// the last value for each).
func loadSummary(t *testing.T, p testPackage, viaDirect bool, each func(*Result, func(int, *Host, cue.Value))) string {
	t.Helper()
	old := directLoading
	directLoading = viaDirect
	defer func() { directLoading = old }()
	l, err := NewWithSchema(p.schema)
	if err != nil {
		t.Fatal(err)
	}
	l.SetKind(p.kind)
	res, err := l.Load([]string{p.dir})
	if err != nil {
		return "load: " + err.Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "errors: %s\nwarnings: %v\n", errors.Details(res.Errors, nil), res.Warnings)
	hosts := make([]string, len(res.Hosts))
	var mu sync.Mutex
	each(res, func(i int, h *Host, v cue.Value) {
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
