package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/axc-dev/axc/cmd/axc/cmd"
)

// exampleFleet is the shipped example configuration repository: hosts/,
// users/, their generated Nix and its own flake.nix and flake.lock. The
// repository's root flake.nix is axc's own (it builds axc).
var exampleFleet = filepath.Join("..", "..", "examples", "fleet")

// The example fleet ships hosts/*.nix, users/*.nix and flake.nix built from
// its CUE: they must be what axc build writes today.
func TestShippedOutputsUpToDate(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := cmd.Run([]string{"build", "--check", filepath.Join(exampleFleet, "hosts")}, &stdout, &stderr); code != 0 {
		t.Fatalf("axc build --check exited %d: run go run ./cmd/axc build examples/fleet/hosts\n%s%s", code, stdout.String(), stderr.String())
	}
	// Build's default output is the fleet's own repository (its flake.nix),
	// not axc's: the summary names it.
	if want := "examples/fleet up to date"; !bytes.Contains(stderr.Bytes(), []byte(want)) {
		t.Errorf("axc build --check wrote %q, want it to name %q", stderr.String(), want)
	}
}

// The shipped hosts vet clean.
func TestShippedHostsVet(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := cmd.Run([]string{"vet", "--strict", filepath.Join(exampleFleet, "hosts")}, &stdout, &stderr); code != 0 {
		t.Fatalf("axc vet --strict exited %d:\n%s%s", code, stdout.String(), stderr.String())
	}
}

// oldFleetPath is how code reached the example fleet when it was at the
// top of the repository (../../hosts, "..", "..", "users"): no test or
// script reads hosts or users there now, and none may seed or check
// nothing there without saying so.
var oldFleetPath = regexp.MustCompile(`\.\./\.\./(hosts|users)\b|"\.\.", "\.\.", "(hosts|users)"`)

// fleetPathExempt are files whose matches are no fleet: why.
var fleetPathExempt = map[string]string{
	"internal/load/relpath_test.go": "relative paths it expects RelPath to compute",
}

// Every Go file and script names the example fleet where it is.
func TestNoOldFleetPaths(t *testing.T) {
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" || d.Name() == "testdata" {
				return filepath.SkipDir // testdata: scripts' own repositories
			}
			return nil
		}
		if ext := filepath.Ext(p); ext != ".go" && ext != ".sh" && d.Name() != "run" {
			return nil
		}
		if rel, _ := filepath.Rel(root, p); fleetPathExempt[filepath.ToSlash(rel)] != "" {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(data), "\n") {
			if oldFleetPath.MatchString(line) && !strings.Contains(line, "oldFleetPath") && !strings.Contains(line, "../../hosts, ") {
				t.Errorf("%s:%d: %s: the example fleet is at examples/fleet", p, i+1, strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
