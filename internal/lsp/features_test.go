package lsp

import (
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/axc-dev/axc/internal/check"
)

// at is the position of the n-th (0-based) occurrence of sub in text,
// plus delta characters.
func at(t *testing.T, text, sub string, delta int) position {
	t.Helper()
	i := strings.Index(text, sub)
	if i < 0 {
		t.Fatalf("%q not in the text", sub)
	}
	return positionOf(text, i+delta)
}

func pos(uri string, p position) map[string]any {
	return map[string]any{"textDocument": map[string]any{"uri": uri}, "position": p}
}

func TestHoverOption(t *testing.T) {
	dir := repo(t, nil)
	c := newClient(t, axiosOptions)
	uri := c.open(filepath.Join(dir, "hosts", "a.cue"), typoHost)
	var h hover
	c.result("textDocument/hover", pos(uri, at(t, typoHost, "timeZone", 2)), &h)
	for _, want := range []string{"**axios.system.timeZone** (option): `string`", "- example: `\"America/New_York\"`", "- from: modules.system", "- releases: v2025.11.08 to v2026.03.30", "- other names: renamed cairn.system.timeZone in v2026.05.01", "System timezone"} {
		if !strings.Contains(h.Contents.Value, want) {
			t.Errorf("hover on timeZone lacks %q:\n%s", want, h.Contents.Value)
		}
	}
	const web = "package hosts\n\nweb: hardware: cpu: \"amd\"\n"
	uri = c.open(filepath.Join(dir, "hosts", "web.cue"), web)
	h = hover{}
	c.result("textDocument/hover", pos(uri, at(t, web, "cpu", 1)), &h)
	if !strings.Contains(h.Contents.Value, "**hardware.cpu** (host field)") || !strings.Contains(h.Contents.Value, `"amd"`) {
		t.Errorf("hover on cpu:\n%s", h.Contents.Value)
	}
}

// completionLabels completes text (with | the cursor) in a new host file.
func completionLabels(t *testing.T, c *client, path, text string) []string {
	t.Helper()
	i := strings.Index(text, "|")
	text = text[:i] + text[i+1:]
	uri := c.open(path, text)
	var l completionList
	c.result("textDocument/completion", pos(uri, positionOf(text, i)), &l)
	var out []string
	for _, it := range l.Items {
		out = append(out, it.Label)
	}
	return out
}

func TestCompletion(t *testing.T) {
	dir := repo(t, map[string]string{"users/u.cue": "package users\n\nalice: {fullName: \"Alice\"}\nbob: {fullName: \"Bob\"}\n"})
	c := newClient(t, axiosOptions)
	host := func(n string) string { return filepath.Join(dir, "hosts", n+".cue") }
	if got := completionLabels(t, c, host("a"), "package hosts\n\na: {\n\thardware: c|\n}\n"); !slices.Contains(got, "cpu") {
		t.Errorf("label completion under hardware: %q", got)
	}
	if got := completionLabels(t, c, host("b"), "package hosts\n\nb: {\n\textraConfig: axios: system: {tim|}\n}\n"); !slices.Contains(got, "timeZone") {
		t.Errorf("option completion: %q", got)
	}
	var l completionList
	text := "package hosts\n\nn: extraConfig: \n"
	uri := c.open(host("n"), text)
	c.result("textDocument/completion", pos(uri, positionOf(text, len(text)-1)), &l)
	nested := ""
	for _, it := range l.Items {
		if it.Label == "axios.system.timeZone" {
			nested = it.TextEdit.NewText
		}
	}
	if nested != "axios: system: timeZone: " {
		t.Errorf("a nested option completes to %q, want axios: system: timeZone: ", nested)
	}
	if got := completionLabels(t, c, host("c"), "package hosts\n\nc: hardware: cpu: \"|\"\n"); !slices.Contains(got, `"amd"`) {
		t.Errorf("enum completion: %q", got)
	}
	if got := completionLabels(t, c, host("d"), "package hosts\n\nd: modules: ai: |\n"); !slices.Equal(got, []string{"false", "true"}) {
		t.Errorf("boolean completion: %q", got)
	}
	if got := completionLabels(t, c, host("e"), "package hosts\n\ne: users: [\"|\"]\n"); !slices.Equal(got, []string{"alice", "bob"}) {
		t.Errorf("user completion: %q", got)
	}
}

