package schema

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/literal"
	"cuelang.org/go/cue/parser"
)

// Contract is what Go needs to know of mkSystem's host contract, read from
// attributes of #Host in the schema, so that the schema stays the one place
// where axios facts are written. For a module directory modules/printing of
// axios, imported by a flag, with a host section copied to its options:
//
//	modules: printing: *false | #Flag @flag("printing")   // a flag, and the module directories it imports
//	printing?: #NixOSOptions.printing @section(flag="printing") // copied to options when the flag is on
//	diskConfigPath?: #Path @path()                         // a host field that becomes a Nix path literal
//	extraConfig: #NixOSConfig @nixos()                     // the host field that is a NixOS module
//	@imports(always="hardware")                            // module directories every host imports
//	@closed("printing", …)                                 // option namespaces only axios declares
type Contract struct {
	Flags       []Flag
	Sections    []Section
	PathFields  []string
	ConfigField string
	// Always are the axios module directories imported on every host.
	Always []string
	// Closed are the option namespaces (dotted) that only axios declares.
	Closed []string
	// Users is the host field listing the host's users, and how the
	// release finds their files.
	Users UsersField
	// User is how a user is written, from #User in UserFile (nil when the
	// schema has no #User).
	User *UserContract
}

// UsersField is the host field that names the host's users (@users):
//
//	users?: [...string] @users(max=1, module="userModulePath") // one user, imported by path
//	users?: [...string] @users(configDir="configDir")          // mkSystem imports configDir/users/NAME.nix
type UsersField struct {
	Field string
	// Max is how many users a host may have (0: any number).
	Max int
	// Module is the host field that imports the one user's module, in
	// releases whose mkSystem does not read Field itself.
	Module string
	// ConfigDir is the host field naming the directory of users/NAME.nix.
	ConfigDir string
}

// UserContract is how a user becomes a NixOS module, read from #User:
//
//	@user(option="axios.users.users.<name>") // the option the person's fields set
//	@user(option="axios.user", name="name")  // …and the field of it that is the user's name
//	home?: #UserHome @home()                 // the field that is home-manager.users.NAME
type UserContract struct {
	// Option is the dotted option path the person's fields set; a
	// <name> element stands for the user's name.
	Option []string
	// NameField, when set, is the field of Option that takes the name.
	NameField string
	// HomeField is the #User field holding home-manager settings.
	HomeField string
}

// Flag is a field of #Host.modules.
type Flag struct {
	Name    string
	Modules []string // the axios module directories it imports
}

// Section is a host field whose options axios copies only when Flag is on.
type Section struct {
	Field, Flag string
}

// HostFile is the schema file that holds #Host.
const HostFile = "host.cue"

// UserFile is the schema file that holds #User.
const UserFile = "user.cue"

// contracts holds the contracts read so far, by the text of the files they
// come from: a run reads the same release's contract in several places
// (loaders, compiler, checks), and it is parsed once. A Contract is never
// changed once read.
var contracts sync.Map // HostFile + "\x00" + UserFile → *Contract

// ReadContract reads the contract from the schema in fsys.
func ReadContract(fsys fs.FS) (*Contract, error) {
	host, err := fs.ReadFile(fsys, HostFile)
	if err != nil {
		return nil, err
	}
	user, err := fs.ReadFile(fsys, UserFile)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	key := string(host) + "\x00" + string(user)
	if c, ok := contracts.Load(key); ok {
		return c.(*Contract), nil
	}
	c, err := readContract(fsys)
	if err != nil {
		return nil, err
	}
	contracts.Store(key, c)
	return c, nil
}

