package load

import (
	"os"
	"path/filepath"
	"testing"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/build"

	"github.com/axc-dev/axc/schema"
)

// A SchemaCache parses the schema once for loads of many packages, and
// the hosts loaded with it are the hosts loaded without.
func TestSchemaCacheKeepsTheSchema(t *testing.T) {
	fsys, err := schema.Release("96990f9")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "hosts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a.cue"), []byte("package hosts\n\na: {hardware: cpu: \"amd\", formFactor: \"laptop\"}\nb: hardwre: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	load := func(sc *SchemaCache) map[string]string {
		l, err := NewWithSchema(fsys)
		if err != nil {
			t.Fatal(err)
		}
		if sc != nil {
			l.SetSchemaCache(sc)
		}
		res, err := l.Load([]string{dir})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		res.Each(func(i int, h *Host, v cue.Value) {
			out[h.Name] = "ok"
			if err := v.Validate(); err != nil {
				out[h.Name] = err.Error()
			}
		})
		return out
	}
	want := load(nil)
	sc := NewSchemaCache()
	var first *SchemaCache
	for i := range 2 {
		got := load(sc)
		if len(got) != 2 || got["a"] != want["a"] || got["b"] != want["b"] {
			t.Errorf("load %d with the cache: %q, without: %q", i, got, want)
		}
		if len(sc.insts) != 1 {
			t.Fatalf("load %d: the cache holds %d schema instances, want 1", i, len(sc.insts))
		}
		if i == 0 {
			first = &SchemaCache{insts: map[schemaKey]*build.Instance{}}
			for k, v := range sc.insts {
				first.insts[k] = v
			}
			continue
		}
		for k, v := range sc.insts {
			if first.insts[k] != v {
				t.Errorf("the second load parsed the schema again")
			}
		}
	}
}
