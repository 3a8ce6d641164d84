package schema

import (
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