func readContract(fsys fs.FS) (*Contract, error) {
	host, _, err := HostSyntax(fsys, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	c := &Contract{}
	var errs []string
	fail := func(a *ast.Attribute, format string, args ...any) {
		errs = append(errs, fmt.Sprintf("%s: %s", a.Pos(), fmt.Sprintf(format, args...)))
	}
	for _, d := range host.Elts {
		switch d := d.(type) {
		case *ast.Attribute:
			key, body := d.Split()
			args, err := attrArgs(body)
			if err != nil {
				fail(d, "%v", err)
				continue
			}
			switch key {
			case "imports":
				for _, a := range args {
					if a.key != "always" {
						fail(d, "@imports takes always=DIR")
					}
					c.Always = append(c.Always, a.value)
				}
			case "closed":
				for _, a := range args {
					c.Closed = append(c.Closed, a.value)
				}
			}
		case *ast.Field:
			name, _, _ := ast.LabelName(d.Label)
			if name == "modules" {
				st, ok := d.Value.(*ast.StructLit)
				if !ok {
					errs = append(errs, fmt.Sprintf("%s: #Host.modules is not a struct", d.Pos()))
					continue
				}
				for _, fd := range st.Elts {
					ff, ok := fd.(*ast.Field)
					if !ok {
						continue
					}
					flag, _, _ := ast.LabelName(ff.Label)
					for _, a := range ff.Attrs {
						if key, body := a.Split(); key == "flag" {
							args, err := attrArgs(body)
							if err != nil {
								fail(a, "%v", err)
							}
							fl := Flag{Name: flag}
							for _, arg := range args {
								fl.Modules = append(fl.Modules, arg.value)
							}
							c.Flags = append(c.Flags, fl)
						}
					}
				}
			}
			for _, a := range d.Attrs {
				key, body := a.Split()
				args, err := attrArgs(body)
				if err != nil {
					fail(a, "%v", err)
					continue
				}
				switch key {
				case "section":
					if len(args) != 1 || args[0].key != "flag" {
						fail(a, "@section takes flag=NAME")
						continue
					}
					c.Sections = append(c.Sections, Section{Field: name, Flag: args[0].value})
				case "path":
					c.PathFields = append(c.PathFields, name)
				case "nixos":
					c.ConfigField = name
				case "users":
					c.Users = UsersField{Field: name}
					for _, arg := range args {
						switch arg.key {
						case "max":
							if _, err := fmt.Sscan(arg.value, &c.Users.Max); err != nil {
								fail(a, "@users max=%s: %v", arg.value, err)
							}
						case "module":
							c.Users.Module = arg.value
						case "configDir":
							c.Users.ConfigDir = arg.value
						default:
							fail(a, "@users takes max=N, module=FIELD, configDir=FIELD")
						}
					}
				}
			}
		}
	}
	if c.ConfigField == "" {
		errs = append(errs, HostFile+": no #Host field has @nixos()")
	}
	if len(c.Flags) == 0 {
		errs = append(errs, HostFile+": no #Host.modules field has @flag(…)")
	}
	for _, s := range c.Sections {
		if !c.IsFlag(s.Flag) {
			errs = append(errs, fmt.Sprintf("%s: section %s names flag %s, which #Host.modules does not have", HostFile, s.Field, s.Flag))
		}
	}
	if c.Users.Field != "" && c.Users.Module == "" && c.Users.ConfigDir == "" {
		errs = append(errs, HostFile+": @users names neither module= nor configDir=: how would the release find the users?")
	}
	if len(errs) > 0 {
		return nil, joinErrors(errs)
	}
	user, err := readUserContract(fsys)
	if err != nil {
		return nil, err
	}
	c.User = user
	return c, nil
}

// readUserContract reads @user and @home from #User in UserFile; a schema
// without the file has no users.
func readUserContract(fsys fs.FS) (*UserContract, error) {
	src, err := fs.ReadFile(fsys, UserFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	f, err := parser.ParseFile(UserFile, src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	user := TopStruct(f, "#User")
	if user == nil {
		return nil, fmt.Errorf("%s: no #User struct", UserFile)
	}
	u := &UserContract{}
	for _, d := range user.Elts {
		switch d := d.(type) {
		case *ast.Attribute:
			key, body := d.Split()
			if key != "user" {
				continue
			}
			args, err := attrArgs(body)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", d.Pos(), err)
			}
			for _, a := range args {
				switch a.key {
				case "option":
					u.Option = strings.Split(a.value, ".")
				case "name":
					u.NameField = a.value
				default:
					return nil, fmt.Errorf("%s: @user takes option=PATH, name=FIELD", d.Pos())
				}
			}
		case *ast.Field:
			for _, a := range d.Attrs {
				if key, _ := a.Split(); key == "home" {
					u.HomeField, _, _ = ast.LabelName(d.Label)
				}
			}
		}
	}
	if len(u.Option) == 0 || u.HomeField == "" {
		return nil, fmt.Errorf("%s: #User needs @user(option=…) and a field with @home()", UserFile)
	}
	return u, nil
}

// IsFlag reports whether name is a modules flag.
func (c *Contract) IsFlag(name string) bool {
	for _, f := range c.Flags {
		if f.Name == name {
			return true
		}
	}
	return false
}

// FlagOfModule is the flag that imports the axios module directory dir;
// always reports a directory every host imports.
func (c *Contract) FlagOfModule(dir string) (flag string, always, ok bool) {
	for _, a := range c.Always {
		if a == dir {
			return "", true, true
		}
	}
	for _, f := range c.Flags {
		for _, m := range f.Modules {
			if m == dir {
				return f.Name, false, true
			}
		}
	}
	return "", false, false
}

// Section is the section of field, if it is one.
func (c *Contract) Section(field string) (Section, bool) {
	for _, s := range c.Sections {
		if s.Field == field {
			return s, true
		}
	}
	return Section{}, false
}

// IsPathField reports whether the host field name takes a path.
func (c *Contract) IsPathField(name string) bool {
	for _, p := range c.PathFields {
		if p == name {
			return true
		}
	}
	return false
}

type attrArg struct{ key, value string }

// attrArgs reads `a, b="c", d` (values quoted or bare).
func attrArgs(body string) ([]attrArg, error) {
	var out []attrArg
	for _, arg := range splitArgs(body) {
		arg = strings.TrimSpace(arg)
		if arg == "" {
			continue
		}
		key, value, hasValue := strings.Cut(arg, "=")
		if !hasValue {
			key, value = "", key
		}
		value = strings.TrimSpace(value)
		if strings.HasPrefix(value, `"`) {
			s, err := literal.Unquote(value)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", arg, err)
			}
			value = s
		}
		out = append(out, attrArg{key: strings.TrimSpace(key), value: value})
	}
	return out, nil
}

// joinErrors is errs as one error whose records (Unwrap) are the errors.
func joinErrors(errs []string) error {
	out := make([]error, len(errs))
	for i, e := range errs {
		out[i] = errors.New(e)
	}
	return errors.Join(out...)
}
