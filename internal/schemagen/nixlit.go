package schemagen

import (
	"math"

	"github.com/axc-dev/axc/internal/nix/syntax"
)

// ParseNixLiteral parses the text of a Nix expression that is plain data:
// strings without interpolation (indented ones too), numbers, booleans,
// null, lists and attribute sets of those. It returns the value as
// encoding/json would decode it (string, int64, float64, bool, nil, []any,
// map[string]any); ok is false when the text is anything else (a function
// call, a reference, an interpolation, a path) or is not Nix. It reads the
// text with axc's Nix parser, so that a string means what Nix makes of it
// (escapes, the indentation of ” strings).
func ParseNixLiteral(text string) (v any, ok bool) {
	f, err := syntax.Parse("", []byte(text))
	if err != nil {
		return nil, false
	}
	return nixData(f.Expr)
}

// nixData is the value of e when e is plain data.
func nixData(e syntax.Expr) (any, bool) {
	switch e := e.(type) {
	case *syntax.Paren:
		return nixData(e.X)
	case *syntax.String:
		var s []byte
		for _, p := range e.Parts {
			t, ok := p.(*syntax.Text)
			if !ok {
				return nil, false // an interpolation: code, not data
			}
			s = append(s, t.Value...)
		}
		return string(s), true
	case *syntax.URI:
		return e.Value, true // a string in Nix
	case *syntax.Int:
		return e.Value, true
	case *syntax.Float:
		if math.IsInf(e.Value, 0) || math.IsNaN(e.Value) {
			return nil, false // no JSON for it
		}
		return e.Value, true
	case *syntax.Unary:
		if e.Op != "-" {
			return nil, false
		}
		switch x := e.X.(type) {
		case *syntax.Int:
			return -x.Value, true // a literal is at most 2^63-1
		case *syntax.Float:
			return nixData(&syntax.Float{Value: -x.Value})
		}
	case *syntax.Ident:
		// At the top of an expression these are the builtins.
		switch e.Name {
		case "true":
			return true, true
		case "false":
			return false, true
		case "null":
			return nil, true
		}
	case *syntax.List:
		list := make([]any, 0, len(e.Elems))
		for _, x := range e.Elems {
			v, ok := nixData(x)
			if !ok {
				return nil, false
			}
			list = append(list, v)
		}
		return list, true
	case *syntax.AttrSet:
		if e.IsRec() {
			return nil, false
		}
		attrs := map[string]any{}
		for _, b := range e.Bindings {
			def, ok := b.(*syntax.AttrDef)
			if !ok {
				return nil, false // inherit: a reference
			}
			v, ok := nixData(def.Value)
			if !ok || !setPath(attrs, def.Path, v) {
				return nil, false
			}
		}
		return attrs, true
	}
	return nil, false
}

// setPath puts v at the attribute path of a binding (a.b.c = v), merging
// sets as Nix does; the parser has already refused what Nix refuses (the
// same attribute twice).
func setPath(attrs map[string]any, path []syntax.Key, v any) bool {
	for i, k := range path {
		name, ok := syntax.KeyName(k)
		if !ok {
			return false // a dynamic name
		}
		if i == len(path)-1 {
			old, exists := attrs[name]
			if !exists {
				attrs[name] = v
				return true
			}
			// { a.b = 1; a = { c = 2; }; }: both sets are one.
			om, ok1 := old.(map[string]any)
			nm, ok2 := v.(map[string]any)
			if !ok1 || !ok2 {
				return false
			}
			for k, x := range nm {
				if _, dup := om[k]; dup {
					return false
				}
				om[k] = x
			}
			return true
		}
		next, exists := attrs[name]
		if !exists {
			next = map[string]any{}
			attrs[name] = next
		}
		m, ok := next.(map[string]any)
		if !ok {
			return false
		}
		attrs = m
	}
	return true
}
