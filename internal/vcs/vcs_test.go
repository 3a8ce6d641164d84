package vcs

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
)

func run(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.org",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.org", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

func write(t *testing.T, name, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Every way a file can lack a commit holding it as it is is found, in a
// directory below the top of the work tree, whatever its name holds; a
// committed file is not.
func TestUncommitted(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("needs git")
	}
	top := t.TempDir()
	dir := filepath.Join(top, "fleet")
	odd := "a *[b] -x\nc.nix"
	for _, f := range []string{"clean.nix", "modified.nix", "staged.nix", odd, "*.nix"} {
		write(t, filepath.Join(dir, f), "old")
	}
	write(t, filepath.Join(top, ".gitignore"), "ignored.nix\n")
	run(t, top, "init", "-q")
	run(t, top, "add", "-A")
	run(t, top, "commit", "-qm", "init")
	write(t, filepath.Join(dir, "modified.nix"), "new")
	write(t, filepath.Join(dir, "staged.nix"), "new")
	run(t, top, "add", "fleet/staged.nix")
	write(t, filepath.Join(dir, "untracked.nix"), "new")
	write(t, filepath.Join(dir, "ignored.nix"), "new")
	write(t, filepath.Join(dir, odd), "new")

	if !InGit(dir) || InGit(t.TempDir()) {
		t.Fatal("InGit: want true in the work tree, false outside")
	}
	got, err := Uncommitted(dir, []string{"clean.nix", "modified.nix", "staged.nix", "untracked.nix", "ignored.nix", odd, "*.nix"})
	if err != nil {
		t.Fatal(err)
	}
	want := []Change{
		{"modified.nix", " M"}, {"staged.nix", "M "}, {"untracked.nix", "??"}, {"ignored.nix", "!!"}, {odd, " M"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	// A pattern is a name: *.nix, committed, is clean, and does not
	// match the others.
	if got, err := Uncommitted(dir, []string{"*.nix"}); err != nil || len(got) != 0 {
		t.Fatalf("*.nix: %v %v", got, err)
	}
	if _, err := Uncommitted(t.TempDir(), []string{"x"}); err == nil {
		t.Fatal("outside a work tree: want an error")
	}
}
