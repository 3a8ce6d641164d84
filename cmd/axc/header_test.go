package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axc-dev/axc/cmd/axc/cmd"
	"github.com/axc-dev/axc/internal/compile"
	"github.com/axc-dev/axc/internal/nix/nixtest"
)

// File and directory names reach the header comment of the files build
// writes; nothing of a name may leave the comment: a line break in a name
// once put live Nix code on line 2.
func TestHeaderHoldsHostileNames(t *testing.T) {
	nixtest.Require(t)
	for _, name := range []string{"a\nb", "a\rb", "x\n{ evil = 1; }\n#", "tab\there", "a\u2028b", "a\x7fb"} {
		dir := filepath.Join(t.TempDir(), name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		host := filepath.Join(dir, name+".cue")
		if err := os.WriteFile(host, []byte("package hosts\n\nh: extraConfig: {axios: system: timeZone: \"UTC\", fileSystems: \"/\": device: \"/dev/sda1\"}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		out := t.TempDir()
		var stdout, stderr bytes.Buffer
		if code := cmd.Run([]string{"--axios", "96990f9", "build", "-q", dir, "-o", out}, &stdout, &stderr); code != 0 {
			t.Fatalf("%q: build exited %d: %s", name, code, stderr.String())
		}
		for _, f := range []string{compile.HostFile("h"), "flake.nix"} {
			data, err := os.ReadFile(filepath.Join(out, f))
			if err != nil {
				t.Fatal(err)
			}
			first, rest, _ := strings.Cut(string(data), "\n")
			if !compile.IsGenerated(data) || strings.ContainsAny(first, "\r\u2028") {
				t.Errorf("%q: %s: first line %q is not a whole header", name, f, first)
			}
			if strings.Contains(rest, "evil") {
				t.Errorf("%q: %s: the name left the comment:\n%s", name, f, data)
			}
			nixtest.Parse(t, filepath.Join(out, f))
		}
	}
}

// A CUE package in a directory whose name is not UTF-8 cannot be loaded:
// the error says so, naming it.
func TestNonUTF8Directory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "bad\xffname")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a.cue"), []byte("package hosts\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := cmd.Run([]string{"--axios", "96990f9", "vet", dir}, &stdout, &stderr)
	if code != 2 || !strings.Contains(stderr.String(), "not valid UTF-8") {
		t.Errorf("exit %d, stderr %q; want 2 and a message about UTF-8", code, stderr.String())
	}
}
