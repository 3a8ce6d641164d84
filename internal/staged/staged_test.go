package staged

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func needGit(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("AXC_REQUIRE_PRECOMMIT") == "1" {
			t.Fatalf("AXC_REQUIRE_PRECOMMIT=1 but git is not installed: %v", err)
		}
		t.Skip("needs git")
	}
}

func run(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=a", "-c", "user.email=a@example.org"}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

func write(t *testing.T, dir, name, text string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Changes lists what the index changes against HEAD, a rename as a
// deletion and an addition, with HEAD's content of what changed or went,
// up to the limit; from a subdirectory too, and before the first commit.
func TestChanges(t *testing.T) {
	needGit(t)
	dir := t.TempDir()
	run(t, dir, "init", "-q")
	write(t, dir, "hosts/web.cue", "web: {}\n")
	write(t, dir, "hosts/db.cue", "db: {}\n")
	write(t, dir, "users/bob.cue", "bob: {}\n")
	write(t, dir, "users/big.cue", strings.Repeat("x", 100)+"\n")
	write(t, dir, "users/line\nbreak.cue", "odd: {}\n")
	write(t, dir, "README.md", "x\n")
	run(t, dir, "add", "-A")

	// No commit yet: everything is added, nothing was before.
	got, err := Changes(dir, nil, 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 6 {
		t.Fatalf("before the first commit: %d changes, want 6: %v", len(got), got)
	}
	for _, c := range got {
		if c.Status != 'A' || c.Known {
			t.Errorf("before the first commit: %+v", c)
		}
	}
	run(t, dir, "commit", "-q", "-m", "one")

	write(t, dir, "hosts/web.cue", "web: {users: [\"bob\"]}\n")
	run(t, dir, "rm", "-q", "hosts/db.cue")
	run(t, dir, "mv", "users/bob.cue", "users/robert.cue")
	write(t, dir, "users/big.cue", "small: {}\n")
	run(t, dir, "rm", "-q", "users/line\nbreak.cue")
	write(t, dir, "unstaged.cue", "not: {}\n") // not in the index
	run(t, dir, "add", "hosts", "users")

	keep := func(p string) bool { return strings.HasSuffix(p, ".cue") }
	sub := filepath.Join(dir, "hosts")
	got, err = Changes(sub, keep, 50)
	if err != nil {
		t.Fatal(err)
	}
	type summary struct {
		path   string
		status byte
		before string
		known  bool
	}
	var sums []summary
	for _, c := range got {
		rel, _ := filepath.Rel(dir, c.Path)
		sums = append(sums, summary{filepath.ToSlash(rel), c.Status, string(c.Before), c.Known})
	}
	want := []summary{
		{"hosts/db.cue", 'D', "db: {}\n", true},
		{"hosts/web.cue", 'M', "web: {}\n", true},
		{"users/big.cue", 'M', "", false}, // over the limit
		{"users/bob.cue", 'D', "bob: {}\n", true},
		{"users/line\nbreak.cue", 'D', "", false}, // cat-file cannot name it
		{"users/robert.cue", 'A', "", false},
	}
	slices.SortFunc(sums, func(a, b summary) int { return strings.Compare(a.path, b.path) })
	if !slices.Equal(sums, want) {
		t.Errorf("Changes:\n got %+v\nwant %+v", sums, want)
	}
}

func TestChangesOutsideGit(t *testing.T) {
	needGit(t)
	dir := t.TempDir()
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(dir))
	if _, err := Changes(dir, nil, 50); err == nil || !strings.Contains(err.Error(), "not a git repository") {
		t.Errorf("outside a work tree: %v", err)
	}
}
