package crossrel

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/axc-dev/axc/internal/release"
	"github.com/axc-dev/axc/schema"
)

// table3 is three releases of the real table: the one before selfHosted.*
// moved to axios.*, the one that moved it, and the first cairn release.
const table3 = `releases: [
	{tag: "v2026.01.13", rev: "68a9c8a045e4e2731eefadff509853171fb4d383", date: "2026-01-13", lastModified: 1768324164, namespace: "axios", repo: "kcalvelli/axios", mkSystem: "axios.lib.mkSystem"},
	{tag: "v2026.03.07", rev: "feeb140cae529e23414b873eeaa5d35acb60f0d3", date: "2026-03-07", lastModified: 1772919966, namespace: "axios", repo: "kcalvelli/axios", mkSystem: "axios.lib.mkSystem"},
	{tag: "v2026.05.01", rev: "0b4b6cb380c6b8332eed52076da5c69809a32423", date: "2026-05-01", lastModified: 1777642997, namespace: "cairn", repo: "kcalvelli/cairn", mkSystem: "cairn.lib.mkSystem"},
]`

func build(t *testing.T, src string) *Index {
	t.Helper()
	tab, err := release.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	x, err := Build(tab, nil)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func TestRulesDerived(t *testing.T) {
	x := build(t, table3)
	var got []string
	for k, rs := range x.rules {
		for _, r := range rs {
			s := x.tags[k] + ": " + r.from + " → " + strings.Join(r.to, ".")
			if r.namespace {
				s += " (namespace)"
			}
			got = append(got, s)
		}
	}
	// The moves of the release notes (section 5): pim.enable →
	// services.pim.enable and selfHosted.immich.* → axios.immich.* in
	// v2026.03.07, the cairn rule in v2026.05.01.
	want := []string{
		"v2026.03.07: pim → services.pim",
		"v2026.03.07: selfHosted → axios",
		"v2026.05.01: axios → cairn (namespace)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rules:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestExplain(t *testing.T) {
	x := build(t, table3)
	for _, c := range []struct {
		tag  string
		kind Kind
		path string
		want string
	}{
		// Moved: the name in the release checked.
		{"v2026.03.07", Option, "selfHosted.immich.port", "not in v2026.03.07, last in v2026.01.13; axios.immich.port is"},
		{"v2026.05.01", Option, "selfHosted.immich.port", "not in v2026.05.01, last in v2026.01.13; cairn.immich.port is"},
		{"v2026.03.07", Option, "pim.enable", "not in v2026.03.07, last in v2026.01.13; services.pim.enable is"},
		// Dropped: a rule renames an option only where the new name exists.
		{"v2026.03.07", Option, "selfHosted.immich.subdomain", "not in v2026.03.07, last in v2026.01.13"},
		{"v2026.03.07", Option, "selfHosted.enable", "not in v2026.03.07, last in v2026.01.13"},
		{"v2026.05.01", Option, "services.ai.local.models", "not in v2026.05.01, last in v2026.03.07"},
		// The framework's namespace renamed.
		{"v2026.05.01", Option, "axios.system.timeZone", "renamed cairn.system.timeZone in v2026.05.01"},
		{"v2026.05.01", Option, "axios.syncthing.devices.laptop.id", "renamed cairn.syncthing.devices.laptop.id in v2026.05.01"},
		{"v2026.05.01", Option, "axios", "renamed cairn in v2026.05.01"},
		{"v2026.05.01", Field, "axios", "renamed cairn in v2026.05.01"},
		// Only later releases have it, maybe under another name.
		{"v2026.01.13", Option, "axios.immich.port", "not in v2026.01.13, from v2026.03.07; selfHosted.immich.port is"},
		{"v2026.01.13", Option, "axios.syncthing.devices.laptop.id", "not in v2026.01.13, from v2026.03.07"},
		{"v2026.03.07", Option, "cairn.system.timeZone", "not in v2026.03.07, from v2026.05.01; axios.system.timeZone is"},
		{"v2026.03.07", Option, "services.companion.enable", "not in v2026.03.07, from v2026.05.01"},
		// Host fields, and options below a host field copied to them.
		{"v2026.03.07", Field, "userModulePath", "not in v2026.03.07, last in v2026.01.13"},
		{"v2026.01.13", Field, "configDir", "not in v2026.01.13, from v2026.03.07"},
		{"v2026.01.13", Field, "modules.syncthing", "not in v2026.01.13, from v2026.03.07"},
		{"v2026.03.07", Field, "selfHosted", "not in v2026.03.07, last in v2026.01.13"},
		{"v2026.05.01", Field, "axios.immich.port", "renamed cairn.immich.port in v2026.05.01"},
		// No release has it, or the release checked has it.
		{"v2026.03.07", Option, "axios.sytem", ""},
		{"v2026.03.07", Option, "services.openssh.enable", ""},
		{"v2026.03.07", Option, "axios.immich.port", ""},
		{"v2026.03.07", Field, "hardwre", ""},
		{"v1999.01.01", Option, "axios.immich.port", ""},
	} {
		if got := x.Explain(c.tag, c.kind, strings.Split(c.path, ".")); got != c.want {
			t.Errorf("Explain(%s, %s) = %q, want %q", c.tag, c.path, got, c.want)
		}
	}
}

// Every release of the embedded table builds, and the renames derived over
// all of them are those of the release notes.
func TestEmbeddedTable(t *testing.T) {
	src, err := fs.ReadFile(schema.Files, schema.ReleasesFile)
	if err != nil {
		t.Fatal(err)
	}
	x := build(t, string(src))
	n := 0
	for _, rs := range x.rules {
		n += len(rs)
	}
	if n != 3 {
		t.Errorf("%d renames over all releases, want 3", n)
	}
	if got := x.Explain("v2025.11.08", Option, strings.Split("services.ai.local.enable", ".")); got != "not in v2025.11.08, from v2025.12.04" {
		t.Errorf("services.ai.local.enable under v2025.11.08: %q", got)
	}
}

// An option renamed between releases says its other name from either
// side; one never renamed says nothing.
func TestOtherNames(t *testing.T) {
	table, err := release.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	idx, err := Build(table, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ tag, name, want string }{
		{"v2026.03.30", "axios.system.timeZone", "renamed cairn.system.timeZone in v2026.05.01"},
		{"v2026.05.01", "cairn.system.timeZone", "called axios.system.timeZone up to v2026.03.30"},
		{"v2026.05.01", "services.openssh.enable", ""},
	} {
		if got := idx.OtherNames(c.tag, Option, strings.Split(c.name, ".")); got != c.want {
			t.Errorf("OtherNames(%s, %s) = %q, want %q", c.tag, c.name, got, c.want)
		}
	}
}
