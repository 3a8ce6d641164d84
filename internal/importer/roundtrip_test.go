package importer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"cuelang.org/go/cue"

	"github.com/axc-dev/axc/cmd/axc/cmd"
	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/nix/nixtest"
	"github.com/axc-dev/axc/internal/release"
	"github.com/axc-dev/axc/internal/scaffold"
	"github.com/axc-dev/axc/schema"
)

// The round trip: for each fixture in testdata/import (an axiOS
// configuration in upstream's styles, with the flake.lock that picks its
// release), axc import, then axc vet and axc build of what it wrote, then
// the hosts of the original flake and of the built one evaluated by real
// Nix must be the same.
//
// "The same as Nix sees them" is:
//
//   - Both flakes' outputs are called with the same stub inputs: the
//     framework's lib.mkSystem returns its argument (the hostConfig), self
//     is the flake's directory, nixpkgs.lib is a lib with mkOverride,
//     mkForce, mkDefault, mkIf, mkMerge, mkOrder, mkBefore and mkAfter as
//     nixpkgs defines them (so lib.mkForce x is the same data on both
//     sides, not just the same text).
//   - A host's fields that are data are compared as data, after mkSystem's
//     fallbacks (the schema's defaults: absent means the default) are
//     filled in on both sides; paths compare by the file they name.
//   - The fields that are NixOS modules (extraConfig, the userModulePath
//     module, configDir/users/NAME.nix for each user) are compared as the
//     module system sees them: the definitions they make, each module
//     imported and, if a function, called with stub module arguments (lib,
//     pkgs with a few packages as strings, config = { }), flattened to
//     (option path, value) pairs and sorted. Moving a definition from a
//     user module to extraConfig leaves them equal; changing one does not.
//     The modules a module imports are followed, and a function with
//     formals where a set of definitions goes (a submodule such as
//     home-manager.users.NAME written as a module) is called: their
//     definitions count as the importer's, as NixOS merges them.
//   - A function with formals anywhere else is compared by what it returns
//     for the stub arguments; one without formals only as "a function".
const harness = `dir:
let
  lib = rec {
    mkOverride = priority: content: { _type = "override"; inherit priority content; };
    mkForce = mkOverride 50;
    mkDefault = mkOverride 1000;
    mkIf = condition: content: { _type = "if"; inherit condition content; };
    mkMerge = contents: { _type = "merge"; inherit contents; };
    mkOrder = priority: content: { _type = "order"; inherit priority content; };
    mkBefore = mkOrder 500;
    mkAfter = mkOrder 1500;
  };
  pkgs = builtins.listToAttrs (map (name: { inherit name; value = "pkgs." + name; })
    [ "htop" "git" "vim" "curl" "ripgrep" "tmux" "fish" "firefox" "wget" ]);
  moduleArgs = { inherit lib pkgs; config = { }; options = { }; modulesPath = "/modules"; };
  call = f: args: let fa = builtins.functionArgs f; in
    f (if fa == { } then args else builtins.intersectAttrs fa args);
  conv = v:
    if builtins.isPath v then "path:" + toString v
    else if builtins.isFunction v then
      (if builtins.functionArgs v == { } then "<function>" else conv (call v moduleArgs))
    else if builtins.isAttrs v then builtins.mapAttrs (_: conv) v
    else if builtins.isList v then map conv v
    else v;
  module = m:
    let v = if builtins.isPath m || builtins.isString m then import m else m;
    in if builtins.isFunction v then call v moduleArgs else v;
  # The definitions a module makes: (option path, value) pairs. A function
  # with formals where a set goes is a module (of a submodule, such as
  # home-manager.users.NAME), and imports are followed, as NixOS does.
  defs = prefix: v:
    if builtins.isFunction v && builtins.functionArgs v != { } then defs prefix (call v moduleArgs)
    else if builtins.isAttrs v && !(v ? _type) then
      builtins.concatMap (n: defs (prefix ++ [ n ]) v.${n}) (builtins.attrNames (removeAttrs v [ "imports" ]))
      ++ builtins.concatMap (m: defs prefix (module m)) (v.imports or [ ])
    else [ { path = prefix; value = conv v; } ];
  sorted = builtins.sort (a: b: builtins.toJSON a < builtins.toJSON b);
  framework = { lib.mkSystem = hostConfig: hostConfig; };
  inputs = {
    self = { outPath = toString dir; };
    axios = framework;
    cairn = framework;
    nixpkgs = { inherit lib; outPath = "/nixpkgs"; };
  };
  flake = import (dir + "/flake.nix");
  outputs = call flake.outputs inputs;
  userModules = hc:
    (if hc ? userModulePath then [ hc.userModulePath ] else [ ])
    ++ (if hc ? configDir then map (u: hc.configDir + "/users/${u}.nix") (hc.users or [ ]) else [ ]);
  view = hc: {
    host = conv (removeAttrs hc [ "userModulePath" "configDir" "extraConfig" ]);
    system = sorted (builtins.concatMap (m: defs [ ] (module m)) ([ (hc.extraConfig or { }) ] ++ userModules hc));
  };
in
builtins.mapAttrs (_: view) outputs.nixosConfigurations
`

