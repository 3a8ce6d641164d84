package load

import (
	"strings"
	"testing"

	"cuelang.org/go/cue/parser"
)

// reachedFiles follows a change to every file that refers to what it
// reaches, transitively, and to no file that does not.
func TestReachedFiles(t *testing.T) {
	sources := map[string][]byte{
		"/p/shared.cue": []byte("package hosts\n\n_tz: extraConfig: axios: system: timeZone: \"UTC\"\n_admins: [\"bob\"]\n"),
		"/p/base.cue":   []byte("package hosts\n\n_web: _tz & {modules: desktop: true}\n"),
		"/p/web.cue":    []byte("package hosts\n\nweb: _web & {users: _admins}\n"),
		"/p/db.cue":     []byte("package hosts\n\ndb: {modules: desktop: true, users: [\"alice\"]}\n"),
		"/p/label.cue":  []byte("package hosts\n\nmail: {(_key): 1}\n"),
		"/p/split.cue":  []byte("package hosts\n\ndb: hardware: cpu: \"amd\"\n"),
		"/p/broken.cue": []byte("package hosts\n\nx: _tz &\n"),
	}
	set := func(names ...string) map[string]bool {
		m := map[string]bool{}
		for _, n := range names {
			m["/p/"+n] = true
		}
		return m
	}
	for _, tc := range []struct {
		name       string
		named      map[string]bool
		gone, strs []string
		want       map[string]bool
	}{
		// Changing _tz reaches base.cue (refers to it), then web.cue (refers
		// to _web), and broken.cue (which does not parse: its errors are
		// the package's).
		{"shared", set("shared.cue"), nil, nil, set("shared.cue", "base.cue", "web.cue", "broken.cue")},
		// A host nothing refers to reaches itself.
		{"db", set("db.cue"), nil, nil, set("db.cue")},
		// A name gone: files that refer to it, or declare it too.
		{"gone _key", nil, []string{"_key"}, nil, set("label.cue")},
		{"gone db", nil, []string{"db"}, nil, set("db.cue", "split.cue")},
		// A user renamed: the files that hold it as a string, and those
		// that refer to what such a file declares.
		{"user bob", nil, nil, []string{"bob"}, set("shared.cue", "base.cue", "web.cue", "broken.cue")},
		{"user alice", nil, nil, []string{"alice"}, set("db.cue")},
		{"nothing", nil, []string{"nobody"}, []string{"nobody"}, set()},
	} {
		got := reachedFiles(tc.named, sources, tc.gone, tc.strs, nil)
		if len(got) != len(tc.want) {
			t.Errorf("%s: reached %v, want %v", tc.name, got, tc.want)
			continue
		}
		for f := range tc.want {
			if !got[f] {
				t.Errorf("%s: reached %v, want %v", tc.name, got, tc.want)
			}
		}
	}
}

// FuzzReachedFiles: whatever another file of the package holds, the named
// file is reached, and the other file is reached when it refers to a name
// the named file declares (as the parser reads it), or holds the user's
// name as a string; reachedFiles never fails.
//
//	go test ./internal/load -run '^$' -fuzz FuzzReachedFiles
func FuzzReachedFiles(f *testing.F) {
	for _, seed := range []string{
		"web: _tz & {users: [\"bob\"]}",
		"x: {(_tz): 1}",
		"x: \"\\(_tz)\"",
		"[N=string]: _tz",
		"for k, v in _tz {(k): v}",
		"_tz: 1",
		"x: a._tz",
		"x: {_tz: 1, y: _tz}",
		"x: \"b\\(\"o\")b\"",
		"x: '''\n\tbob\n\t'''",
		"x: #\"bob\"#",
		"x: _tz &",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, other string) {
		sources := map[string][]byte{
			"/p/named.cue": []byte("package hosts\n\n_tz: extraConfig: axios: system: timeZone: \"UTC\"\n"),
			"/p/other.cue": []byte("package hosts\n\n" + other),
		}
		got := reachedFiles(map[string]bool{"/p/named.cue": true}, sources, nil, []string{"bob"}, nil)
		if !got["/p/named.cue"] {
			t.Fatal("the named file is not reached")
		}
		file, err := parser.ParseFile("/p/other.cue", sources["/p/other.cue"])
		if err != nil {
			if !got["/p/other.cue"] && (strings.Contains(other, "_tz") || strings.Contains(other, "bob")) {
				t.Fatalf("a file that does not parse and holds a name is not reached:\n%s", other)
			}
			return
		}
		refers := refersTo(file, map[string]bool{"_tz": true})
		holds := holdsString(file, []string{"bob"})
		if (refers || holds) && !got["/p/other.cue"] {
			t.Fatalf("other.cue refers to _tz (%v) or holds \"bob\" (%v), but is not reached:\n%s", refers, holds, other)
		}
	})
}
