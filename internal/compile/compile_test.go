package compile_test

import (
	"bytes"
	"cuelang.org/go/cue"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/axc-dev/axc/internal/compile"
	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/load/loadtest"
	"github.com/axc-dev/axc/internal/nix/nixtest"
	"github.com/axc-dev/axc/internal/vet"
)

// inputs are the host sets every generated file is checked for, with the
// release each is written for: the shipped hosts (the newest release), the
// example fleet of the pinned commit, and the test suite's own.
var inputs = []struct{ dir, release string }{
	{"../../examples/fleet/hosts", "v2026.05.01"},
	{"../../testdata/fleet-2025.11/hosts", "96990f9"},
	{"../../testdata/build", "96990f9"},
}

func loadValid(t *testing.T, dir, release string) (*load.Loader, *load.Result) {
	t.Helper()
	l, res := loadtest.Load(t, release, dir)
	if ds := vet.Check(l, res, nil); vet.HasErrors(ds, false) {
		t.Fatalf("%s does not vet: %v", dir, ds)
	}
	if len(res.Hosts) == 0 {
		t.Fatalf("%s: no hosts", dir)
	}
	return l, res
}

func TestGeneratedNixEvaluatesToCUEExport(t *testing.T) {
	nixtest.Require(t)
	for _, in := range inputs {
		l, res := loadValid(t, in.dir, in.release)
		out := t.TempDir()
		c, err := compile.New(out, l.SchemaFS())
		if err != nil {
			t.Fatal(err)
		}
		type built struct {
			data, export []byte
			err          error
			problems     []compile.Problem
		}
		outs := make([]built, len(res.Hosts))
		res.Each(func(i int, h *load.Host, v cue.Value) {
			o := &outs[i]
			o.data, o.problems, o.err = c.Host(h, v, "test")
			if o.err == nil {
				o.export, o.err = v.MarshalJSON() // what cue export prints for the host
			}
		})
		for i, h := range res.Hosts {
			data, js := outs[i].data, outs[i].export
			if err, problems := outs[i].err, failures(outs[i].problems); err != nil || len(problems) > 0 {
				t.Fatal(err, problems)
			}
			file := filepath.Join(out, compile.HostFile(h.Name))
			os.MkdirAll(filepath.Dir(file), 0o755)
			if err := os.WriteFile(file, data, 0o644); err != nil {
				t.Fatal(err)
			}
			nixtest.Parse(t, file)
			got, err := nixtest.HostConfig(t.Context(), file)
			if err != nil {
				t.Fatal(err)
			}
			// Build writes what the author set: the written fields mean in
			// Nix what cue export says, and the others are the schema's
			// defaults (nixtest.Defaulted).
			orig := decode(t, js).(map[string]any)
			want := nixtest.KeepWritten(orig, got)
			if diff := nixtest.CompareExport(t.Context(), want, got, h.Dir, filepath.Dir(file)); diff != "" {
				t.Errorf("%s/%s: Nix and cue export differ: %s\nfile:\n%s", in.dir, h.Name, diff, data)
			}
			again, err := nixtest.Defaulted(l.SchemaFS(), h.Dir, h.Name, want.(map[string]any))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(again, any(orig)) {
				t.Errorf("%s/%s: what build left out is not the schema's defaults:\nwritten, defaulted again: %v\ncue export: %v", in.dir, h.Name, again, orig)
			}
		}
	}
}

// failures are the problems that are not warnings: the hosts of testdata
// name their files in the repository, outside the temporary output
// directory, which is a warning.
func failures(ps []compile.Problem) []compile.Problem {
	var out []compile.Problem
	for _, p := range ps {
		if !p.Warning {
			out = append(out, p)
		}
	}
	return out
}

func decode(t *testing.T, js []byte) any {
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestBuildIsDeterministic(t *testing.T) {
	for _, in := range inputs {
		var first map[string][]byte
		for run := 0; run < 2; run++ {
			l, res := loadValid(t, in.dir, in.release)
			c, err := compile.New(t.TempDir(), l.SchemaFS())
			if err != nil {
				t.Fatal(err)
			}
			files := map[string][]byte{}
			var mu sync.Mutex
			res.Each(func(_ int, h *load.Host, v cue.Value) {
				data, problems, err := c.Host(h, v, "test")
				if problems = failures(problems); err != nil || len(problems) > 0 || data == nil {
					t.Error(h.Name, err, problems)
				}
				mu.Lock()
				files[h.Name] = data
				mu.Unlock()
			})
			if run == 0 {
				first = files
				continue
			}
			for name, data := range files {
				if !bytes.Equal(first[name], data) {
					t.Errorf("%s/%s: two builds differ", in.dir, name)
				}
			}
		}
	}
}
