package importer

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/literal"
	"cuelang.org/go/cue/parser"

	"github.com/axc-dev/axc/internal/compile"
	"github.com/axc-dev/axc/schema"
)

// importSeeds are inputs the fuzz target starts from, beside every .nix
// file of the fixtures: the subset's forms, and the ways out of it.
var importSeeds = []string{
	`{ hostname = "a"; hardware = { }; diskConfigPath = ./x.nix; extraConfig.environment.etc.A.source = ./A; extraConfig.environment.etc.a.source = ./a; }`,
	`{ hostname = "a"; hardware = { }; extraConfig.environment.etc.t.source = ./.; extraConfig.imports = [ ../. ./u.nix ../hosts ]; }`,
	`{ hostname = "a"; hardware = { }; extraConfig.environment.etc.t.source = ./a.json; extraConfig.x = [ ./.axc-import.journal ./.x.axc-new ]; }`,
	`{ hostname = "a"; hardware = { }; }`,
	`{ lib, ... }: { hostConfig = { hostname = "a"; hardware = { }; extraConfig.x = lib.mkForce 1; }; }`,
	`let b = { hardware = { }; }; in b // { hostname = "a"; modules.desktop = true; }`,
	`rec { hostname = "a"; hardware = { cpu = gpu; gpu = "amd"; }; }`,
	`{ hostname = "a"; hardware = { }; extraConfig = { pkgs, ... }: { x = pkgs.y; z = 1; }; }`,
	`{ hostname = "a"; hardware = { }; extraConfig = rec { a = { b = a; }; }; }`,
	`let f = x: f x; in { hostname = "a"; hardware = { }; extraConfig.y = f 1; }`,
	`{ hostname = "a"; hardware = { }; diskConfigPath = ./d.nix; extraConfig.p = ./x/${"y"}.nix; }`,
	"{ hostname = \"a\"; # c\n hardware = { /* d */ }; extraConfig.s = ''\n  x\n   ${\"y\"}\n''; }",
	`{ hostname = "a"; hardware = { }; userModulePath = ./u.nix; }`,
	`{ hostname = "a"; hardware = { }; extraConfig = import ./x.nix; }`,
	`{ hostname = "a"; hardware = { }; "${"ex" + "traConfig"}" = { }; }`,
	`{ ... }: { axios.user = { name = "u"; fullName = "U"; }; home-manager.users.u.x = 1; y = 2; }`,
	`{ hostname = "a"; hardware = { }; extraConfig."$nix" = "x"; }`,
	`{ lib, ... }: { hostname = "a"; hardware = { }; diskConfigPath = ../../../etc/passwd; extraConfig.x = lib.mkForce [ ../.. /etc ~/x ]; }`,
	`{ hostname = "a"; hardware = { }; diskConfigPath = /etc/nixos/d.nix; modules.secrets = true; secrets.secretsDir = /run/s; extraConfig.y = import ../../x.nix; }`,
	`{ hostname = "a"; hardware = { }; extraConfig.p = ./. + "/../../x"; extraConfig.q = ./x/../../..; }`,
}

// FuzzImport checks, for any content of a host file: import neither panics
// nor hangs; it fails only with positioned problems (or an input it cannot
// read); and what it writes is CUE, each raw text one that axc build
// accepts, in files its Layout writes, no two of one name where file names
// ignore case.
func FuzzImport(f *testing.F) {
	for _, s := range importSeeds {
		f.Add(s)
	}
	fixtures, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "import", "*", "*", "*.nix"))
	more, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "import", "*", "*.nix"))
	for _, name := range append(fixtures, more...) {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(string(data))
		}
	}
	fsys, err := schema.Release("96990f9")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src string) {
		dir := t.TempDir()
		host := filepath.Join(dir, "hosts", "a.nix")
		for name, data := range map[string]string{host: src, filepath.Join(dir, "hosts", "u.nix"): "{ ... }: { axios.user.name = \"u\"; }", filepath.Join(dir, "hosts", "x.nix"): "{ y = 1; }"} {
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		res, err := Import(Options{Inputs: []string{host}, OutDir: filepath.Join(dir, "out"), Schema: fsys})
		checkImport(t, src, res, err)
		if err == nil {
			// What it copies is files of the tree it reads (dir), each
			// to a place of its own below the output that its Layout
			// writes and no other file takes.
			for _, c := range res.Copies {
				if !within(dir, c.Source) || !Layout.Writes(c.Path) || seenPath(res, c.Path) != 1 {
					t.Fatalf("for %q import copies %s to %s", src, c.Source, c.Path)
				}
			}
		}
	})
}

