package lsp

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A flake.lock changed outside the editor (nix flake update) checks the
// open documents again against the release it now pins: here from
// axios 96990f9, where the host is right, to cairn's first release,
// where its axios options are not.
func TestChangedLockChecksAgain(t *testing.T) {
	lock, err := os.ReadFile(filepath.Join("..", "..", "testdata", "fleet-2025.11", "flake.lock"))
	if err != nil {
		t.Fatal(err)
	}
	const host = "package hosts\n\nweb: {\n\thardware: {}\n\textraConfig: axios: system: timeZone: \"UTC\"\n}\n"
	dir := repo(t, map[string]string{"hosts/web.cue": host, "flake.lock": string(lock)})
	// Not watching files (the client says nothing of it): the server
	// looks at the lock itself.
	c := newClient(t, Options{LockPoll: 10 * time.Millisecond})
	uri := c.open(filepath.Join(dir, "hosts", "web.cue"), host)
	if got := messages(c.diagnostics(uri, 1)); got != "" {
		t.Fatalf("findings under axios 96990f9:\n%s", got)
	}
	before := c.published(uri)
	cairn := strings.NewReplacer(`"repo": "axios"`, `"repo": "cairn"`, "96990f9dadc30a94ca18f26f901cfef98550de07", "0b4b6cb380c6b8332eed52076da5c69809a32423").Replace(string(lock))
	if cairn == string(lock) {
		t.Fatal("the lock does not pin axios 96990f9")
	}
	if err := os.WriteFile(filepath.Join(dir, "flake.lock"), []byte(cairn), 0o644); err != nil {
		t.Fatal(err)
	}
	got := messages(c.waitPublished(uri, before))
	if !strings.Contains(got, "cairn") {
		t.Errorf("after the lock moved to cairn, the host's findings are\n%s\nwant the axios options said to be cairn's", got)
	}
}

// A client that can watch files is asked to tell the server of changed
// flake.lock files.
func TestRegistersLockWatch(t *testing.T) {
	var p struct {
		Registrations []struct {
			Method          string `json:"method"`
			RegisterOptions struct {
				Watchers []struct {
					GlobPattern string `json:"globPattern"`
				} `json:"watchers"`
			} `json:"registerOptions"`
		} `json:"registrations"`
	}
	c := newWatchingClient(t)
	m := c.serverRequest("client/registerCapability")
	if err := json.Unmarshal(m.Params, &p); err != nil {
		t.Fatal(err)
	}
	if len(p.Registrations) != 1 || p.Registrations[0].Method != "workspace/didChangeWatchedFiles" || len(p.Registrations[0].RegisterOptions.Watchers) == 0 || p.Registrations[0].RegisterOptions.Watchers[0].GlobPattern != "**/flake.lock" {
		t.Errorf("registration %s, want a watch of **/flake.lock", m.Params)
	}
}
