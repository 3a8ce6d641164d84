package main

import (
	"bytes"
	"testing"

	"github.com/axc-dev/axc/cmd/axc/cmd"
)

// The repository ships hosts/*.nix and flake.nix built from hosts/*.cue:
// they must be what axc build writes today.
func TestShippedOutputsUpToDate(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := cmd.Run([]string{"build", "--check", "-o", "../..", "../../hosts"}, &stdout, &stderr); code != 0 {
		t.Fatalf("axc build --check -o . exited %d: run go run ./cmd/axc build -o .\n%s%s", code, stdout.String(), stderr.String())
	}
}

// The shipped hosts vet clean.
func TestShippedHostsVet(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := cmd.Run([]string{"vet", "--strict", "../../hosts"}, &stdout, &stderr); code != 0 {
		t.Fatalf("axc vet --strict exited %d:\n%s%s", code, stdout.String(), stderr.String())
	}
}