// seenPath is how many files and copies of res are at path, ignoring case.
func seenPath(res *Result, path string) int {
	n := 0
	for _, f := range res.Files {
		if strings.EqualFold(f.Path, path) {
			n++
		}
	}
	for _, c := range res.Copies {
		if strings.EqualFold(c.Path, path) {
			n++
		}
	}
	return n
}

func checkImport(t *testing.T, src string, res *Result, err error) {
	var ie *Error
	var ioe *IOError
	switch {
	case errors.As(err, &ie):
		for _, p := range ie.Problems {
			if p.Msg == "" || p.File != "" && p.Line < 0 || strings.Contains(p.Msg, "internal error") {
				t.Fatalf("bad problem for %q: %+v", src, p)
			}
		}
		return
	case errors.As(err, &ioe):
		return
	case err != nil:
		t.Fatalf("unexpected error for %q: %v", src, err)
	}
	seen := map[string]bool{}
	for _, file := range res.Files {
		// A file the output set (Layout) writes, one per name where file
		// names ignore case.
		if !Layout.Writes(file.Path) || seen[strings.ToLower(file.Path)] {
			t.Fatalf("for %q import writes %s, not a file of its Layout or a second one of that name", src, file.Path)
		}
		seen[strings.ToLower(file.Path)] = true
		f, err := parser.ParseFile(file.Path, file.Data)
		if err != nil {
			t.Fatalf("%s for %q does not parse: %v\n%s", file.Path, src, err, file.Data)
		}
		for _, raw := range rawTexts(f) {
			if err := compile.CheckRaw(raw); err != nil {
				t.Fatalf("%s for %q holds raw Nix that build refuses: %v\n%s", file.Path, src, err, raw)
			}
		}
	}
}

// rawTexts are the texts of the {$nix: "…"} values in f.
func rawTexts(f *ast.File) []string {
	var out []string
	ast.Walk(f, func(n ast.Node) bool {
		field, ok := n.(*ast.Field)
		if !ok {
			return true
		}
		if name, _, _ := ast.LabelName(field.Label); name == "$nix" {
			if lit, ok := field.Value.(*ast.BasicLit); ok {
				if s, err := literal.Unquote(lit.Value); err == nil {
					out = append(out, s)
				}
			}
		}
		return true
	}, nil)
	return out
}

