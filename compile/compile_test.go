package compile_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"axc.dev/axc/compile"
	"axc.dev/axc/internal/load"
	"axc.dev/axc/internal/nix/nixtest"
	"axc.dev/axc/internal/vet"
)

// inputs are the host sets every generated file is checked for: the shipped
// hosts and the test suite's own.
var inputs = []string{"../hosts", "../testdata/build"}

// nixPrelude gives the generated files what they need to evaluate without
// nixpkgs: a lib with the functions raw values in the tests use, and a
// conversion that turns path values into "path:/abs" strings (evaluating a
// path to JSON would copy it to the Nix store).
const nixPrelude = `let
  lib = {
    mkForce = v: { _type = "override"; content = v; priority = 50; };
    mkDefault = v: { _type = "override"; content = v; priority = 1000; };
  };
  conv = v:
    if builtins.isPath v then "path:" + toString v
    else if builtins.isAttrs v then builtins.mapAttrs (_: conv) v
    else if builtins.isList v then map conv v
    else v;
in `

func loadValid(t *testing.T, dir string) *load.Result {
	t.Helper()
	l, err := load.New()
	if err != nil {
		t.Fatal(err)
	}
	res, err := l.Load([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if ds := vet.Check(l, res); vet.HasErrors(ds, false) {
		t.Fatalf("%s does not vet: %v", dir, ds)
	}
	if len(res.Hosts) == 0 {
		t.Fatalf("%s: no hosts", dir)
	}
	return res
}

func TestGeneratedNixEvaluatesToCUEExport(t *testing.T) {
	nixtest.Require(t)
	for _, in := range inputs {
		res := loadValid(t, in)
		out := t.TempDir()
		c, err := compile.New(out)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hosts {
			data, err := c.Host(h, "test")
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(out, compile.HostFile(h.Name))
			os.MkdirAll(filepath.Dir(file), 0o755)
			if err := os.WriteFile(file, data, 0o644); err != nil {
				t.Fatal(err)
			}
			nixtest.Parse(t, file)
			got := nixtest.EvalJSON(t, nixPrelude+fmt.Sprintf("conv (import %s { inherit lib; userModulePath = null; }).hostConfig", file), out)

			js, err := h.Value.MarshalJSON() // what cue export prints for the host
			if err != nil {
				t.Fatal(err)
			}
			want := decode(t, js)
			if diff := compare(t, h, out, want, got, h.Name); diff != "" {
				t.Errorf("%s/%s: Nix and cue export differ: %s\nfile:\n%s", in, h.Name, diff, data)
			}
		}
	}
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

// compare walks the cue export value and the Nix value together. Paths are
// compared as the files they point to; {$nix: X} is compared with what Nix
// makes of X; floats with the 6 significant digits Nix 2.8 prints.
func compare(t *testing.T, h *load.Host, out string, want, got any, at string) string {
	switch w := want.(type) {
	case map[string]any:
		if raw, ok := w["$nix"].(string); ok && len(w) == 1 {
			want = nixtest.EvalJSON(t, nixPrelude+"conv ("+raw+")", out)
			if fmt.Sprint(want) != fmt.Sprint(got) {
				return fmt.Sprintf("%s: raw %q: want %v, got %v", at, raw, want, got)
			}
			return ""
		}
		g, ok := got.(map[string]any)
		if !ok || len(g) != len(w) {
			return fmt.Sprintf("%s: want %v, got %v", at, w, got)
		}
		for k, wv := range w {
			if d := compare(t, h, out, wv, g[k], at+"."+k); d != "" {
				return d
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return fmt.Sprintf("%s: want %v, got %v", at, w, got)
		}
		for i := range w {
			if d := compare(t, h, out, w[i], g[i], fmt.Sprintf("%s.%d", at, i)); d != "" {
				return d
			}
		}
	case string:
		if g, ok := got.(string); ok && strings.HasPrefix(g, "path:") {
			if !strings.HasPrefix(w, "./") && !strings.HasPrefix(w, "../") {
				return fmt.Sprintf("%s: %q became a path", at, w)
			}
			if target := filepath.Join(h.Dir, w); target != strings.TrimPrefix(g, "path:") {
				return fmt.Sprintf("%s: %q points to %s, want %s", at, w, g, target)
			}
			return ""
		}
		if got != w {
			return fmt.Sprintf("%s: want %q, got %v", at, w, got)
		}
	case json.Number:
		g, ok := got.(json.Number)
		if !ok {
			return fmt.Sprintf("%s: want %v, got %v", at, w, got)
		}
		if strings.ContainsAny(string(w), ".eE") {
			wf, _ := w.Float64()
			gf, _ := g.Float64()
			if math.Abs(wf-gf) > 1e-5*math.Max(1, math.Abs(wf)) {
				return fmt.Sprintf("%s: want %v, got %v", at, w, g)
			}
			return ""
		}
		if w != g {
			return fmt.Sprintf("%s: want %v, got %v", at, w, g)
		}
	default:
		if want != got {
			return fmt.Sprintf("%s: want %v, got %v", at, want, got)
		}
	}
	return ""
}

func TestBuildIsDeterministic(t *testing.T) {
	for _, in := range inputs {
		var first map[string][]byte
		for run := 0; run < 2; run++ {
			res := loadValid(t, in)
			c, err := compile.New(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			files := map[string][]byte{}
			for _, h := range res.Hosts {
				data, err := c.Host(h, "test")
				if err != nil {
					t.Fatal(err)
				}
				files[h.Name] = data
			}
			if run == 0 {
				first = files
				continue
			}
			for name, data := range files {
				if !bytes.Equal(first[name], data) {
					t.Errorf("%s/%s: two builds differ", in, name)
				}
			}
		}
	}
}