// Applying every quick fix of a file removes the findings they fix and
// adds none: did-you-mean renames, a dotted key nested, axios renamed
// cairn, a required option set to the release's example.
func TestQuickFixesApplied(t *testing.T) {
	for _, tc := range []struct {
		axios, text string
		fixes       int
	}{
		{"v2026.03.30", `package hosts

a: {
	hardwre: cpu: "amd"
	extraConfig: axios: system: {timeZone: "UTC", timezon: "UTC"}
	extraConfig: "services.openssh.enable": true
}
`, 3},
		{"v2026.05.01", `package hosts

a: extraConfig: axios: system: timeZone: "UTC"
`, 1},
		{"v2026.05.01", `package hosts

a: {hardware: cpu: "amd"}
"b-1": hardware: {}
`, 2},
	} {
		dir := repo(t, nil)
		c := newClient(t, Options{Check: check.Options{Axios: tc.axios}})
		text := tc.text
		uri := c.open(filepath.Join(dir, "hosts", "a.cue"), text)
		before := c.diagnostics(uri, 1)
		var actions []codeAction
		c.result("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": uri}, "range": lspRange{End: positionOf(text, len(text))}, "context": map[string]any{"diagnostics": before}}, &actions)
		if len(actions) != tc.fixes {
			t.Fatalf("%d quick fixes, want %d, for:\n%s", len(actions), tc.fixes, messages(before))
		}
		// Applied from the end, so that the ranges hold.
		var edits []textEdit
		for _, a := range actions {
			edits = append(edits, a.Edit.Changes[uri]...)
		}
		sort.Slice(edits, func(i, j int) bool {
			return offsetOf(text, edits[i].Range.Start) > offsetOf(text, edits[j].Range.Start)
		})
		fixed := text
		for _, e := range edits {
			fixed = fixed[:offsetOf(fixed, e.Range.Start)] + e.NewText + fixed[offsetOf(fixed, e.Range.End):]
		}
		c.change(uri, 2, fixed)
		if after := c.diagnostics(uri, 2); len(after) != 0 {
			t.Errorf("after the quick fixes:\n%s\nfindings:\n%s", fixed, messages(after))
		}
	}
}

func TestSymbolsAndFormatting(t *testing.T) {
	dir := repo(t, nil)
	c := newClient(t, axiosOptions)
	text := "package hosts\n\n_tz:   {}\nweb:  {hardware: {}}\ndb: {}\n"
	uri := c.open(filepath.Join(dir, "hosts", "a.cue"), text)
	var syms []documentSymbol
	c.result("textDocument/documentSymbol", map[string]any{"textDocument": map[string]any{"uri": uri}}, &syms)
	var got []string
	for _, s := range syms {
		got = append(got, s.Name+" "+s.Detail)
	}
	if want := []string{"_tz shared value", "web host", "db host"}; !slices.Equal(got, want) {
		t.Errorf("symbols %q, want %q", got, want)
	}
	var edits []textEdit
	c.result("textDocument/formatting", map[string]any{"textDocument": map[string]any{"uri": uri}, "options": map[string]any{"tabSize": 4, "insertSpaces": false}}, &edits)
	if len(edits) != 1 || edits[0].NewText != "package hosts\n\n_tz: {}\nweb: {hardware: {}}\ndb: {}\n" {
		t.Errorf("formatting: %+v", edits)
	}
}

func TestDefinitionAndReferences(t *testing.T) {
	const users = "package users\n\nalice: {fullName: \"Alice A\", email: \"alice@example.org\"}\n"
	const web = "package hosts\n\n_base: {hardware: {}}\nweb: _base & {users: [\"alice\"]}\n"
	dir := repo(t, map[string]string{"users/u.cue": users, "hosts/web.cue": web, "hosts/db.cue": "package hosts\n\ndb: users: [\"bob\", \"alice\"]\n"})
	c := newClient(t, Options{Check: check.Options{Axios: "v2026.05.01"}})
	uri := c.open(filepath.Join(dir, "hosts", "web.cue"), web)
	var locs []location
	c.result("textDocument/definition", pos(uri, at(t, web, `"alice"`, 2)), &locs)
	if len(locs) != 1 || locs[0].URI != pathURI(filepath.Join(dir, "users", "u.cue")) || locs[0].Range.Start != (position{Line: 2, Character: 0}) {
		t.Errorf("definition of alice: %+v", locs)
	}
	var h hover
	c.result("textDocument/hover", pos(uri, at(t, web, `"alice"`, 2)), &h)
	if h.Contents.Value != "**alice** (user)\n\nAlice A <alice@example.org>" {
		t.Errorf("hover on alice: %q", h.Contents.Value)
	}
	c.result("textDocument/definition", pos(uri, at(t, web, "_base &", 1)), &locs)
	if len(locs) != 1 || locs[0].Range.Start != (position{Line: 2, Character: 0}) {
		t.Errorf("definition of _base: %+v", locs)
	}
	uu := c.open(filepath.Join(dir, "users", "u.cue"), users)
	c.result("textDocument/references", map[string]any{"textDocument": map[string]any{"uri": uu}, "position": at(t, users, "alice", 1), "context": map[string]any{"includeDeclaration": false}}, &locs)
	var got []string
	for _, l := range locs {
		got = append(got, filepath.Base(uriPath(l.URI)))
	}
	sort.Strings(got)
	if !slices.Equal(got, []string{"db.cue", "web.cue"}) {
		t.Errorf("references of alice: %q", got)
	}
}
