package main

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/axc-dev/axc/internal/nix/nixtest"
)

// flakeOutputs is what testdata/flake/outputs.nix makes of axc's flake.nix
// evaluated against the stub nixpkgs.
type flakeOutputs struct {
	Description string
	Inputs      map[string]string
	Outputs     []string
	Packages    map[string]map[string]flakePackage
	Apps        map[string]map[string]struct {
		Type    string
		Program string
	}
	Overlay   flakePackage
	DevShells map[string][]string
}

type flakePackage struct {
	Pname, Version, VendorHash, System, MainProgram string
	SubPackages, Ldflags, NativeBuildInputs         []string
	PostInstall                                     string
	Cgo                                             int
	SrcIsRoot, DoCheck                              bool
}

// evalFlake evaluates axc's root flake.nix with the stub nixpkgs: no
// nixpkgs can be fetched here, so this is what can be checked of it.
func evalFlake(t *testing.T) flakeOutputs {
	t.Helper()
	nixtest.Require(t)
	root := filepath.Join("..", "..")
	nixtest.Parse(t, filepath.Join(root, "flake.nix"))
	v := nixtest.EvalJSON(t, "import ./testdata/flake/outputs.nix", root)
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out flakeOutputs
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("flake outputs %s: %v", data, err)
	}
	return out
}

// The root flake is axc's own (issue 23): for every system a package
// built from the repository's cmd/axc with the version and commit stamped,
// an app running it, a development shell with Go, cue and Nix, and an
// overlay adding it to nixpkgs.
func TestFlakeBuildsAxc(t *testing.T) {
	f := evalFlake(t)
	if want := map[string]string{"nixpkgs": "github:NixOS/nixpkgs/nixos-unstable"}; !maps.Equal(f.Inputs, want) {
		t.Errorf("inputs = %v, want %v", f.Inputs, want)
	}
	if want := []string{"apps", "devShells", "overlays", "packages"}; !slices.Equal(f.Outputs, want) {
		t.Errorf("outputs = %v, want %v", f.Outputs, want)
	}
	for _, sys := range []string{"x86_64-linux", "aarch64-linux"} {
		if _, ok := f.Packages[sys]; !ok {
			t.Errorf("no packages.%s", sys)
		}
	}
	version := changelogVersion(t)
	check := func(name string, p flakePackage, system string) {
		t.Helper()
		want := flakePackage{
			Pname: "axc", Version: version, VendorHash: p.VendorHash, System: system, MainProgram: "axc",
			SubPackages: []string{"cmd/axc"},
			Ldflags: []string{"-s", "-w",
				"-X github.com/axc-dev/axc/cmd/axc/cmd.Version=v" + version,
				"-X github.com/axc-dev/axc/cmd/axc/cmd.Revision=0123456789abcdef0123456789abcdef01234567"},
			SrcIsRoot: true,
			// The man pages of docs/man.
			NativeBuildInputs: []string{"installShellFiles"},
			PostInstall:       "installManPage docs/man/*.1",
		}
		if p.VendorHash == "" {
			t.Errorf("%s: no vendorHash", name)
		}
		if got, _ := json.Marshal(p); string(got) != string(must(json.Marshal(want))) {
			t.Errorf("%s = %s\nwant %s", name, got, must(json.Marshal(want)))
		}
	}
	for sys, ps := range f.Packages {
		if !slices.Equal(keysOf(ps), []string{"axc", "default"}) {
			t.Errorf("packages.%s has %v, want axc and default", sys, keysOf(ps))
		}
		for name, p := range ps {
			check("packages."+sys+"."+name, p, sys)
		}
		app := f.Apps[sys]["default"]
		if want := "/nix/store/00000000000000000000000000000000-axc-" + version + "-" + sys + "/bin/axc"; app.Type != "app" || app.Program != want {
			t.Errorf("apps.%s.default = %+v, want an app running %s", sys, app, want)
		}
		for _, tool := range []string{"go", "cue", "nix"} {
			if !slices.Contains(f.DevShells[sys], tool) {
				t.Errorf("devShells.%s.default has %v, no %s", sys, f.DevShells[sys], tool)
			}
		}
	}
	if len(f.Apps) != len(f.Packages) || len(f.DevShells) != len(f.Packages) {
		t.Errorf("apps for %v, devShells for %v, packages for %v: want the same systems", keysOf(f.Apps), keysOf(f.DevShells), keysOf(f.Packages))
	}
	// The overlay builds with the nixpkgs it is applied to (the stub's
	// riscv64-linux, a system the flake itself lists no package for).
	check("overlays.default axc", f.Overlay, "riscv64-linux")
}

// The flake's vendorHash is the NAR hash of what go mod vendor writes, the
// fixed output buildGoModule checks: a dependency change that leaves it
// stale fails here (and in .ci/run) instead of in a user's nix build.
func TestFlakeVendorHash(t *testing.T) {
	f := evalFlake(t)
	got := f.Packages["x86_64-linux"]["default"].VendorHash
	vendor := filepath.Join(t.TempDir(), "vendor")
	gomod := exec.Command("go", "mod", "vendor", "-o", vendor)
	gomod.Dir = filepath.Join("..", "..")
	gomod.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	if out, err := gomod.CombinedOutput(); err != nil {
		t.Fatalf("go mod vendor: %v\n%s", err, out)
	}
	out, err := exec.Command("nix-hash", "--type", "sha256", vendor).Output()
	if err != nil {
		t.Fatalf("nix-hash: %v", err)
	}
	sum, err := hex.DecodeString(strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatalf("nix-hash printed %q: %v", out, err)
	}
	if want := "sha256-" + base64.StdEncoding.EncodeToString(sum); got != want {
		t.Errorf("flake.nix vendorHash = %q, but go mod vendor's output hashes to %q: set it", got, want)
	}
}

func keysOf[V any](m map[string]V) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
