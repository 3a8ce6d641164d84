package load

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/axc-dev/axc/internal/safeio"
)

func TestTopLevelLabels(t *testing.T) {
	for _, tc := range []struct {
		src     string
		labels  []string
		complex bool
	}{
		{"package hosts\n\nimport \"axc.dev/axc/schema\"\n\nweb: {a: 1}\n\"db-1\": x: 2\n_base: {}\n#D: int\nlet x = 1\nopt?: 1\nreq!: 2\n", []string{"web", "db-1", "_base", "#D", "opt", "req"}, false},
		{"package hosts\n\nimport (\n\t\"a.b/c\"\n)\n\nweb: {s: \"x \\(1 + len(\"y)\")) z\"}\n", []string{"web"}, false},
		{"package hosts\n\n[Name=string]: {hostname: Name}\nweb: {}\n", []string{"web"}, false},
		{"package hosts\n\nfor n in [\"a\"] {(n): {}}\n", nil, true},
		{"package hosts\n\nif true {a: 1}\n", nil, true},
		{"package hosts\n\n_base\n", nil, true},
		{"package hosts\n\n_base & {a: 1}\n", nil, true},
		{"package hosts\n\n{a: 1}\n", nil, true},
		{"package hosts\n\n\"\\(x)\": 1\n", nil, true},
		{"package hosts\n\n(x): 1\n", nil, true},
		{"package hosts\n\nweb: {\n", []string{"web"}, false}, // unbalanced: the parser says
		{"package hosts\n\nweb: \"unterminated\n", nil, true},
		{"package hosts\n\nweb: #\"raw \\#(x) \"#\n", []string{"web"}, false},
		{"package hosts\n\na: b: c: 1\nd: \"\"\"\n\tx: 1\n\t\"\"\"\n", []string{"a", "d"}, false},
		{"package hosts\n\n@attr()\nweb: 1 @field()\n", []string{"web"}, false},
	} {
		labels, patterns, complex := topLevelLabels("f.cue", []byte(tc.src))
		wantPatterns := strings.Contains(tc.src, "\n[")
		if complex != tc.complex || patterns != wantPatterns || (!complex && !slices.Equal(labels, tc.labels)) {
			t.Errorf("%q: labels %q patterns %v complex %v, want %q %v %v", tc.src, labels, patterns, complex, tc.labels, wantPatterns, tc.complex)
		}
	}
}

// A one-file vet loads the file, the files its hosts need, and the files
// that could touch any host; not the others.
func TestFileSubset(t *testing.T) {
	sources := map[string][]byte{
		"/p/web.cue":     []byte("package hosts\n\nweb: _tz & #Laptop & {hardware: {}}\n"),
		"/p/shared.cue":  []byte("package hosts\n\n_tz: extraConfig: axios: system: timeZone: _zone\n#Laptop: {formFactor: \"laptop\"}\n"),
		"/p/zone.cue":    []byte("package hosts\n\n_zone: \"UTC\"\n"),
		"/p/split.cue":   []byte("package hosts\n\nweb: modules: gaming: true\ndb: {}\n"),
		"/p/pattern.cue": []byte("package hosts\n\n[N=string]: {hostname: *N | _}\n"),
		"/p/other.cue":   []byte("package hosts\n\ndb: _tz\nmail: {}\n"),
		"/p/unused.cue":  []byte("package hosts\n\n_unused: 1\n"),
	}
	got := fileSubset(map[string]bool{"/p/web.cue": true}, sources, nil)
	want := []string{"/p/pattern.cue", "/p/shared.cue", "/p/split.cue", "/p/web.cue", "/p/zone.cue"}
	if !slices.Equal(got, want) {
		t.Errorf("fileSubset = %q, want %q", got, want)
	}
}

// The names a users directory declares, without evaluating it.
func TestDeclaredNames(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{
		"users.cue":  "package users\n\nimport \"axc.dev/axc/schema\"\n\n[Name=string]: schema.#User\n",
		"a.cue":      "package users\n\nalice: {fullName: \"A\"}\n_shared: {}\n#Admin: {isAdmin: true}\n\"bob-2\": _shared\n\"_svc\": {}\n",
		"carol.json": "{}",
		"dave.yaml":  "fullName: D\n",
		"_x.cue":     "package users\n\nhidden: {}\n",
		"notes.txt":  "eve",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	names, complete, err := DeclaredNames(safeio.Disk, dir)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(names)
	if want := []string{"_svc", "alice", "bob-2", "carol", "dave"}; !slices.Equal(names, want) || !complete {
		t.Errorf("DeclaredNames = %q, %v; want %q, true", names, complete, want)
	}
	if err := os.WriteFile(filepath.Join(dir, "gen.cue"), []byte("package users\n\nfor n in [\"x\"] {(n): {}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, complete, _ := DeclaredNames(safeio.Disk, dir); complete {
		t.Errorf("a comprehension at the top: complete, want not")
	}
}
