package schema

import "cuelang.org/go/cue"

// MkSystemField is the hidden field of #Host that holds what mkSystem
// itself defines in the host's NixOS configuration (flag enables, the
// hardware module of the vendor, copies of the cpu and gpu…), nested as in
// a NixOS module. A schema without it (an older vendored copy) says
// nothing of them.
const MkSystemField = "_mkSystem"

// MkSystemConfig is MkSystemField of host v (a value of #Host): a value
// that does not exist when the schema has no such field.
func MkSystemConfig(v cue.Value) cue.Value {
	return v.LookupPath(cue.MakePath(cue.Hid(MkSystemField, ImportPath)))
}
