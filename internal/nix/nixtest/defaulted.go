package nixtest

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"cuelang.org/go/cue"

	"github.com/axc-dev/axc/internal/load"
)

// Build writes what the author set, not the release's defaults. Tests of
// its Nix keep that honest in two steps: KeepWritten restricts cue export
// to what was written, which must evaluate alike in Nix (CompareExport);
// and Defaulted checks the written fields against the schema again, which
// must give the whole export back: what was left out are defaults.

// KeepWritten is want restricted to the attributes got has, recursively
// (a {$nix: …} value or a non-attrset is kept whole).
func KeepWritten(want, got any) any {
	w, ok := want.(map[string]any)
	g, gok := got.(map[string]any)
	if !ok || !gok {
		return want
	}
	if _, raw := RawOf(w); raw {
		return want
	}
	out := map[string]any{}
	for k, v := range w {
		if gv, ok := g[k]; ok {
			out[k] = KeepWritten(v, gv)
		}
	}
	return out
}

// DeepCopy copies decoded JSON.
func DeepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[k] = DeepCopy(x)
		}
		return m
	case []any:
		l := make([]any, len(v))
		for i, x := range v {
			l[i] = DeepCopy(x)
		}
		return l
	}
	return v
}

// Defaulted checks host (plain data, as cue export gives it) against the
// schema fsys as a JSON host named name in dir (relative paths keep their
// meaning) and returns what cue export gives for it, decoded with
// json.Number.
func Defaulted(fsys fs.FS, dir, name string, host map[string]any) (any, error) {
	tmp, err := os.MkdirTemp(dir, ".nixeq")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	// The file sits one directory lower: its relative paths climb one more.
	data, err := json.Marshal(rebaseRelative(host, true))
	if err != nil {
		return nil, err
	}
	file := filepath.Join(tmp, name+".json")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		return nil, err
	}
	l, err := load.NewWithSchema(fsys)
	if err != nil {
		return nil, err
	}
	l.SetKind(load.Hosts)
	res, err := l.Load([]string{file})
	if err != nil {
		return nil, err
	}
	if res.Errors != nil || len(res.Hosts) != 1 {
		return nil, fmt.Errorf("%s: %d hosts, errors %v", file, len(res.Hosts), res.Errors)
	}
	var out any
	res.Each(func(i int, h *load.Host, v cue.Value) {
		var js []byte
		if js, err = v.MarshalJSON(); err == nil {
			dec := json.NewDecoder(strings.NewReader(string(js)))
			dec.UseNumber()
			err = dec.Decode(&out)
		}
	})
	if err != nil {
		return nil, err
	}
	return rebaseRelative(out, false), nil
}

// rebaseRelative makes every string that is a relative path ("./x",
// "../x") climb one directory more (down), or one less (!down).
func rebaseRelative(v any, down bool) any {
	switch v := v.(type) {
	case map[string]any:
		if _, raw := RawOf(v); raw {
			return v
		}
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[k] = rebaseRelative(x, down)
		}
		return m
	case []any:
		l := make([]any, len(v))
		for i, x := range v {
			l[i] = rebaseRelative(x, down)
		}
		return l
	case string:
		switch {
		case down && (strings.HasPrefix(v, "./") || strings.HasPrefix(v, "../")):
			return "../" + strings.TrimPrefix(v, "./")
		case !down && strings.HasPrefix(v, "../"):
			rest := strings.TrimPrefix(v, "../")
			if !strings.HasPrefix(rest, "../") {
				rest = "./" + rest
			}
			return rest
		}
	}
	return v
}
