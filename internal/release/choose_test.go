package release

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axc-dev/axc/internal/reporoot"
)

func TestChoose(t *testing.T) {
	tab := loadTable(t)
	newest := tab.Newest().Tag
	lock := func(name string) string { return filepath.Join("testdata", name+".flake.lock") }
	for _, tc := range []struct {
		name    string
		opts    Options
		tag     string // release chosen; "" when an error is wanted
		source  string
		warning []string // substrings; none: no warning
		note    []string // substrings; none: no note
		err     []string // substrings of the error
	}{
		{name: "no lock", opts: Options{}, tag: newest, source: "default (newest)"},
		{name: "lock at a release rev", opts: Options{LockFile: lock("release")}, tag: "v2025.12.04", source: "flake.lock input axios"},
		{name: "lock at another rev", opts: Options{LockFile: lock("between")}, tag: "96990f9", source: "flake.lock input axios",
			warning: []string{"testdata/between.flake.lock: input axios pins kcalvelli/axios at rev fd3ea05d357b86ac00132165becda4236cf15811",
				"committed 2025-12-04 16:55:00 UTC", "not a release axc knows", "checking against 96990f9 (2025-11-26)"}},
		{name: "lock newer than every release", opts: Options{LockFile: lock("newer")}, tag: "v2026.05.01", source: "flake.lock input axios",
			warning: []string{"435f2824344e58fe6bd131845b797da01bf57097", "2026-05-01 15:43:12 UTC", "checking against v2026.05.01"}},
		{name: "lock older than every release", opts: Options{LockFile: lock("old")},
			err: []string{"testdata/old.flake.lock: input axios pins kcalvelli/axios at rev 92c1f761bb3173d8fd156a04085887a7e77dceac",
				"committed 2025-10-30 21:27:35 UTC", "older than every release axc knows (the oldest is v2025.11.08 of 2025-11-08)"}},
		{name: "input cairn", opts: Options{LockFile: lock("cairn")}, tag: "v2026.05.01", source: "flake.lock input cairn"},
		{name: "input my-axios", opts: Options{LockFile: lock("my-axios")}, tag: "v2025.11.21", source: "flake.lock input my-axios"},
		{name: "git input with a github URL", opts: Options{LockFile: lock("git")}, tag: "v2025.11.21", source: "flake.lock input axios"},
		{name: "root's follows", opts: Options{LockFile: lock("follows")}, tag: "v2026.03.07", source: "flake.lock input axios"},
		{name: "lock without axios", opts: Options{LockFile: lock("none")}, tag: newest, source: "default (newest)",
			note: []string{"testdata/none.flake.lock has no kcalvelli/axios or kcalvelli/cairn input", "newest release axc knows, " + newest}},
		{name: "lookalike names (Kelvin sign, long s) are not the framework", opts: Options{LockFile: lock("lookalike")}, tag: newest, source: "default (newest)",
			warning: []string{`testdata/lookalike.flake.lock: input axios locks "\u212acalvelli/axios", input other locks "kcalvelli/axio\u017f", which is not kcalvelli/axios or kcalvelli/cairn (names are compared in ASCII)`, "newest release axc knows, " + newest}},
		{name: "root's input wins over an input's", opts: Options{LockFile: lock("two")}, tag: "v2026.03.07", source: "flake.lock input axios",
			note: []string{"also pinned by dotfiles/axios (kcalvelli/axios 7b16c5b)", "axc follows input axios"}},
		{name: "an input's input", opts: Options{LockFile: lock("transitive")}, tag: "v2025.11.19", source: "flake.lock input dotfiles/axios"},
		{name: "two inputs' inputs", opts: Options{LockFile: lock("ambiguous")},
			err: []string{"testdata/ambiguous.flake.lock: inputs pin different framework revs: desk/axios (kcalvelli/axios 7b16c5b), lap/axios (kcalvelli/axios feeb140)", "--axios"}},
		{name: "--axios overrides the lock", opts: Options{Flag: "v2025.11.08", LockFile: lock("release")}, tag: "v2025.11.08", source: "--axios"},
		{name: "--axios overrides a broken lock", opts: Options{Flag: "v2025.11.08", LockFile: lock("invalid")}, tag: "v2025.11.08", source: "--axios"},
		{name: "--axios rev prefix", opts: Options{Flag: "61cd5cf"}, tag: "v2025.12.11", source: "--axios"},
		{name: "--axios full rev", opts: Options{Flag: "61cd5cf77f3445bc9c5417a4d172e7df573a8af5"}, tag: "v2025.12.11", source: "--axios"},
		{name: "--axios untagged", opts: Options{Flag: "96990f9"}, tag: "96990f9", source: "--axios"},
		{name: "--axios unknown tag", opts: Options{Flag: "v9999.01.01", LockFile: lock("release")},
			err: []string{`--axios: unknown axios release "v9999.01.01"`, "v2025.11.08, v2025.11.13, v2025.11.18, v2025.11.19, v2025.11.21, 96990f9, v2025.12.04", "v2026.05.01"}},
		{name: "--axios short prefix", opts: Options{Flag: "61cd5c"}, err: []string{"at least 7 hex digits"}},
		{name: "invalid JSON", opts: Options{LockFile: lock("invalid")},
			err: []string{"testdata/invalid.flake.lock:6:9: invalid JSON: invalid character '\"' after object key:value pair"}},
		{name: "truncated JSON", opts: Options{LockFile: lock("truncated")},
			err: []string{"testdata/truncated.flake.lock:6:1: invalid JSON: unexpected end of JSON input"}},
		{name: "no lock file", opts: Options{LockFile: lock("missing")}, err: []string{"testdata/missing.flake.lock", "no such file"}},
		{name: "lock is a directory", opts: Options{LockFile: "testdata"}, err: []string{"testdata: not a regular file"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := tab.Choose(tc.opts)
			if len(tc.err) > 0 {
				if err == nil {
					t.Fatalf("no error; chose %+v", c)
				}
				for _, w := range tc.err {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not contain %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Release.Tag != tc.tag || c.Source != tc.source {
				t.Errorf("chose %s from %q, want %s from %q", c.Release.Tag, c.Source, tc.tag, tc.source)
			}
			check := func(what, got string, want []string) {
				if len(want) == 0 && got != "" {
					t.Errorf("unexpected %s %q", what, got)
				}
				for _, w := range want {
					if !strings.Contains(got, w) {
						t.Errorf("%s %q does not contain %q", what, got, w)
					}
				}
			}
			check("warning", c.Warning, tc.warning)
			check("note", c.Note, tc.note)
		})
	}
}

// --axios names an upstream commit: one the rev table shows to have a
// release's contract is checked as that release; one that approximates
// one is refused with the release to pass instead.
func TestChooseCommitFlag(t *testing.T) {
	tab, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		flag, tag string
		err       []string
	}{
		{flag: "73960e776b27ce217f3af2cfa687a96b2471ab14", tag: "v2025.11.13"},
		{flag: "73960E7", tag: "v2025.11.13"},
		{flag: "221ea017efb9", err: []string{"--axios: upstream commit 221ea017efb907ea7bf3fd3aac53c586de6dcd36 is no release axc knows, and differs from v2025.11.08 (mkSystem differs, options differ): pass --axios v2025.11.08"}},
		{flag: "3c3de95b028ffa0e8b2256a7ca858fdc806d59bd", err: []string{"differs from v2026.05.01", "pass --axios v2026.05.01"}},
		{flag: "1234567", err: []string{`unknown axios release "1234567"`}},
	} {
		c, err := tab.Choose(Options{Flag: tc.flag})
		if tc.err != nil {
			for _, w := range tc.err {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("--axios %s: error %v, want one containing %q", tc.flag, err, w)
				}
			}
			continue
		}
		if err != nil || c.Release.Tag != tc.tag || !c.Equal || c.Source != SourceFlag || c.Warning != "" {
			t.Errorf("--axios %s: chose %s (equal %v, source %q, warning %q), err %v; want %s", tc.flag, c.Release.Tag, c.Equal, c.Source, c.Warning, err, tc.tag)
		}
	}
}

