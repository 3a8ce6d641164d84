package compile_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axc-dev/axc/compile"
)

// Compile makes exactly the files axc build wrote for the example fleet
// (TestShippedOutputsUpToDate holds those to axc build): the library and
// the command are one pipeline.
func TestCompileMatchesShippedFleet(t *testing.T) {
	fleet := filepath.Join("..", "examples", "fleet")
	res, err := compile.Compile(compile.Options{Paths: []string{filepath.Join(fleet, "hosts")}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed() || len(res.Files) == 0 {
		t.Fatalf("the example fleet failed: %v", res.Diagnostics)
	}
	for name, got := range res.Files {
		want, err := os.ReadFile(filepath.Join(fleet, filepath.FromSlash(name)))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if string(got) != string(want) {
			t.Errorf("%s differs from the shipped one:\n%s\nwant:\n%s", name, got, want)
		}
	}
	shipped, _ := filepath.Glob(filepath.Join(fleet, "*", "*.nix"))
	if len(res.Files) != len(shipped)+1 {
		t.Errorf("made %d files, the fleet ships %d and flake.nix", len(res.Files), len(shipped))
	}
}

// What stops Compile before any host is vetted is an error naming why.
func TestCompileErrors(t *testing.T) {
	fleet := filepath.Join("..", "examples", "fleet")
	for _, tc := range []struct {
		name string
		opts compile.Options
		want string
	}{
		{"no paths", compile.Options{}, "no paths"},
		{"only users", compile.Options{Paths: []string{filepath.Join(fleet, "users")}}, "only users"},
		{"unknown release", compile.Options{Paths: []string{filepath.Join(fleet, "hosts")}, Release: "v1999.01.01"}, "v1999.01.01"},
		{"missing input", compile.Options{Paths: []string{filepath.Join(t.TempDir(), "hosts")}, OutDir: t.TempDir()}, "hosts"},
	} {
		res, err := compile.Compile(tc.opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Compile = %v, %v; want an error naming %q", tc.name, res, err, tc.want)
		}
	}
}
