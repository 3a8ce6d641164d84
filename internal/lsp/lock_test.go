package lsp

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
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
	// os.WriteFile truncates before it writes, as an editor or Nix may:
	// a poll between the two sees an empty lock and says so, and the
	// next sees the whole one. What counts is where the server settles.
	var got string
	for n := before; n < before+5; n++ {
		if got = messages(c.waitPublished(uri, n)); strings.Contains(got, "cairn") {
			break
		}
	}
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

// With Timing, each version's diagnostics come after a log message with
// the server's own time for it (bench/lspbench reads it); without, no
// such message.
func TestTimingMessages(t *testing.T) {
	const host = "package hosts\n\nweb: {\n\thardware: {}\n\textraConfig: axios: system: timeZone: \"UTC\"\n}\n"
	dir := repo(t, map[string]string{"hosts/web.cue": host})
	for _, timing := range []bool{true, false} {
		c := newClient(t, Options{Timing: timing})
		uri := c.open(filepath.Join(dir, "hosts", "web.cue"), host)
		c.diagnostics(uri, 1)
		c.change(uri, 2, strings.Replace(host, "UTC", "Europe/Berlin", 1))
		c.diagnostics(uri, 2)
		c.mu.Lock()
		logs, order := slices.Clone(c.logs), slices.Clone(c.order)
		c.mu.Unlock()
		var timed []string
		for _, l := range logs {
			if strings.HasPrefix(l, "axc lsp: checked ") {
				timed = append(timed, l)
			}
		}
		if !timing {
			if len(timed) > 0 {
				t.Errorf("without Timing: %q", timed)
			}
			continue
		}
		re := regexp.MustCompile(`^axc lsp: checked ` + regexp.QuoteMeta(uri) + ` version ([12]) in [0-9]+\.[0-9] ms$`)
		if len(timed) != 2 || !re.MatchString(timed[0]) || !re.MatchString(timed[1]) || re.FindStringSubmatch(timed[1])[1] != "2" {
			t.Errorf("with Timing, the log messages are %q; want one per version, 1 then 2", timed)
		}
		// Each time comes just before the diagnostics it times.
		for i, m := range order {
			if m == "textDocument/publishDiagnostics" && (i == 0 || order[i-1] != "window/logMessage") {
				t.Errorf("diagnostics without a time just before them: %q", order)
				break
			}
		}
	}
}
