package load

import (
	"os"
	"path/filepath"
	"testing"
)

// RelPath names a file as the user in the working directory would: below
// it or in its repository relative, elsewhere (and from /) absolute.
func TestRelPath(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"repo/hosts/web", "repo/users", "other"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "repo", "flake.lock"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	user := filepath.Join(root, "repo", "users", "bob.cue")
	host := filepath.Join(root, "repo", "hosts", "web.cue")
	for _, tc := range []struct{ wd, name, want string }{
		{"repo", host, "hosts/web.cue"},
		{"repo/hosts", host, "web.cue"},
		{"repo/hosts", user, "../users/bob.cue"},
		{"repo/hosts/web", user, "../../users/bob.cue"},
		{"repo/hosts", filepath.Join(root, "repo"), ".."},
		{"other", user, user}, // another tree: absolute
		{"repo", "rel/x.cue", "rel/x.cue"},
	} {
		t.Chdir(filepath.Join(root, tc.wd))
		if got := RelPath(tc.name); got != tc.want {
			t.Errorf("from %s: RelPath(%s) = %q, want %q", tc.wd, tc.name, got, tc.want)
		}
	}
	t.Chdir("/")
	if got := RelPath(user); got != user {
		t.Errorf("from /: RelPath(%s) = %q", user, got)
	}
}

func TestShellWord(t *testing.T) {
	for in, want := range map[string]string{
		"..":          "..",
		"fleet/a-b_c": "fleet/a-b_c",
		"my fleet":    "'my fleet'",
		"it's":        `'it'\''s'`,
		"$(rm -rf x)": "'$(rm -rf x)'",
		"":            "''",
	} {
		if got := shellWord(in); got != want {
			t.Errorf("shellWord(%q) = %s, want %s", in, got, want)
		}
	}
}
