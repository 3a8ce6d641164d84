package lsp

import (
	"axc.dev/axc/internal/check"
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
