package nixtest

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strings"
)

// Prelude gives generated host files what they need to evaluate without
// nixpkgs: a lib with the functions the tests' raw values use, and conv,
// which turns path values into "path:/abs" strings (evaluating a path to JSON
// would copy it to the Nix store).
const Prelude = `let
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

// HostConfig evaluates the hostConfig of a generated hosts/NAME.nix file.
func HostConfig(ctx context.Context, file string) (any, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	return Eval(ctx, Prelude+fmt.Sprintf("conv (import %s { inherit lib; }).hostConfig", abs), filepath.Dir(abs))
}

// UserModule evaluates a generated users/NAME.nix file: the NixOS module
// applied to no arguments.
func UserModule(ctx context.Context, file string) (any, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	return Eval(ctx, Prelude+fmt.Sprintf("conv (import %s { inherit lib; })", abs), filepath.Dir(abs))
}

// CompareExport compares what cue export gives for a host (want, decoded
// with json.Number) with what Nix made of the generated file (got), and
// describes the first difference, or returns "". Relative path strings must
// be Nix paths to the same file (relative to baseDir, the host's source
// directory); {$nix: X} must equal what Nix makes of X on its own in
// rawDir, the generated file's directory, where its text stands; floats
// compare to the 6 significant digits Nix 2.8 prints.
func CompareExport(ctx context.Context, want, got any, baseDir, rawDir string) string {
	return compare(ctx, want, got, baseDir, rawDir, "hostConfig")
}

// EvalRaw is what Nix makes of a raw value on its own, with Prelude, in dir.
func EvalRaw(ctx context.Context, raw, dir string) (any, error) {
	// A line break before the ): a trailing comment must not swallow it.
	return Eval(ctx, Prelude+"conv (\n"+raw+"\n)", dir)
}

// RawOf is the text of v when v is a {$nix: "…"} value.
func RawOf(v any) (string, bool) {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return "", false
	}
	s, ok := m["$nix"].(string)
	return s, ok
}

func compare(ctx context.Context, want, got any, baseDir, rawDir, at string) string {
	switch w := want.(type) {
	case map[string]any:
		if raw, ok := RawOf(w); ok {
			rawWant, err := EvalRaw(ctx, raw, rawDir)
			if err != nil {
				return fmt.Sprintf("%s: raw %q does not evaluate on its own, but the host does (as %v): %v", at, raw, got, err)
			}
			if fmt.Sprint(rawWant) != fmt.Sprint(got) {
				return fmt.Sprintf("%s: raw %q: want %v, got %v", at, raw, rawWant, got)
			}
			return ""
		}
		g, ok := got.(map[string]any)
		if !ok || len(g) != len(w) {
			return fmt.Sprintf("%s: want %v, got %v", at, w, got)
		}
		keys := make([]string, 0, len(w))
		for k := range w {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if _, ok := g[k]; !ok {
				return fmt.Sprintf("%s: want key %q, got %v", at, k, got)
			}
			if d := compare(ctx, w[k], g[k], baseDir, rawDir, at+"."+k); d != "" {
				return d
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return fmt.Sprintf("%s: want %v, got %v", at, w, got)
		}
		for i := range w {
			if d := compare(ctx, w[i], g[i], baseDir, rawDir, fmt.Sprintf("%s.%d", at, i)); d != "" {
				return d
			}
		}
	case string:
		if g, ok := got.(string); ok && strings.HasPrefix(g, "path:") {
			if !strings.HasPrefix(w, "./") && !strings.HasPrefix(w, "../") {
				return fmt.Sprintf("%s: %q became a path", at, w)
			}
			if target := filepath.Join(baseDir, w); target != strings.TrimPrefix(g, "path:") {
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
