package main

import (
	"bytes"
	"path/filepath"
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
