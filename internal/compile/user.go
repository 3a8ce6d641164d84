package compile

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"

	"cuelang.org/go/cue"

	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/nix"
)

// UserFile is the path of a user's file relative to the output directory.
func UserFile(name string) string { return filepath.Join("users", name+".nix") }

// userName is what NixOS accepts as a user name (users.users.<name>.name):
// lower case, starting with a letter or _, at most 32 characters. It also
// names a file (users/NAME.nix) and an attribute.
var userName = regexp.MustCompile(`^[a-z_][a-z0-9_-]{0,31}$`)

// CheckUserName says why name cannot be a user's name, or returns nil.
func CheckUserName(name string) error {
	if userName.MatchString(name) {
		return nil
	}
	return fmt.Errorf("user name %s is not one NixOS accepts: lower-case letters, digits, - and _, starting with a letter or _, at most 32", strconv.Quote(name))
}

// User compiles one validated user to the content of users/NAME.nix: a
// NixOS module that sets the release's user option (the person's fields)
// and home-manager.users.NAME (their home). source names the file the user
// came from, for the header.
func (c *Compiler) User(u *load.Host, v cue.Value, source string) (data []byte, problems []Problem, err error) {
	uc := c.contract.User
	if uc == nil {
		return nil, nil, fmt.Errorf("the schema has no #User")
	}
	if err := CheckUserName(u.Name); err != nil {
		return nil, []Problem{{Msg: err.Error()}}, nil
	}
	st := &hostState{h: u, home: uc.HomeField}
	body, err := c.value(st, v, nil)
	if err = st.converted(err); err != nil {
		return nil, nil, fmt.Errorf("user %s: %v", u.Name, err)
	}
	if st.failed() || c.CheckOnly && (!c.Render || st.unwritable) {
		return nil, st.problems, nil
	}
	person, _ := body.(nix.Attrs)
	var home nix.Expr
	var fields nix.Attrs
	for _, b := range person {
		if len(b.Path) == 1 && b.Path[0] == uc.HomeField {
			home = b.Value
			continue
		}
		fields = append(fields, b)
	}
	if uc.NameField != "" {
		fields = append(nix.Attrs{{Path: []string{uc.NameField}, Value: nix.String(u.Name)}}, fields...)
	}
	if fields == nil {
		fields = nix.Attrs{}
	}
	option := make([]string, len(uc.Option))
	for i, p := range uc.Option {
		if p == "<name>" {
			p = u.Name
		}
		option[i] = p
	}
	module := nix.Attrs{{Path: option, Value: fields}}
	if home != nil {
		module = append(module, nix.Binding{Path: []string{"home-manager", "users", u.Name}, Value: home})
	}
	file := nix.Lambda{Formals: c.FileArgs(), Ellipsis: true, Body: module}
	data, err = render(headerLine(source), file)
	return data, st.problems, err
}

// hostUsers rewrites a host's users for releases whose mkSystem does not
// read them: the one user's file is imported by the module field
// (userModulePath = ../users/NAME.nix), and users itself is dropped.
func (c *Compiler) hostUsers(body nix.Expr) nix.Expr {
	uf := c.contract.Users
	attrs, ok := body.(nix.Attrs)
	if !ok || uf.Field == "" || uf.Module == "" {
		return body
	}
	var out nix.Attrs
	for _, b := range attrs {
		if len(b.Path) == 1 && b.Path[0] == uf.Field {
			if list, ok := b.Value.(nix.List); ok && len(list) == 1 {
				// A name that is no user's is an error of vet's (CheckUsers);
				// it never becomes a path.
				if name, ok := list[0].(nix.String); ok && CheckUserName(string(name)) == nil {
					// Host files are in DIR/hosts, users in DIR/users.
					out = append(out, nix.Binding{Path: []string{uf.Module}, Value: nix.Path("../" + filepath.ToSlash(UserFile(string(name))))})
				}
			}
			continue
		}
		out = append(out, b)
	}
	return out
}

// isHomePath reports whether path (below a user) is a home-manager option
// whose type is a path.
func (c *Compiler) isHomePath(st *hostState, path []string) bool {
	if st.home == "" || len(path) < 2 || path[0] != st.home {
		return false
	}
	return c.homePathTypes.Match(path[1:])
}
