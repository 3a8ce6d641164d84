package yamlls

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// require skips the test when node or npm is absent, or fails it under
// AXC_REQUIRE_NPM=1, and returns the installed server.
func require(t *testing.T) string {
	t.Helper()
	ok, err := Available()
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		t.Skipf("node or npm not found; set %s=1 to make this a failure", RequireEnv)
	}
	server, err := Install(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	return server
}

// The server's diagnostics come back by file and position (from 1), a
// file's modeline naming its schema, and none for a file without one.
func TestCheck(t *testing.T) {
	server := require(t)
	dir := t.TempDir()
	files := map[string]string{
		"schema.json": `{"type": "object", "properties": {"a": {"type": "string", "pattern": "^x", "patternErrorMessage": "Expected x…"}}, "additionalProperties": false}`,
		"b/bad.yaml":  "# yaml-language-server: $schema=../schema.json\nb: 1\na: y\n",
		"good.yaml":   "# yaml-language-server: $schema=./schema.json\na: xy\n",
		"none.yaml":   "anything: [1, 2]\n",
	}
	for name, text := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	diags, err := Check(t.Context(), server, dir, []string{"none.yaml", "good.yaml", "b/bad.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range diags {
		got = append(got, d.String())
	}
	want := []string{
		"b/bad.yaml:2:1: Property b is not allowed.",
		"b/bad.yaml:3:4: Expected x…",
	}
	if !slices.Equal(got, want) {
		t.Errorf("diagnostics\n%q\nwant\n%q", got, want)
	}
}

// A server that is not one fails Check; it does not hang it.
func TestCheckNoServer(t *testing.T) {
	require(t)
	dir := t.TempDir()
	bogus := filepath.Join(dir, "exit.js")
	if err := os.WriteFile(bogus, []byte("process.exit(3)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Check(context.Background(), bogus, dir, []string{"x.yaml"})
	if err == nil {
		t.Fatal("Check with a server that exits: no error")
	}
	t.Log(err)
}

// Once installed, the server is found without npm (and so without the
// network): a second Install runs nothing.
func TestInstallCached(t *testing.T) {
	want := require(t)
	t.Setenv("PATH", t.TempDir()) // no npm, no node
	got, err := Install(t.Context(), "")
	if err != nil {
		t.Fatalf("second Install: %v", err)
	}
	if got != want {
		t.Errorf("second Install: %s, want %s", got, want)
	}
}

// No files: the session ends at once.
func TestCheckNoFiles(t *testing.T) {
	server := require(t)
	diags, err := Check(t.Context(), server, t.TempDir(), nil)
	if err != nil || len(diags) != 0 {
		t.Errorf("Check of no files: %v, %v", diags, err)
	}
}
