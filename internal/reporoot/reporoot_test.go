package reporoot

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFind(t *testing.T) {
	root := t.TempDir()
	// The temporary directory must not sit inside a repository.
	if got, err := Find(root); err != nil || got != "" {
		t.Skipf("%s is inside a repository (Find = %q, %v)", root, got, err)
	}
	for _, p := range []string{
		"flake/flake.nix", "lock/flake.lock", "cue/cue.mod/module.cue", "git/.git/HEAD", "worktree/.git",
		"nothing/a/b/c",
	} {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range []string{"flake", "lock", "cue", "git", "worktree"} {
		if err := os.MkdirAll(filepath.Join(root, m, "hosts", "web"), 0o755); err != nil {
			t.Fatal(err)
		}
		// The hosts directory, a host's own directory, and the top itself
		// all belong to the top.
		for _, dir := range []string{m, m + "/hosts", m + "/hosts/web", m + "/hosts/web/../.."} {
			if got, err := Find(filepath.Join(root, dir)); err != nil || got != filepath.Join(root, m) {
				t.Errorf("Find(%s) = %q, %v; want %s", dir, got, err, m)
			}
		}
	}
	// The nearest marker wins: a CUE module inside a flake is a repository
	// of its own.
	if err := os.MkdirAll(filepath.Join(root, "flake", "sub", "cue.mod"), 0o755); err != nil {
		t.Fatal(err)
	}
	if got, err := Find(filepath.Join(root, "flake", "sub")); err != nil || got != filepath.Join(root, "flake", "sub") {
		t.Errorf("Find(flake/sub) = %q, %v", got, err)
	}
	if got, err := Find(filepath.Join(root, "nothing", "a")); err != nil || got != "" {
		t.Errorf("Find(nothing/a) = %q, %v; want none", got, err)
	}
	if _, err := Find(filepath.Join(root, "missing")); err == nil {
		t.Error("Find(missing): no error")
	}
	if _, err := Find(filepath.Join(root, "flake", "flake.nix")); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("Find(file): %v", err)
	}
	// A relative directory is taken from the working directory.
	t.Chdir(filepath.Join(root, "git", "hosts"))
	for _, dir := range []string{".", "web", ".."} {
		if got, err := Find(dir); err != nil || got != filepath.Join(root, "git") {
			t.Errorf("Find(%q) from git/hosts = %q, %v", dir, got, err)
		}
	}
}

// Every marker of Nix's is one of the repository's: the repository is never
// above the flake whose lock pins the release.
func TestFlakeMarkersAreMarkers(t *testing.T) {
	for _, m := range FlakeMarkers {
		found := false
		for _, n := range Markers {
			found = found || m == n
		}
		if !found {
			t.Errorf("%s stops the lock search but not the repository's", m)
		}
	}
}
