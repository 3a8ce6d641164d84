package vet

import (
	"io/fs"
	"strings"
	"testing"

	"cuelang.org/go/cue"

	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/release"
	"github.com/axc-dev/axc/schema"
)

// vetRelease vets src against the embedded schema (96990f9), told of every
// release.
func vetRelease(t *testing.T, src string) []Diagnostic {
	t.Helper()
	l, res := loadSource(t, src)
	c := NewChecker(l, res)
	c.Release, c.Releases = "96990f9", releaseTable(t)
	res.Each(func(i int, h *load.Host, v cue.Value) { c.Host(i, h, v) })
	return c.Diagnostics()
}

// releaseTable is the table of every release axc knows.
func releaseTable(t *testing.T) *release.Table {
	t.Helper()
	table, err := fs.ReadFile(schema.Files, schema.ReleasesFile)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := release.Parse(table)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// A clean run builds no index of the other releases; an unknown name does.
func TestCrossReleaseLazy(t *testing.T) {
	before := indexBuilds.Load()
	if ds := vetRelease(t, "package hosts\n\na: extraConfig: {axios: system: timeZone: \"UTC\", fileSystems: \"/\": device: \"/dev/sda1\"}\n"); len(ds) != 0 {
		t.Fatalf("clean host: %v", ds)
	}
	if n := indexBuilds.Load() - before; n != 0 {
		t.Errorf("clean run built %d indexes, want 0", n)
	}
	ds := vetRelease(t, "package hosts\n\na: {configDir: \"/etc/nixos\", extraConfig: {axios: system: timeZone: \"UTC\", fileSystems: \"/\": device: \"/dev/sda1\"}}\n")
	if len(ds) != 1 || !strings.Contains(ds[0].Message, "unknown field configDir (not in 96990f9, from v2026.03.07)") {
		t.Errorf("configDir: %v", ds)
	}
	if n := indexBuilds.Load() - before; n != 1 {
		t.Errorf("one unknown name built %d indexes, want 1", n)
	}
}