// A flake.lock around a few nodes, written inline: root's inputs, then the
// other nodes.
func inlineLock(root string, nodes string) string {
	if nodes != "" {
		nodes = ", " + nodes
	}
	return `{"version": 7, "root": "root", "nodes": {"root": {"inputs": ` + root + `}` + nodes + `}}`
}

const axiosNode = `"axios": {"locked": {"type": "github", "owner": "kcalvelli", "repo": "axios", "rev": "93a81afef077bc7c9801f68cec0405b8c0944187", "lastModified": 1764868161}}`

func TestChooseBadLocks(t *testing.T) {
	tab := loadTable(t)
	newest := tab.Newest().Tag
	for _, tc := range []struct {
		name, data string
		err        string // substring; "" when the lock is fine
		tag        string
	}{
		{"fine", inlineLock(`{"axios": "axios"}`, axiosNode), "", "v2025.12.04"},
		{"not an object", `[]`, "x.lock:1:1: not a flake.lock: value is a JSON array, want an object", ""},
		{"nodes a list", `{"version": 7, "root": "root", "nodes": []}`, "x.lock:1:41: not a flake.lock: nodes is a JSON array, want an object", ""},
		{"no version", `{"root": "root", "nodes": {"root": {}}}`, "x.lock: not a flake.lock: no version", ""},
		{"old version", `{"version": 4, "root": "root", "nodes": {"root": {}}}`, "flake.lock version 4 is not supported", ""},
		{"no nodes", `{"version": 7, "root": "root"}`, "no nodes", ""},
		{"no root", `{"version": 7, "nodes": {"root": {}}}`, "no root", ""},
		{"root not a node", `{"version": 7, "root": "top", "nodes": {"root": {}}}`, `root node "top" is not in nodes`, ""},
		{"null node", `{"version": 7, "root": "root", "nodes": {"root": null}}`, `root node "root" is not in nodes`, ""},
		{"input a number", inlineLock(`{"axios": 1}`, ""), `node "root": input "axios" is a number, want a node name or a follows list`, ""},
		{"input null", inlineLock(`{"axios": null}`, ""), `input "axios" is null`, ""},
		{"input a mixed list", inlineLock(`{"axios": ["a", 1]}`, ""), `input "axios" is a list that is not all strings`, ""},
		{"input to no node", inlineLock(`{"axios": "axios_9"}`, ""), `input "axios" is node "axios_9", which is not in nodes`, ""},
		{"follows to no input", inlineLock(`{"nixpkgs": ["axios", "nixpkgs"]}`, ""), `node "root" has no input "axios"`, ""},
		{"follows itself", inlineLock(`{"a": ["a"]}`, ""), `input "a" follows itself`, ""},
		{"follows in a cycle", inlineLock(`{"a": ["b"], "b": ["a"]}`, ""), `follows itself`, ""},
		{"follows nothing", inlineLock(`{"a": [], "axios": "axios"}`, axiosNode), "", "v2025.12.04"},
		{"rev not a commit", inlineLock(`{"axios": "axios"}`, strings.Replace(axiosNode, "93a81afef077bc7c9801f68cec0405b8c0944187", "main", 1)),
			`input axios (node "axios") locks kcalvelli/axios at rev "main", not a commit id`, ""},
		{"unknown rev without lastModified", inlineLock(`{"axios": "axios"}`,
			`"axios": {"locked": {"type": "github", "owner": "kcalvelli", "repo": "axios", "rev": "fd3ea05d357b86ac00132165becda4236cf15811"}}`),
			"not a release axc knows, and has no locked.lastModified", ""},
		{"release rev without lastModified", inlineLock(`{"axios": "axios"}`,
			`"axios": {"locked": {"type": "github", "owner": "kcalvelli", "repo": "axios", "rev": "93a81afef077bc7c9801f68cec0405b8c0944187"}}`), "", "v2025.12.04"},
		{"unreachable node ignored", inlineLock(`{}`, axiosNode), "", newest},
		{"other owner ignored", inlineLock(`{"axios": "axios"}`, strings.Replace(axiosNode, `"kcalvelli"`, `"someone"`, 1)), "", newest},
		{"owner case", inlineLock(`{"axios": "axios"}`, strings.Replace(axiosNode, `"kcalvelli"`, `"KCalvelli"`, 1)), "", "v2025.12.04"},
		{"ssh git URL", inlineLock(`{"axios": "axios"}`,
			`"axios": {"locked": {"type": "git", "url": "ssh://git@github.com/kcalvelli/axios.git", "rev": "93a81afef077bc7c9801f68cec0405b8c0944187", "lastModified": 1764868161}}`), "", "v2025.12.04"},
		{"git URL elsewhere ignored", inlineLock(`{"axios": "axios"}`,
			`"axios": {"locked": {"type": "git", "url": "https://gitlab.com/kcalvelli/axios.git", "rev": "93a81afef077bc7c9801f68cec0405b8c0944187", "lastModified": 1764868161}}`), "", newest},
		{"two root inputs at different revs", inlineLock(`{"axios": "axios", "cairn": "cairn"}`, axiosNode+
			`, "cairn": {"locked": {"type": "github", "owner": "kcalvelli", "repo": "cairn", "rev": "0b4b6cb380c6b8332eed52076da5c69809a32423", "lastModified": 1777642997}}`),
			"inputs pin different framework revs: axios (kcalvelli/axios 93a81af), cairn (kcalvelli/cairn 0b4b6cb)", ""},
		{"two root inputs at one rev", inlineLock(`{"axios": "axios", "other": "axios_2"}`, axiosNode+", "+strings.Replace(axiosNode, `"axios": {`, `"axios_2": {`, 1)),
			"", "v2025.12.04"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := tab.chooseFromLock("x.lock", []byte(tc.data))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got %+v, %v; want an error containing %q", c, err, tc.err)
				}
				if !strings.HasPrefix(err.Error(), "x.lock") {
					t.Errorf("error %q does not name the file", err)
				}
				return
			}
			if err != nil || c.Release.Tag != tc.tag {
				t.Fatalf("got %s, %v; want %s", c.Release.Tag, err, tc.tag)
			}
		})
	}
}

