package importer

import (
	"io/fs"

	"github.com/axc-dev/axc/schema"
)

// pathTypes knows which positions of a host or user take a path: the
// contract's path fields, and the options of an "absolute path" type (or a
// list of them) wherever a host or user sets options. A path there is
// written as a relative string, which axc build turns back into a Nix path
// literal; anywhere else a path stays Nix.
type pathTypes struct {
	contract *schema.Contract
	// others are the host fields that take a path in some other release:
	// a path there is written as a path too (vet says the field is not in
	// this release), not kept as Nix.
	others map[string]bool
	nixos  *schema.PathOptions
	home   *schema.PathOptions
}

func newPathTypes(fsys fs.FS, c *schema.Contract) (*pathTypes, error) {
	opts, err := schema.OptionsFrom(fsys)
	if err != nil {
		return nil, err
	}
	pt := &pathTypes{contract: c, nixos: schema.NewPathOptions(opts, "nixos"), home: schema.NewPathOptions(opts, "home")}
	return pt, nil
}

// hostPath reports whether pos (below a host) takes a path.
func (pt *pathTypes) hostPath(pos []string) bool {
	switch {
	case len(pos) == 0:
		return false
	case len(pos) == 1:
		return pt.hostPathField(pos[0])
	case pos[0] == pt.contract.ConfigField:
		return pt.optionPath(pos[1:])
	}
	if _, ok := pt.contract.Section(pos[0]); ok {
		return pt.nixos.Match(pos) // a section holds the options of its name
	}
	return false
}

// hostPathField reports whether the host field name takes a path, in this
// release or another.
func (pt *pathTypes) hostPathField(name string) bool {
	return pt.contract.IsPathField(name) || pt.others[name]
}

// optionPath reports whether the NixOS option at pos takes a path,
// home-manager users' options included.
func (pt *pathTypes) optionPath(pos []string) bool {
	if len(pos) > 3 && pos[0] == "home-manager" && pos[1] == "users" {
		return pt.home.Match(pos[3:])
	}
	return pt.nixos.Match(pos)
}

// userPath reports whether pos (below a user) takes a path.
func (pt *pathTypes) userPath(pos []string) bool {
	u := pt.contract.User
	if u != nil && len(pos) > 1 && pos[0] == u.HomeField {
		return pt.home.Match(pos[1:])
	}
	if u != nil && len(pos) > 0 {
		opt := append(append([]string{}, u.Option...), pos...)
		for i, p := range opt {
			if p == "<name>" {
				opt[i] = "x"
			}
		}
		return pt.nixos.Match(opt)
	}
	return false
}
