package compile

import (
	"fmt"
	"strings"

	"cuelang.org/go/cue"

	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/schema"
)

// A key with dots in its name ("networking.tailscale.authMode", from YAML,
// JSON or a quoted CUE label) is one attribute name to Nix, not a path:
// NixOS looks for an option of that name, finds none and refuses the
// system, while in CUE the key slipped past every type and closed-namespace
// check. Where the release's option names are expected (the top of the
// NixOS module field and of home, and below every namespace the schema
// knows) such a key is a problem, and build never writes it. Inside names
// that are the author's (an attribute set of submodules, or the attribute
// sets below options axc does not know: boot.kernel.sysctl."net.core.x",
// services.nginx.virtualHosts."example.org") dots stay legal.

// nixosNames is the tree of NixOS option names, with a home-manager user's
// settings (home-manager.users.NAME) being the home options.
func nixosNames(opts []schema.Option) *schema.OptionNames {
	n := schema.NewOptionNames(opts, "nixos")
	n.Child("home-manager").Child("users").Child("<name>").Children = schema.NewOptionNames(opts, "home").Children
	return n
}

// namesAt is the node of option names for the struct at path (relative to
// a host or user), or nil where its names are not option names axc knows.
// A host's own fields are the schema's to check (it closes them).
func (c *Compiler) namesAt(st *hostState, path []string) *schema.OptionNames {
	switch {
	case len(path) == 0:
		return nil
	case st.home != "":
		if path[0] == st.home {
			return c.homeNames.At(path[1:])
		}
		return nil
	case path[0] == c.contract.ConfigField:
		return c.nixosNames.At(path[1:])
	}
	if _, ok := c.contract.Section(path[0]); ok {
		return c.nixosNames.At(path) // a section holds the options of the same name
	}
	return nil
}

// dottedKey is the problem of name, a key of the struct at path whose names
// are names (nil: free), when it holds dots where an option name belongs.
func dottedKey(names *schema.OptionNames, path []string, name string) (Problem, bool) {
	if !names.ExpectsOptions() || !strings.Contains(name, ".") {
		return Problem{}, false
	}
	if _, declared := names.Children[name]; declared {
		return Problem{}, false
	}
	return Problem{Path: append(path[:len(path):len(path)], name), Msg: DottedKeyMsg(name, true), Label: true}, true
}

// DottedKeyMsg says that name, a key holding dots, is one name and not a
// path, and gives the nested spelling; option says the key stands where
// NixOS reads option names.
func DottedKeyMsg(name string, option bool) string {
	parts := strings.Split(name, ".")
	for i, p := range parts {
		if !isIdent(p) {
			parts[i] = fmt.Sprintf("%q", p)
		}
	}
	what := "to Nix it is one name, not a path"
	if option {
		what += ", and no option has it"
	}
	return fmt.Sprintf("key %q holds dots: %s: nest it, %s: …", name, what, strings.Join(parts, ": "))
}

// isIdent reports whether s can be a CUE label without quotes.
func isIdent(s string) bool {
	for i, r := range s {
		if r != '_' && r != '$' && !(r >= 'a' && r <= 'z') && !(r >= 'A' && r <= 'Z') && !(i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return s != "" && !strings.HasPrefix(s, "_") && !strings.HasPrefix(s, "#")
}

// DottedKeys finds the dotted keys of a host or user (user: of the users
// package) that Host or User would report, without compiling it: for
// entries with other errors, which are not compiled, so that every problem
// is found in one run. It reads only the option namespaces the entry sets.
func (c *Compiler) DottedKeys(h *load.Host, v cue.Value, user bool) []Problem {
	st := &hostState{h: h}
	if user && c.contract.User != nil {
		st.home = c.contract.User.HomeField
	}
	var walk func(v cue.Value, path []string)
	walk = func(v cue.Value, path []string) {
		names := c.namesAt(st, path)
		if names == nil && len(path) > 0 {
			return
		}
		it, err := v.Fields()
		if err != nil {
			return // a value, a list, or not evaluated
		}
		for it.Next() {
			name := it.Selector().Unquoted()
			if p, ok := dottedKey(names, path, name); ok {
				st.problems = append(st.problems, p)
				continue
			}
			p := append(path[:len(path):len(path)], name)
			if n := c.namesAt(st, p); n.ExpectsOptions() || (n != nil && n.Any != nil) {
				walk(it.Value(), p)
			}
		}
	}
	walk(v, nil)
	return st.problems
}
