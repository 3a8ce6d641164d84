package importer

import (
	"io/fs"
	"regexp"
	"strings"

	"axc.dev/axc/schema"
)

// pathTypes knows which positions of a host or user take a path: the
// contract's path fields, and the options of an "absolute path" type (or a
// list of them) wherever a host or user sets options. A path there is
// written as a relative string, which axc build turns back into a Nix path
// literal; anywhere else a path stays Nix.
type pathTypes struct {
	contract *schema.Contract
	nixos    []*regexp.Regexp
	home     []*regexp.Regexp
}

func newPathTypes(fsys fs.FS, c *schema.Contract) (*pathTypes, error) {
	opts, err := schema.OptionsFrom(fsys)
	if err != nil {
		return nil, err
	}
	pt := &pathTypes{contract: c}
	for _, o := range opts {
		if !strings.Contains(o.Type, "absolute path") {
			continue
		}
		parts := strings.Split(o.Name, ".")
		for i, p := range parts {
			if p == "<name>" {
				parts[i] = `[^\x00]*`
			} else {
				parts[i] = regexp.QuoteMeta(p)
			}
		}
		// A list of paths: its items are paths too.
		re := regexp.MustCompile(`^` + strings.Join(parts, `\x00`) + `(\x00[0-9]+)?$`)
		if o.Set == "home" {
			pt.home = append(pt.home, re)
		} else {
			pt.nixos = append(pt.nixos, re)
		}
	}
	return pt, nil
}

func matchAny(res []*regexp.Regexp, opt []string) bool {
	key := strings.Join(opt, "\x00")
	for _, re := range res {
		if re.MatchString(key) {
			return true
		}
	}
	return false
}

// hostPath reports whether pos (below a host) takes a path.
func (pt *pathTypes) hostPath(pos []string) bool {
	switch {
	case len(pos) == 0:
		return false
	case len(pos) == 1:
		return pt.contract.IsPathField(pos[0])
	case pos[0] == pt.contract.ConfigField:
		return pt.optionPath(pos[1:])
	}
	if _, ok := pt.contract.Section(pos[0]); ok {
		return matchAny(pt.nixos, pos) // a section holds the options of its name
	}
	return false
}

// optionPath reports whether the NixOS option at pos takes a path,
// home-manager users' options included.
func (pt *pathTypes) optionPath(pos []string) bool {
	if len(pos) > 3 && pos[0] == "home-manager" && pos[1] == "users" {
		return matchAny(pt.home, pos[3:])
	}
	return matchAny(pt.nixos, pos)
}

// userPath reports whether pos (below a user) takes a path.
func (pt *pathTypes) userPath(pos []string) bool {
	u := pt.contract.User
	if u != nil && len(pos) > 1 && pos[0] == u.HomeField {
		return matchAny(pt.home, pos[1:])
	}
	if u != nil && len(pos) > 0 {
		opt := append(append([]string{}, u.Option...), pos...)
		for i, p := range opt {
			if p == "<name>" {
				opt[i] = "x"
			}
		}
		return matchAny(pt.nixos, opt)
	}
	return false
}
