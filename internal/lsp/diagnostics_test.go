package lsp

import (
	"github.com/axc-dev/axc/internal/check"
	"path/filepath"
	"strings"
	"testing"
)

const typoHost = `package hosts

a: {
	hardwre: cpu: "amd"
	extraConfig: axios: system: {timeZone: "UTC", timezone: "UTC"}
}
`

// The unsaved text is checked, not the file on disk; a change is checked
// again; the findings are vet's, with ranges.
func TestDiagnosticsOfUnsavedText(t *testing.T) {
	dir := repo(t, map[string]string{"hosts/a.cue": "package hosts\n\na: {}\n"})
	c := newClient(t, axiosOptions)
	uri := c.open(filepath.Join(dir, "hosts", "a.cue"), typoHost)
	got := messages(c.diagnostics(uri, 1))
	want := "3:1-3:8 1 a.hardwre: unknown field hardwre (did you mean hardware?)\n" +
		"4:47-4:55 1 a.extraConfig.axios.system.timezone: unknown option axios.system.timezone (did you mean timeZone?)\n"
	if got != want {
		t.Errorf("diagnostics of the opened text:\n%s\nwant:\n%s", got, want)
	}
	c.change(uri, 2, strings.Replace(typoHost, "hardwre", "hardware", 1))
	got = messages(c.diagnostics(uri, 2))
	want = "4:47-4:55 1 a.extraConfig.axios.system.timezone: unknown option axios.system.timezone (did you mean timeZone?)\n"
	if got != want {
		t.Errorf("diagnostics after the fix:\n%s\nwant:\n%s", got, want)
	}
}

// axiosOptions check against a release whose modules are axios.*.
var axiosOptions = Options{Check: check.Options{Axios: "v2026.03.30"}}

// A user renamed in the unsaved text of users/alice.cue shows at the open
// host naming alice, and goes when the name comes back; closing the user
// file leaves the host as the disk says.
func TestUserChangeReachesOpenHost(t *testing.T) {
	const web = "package hosts\n\nweb: {\n\thardware: {}\n\textraConfig: cairn: system: timeZone: \"UTC\"\n\tusers: [\"alice\"]\n}\n"
	const alice = "package users\n\nalice: {fullName: \"Alice\"}\n"
	dir := repo(t, map[string]string{"hosts/web.cue": web, "users/alice.cue": alice})
	c := newClient(t, Options{Check: check.Options{Axios: "v2026.05.01"}})
	host := c.open(filepath.Join(dir, "hosts", "web.cue"), web)
	if got := messages(c.diagnostics(host, 1)); got != "" {
		t.Fatalf("the host has findings before any change:\n%s", got)
	}
	user := c.open(filepath.Join(dir, "users", "alice.cue"), alice)
	c.diagnostics(user, 1)
	// Opening the user file checks the host again: wait for that.
	c.waitPublished(host, 1)
	before := c.published(host)
	c.change(user, 2, strings.Replace(alice, "alice:", "alicia:", 1))
	c.diagnostics(user, 2)
	got := messages(c.waitPublished(host, before))
	want := "5:9-5:16 1 web.users.0: unknown user \"alice\" (did you mean alicia?)\n"
	if got != want {
		t.Errorf("the host after alice was renamed in users/alice.cue:\n%s\nwant:\n%s", got, want)
	}
	before = c.published(host)
	c.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": user}})
	if got := messages(c.waitPublished(host, before)); got != "" {
		t.Errorf("the host after the user file was closed unsaved:\n%s", got)
	}
}
