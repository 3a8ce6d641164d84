package lsp

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axc-dev/axc/internal/check"
	"github.com/axc-dev/axc/internal/nix/nixtest"
)

const nixLaptop = `package hosts

laptop: {
	formFactor:  "laptop"
	homeProfile: "workstation"
	hardware: {}
	extraConfig: axios: system: timeZone: "UTC"
}
`

// With initializationOptions {"nix": true}, the findings of the pinned
// source's own mkSystem (a synthetic one, testdata/nixsrc/assert, in the
// store) are among an open host's, as the text is typed; without it they
// are not.
func TestNixSetting(t *testing.T) {
	nixtest.Require(t)
	dir := repo(t, map[string]string{"hosts/laptop.cue": nixLaptop})
	writeTree(t, dir, map[string]string{"flake.lock": lockInStore(t, filepath.Join("..", "..", "testdata", "nixsrc", "assert"))})
	opts := Options{Nix: check.NixOptions{CacheDir: t.TempDir()}}
	path := filepath.Join(dir, "hosts", "laptop.cue")

	c := newClient(t, opts)
	uri := c.open(path, nixLaptop)
	if got := messages(c.diagnostics(uri, 1)); got != "" {
		t.Errorf("without the setting:\n%s", got)
	}

	c = newClientInit(t, opts, map[string]any{"nix": true})
	uri = c.open(path, nixLaptop)
	ds := c.diagnostics(uri, 1)
	want := "2:0-2:6 1 laptop: axios: a laptop needs homeProfile = \"laptop\", not \"workstation\"\n"
	if got := messages(ds); got != want || ds[0].Source != "axc (nix)" {
		t.Errorf("with {\"nix\": true}:\n%s(source %q)\nwant:\n%s", got, ds[0].Source, want)
	}
	c.change(uri, 2, strings.Replace(nixLaptop, `"workstation"`, `"laptop"`, 1))
	if got := messages(c.diagnostics(uri, 2)); got != "" {
		t.Errorf("after the fix:\n%s", got)
	}

	// An axiosSource that is no source: said at the file's top, as vet
	// exits 2 on --axios-source.
	c = newClientInit(t, opts, map[string]any{"nix": true, "axiosSource": filepath.Join(dir, "nowhere")})
	uri = c.open(path, nixLaptop)
	if got := messages(c.diagnostics(uri, 1)); !strings.Contains(got, "nowhere: not a directory") {
		t.Errorf("with a missing axiosSource:\n%s", got)
	}
}

// lockInStore adds the tree src to the Nix store as Nix fetches it, and
// returns a flake.lock pinning it as axios 96990f9.
func lockInStore(t *testing.T, src string) string {
	t.Helper()
	tmp := filepath.Join(t.TempDir(), "source")
	if out, err := exec.Command("cp", "-r", src, tmp).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v %s", err, out)
	}
	if out, err := exec.Command("nix-store", "--add-fixed", "--recursive", "sha256", tmp).CombinedOutput(); err != nil {
		t.Fatalf("nix-store --add-fixed: %v %s", err, out)
	}
	out, err := exec.Command("nix", "--extra-experimental-features", "nix-command", "hash", "path", tmp).Output()
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf(`{"nodes": {"axios": {"locked": {"type": "github", "owner": "kcalvelli", "repo": "axios", "rev": "96990f9dadc30a94ca18f26f901cfef98550de07", "lastModified": 1764181876, "narHash": %q}}, "root": {"inputs": {"axios": "axios"}}}, "root": "root", "version": 7}`, strings.TrimSpace(string(out)))
}
