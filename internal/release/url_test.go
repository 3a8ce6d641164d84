package release

import (
	"strings"
	"testing"
)

// A flake input's URL names a release the way Nix reads it: the
// repository decides which releases are candidates (axios-named up to
// v2026.03.30, cairn from v2026.05.01), a rev or a release tag in it is
// that release, and anything else is the newest of that repository.
func TestFromURL(t *testing.T) {
	tab := loadTable(t)
	for _, tc := range []struct {
		url  string
		tag  string // "" with ok false, or with an error
		ok   bool
		note string // substring
		err  string // substring
	}{
		{url: "github:kcalvelli/axios", tag: "v2026.03.30", ok: true,
			note: "input axios is github:kcalvelli/axios: the newest release of kcalvelli/axios (from v2026.05.01, releases are kcalvelli/cairn's)"},
		{url: "github:KCalvelli/Axios", tag: "v2026.03.30", ok: true},
		{url: "github:kcalvelli/cairn", tag: "v2026.05.01", ok: true, note: "the newest release of kcalvelli/cairn"},
		{url: "github:kcalvelli/axios/v2025.11.18", tag: "v2025.11.18", ok: true, note: "the tag of release v2025.11.18"},
		{url: "github:kcalvelli/axios?ref=v2025.12.11", tag: "v2025.12.11", ok: true},
		{url: "github:kcalvelli/axios/61cd5cf77f3445bc9c5417a4d172e7df573a8af5", tag: "v2025.12.11", ok: true, note: "pins release v2025.12.11"},
		{url: "github:kcalvelli/axios?rev=96990f9dadc30a94ca18f26f901cfef98550de07", tag: "96990f9", ok: true},
		{url: "github:kcalvelli/axios/main", tag: "v2026.03.30", ok: true, note: "(ref main is no release tag axc knows)"},
		{url: "git+https://github.com/kcalvelli/axios.git?ref=v2026.01.13", tag: "v2026.01.13", ok: true},
		{url: "git+ssh://git@github.com/kcalvelli/cairn", tag: "v2026.05.01", ok: true},
		{url: "https://github.com/kcalvelli/axios/archive/v2025.11.21.tar.gz", tag: "v2025.11.21", ok: true},
		{url: "github:kcalvelli/axios/0123456789012345678901234567890123456789", ok: true,
			err: "input axios is github:kcalvelli/axios/0123456789012345678901234567890123456789, whose rev 0123456789012345678901234567890123456789 is no release axc knows; pass --axios TAG"},
		{url: "github:nixos/nixpkgs/nixos-unstable"},
		{url: "github:\u212acalvelli/axios"}, // a Kelvin sign: another repository
		{url: "git+https://gitlab.com/kcalvelli/axios"},
		{url: "git+file:///home/me/axios"},
		{url: "path:../axios"},
		{url: "flake:axios"},
		{url: "github:kcalvelli"},
		{url: "github:/axios"},
		{url: "%zz"},
		{url: ""},
	} {
		c, ok, err := tab.FromURL("axios", tc.url)
		switch {
		case ok != tc.ok:
			t.Errorf("%q: ok %v, want %v", tc.url, ok, tc.ok)
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want one containing %q", tc.url, err, tc.err)
			}
		case err != nil:
			t.Errorf("%q: %v", tc.url, err)
		case ok && (c.Release.Tag != tc.tag || c.Source != "flake.nix input axios"):
			t.Errorf("%q: %s (%s), want %s", tc.url, c.Release.Tag, c.Source, tc.tag)
		case !strings.Contains(c.Note, tc.note):
			t.Errorf("%q: note %q, want it to contain %q", tc.url, c.Note, tc.note)
		}
	}
}

// FuzzFromURL: any URL (an author's flake.nix is input) gives a release of
// the repository it names, or none, or an error; never a panic, and a
// release only when the URL names the framework's repository in ASCII.
func FuzzFromURL(f *testing.F) {
	for _, s := range []string{
		"github:kcalvelli/axios", "github:kcalvelli/cairn/v2026.05.01", "github:kcalvelli/axios?ref=main&rev=zz",
		"git+https://github.com/kcalvelli/axios.git", "https://github.com/kcalvelli/axios/archive/x.tar.gz",
		"github:\u212acalvelli/axios", "github:kcalvelli/axios/a/b/c", "git+https://github.com/kcalvelli/axios/extra",
		"github:kcalvelli/axios/ 61cd5cf77f3445bc9c5417a4d172e7df573a8af5", "github://kcalvelli/axios", "",
	} {
		f.Add(s)
	}
	tab := loadTable(f)
	f.Fuzz(func(t *testing.T, u string) {
		c, ok, err := tab.FromURL("in", u)
		if !ok {
			if err != nil || c.Release.Tag != "" {
				t.Fatalf("%q: not the framework, yet %v %v", u, c, err)
			}
			return
		}
		ref, parsed := parseFlakeRef(u)
		if !parsed {
			t.Fatalf("%q: a release from a URL that does not parse", u)
		}
		if !equalFoldASCII(ref.repo, "kcalvelli/axios") && !equalFoldASCII(ref.repo, "kcalvelli/cairn") {
			t.Fatalf("%q: a release for repository %q", u, ref.repo)
		}
		if err == nil && c.Release.Rev == "" {
			t.Fatalf("%q: no release and no error", u)
		}
	})
}
