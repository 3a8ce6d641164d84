package vet

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"cuelang.org/go/cue"

	"github.com/axc-dev/axc/internal/load"
)

// Findings kept after Explain (as the memo keeps them) say, restored into
// another Checker, exactly what the first said, without a suggester made
// (no schema evaluated for suggestions, no index of the releases built);
// a later stage's finding added after the restore is explained as before;
// findings kept unexplained (a memo of an older axc) are explained at
// Diagnostics, to the same words.
func TestKeptExplainedNeedsNoSuggester(t *testing.T) {
	var b strings.Builder
	b.WriteString("package hosts\n\n#Closed: {hostname: string}\n\n")
	tz := `extraConfig: {axios: system: timeZone: "UTC", fileSystems: "/": device: "/dev/sda1"}`
	for _, c := range checkHosts {
		fmt.Fprintf(&b, "%s: {\n\t%s\n\t%s\n\thomeProfil: \"laptop\"\n\textraConfig: axios: system: lcoale: \"de_DE.UTF-8\"\n}\n", c.name, c.fields, tz)
	}
	b.WriteString(`typo: {hardware: cpu: "intell", ` + tz + "}\n")
	b.WriteString(`zone: {extraConfig: {axios: system: timeZone: "Europe/Pari", fileSystems: "/": device: "/dev/sda1"}}` + "\n")
	b.WriteString(`later: {configDir: "/etc/nixos", ` + tz + "}\n")
	b.WriteString(`closed: #Closed & {homeProfile: "laptop", formFactor: "desktop", ` + tz + "}\n")
	b.WriteString(`clean: {` + tz + "}\n")
	l, res := loadSource(t, b.String())
	tab := releaseTable(t)
	checker := func() *Checker {
		c := NewChecker(l, res)
		c.Release, c.Releases = "96990f9", tab
		return c
	}
	clean := slices.IndexFunc(res.Hosts, func(h *load.Host) bool { return h.Name == "clean" })
	later := Problem{Path: []string{"hardware", "cpu"}, Msg: "a later stage's finding"}
	cold := checker()
	res.Each(func(i int, h *load.Host, v cue.Value) { cold.Host(i, h, v) })
	cold.Explain()
	kept := make([]Kept, len(res.Hosts))
	stored := 0
	for i := range res.Hosts {
		kept[i] = cold.Keep(i)
		if data, err := json.Marshal(kept[i]); err == nil {
			// Through the memo file's form where there is one.
			var k Kept
			if err := json.Unmarshal(data, &k); err != nil {
				t.Fatal(err)
			}
			kept[i], stored = k, stored+1
		}
	}
	if stored < len(res.Hosts)/2 {
		t.Fatalf("%d of %d hosts have an on-disk form", stored, len(res.Hosts))
	}
	wantBefore := cold.Diagnostics()
	cold.Add(clean, later)
	want := cold.Diagnostics()
	if len(want) != len(wantBefore)+1 {
		t.Fatalf("%d diagnostics, then %d with one finding added", len(wantBefore), len(want))
	}

	// The same, never explained before Diagnostics (as before Explain).
	plain := checker()
	res.Each(func(i int, h *load.Host, v cue.Value) { plain.Host(i, h, v) })
	plain.Add(clean, later)
	if got := plain.Diagnostics(); !slices.Equal(got, want) {
		t.Fatalf("explained first:\n%s\nexplained at Diagnostics:\n%s", dumpAll(want), dumpAll(got))
	}
	for _, m := range []string{"did you mean homeProfile?", `did you mean "intel"?`, `did you mean "Europe/Paris"?`, "not in 96990f9, from v2026.03.07", closedDefinitionMsg, "a later stage's finding"} {
		if !slices.ContainsFunc(want, func(d Diagnostic) bool { return strings.Contains(d.Message, m) }) {
			t.Errorf("no diagnostic says %q:\n%s", m, dumpAll(want))
		}
	}

	warm := checker()
	for i := range res.Hosts {
		warm.Restore(i, kept[i])
	}
	if got := warm.Diagnostics(); !slices.Equal(got, wantBefore) {
		t.Errorf("restored:\n%s\nwant:\n%s", dumpAll(got), dumpAll(wantBefore))
	}
	if warm.sugg != nil {
		t.Errorf("restored explained findings made a suggester")
	}
	warm.Add(clean, later)
	if got := warm.Diagnostics(); !slices.Equal(got, want) {
		t.Errorf("restored, a finding added:\n%s\nwant:\n%s", dumpAll(got), dumpAll(want))
	}

	// Kept unexplained, by an axc before Explain: explained now.
	raw := checker()
	res.Each(func(i int, h *load.Host, v cue.Value) { raw.Host(i, h, v) })
	old := checker()
	for i := range res.Hosts {
		old.Restore(i, raw.Keep(i))
	}
	old.Add(clean, later)
	if got := old.Diagnostics(); !slices.Equal(got, want) {
		t.Errorf("restored unexplained:\n%s\nwant:\n%s", dumpAll(got), dumpAll(want))
	}
}

func dumpAll(ds []Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "\t%s:%d:%d: %s: %s: %s\n", d.File, d.Line, d.Column, d.Host, d.Path, d.Message)
	}
	return b.String()
}