func TestFindLock(t *testing.T) {
	root := t.TempDir()
	// The temporary directory must not sit inside a flake or repository.
	if got, err := FindLock(root); err != nil || got != "" {
		t.Skipf("%s is inside a flake or repository (FindLock = %q, %v)", root, got, err)
	}
	mk := func(rel ...string) {
		for _, r := range rel {
			p := filepath.Join(root, r)
			if strings.HasSuffix(r, "/") {
				if err := os.MkdirAll(p, 0o755); err != nil {
					t.Fatal(err)
				}
				continue
			}
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	mk("beside/flake.nix", "beside/flake.lock",
		"above/flake.nix", "above/flake.lock", "above/hosts/web/",
		"git/flake.lock", "git/repo/.git/", "git/repo/hosts/",
		"gitfile/flake.lock", "gitfile/wt/.git", "gitfile/wt/hosts/",
		"unlocked/flake.lock", "unlocked/sub/flake.nix", "unlocked/sub/hosts/",
		"lockonly/flake.lock", "lockonly/a/b/",
		"cuemod/flake.lock", "cuemod/sub/cue.mod/", "cuemod/sub/hosts/",
		"nothing/a/b/")
	for _, tc := range []struct{ dir, want string }{
		{"beside", "beside/flake.lock"},
		{"above/hosts/web", "above/flake.lock"},
		{"above/hosts/web/../..", "above/flake.lock"},
		{"git/repo/hosts", ""},     // .git: the top of a repository
		{"gitfile/wt/hosts", ""},   // .git file: a worktree
		{"unlocked/sub/hosts", ""}, // flake.nix without flake.lock
		{"lockonly/a/b", "lockonly/flake.lock"},
		{"cuemod/sub/hosts", "cuemod/flake.lock"}, // a CUE module is nothing to Nix
		{"nothing/a/b", ""},
	} {
		got, err := FindLock(filepath.Join(root, tc.dir))
		want := ""
		if tc.want != "" {
			want = filepath.Join(root, tc.want)
		}
		if err != nil || got != want {
			t.Errorf("FindLock(%s) = %q, %v; want %q", tc.dir, got, err, want)
		}
		// One stop rule: the lock is the one at the top of the flake the
		// directory belongs to, or none.
		repo, err := reporoot.FindWith(filepath.Join(root, tc.dir), reporoot.FlakeMarkers)
		_, statErr := os.Stat(filepath.Join(repo, "flake.lock"))
		if err != nil || (got != "" && got != filepath.Join(repo, "flake.lock")) || (got == "" && repo != "" && statErr == nil) {
			t.Errorf("FindLock(%s) = %q, but the repository is %q (%v)", tc.dir, got, repo, err)
		}
	}
	if _, err := FindLock(filepath.Join(root, "missing")); err == nil {
		t.Error("FindLock(missing dir): no error")
	}
	if _, err := FindLock(filepath.Join(root, "beside/flake.nix")); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("FindLock(file): %v", err)
	}
	// A relative directory is taken from the working directory.
	t.Chdir(filepath.Join(root, "above/hosts"))
	if got, err := FindLock("web"); err != nil || got != filepath.Join(root, "above/flake.lock") {
		t.Errorf("FindLock(relative) = %q, %v", got, err)
	}
}

// A value of the wrong type is reported at its start.
func TestLockTypeErrors(t *testing.T) {
	tab := loadTable(t)
	for _, tc := range []struct{ value, want string }{
		{`"1764\"868161"`, "lastModified is a JSON string, want an integer"},
		{`1.5e9`, "lastModified is a JSON number 1.5e9, want an integer"},
		{`-1e99`, "lastModified is a JSON number -1e99, want an integer"},
		{`true`, "lastModified is a JSON bool, want an integer"},
		{`[1]`, "lastModified is a JSON array, want an integer"},
		{`{"a": 1}`, "lastModified is a JSON object, want an integer"},
	} {
		data := "{\n" + inlineLock(`{"axios": "axios"}`, strings.Replace(axiosNode, "1764868161", tc.value, 1))[1:]
		col := strings.Index(data, tc.value) - strings.Index(data, "\n")
		want := fmt.Sprintf("x.lock:2:%d: not a flake.lock: %s", col, tc.want)
		if _, err := tab.chooseFromLock("x.lock", []byte(data)); err == nil || err.Error() != want {
			t.Errorf("lastModified %s: got %v, want %s", tc.value, err, want)
		}
	}
}

func TestLineCol(t *testing.T) {
	data := []byte("ab\ncd\n\nef")
	for _, tc := range []struct {
		off       int64
		line, col int
	}{{-5, 1, 1}, {0, 1, 1}, {1, 1, 2}, {2, 1, 3}, {3, 2, 1}, {6, 3, 1}, {7, 4, 1}, {9, 4, 3}, {100, 4, 3}} {
		if l, c := lineCol(data, tc.off); l != tc.line || c != tc.col {
			t.Errorf("lineCol(%d) = %d:%d, want %d:%d", tc.off, l, c, tc.line, tc.col)
		}
	}
}

// TestEqualFoldASCII: identity ignores ASCII case only; the Kelvin sign
// and the long s, which Unicode case folding takes for k and s, are other
// letters.
func TestEqualFoldASCII(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"kcalvelli", "KCalvelli", true},
		{"axios", "AXIOS", true},
		{"kcalvelli", "\u212acalvelli", false},
		{"axios", "axio\u017f", false},
		{"axios", "axio", false},
		{"", "", true},
	} {
		if got := equalFoldASCII(tc.a, tc.b); got != tc.want {
			t.Errorf("equalFoldASCII(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
		if strings.EqualFold(tc.a, tc.b) != tc.want && tc.want {
			t.Errorf("%q and %q: ASCII folding is not a subset of Unicode folding", tc.a, tc.b)
		}
	}
}