func TestRoundTrip(t *testing.T) {
	fixtures, err := filepath.Glob(filepath.Join("..", "..", "testdata", "import", "*", "flake.nix"))
	if err != nil || len(fixtures) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	nixtest.Require(t)
	for _, f := range fixtures {
		dir := filepath.Dir(f)
		t.Run(filepath.Base(dir), func(t *testing.T) { roundTrip(t, dir) })
	}
}

func roundTrip(t *testing.T, fixture string) {
	for _, d := range roundTripDiffs(t, fixture, nil) {
		t.Error(d)
	}
}

// TestRoundTripDetectsChanges changes what import wrote before building
// it, in ways that change what it means: the comparison must see it.
func TestRoundTripDetectsChanges(t *testing.T) {
	nixtest.Require(t)
	for _, c := range []struct {
		fixture, file, old, new string
	}{
		{"shared-base", "hosts/server.cue", `"UTC"`, `"Etc/UTC"`},
		{"shared-base", "hosts/shared.cue", `system: "x86_64-linux"`, `system: "aarch64-linux"`},
		{"raw", "hosts/web.cue", `lib.mkForce true`, `lib.mkDefault true`},
		{"raw", "hosts/builder.cue", `pkgs.ripgrep`, `pkgs.htop`},
		{"users-old", "hosts/shared.cue", `nix: settings: "trusted-users": ["alice"]`, ``},
		{"users-new", "users/alice.cue", `"alice@example.org"`, `"alice@example.com"`},
		{"template", "hosts/desktop.cue", `"./desktop/disks.nix"`, `"../../src/user.nix"`},
	} {
		t.Run(c.fixture+"/"+c.file, func(t *testing.T) {
			diffs := roundTripDiffs(t, filepath.Join("..", "..", "testdata", "import", c.fixture), func(out string) {
				name := filepath.Join(out, filepath.FromSlash(c.file))
				data, err := os.ReadFile(name)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Contains(data, []byte(c.old)) {
					t.Fatalf("%s has no %s:\n%s", c.file, c.old, data)
				}
				if err := os.WriteFile(name, bytes.Replace(data, []byte(c.old), []byte(c.new), 1), 0o644); err != nil {
					t.Fatal(err)
				}
			})
			if len(diffs) == 0 {
				t.Fatalf("changing %s to %s in %s went unnoticed", c.old, c.new, c.file)
			}
		})
	}
}

// roundTripDiffs imports fixture, lets change alter the output, builds it,
// and returns how its hosts differ from the original's.
func roundTripDiffs(t *testing.T, fixture string, change func(out string)) []string {
	tmp := t.TempDir()
	src, out := filepath.Join(tmp, "src"), filepath.Join(tmp, "out")
	if err := os.CopyFS(src, os.DirFS(fixture)); err != nil {
		t.Fatal(err)
	}
	tag := lockedRelease(t, src)

	axc(t, "import", src, "-o", out)
	if change != nil {
		change(out)
	}
	paths := []string{filepath.Join(out, "hosts")}
	users := filepath.Join(out, "users")
	hasUsers := exists(users)
	if hasUsers {
		paths = append(paths, users)
	}
	axc(t, append([]string{"vet", "--axios", tag}, paths...)...)
	axc(t, append(append([]string{"build", "--axios", tag}, paths...), "-o", out)...)
	if hasUsers {
		waitingOnUserBuild(t, users)
	}

	want := evalHosts(t, src)
	got := evalHosts(t, out)
	for _, h := range got {
		copiesAsOriginals(t, h, src, out)
	}
	defaults := hostDefaults(t, tag)
	if len(want) == 0 {
		t.Fatal("the original flake has no hosts")
	}
	var diffs []string
	for _, name := range sortedNames(want, got) {
		w, g := want[name], got[name]
		if w == nil || g == nil {
			diffs = append(diffs, fmt.Sprintf("host %s: in the original %v, rebuilt %v", name, w != nil, g != nil))
			continue
		}
		fill(w["host"], defaults)
		fill(g["host"], defaults)
		if !reflect.DeepEqual(w, g) {
			diffs = append(diffs, fmt.Sprintf("host %s differs after import and build:\n%s", name, diffJSON(w, g)))
		}
	}
	return diffs
}

// copiesAsOriginals replaces in v each path into out that holds what the
// same place in src holds (a file byte for byte, a directory entry for
// entry) by that path in src: import copies the files a configuration
// names to the same places in its output, and a copy names the same file.
// A copy that differs stays a path into out, which the comparison sees.
func copiesAsOriginals(t *testing.T, v any, src, out string) any {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = copiesAsOriginals(t, e, src, out)
		}
	case []any:
		for i, e := range x {
			x[i] = copiesAsOriginals(t, e, src, out)
		}
	case string:
		p, ok := strings.CutPrefix(x, "path:")
		if !ok {
			return x
		}
		rel, err := filepath.Rel(out, p)
		if err != nil || !filepath.IsLocal(rel) {
			return x
		}
		if sameTree(filepath.Join(src, rel), p) {
			return "path:" + filepath.Join(src, rel)
		}
	}
	return v
}