// flakeScalingSeeds are flakes with a part to repeat (between the two ‸
// marks, which are taken out): each repetition adds to a list, a dotted
// path, nested lets, a chain of //, ++ or +, Nix kept as Nix, comments,
// function applications, the ways an input grows.
var flakeScalingSeeds = []string{
	`{ outputs = { self, axios, ... }: { nixosConfigurations.a = axios.lib.mkSystem { hostname = "a"; hardware = { }; extraConfig.x = [ ‸"s" ‸]; }; }; }`,
	`{ outputs = { self, axios, ... }: { nixosConfigurations.a = axios.lib.mkSystem { hostname = "a"; hardware = { }; extraConfig.x = [ ‸{ k = 1; y = [ "a" ]; } ‸]; }; }; }`,
	`{ outputs = { self, axios, ... }: { nixosConfigurations.a = axios.lib.mkSystem { hostname = "a"; hardware = { }; extraConfig.‸a.‸b = 1; }; }; }`,
	`{ outputs = { self, axios, ... }: let b = { x = 1; }; in ‸let c = b; in ‸{ nixosConfigurations.a = axios.lib.mkSystem { hostname = "a"; hardware = { }; extraConfig.x = c; }; }; }`,
	`{ outputs = { self, axios, ... }: { nixosConfigurations.a = axios.lib.mkSystem { hostname = "a"; hardware = { }; extraConfig = ‸{ a = 1; } // ‸{ b = 2; }; }; }; }`,
	`{ outputs = { self, axios, ... }: { nixosConfigurations.a = axios.lib.mkSystem { hostname = "a"; hardware = { }; extraConfig.x = ‸[ 1 ] ++ ‸[ 2 ]; }; }; }`,
	`{ outputs = { self, axios, ... }: { nixosConfigurations.a = axios.lib.mkSystem { hostname = "a"; hardware = { }; extraConfig.x = ‸"ab" + ‸"c"; }; }; }`,
	"{ outputs = { self, axios, nixpkgs, ... }: { nixosConfigurations.a = axios.lib.mkSystem { hostname = \"a\"; hardware = { }; extraConfig = { lib, ... }: { x = lib.mkForce [‸\n  \"s\"‸ ]; }; }; }; }",
	"{ outputs = { self, axios, ... }: { nixosConfigurations.a = axios.lib.mkSystem { hostname = \"a\"; hardware = { }; ‸# a comment\n‸extraConfig.x = 1; }; }; }",
	`{ outputs = { self, axios, ... }: { nixosConfigurations = { ‸} // { ‸a = axios.lib.mkSystem { hostname = "a"; hardware = { }; }; }; }; }`,
	`{ outputs = { self, axios, ... }: let l0 = [ "a" "b" ]; l1 = [ l0 l0 ]; in { nixosConfigurations.a = axios.lib.mkSystem { hostname = "a"; hardware = { }; extraConfig.x = [ ‸l1 ‸]; }; }; }`,
	`{ outputs = { self, axios, ... }: { nixosConfigurations.a = axios.lib.mkSystem { hostname = "a"; hardware = { }; extraConfig.x = ‸(y: y) ‸1; }; }; }`,
	`{ outputs = { self, axios, ... }: { nixosConfigurations.a = axios.lib.mkSystem { hostname = "a"; hardware = { }; extraConfig.x = { ‸a = { ‸}; }; }; }; }`,
	"{ outputs = { self, axios, ... }: { nixosConfigurations.a = axios.lib.mkSystem { hostname = \"a\"; hardware = { }; extraConfig.x = ''\n‸  line ${\"x\"}\n‸''; }; }; }",
}

var commentLine = regexp.MustCompile(`(?m)^[ \t]*#.*\n`)

// importFixtures are the directories of the import fixtures: a flake and
// the files it imports.
func importFixtures(tb testing.TB) []string {
	dirs, err := filepath.Glob(filepath.Join("..", "..", "testdata", "import", "*", "flake.nix"))
	if err != nil || len(dirs) == 0 {
		tb.Fatalf("no import fixtures: %v", err)
	}
	for i, d := range dirs {
		dirs[i] = filepath.Dir(d)
	}
	return dirs
}

// FuzzImportFlake imports whole flakes, beside the files of an import
// fixture (the first byte picks which), and checks what FuzzImport checks,
// and that import's cost grows no faster than its input: the part
// [start, end) of the flake is written n/64, n/8 and n times (n times is
// some 32 KiB; see checkScaling).
//
//	go test ./internal/importer -run '^$' -fuzz FuzzImportFlake -fuzztime 5m
func FuzzImportFlake(f *testing.F) {
	fixtures := importFixtures(f)
	for i, dir := range fixtures {
		data, err := os.ReadFile(filepath.Join(dir, "flake.nix"))
		if err != nil {
			f.Fatal(err)
		}
		// Its first comment line, repeated.
		src := string(data)
		var start, end int
		if m := commentLine.FindStringIndex(src); m != nil {
			start, end = m[0], m[1]
		}
		f.Add(uint8(i), src, uint16(start), uint16(end))
	}
	for _, s := range flakeScalingSeeds {
		prefix, part, suffix := scalingSeed(s)
		f.Add(uint8(0), prefix+part+suffix, uint16(len(prefix)), uint16(len(prefix)+len(part)))
	}
	fsys, err := schema.Release("96990f9")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, fixture uint8, src string, start, end uint16) {
		s, e := int(min(start, end)), int(max(start, end))
		if e > len(src) || len(src) > 1<<12 {
			return
		}
		checkScaling(t, fsys, fixtures[int(fixture)%len(fixtures)], src[:s], src[s:e], src[e:], 32<<10)
	})
}

