package nixpath

import (
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
)

// linkTree writes a tree at root/t (its top) with links of every kind:
// relative ones inside, chains, a directory link, links that climb out,
// an absolute one, loops. outside is beside it.
func linkTree(t testing.TB) (top string) {
	root := t.TempDir()
	top = filepath.Join(root, "t")
	for _, d := range []string{"t/d/e", "t/sub", "outside"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"t/a", "t/d/e/f", "t/sub/x", "outside/x"} {
		if err := os.WriteFile(filepath.Join(root, f), []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{
		"t/link":      "a",
		"t/chain":     "link",
		"t/dl":        "d/e",
		"t/d/up":      "../sub",
		"t/out":       "../outside",
		"t/backin":    "../t/sub",
		"t/abs":       filepath.Join(top, "a"),
		"t/loop1":     "loop2",
		"t/loop2":     "loop1",
		"t/self":      "self",
		"t/sub/deep":  "../../outside/x",
		"t/sub/fine":  "../d/e/f",
		"t/sub/dotdl": "./../dl/f",
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	return top
}

func TestResolve(t *testing.T) {
	top := linkTree(t)
	for _, c := range []struct {
		place, want string
		out         bool
		link        string
	}{
		{place: "a", want: "a"},
		{place: ".", want: "."},
		{place: "chain", want: "a"},
		{place: "dl/f", want: "d/e/f"},
		{place: "d/up/x", want: "sub/x"},
		{place: "sub/fine", want: "d/e/f"},
		{place: "sub/dotdl", want: "d/e/f"},
		{place: "missing/x", want: "missing/x"},
		{place: "../t/a", out: true},
		{place: "out/x", out: true, link: "out"},
		{place: "backin/x", out: true, link: "backin"},
		{place: "abs", out: true, link: "abs"},
		{place: "sub/deep", out: true, link: "sub/deep"},
		{place: "loop1", out: true},
		{place: "self", out: true, link: "self"},
	} {
		got, exit, out := Resolve(top, c.place)
		if got != c.want || out != c.out || c.link != "" && exit.Link != c.link {
			t.Errorf("Resolve(%q) = %q, %+v, %v; want %q, link %q, %v", c.place, got, exit, out, c.want, c.link, c.out)
		}
	}
}

// Place computes as Nix does, lexically from the file's directory: .. above
// the top leaves it even when a name after it leads back.
func TestPlace(t *testing.T) {
	for _, c := range []struct {
		dir, lit, want string
		ok             bool
	}{
		{"/r", "./a", "a", true},
		{"/r/hosts", "../a", "a", true},
		{"/r/hosts", "../../r/a", "../r/a", true},
		{"/r", "./.", ".", true},
		{"/r/hosts", "/etc/x", "", false},
		{"/r/hosts", "~/x", "", false},
	} {
		got, ok := Place("/r", c.dir, c.lit)
		if got != c.want || ok != c.ok {
			t.Errorf("Place(/r, %s, %s) = %q, %v; want %q, %v", c.dir, c.lit, got, ok, c.want, c.ok)
		}
	}
}

func TestSourceRoot(t *testing.T) {
	root := t.TempDir()
	plain := filepath.Join(root, "plain", "flake")
	repo := filepath.Join(root, "repo")
	sub := filepath.Join(repo, "a", "flake")
	for _, d := range []string{plain, sub, filepath.Join(repo, ".git")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if got := SourceRoot(plain); got != plain {
		t.Errorf("SourceRoot(%s) = %s, want the directory itself", plain, got)
	}
	if got := SourceRoot(sub); got != repo {
		t.Errorf("SourceRoot(%s) = %s, want the git work tree %s", sub, got, repo)
	}
}

// FuzzResolve: whatever the place, Resolve ends (link loops are bounded),
// and it agrees with the operating system's own resolution
// (filepath.EvalSymlinks) where both apply: a place it resolves inside the
// tree is where the system's links lead, with no link left in it, and a
// place the system resolves to outside the tree Resolve says leaves it.
// (The other way, Resolve is stricter: an absolute link, or a way out and
// back in, leaves the store's copy of the tree though the system finds
// the original.)
func FuzzResolve(f *testing.F) {
	for _, s := range []string{"a", "chain", "dl/f", "d/up/x", "out/x", "backin/x", "abs", "loop1", "self", "sub/deep", "sub/dotdl", "dl/../a", "d/e/../../a", "x/y/z"} {
		f.Add(s)
	}
	top := linkTree(f)
	f.Fuzz(func(t *testing.T, place string) {
		if strings.ContainsRune(place, 0) {
			return
		}
		place = path.Clean(place)
		if place == ".." || strings.HasPrefix(place, "../") || path.IsAbs(place) {
			if _, _, out := Resolve(top, place); !out {
				t.Fatalf("Resolve(%q) stays inside", place)
			}
			return
		}
		got, _, out := Resolve(top, place)
		sys, err := filepath.EvalSymlinks(filepath.Join(top, filepath.FromSlash(place)))
		if err != nil {
			return // a name that does not exist, or a loop
		}
		inside := sys == top || strings.HasPrefix(sys, top+string(filepath.Separator))
		switch {
		case !inside && !out:
			t.Fatalf("Resolve(%q) = %q inside; the system resolves %s, outside", place, got, sys)
		case !out && filepath.Join(top, filepath.FromSlash(got)) != sys:
			t.Fatalf("Resolve(%q) = %q; the system resolves %s", place, got, sys)
		}
	})
}