// sameTree reports whether a and b are the same file content, or
// directories of the same names holding the same.
func sameTree(a, b string) bool {
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	if err != nil || fa.IsDir() != fb.IsDir() {
		return false
	}
	if !fa.IsDir() {
		da, erra := os.ReadFile(a)
		db, errb := os.ReadFile(b)
		return erra == nil && errb == nil && bytes.Equal(da, db)
	}
	ea, erra := os.ReadDir(a)
	eb, errb := os.ReadDir(b)
	if erra != nil || errb != nil || len(ea) != len(eb) {
		return false
	}
	for i := range ea {
		if ea[i].Name() != eb[i].Name() || !sameTree(filepath.Join(a, ea[i].Name()), filepath.Join(b, eb[i].Name())) {
			return false
		}
	}
	return true
}

// waitingOnUserBuild fails when axc build did not write a user file for
// every imported user: without users/NAME.nix the rebuilt hosts cannot
// hold their users.
func waitingOnUserBuild(t *testing.T, users string) {
	t.Helper()
	entries, err := os.ReadDir(users)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".cue")
		if !ok || name == "shared" || "users/"+e.Name() == scaffold.UsersPattern {
			continue
		}
		if !exists(filepath.Join(users, name+".nix")) {
			t.Fatalf("axc build wrote no users/%s.nix for the imported users/%s.cue", name, name)
		}
	}
}

func axc(t *testing.T, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := cmd.Run(args, &stdout, &stderr); code != 0 {
		t.Fatalf("axc %s: exit %d\n%s%s", strings.Join(args, " "), code, stdout.String(), stderr.String())
	}
	return stdout.String()
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// lockedRelease is the release the flake.lock in dir pins.
func lockedRelease(t *testing.T, dir string) string {
	t.Helper()
	data, err := fs.ReadFile(schema.Files, schema.ReleasesFile)
	if err != nil {
		t.Fatal(err)
	}
	table, err := release.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	c, err := table.Choose(release.Options{LockFile: filepath.Join(dir, "flake.lock")})
	if err != nil {
		t.Fatal(err)
	}
	return c.Release.Tag
}

// evalHosts is the harness's view of every host of the flake in dir.
func evalHosts(t *testing.T, dir string) map[string]map[string]any {
	t.Helper()
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	v, err := nixtest.Eval(context.Background(), "("+harness+") "+abs, abs)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]any{}
	for name, h := range v.(map[string]any) {
		out[name] = h.(map[string]any)
	}
	return out
}

// hostDefaults is what a host with no fields is, in the schema of release
// tag: mkSystem's fallbacks.
func hostDefaults(t *testing.T, tag string) map[string]any {
	t.Helper()
	fsys, err := schema.Release(tag)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x.cue"), []byte("package hosts\n\nx: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := load.NewWithSchema(fsys)
	if err != nil {
		t.Fatal(err)
	}
	res, err := l.Load([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	d := map[string]any{}
	var ferr error
	res.Each(func(_ int, _ *load.Host, v cue.Value) {
		// Field by field: the host as a whole fails the schema's checks
		// (it sets no time zone), its fields do not.
		it, err := v.Fields()
		if err != nil {
			ferr = err
			return
		}
		for it.Next() {
			js, err := it.Value().MarshalJSON()
			if err != nil {
				continue
			}
			var x any
			dec := json.NewDecoder(bytes.NewReader(js))
			dec.UseNumber()
			if err := dec.Decode(&x); err != nil {
				ferr = err
				return
			}
			d[it.Selector().Unquoted()] = x
		}
	})
	if ferr != nil {
		t.Fatal(ferr)
	}
	delete(d, "hostname")
	delete(d, "extraConfig")
	return d
}

// fill sets in v what defaults have and v lacks, recursively.
func fill(v any, defaults map[string]any) {
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	for k, d := range defaults {
		cur, has := m[k]
		if !has {
			m[k] = d
			continue
		}
		if dm, ok := d.(map[string]any); ok {
			fill(cur, dm)
		}
	}
}

func sortedNames(a, b map[string]map[string]any) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range []map[string]map[string]any{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}

func diffJSON(want, got any) string {
	w, _ := json.MarshalIndent(want, "", "  ")
	g, _ := json.MarshalIndent(got, "", "  ")
	wl, gl := strings.Split(string(w), "\n"), strings.Split(string(g), "\n")
	var b strings.Builder
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var x, y string
		if i < len(wl) {
			x = wl[i]
		}
		if i < len(gl) {
			y = gl[i]
		}
		if x != y {
			fmt.Fprintf(&b, "line %d:\n  original: %s\n  rebuilt:  %s\n", i+1, x, y)
			if b.Len() > 4000 {
				break
			}
		}
	}
	return b.String()
}