// Import's cost grows linearly with each part of a flake that is written
// many times (scaled to 512 KiB, where a cost quadratic in it takes
// seconds): a list's items, dotted paths, nested lets, // and ++ and +
// chains, lines of Nix kept as Nix, comments, applications, nested sets,
// lines of indented strings. FuzzImportFlake checks the same of what it
// makes, at a smaller scale and so less closely.
func TestImportScalesLinearly(t *testing.T) {
	fsys, err := schema.Release("96990f9")
	if err != nil {
		t.Fatal(err)
	}
	dir := importFixtures(t)[0]
	for _, s := range flakeScalingSeeds {
		prefix, part, suffix := scalingSeed(s)
		t.Run(part, func(t *testing.T) {
			checkScaling(t, fsys, dir, prefix, part, suffix, 512<<10)
		})
	}
}

// scalingSeed splits s at its two ‸ marks.
func scalingSeed(s string) (prefix, part, suffix string) {
	prefix, rest, _ := strings.Cut(s, "‸")
	part, suffix, _ = strings.Cut(rest, "‸")
	return prefix, part, suffix
}

// checkScaling imports prefix + part·k + suffix, beside the files of the
// fixture dir, for k = n/64, n/8 and n (part·n some size bytes), checks
// each import as FuzzImport does, and that the memory and the CPU time it
// takes for the parts beyond n/8 grow at most as much faster than linear
// growth from those beyond n/64 (8 times them; quadratic growth gives 64
// times) as allowed: memory, which is exact, twice; CPU time, which
// varies by half from run to run even when measured on its thread alone
// and taken the least of two runs, four times, and more for a slack. Both
// have a slack for the fixed costs and for the bounds that stop an import
// early at one count and not another.
func checkScaling(t *testing.T, fsys fs.FS, fixture, prefix, part, suffix string, size int) {
	dir := t.TempDir()
	copyDir(t, fixture, dir)
	flake := filepath.Join(dir, "flake.nix")
	n := min(max(size/max(len(part), 1), 64), size/4)
	counts := []int{n / 64, n / 8, n}
	if part == "" {
		counts = counts[:1]
	}
	// Measured on this goroutine's thread alone.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var cpu [3]time.Duration
	var alloc [3]int64
	for i, k := range counts {
		text := prefix + strings.Repeat(part, k) + suffix
		if err := os.WriteFile(flake, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		for run := range 2 {
			// Without garbage collection while measured: whether the
			// collector runs in one import or the next, and on this
			// thread or another, would be noise.
			var m0, m1 runtime.MemStats
			runtime.GC()
			gc := debug.SetGCPercent(-1)
			runtime.ReadMemStats(&m0)
			c0 := threadCPU()
			res, err := Import(Options{Inputs: []string{flake}, OutDir: filepath.Join(dir, "out"), Schema: fsys})
			c := threadCPU() - c0
			runtime.ReadMemStats(&m1)
			debug.SetGCPercent(gc)
			if run == 0 || c < cpu[i] {
				cpu[i] = c
			}
			alloc[i] = int64(m1.TotalAlloc - m0.TotalAlloc)
			if run == 0 {
				checkImport(t, text, res, err)
			}
		}
	}
	if os.Getenv("AXC_FUZZ_DEBUG") != "" {
		t.Logf("%q: cpu %v alloc %v", part, cpu, alloc)
	}
	if len(counts) < 3 {
		return
	}
	limit := func(first int64, factor int) int64 {
		return int64(factor) * max(first, 0) * int64(counts[2]-counts[1]) / int64(counts[1]-counts[0])
	}
	if then, first := alloc[2]-alloc[1], alloc[1]-alloc[0]; then > limit(first, 2)+allocSlack {
		t.Errorf("import's memory grows faster than its input: the part %q written %v times allocates %v bytes", part, counts, alloc)
	}
	if then, first := cpu[2]-cpu[1], cpu[1]-cpu[0]; then > time.Duration(limit(int64(first), 4))+cpuSlack {
		t.Errorf("import's time grows faster than its input: the part %q written %v times takes %v of CPU", part, counts, cpu)
	}
}

// What checkScaling allows beyond linear growth.
const (
	allocSlack = 8 << 20
	cpuSlack   = 200 * time.Millisecond
)

// copyDir copies the regular files below src to dst.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
