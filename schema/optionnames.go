package schema

import "strings"

// OptionNames is the tree of the names of one option set ("nixos",
// "home"): below each node, the attribute names NixOS declares there; Any
// is the node of the entries of an attribute set of submodules (<name> in
// an option's name), whose names are the author's.
type OptionNames struct {
	Children map[string]*OptionNames
	Any      *OptionNames
}

// NewOptionNames builds the tree of the options of set in opts.
func NewOptionNames(opts []Option, set string) *OptionNames {
	root := &OptionNames{}
	for _, o := range opts {
		if o.Set != set || o.Name == "" {
			continue
		}
		n := root
		for _, p := range strings.Split(o.Name, ".") {
			n = n.Child(p)
		}
	}
	return root
}

// Child is the node of name below n, made if missing; "<name>" is Any.
func (n *OptionNames) Child(name string) *OptionNames {
	if name == "<name>" {
		if n.Any == nil {
			n.Any = &OptionNames{}
		}
		return n.Any
	}
	if n.Children == nil {
		n.Children = map[string]*OptionNames{}
	}
	c := n.Children[name]
	if c == nil {
		c = &OptionNames{}
		n.Children[name] = c
	}
	return c
}

// At is the node below n for the attribute path, an entry of an attribute
// set of submodules matching any name; nil where the tree knows nothing
// (an option's value, or names of modules axc does not know).
func (n *OptionNames) At(path []string) *OptionNames {
	for _, p := range path {
		if n == nil {
			return nil
		}
		c, ok := n.Children[p]
		if !ok {
			c = n.Any
		}
		n = c
	}
	return n
}

// ExpectsOptions reports whether the attribute names directly below n are
// option names: some are declared there, and none is the author's own.
func (n *OptionNames) ExpectsOptions() bool {
	return n != nil && n.Any == nil && len(n.Children) > 0
}
