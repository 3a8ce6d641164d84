package vet

import (
	"fmt"
	"strconv"
	"strings"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/literal"
	"cuelang.org/go/cue/parser"

	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/schema"
)

// UserRef is what a host says of its users: the names it lists, and which
// host fields about users it sets itself.
type UserRef struct {
	Names []string
	// Module and ConfigDir: the host sets the field that imports its user
	// module, or the directory of users/NAME.nix, which build writes.
	Module, ConfigDir bool
}

// HostUserRef reads a host's users while its value is evaluated.
func HostUserRef(v cue.Value, c *schema.Contract) UserRef {
	var r UserRef
	u := c.Users
	if u.Field == "" {
		return r
	}
	if it, err := v.LookupPath(cue.MakePath(cue.Str(u.Field))).List(); err == nil {
		for it.Next() {
			if s, err := it.Value().String(); err == nil {
				r.Names = append(r.Names, s)
			}
		}
	}
	exists := func(f string) bool { return f != "" && v.LookupPath(cue.MakePath(cue.Str(f))).Exists() }
	r.Module, r.ConfigDir = exists(u.Module), exists(u.ConfigDir)
	return r
}

// UserCheck is what CheckUsers needs besides the hosts' references.
type UserCheck struct {
	Contract *schema.Contract
	// Release names the release checked, for messages ("" with --schema).
	Release string
	// Users are the users loaded, and their checker; nil when no users
	// directory was read.
	Users   *load.Result
	Checker *Checker
	// AllHosts: every host of the fleet was read, so a user no host
	// names is unused (not so when vet was given some host files only).
	AllHosts bool
	// UsersDir is where users are declared, for messages.
	UsersDir string
	// Declared are the users of the users package that were not loaded
	// (some user files were named): they exist too. Unseen: the package
	// may declare names its syntax does not show, so a name not found is
	// not reported.
	Declared []string
	Unseen   bool
}

// CheckUsers checks the users each host names (refs[i] for host i of c)
// against the users loaded: every name must be a user, a release with one
// axios user per host takes one, the fields build writes itself are not set
// by hand, and a user no host names is a warning.
func (c *Checker) CheckUsers(refs []UserRef, uc UserCheck) {
	u := uc.Contract.Users
	if u.Field == "" {
		return
	}
	known := map[string]bool{}
	var knownNames []string
	if uc.Users != nil {
		for _, user := range uc.Users.Hosts {
			known[user.Name] = true
			knownNames = append(knownNames, user.Name)
		}
	}
	for _, name := range uc.Declared {
		if !known[name] {
			known[name] = true
			knownNames = append(knownNames, name)
		}
	}
	used := map[string]bool{}
	release := "this release"
	if uc.Release != "" {
		release = uc.Release
	}
	for i, r := range refs {
		seen := map[string]bool{}
		for j, name := range r.Names {
			used[name] = true
			path := []string{u.Field, strconv.Itoa(j)}
			switch {
			case seen[name]:
				c.Add(i, Problem{Path: path, Msg: fmt.Sprintf("user %s is listed twice", name)})
			case !known[name] && !uc.Unseen:
				c.Add(i, Problem{Path: path, Msg: unknownUserMsg(name, uc.UsersDir, knownNames)})
			}
			seen[name] = true
		}
		if u.Max > 0 && len(r.Names) > u.Max {
			c.Add(i, Problem{Path: []string{u.Field}, Msg: fmt.Sprintf("%s has one axios user per host (its userModulePath imports one user module): this host names %d; keep one (release v2026.03.07 and later allow several)", release, len(r.Names))})
		}
		if len(r.Names) > 0 && r.Module {
			c.Add(i, Problem{Path: []string{u.Module}, Msg: fmt.Sprintf("%s and %s both say who the user is: axc build points %s at users/NAME.nix for the user %s names; remove %s", u.Module, u.Field, u.Module, u.Field, u.Module)})
		}
		if len(r.Names) > 0 && r.ConfigDir {
			c.Add(i, Problem{Path: []string{u.ConfigDir}, Msg: fmt.Sprintf("axc build writes users/NAME.nix beside flake.nix and passes %s itself; remove %s", u.ConfigDir, u.ConfigDir)})
		}
	}
	if uc.Users == nil || uc.Checker == nil || !uc.AllHosts {
		return
	}
	for i, user := range uc.Users.Hosts {
		if !used[user.Name] {
			uc.Checker.Add(i, Problem{Msg: fmt.Sprintf("user %s is on no host: list it in a host's %s, or remove it", user.Name, u.Field), Warning: true})
		}
	}
}

func unknownUserMsg(name, dir string, known []string) string {
	where := "users/"
	if dir != "" {
		where = load.RelPath(dir) + "/"
	}
	msg := fmt.Sprintf("unknown user %s: declare it in %s (a field %s: {…} of package users)", strconv.Quote(name), where, FieldLabel(name))
	if best := closest(name, known); best != "" {
		msg = fmt.Sprintf("unknown user %s (did you mean %s?)", strconv.Quote(name), best)
	} else if len(known) > 0 {
		msg += "; users declared: " + strings.Join(known, ", ")
	}
	return msg
}

// FieldLabel is name written as the label of a CUE field that declares a
// regular field of exactly that name: bare when it is an identifier that
// neither hides the field (_x) nor makes it a definition (#x) nor is a
// clause keyword (package, import), else quoted ("_svc"). A fix-it that
// says to declare a field must declare that field.
func FieldLabel(name string) string {
	if ast.IsValidIdent(name) && !strings.HasPrefix(name, "_") && !strings.HasPrefix(name, "#") {
		// A keyword may still not be a label where a field is declared:
		// ask the parser.
		f, err := parser.ParseFile("label.cue", "package users\n"+name+": {}\n")
		if err == nil && len(f.Decls) == 2 {
			if field, ok := f.Decls[1].(*ast.Field); ok {
				if id, ok := field.Label.(*ast.Ident); ok && id.Name == name {
					return name
				}
			}
		}
	}
	return literal.Label.Quote(name)
}
