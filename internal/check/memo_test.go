package check

import (
	"os"
	"path/filepath"
	"testing"
)

// diskStates says what diskState says of each file, whatever the files
// seen before it in the same check: directories, files, symbolic links
// on the way and at the end, missing and dangling ones, files where a
// directory should be. One made after the files changed sees the change.
func TestDiskStatesMatchDiskState(t *testing.T) {
	dir := t.TempDir()
	mustDo := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	mustDo(os.MkdirAll(filepath.Join(dir, "a", "b"), 0o755))
	mustDo(os.WriteFile(filepath.Join(dir, "a", "b", "f.nix"), nil, 0o644))
	mustDo(os.WriteFile(filepath.Join(dir, "a", "g.nix"), nil, 0o644))
	mustDo(os.Symlink("a", filepath.Join(dir, "l")))
	mustDo(os.Symlink("nowhere", filepath.Join(dir, "dangling")))
	mustDo(os.Symlink("g.nix", filepath.Join(dir, "a", "lg.nix")))
	paths := []string{
		filepath.Join(dir, "a", "b", "f.nix"),
		filepath.Join(dir, "a", "g.nix"),
		filepath.Join(dir, "a", "b", "f.nix"), // seen again
		filepath.Join(dir, "l", "b", "f.nix"),
		filepath.Join(dir, "l", "g.nix"),
		filepath.Join(dir, "a", "lg.nix"),
		filepath.Join(dir, "dangling"),
		filepath.Join(dir, "dangling", "x.nix"),
		filepath.Join(dir, "a", "g.nix", "x.nix"),
		filepath.Join(dir, "missing", "x.nix"),
		filepath.Join(dir, "a", "..", "a", "g.nix"),
		"relative/x.nix",
	}
	seen := func() []string {
		disk := &diskStates{}
		var out []string
		for _, p := range paths {
			got, want := disk.of(p), diskState(p)
			if got != want {
				t.Errorf("%s: seen once %q, seen %q", p, got, want)
			}
			out = append(out, got)
		}
		return out
	}
	before := seen()
	// The directory a becomes a link to another, b's files stay.
	mustDo(os.Rename(filepath.Join(dir, "a"), filepath.Join(dir, "c")))
	mustDo(os.Symlink("c", filepath.Join(dir, "a")))
	after := seen()
	for i, p := range paths[:2] {
		if before[i] == after[i] {
			t.Errorf("%s: the same state after a became a link: %q", p, after[i])
		}
	}
}
