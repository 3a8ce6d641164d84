package schema

import (
	"encoding/json"
	"fmt"

	"cuelang.org/go/cue"
)

// MkSystemField is the hidden field of #Host that holds what mkSystem
// itself defines in the host's NixOS configuration (flag enables, the
// hardware module of the vendor, copies of the cpu and gpu…), nested as in
// a NixOS module. A schema without it (an older vendored copy) says
// nothing of them.
const MkSystemField = "_mkSystem"

// MkSystemConfig is MkSystemField of host v (a value of #Host): a value
// that does not exist when the schema has no such field, and an error when
// it is not concrete (the host's own errors say why).
func MkSystemConfig(v cue.Value) (cue.Value, error) {
	config := v.LookupPath(cue.MakePath(cue.Hid(MkSystemField, ImportPath)))
	if !config.Exists() {
		return cue.Value{}, nil
	}
	if err := config.Validate(cue.Concrete(true)); err != nil {
		return cue.Value{}, fmt.Errorf("%s: %v", MkSystemField, err)
	}
	return config, nil
}

// mkSystemInputs are the fields of #Host that MkSystemField reads (through
// its lets), in every release.
var mkSystemInputs = []string{"formFactor", "hardware", "modules"}

// MkSystemInputs is the part of host v that MkSystemField reads, as JSON,
// with every leaf that is not a valid concrete value left out. A wrong
// value there (gpu: "nvidea", a flag "yes") makes CUE's whole _mkSystem
// an error, since an error in a struct is an error of the struct and of
// every reference into it; unified with #Host anew, these inputs give what
// mkSystem defines from the host's valid values, so that its conflicts
// are still reported beside the wrong value.
func MkSystemInputs(v cue.Value) ([]byte, error) {
	inputs := map[string]any{}
	for _, name := range mkSystemInputs {
		if x, ok := validLeaves(v.LookupPath(cue.MakePath(cue.Str(name)))); ok {
			inputs[name] = x
		}
	}
	return json.Marshal(inputs)
}

// validLeaves is v as a Go value with the leaves that are errors or not
// concrete left out, and false when nothing of v is left.
func validLeaves(v cue.Value) (any, bool) {
	if !v.Exists() {
		return nil, false
	}
	// A struct with a wrong value in it is an error itself (kind bottom)
	// whose fields can still be read; a wrong scalar has none.
	if k := v.IncompleteKind(); k == cue.StructKind || k == cue.BottomKind {
		if it, err := v.Fields(); err == nil {
			out := map[string]any{}
			n := 0
			for it.Next() {
				n++
				if x, ok := validLeaves(it.Value()); ok {
					out[it.Selector().Unquoted()] = x
				}
			}
			if k == cue.StructKind || n > 0 {
				return out, true
			}
		}
		if k == cue.StructKind {
			return nil, false
		}
	}
	d, _ := v.Default()
	if d.Validate(cue.Concrete(true)) != nil {
		return nil, false
	}
	var x any
	if err := d.Decode(&x); err != nil {
		return nil, false
	}
	return x, true
}
