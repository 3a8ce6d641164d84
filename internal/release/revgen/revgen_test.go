package revgen

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/axc-dev/axc/internal/release"
)

// mirror is a bare git mirror of github.com/kcalvelli/axios: $AXC_AXIOS_MIRROR,
// else where the project's fetch tool puts it.
func mirror() string {
	if m := os.Getenv("AXC_AXIOS_MIRROR"); m != "" {
		return m
	}
	return "/work/.mirror/kcalvelli+axios/repo"
}

// The generator reproduces the table axc embeds, from the heads the table
// records. Without a mirror the test is skipped, saying so: the table is
// data, and the other tests check what it says.
func TestGeneratorReproducesTable(t *testing.T) {
	dir := mirror()
	if _, err := os.Stat(filepath.Join(dir, "HEAD")); err != nil {
		t.Skipf("no mirror of kcalvelli/axios at %s (set AXC_AXIOS_MIRROR): the rev table is not regenerated", dir)
	}
	want := release.RevsData()
	heads := HeadsOf(want)
	g := Git{Dir: dir}
	for _, h := range heads {
		if _, err := g.run(nil, "cat-file", "-e", h+"^{commit}"); err != nil {
			t.Skipf("the mirror at %s lacks head %s of the table: %v", dir, h, err)
		}
	}
	src, err := release.BuiltinSource()
	if err != nil {
		t.Fatal(err)
	}
	tab, err := release.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Generate(g, tab, heads)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if !bytes.Equal(gl[i], wl[i]) {
				t.Fatalf("%s differs from what the generator makes, first at line %d:\n got %s\nwant %s\n(run go run ./tools/revgen -git %s)", release.RevsFile, i+1, gl[i], wl[i], dir)
			}
		}
		t.Fatalf("%s differs from what the generator makes: %d lines, want %d", release.RevsFile, len(gl), len(wl))
	}
}
