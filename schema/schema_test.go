package schema_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"testing"

	"cuelang.org/go/cue"

	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/schemagen"
	"github.com/axc-dev/axc/schema"
)

// The options files of the pinned commit 96990f9 (schema/releases/96990f9).
const nixosFile, homeFile = "../testdata/axios/nixos-options.json", "../testdata/axios/home-options.json"

func readOptions(t *testing.T, file string) []*schemagen.Option {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	opts, err := schemagen.ReadOptions(file, data)
	if err != nil {
		t.Fatal(err)
	}
	return opts
}

// pinned is the schema of the pinned commit 96990f9, which the option
// files of testdata/axios describe.
func pinned(t *testing.T) fs.FS {
	t.Helper()
	fsys, err := schema.Release("96990f9")
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}

func contract(t *testing.T) *schema.Contract {
	t.Helper()
	c, err := schema.ReadContract(pinned(t))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// allModules is a modules struct with every flag on.
const allModules = `{system: true, networking: true, users: true, desktop: true, development: true, graphics: true, virt: true, gaming: true, ai: true, secrets: true, services: true}`

// The contract read from host.cue's attributes: every flag, the sections,
// the path fields, the NixOS module field, the namespaces only axios
// declares.
func TestContract(t *testing.T) {
	c := contract(t)
	var flags []string
	for _, f := range c.Flags {
		flags = append(flags, f.Name+"="+strings.Join(f.Modules, "+"))
	}
	got := fmt.Sprintf("flags %v\nsections %v\npaths %v\nnixos %s\nalways %v\nclosed %d", flags, c.Sections, c.PathFields, c.ConfigField, c.Always, len(c.Closed))
	want := `flags [system=system networking=networking users=users desktop=desktop development=development graphics=graphics virt=virtualisation gaming=gaming ai=ai secrets=secrets services=services]
sections [{virt virt} {secrets secrets} {selfHosted services}]
paths [userModulePath diskConfigPath]
nixos extraConfig
always [hardware]
closed 14`
	if got != want {
		t.Errorf("contract:\n%s\nwant:\n%s", got, want)
	}
}

// TestEveryOptionMirrored walks both options files and proves each option is
// in the schema with its mapped type (a valid value passes, an invalid one
// fails), its default (in the @option attribute) and its namespace's
// closedness.
func TestEveryOptionMirrored(t *testing.T) {
	l, err := load.NewWithSchema(pinned(t))
	if err != nil {
		t.Fatal(err)
	}
	attrs, err := schema.OptionsFrom(pinned(t))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	// The NixOS and home options are generated into separate sets; both
	// have secrets.identityPaths, of different types.
	for _, set := range []struct {
		file, config, name string
	}{
		{nixosFile, allFlagsConfig, "nixos"},
		{homeFile, "#HomeConfig", "home"},
	} {
		opts := readOptions(t, set.file)
		for _, o := range opts {
			n++
			t.Run(set.file[strings.LastIndex(set.file, "/")+1:]+"/"+o.Name, func(t *testing.T) {
				typ := o.Parsed()
				good, bad := samples(typ)
				if o.ReadOnly {
					if validate(l, set.config, o, opts, good) == nil {
						t.Errorf("read-only option accepts %s", good)
					}
				} else {
					if err := validate(l, set.config, o, opts, good); err != nil {
						t.Errorf("rejects valid %s: %v", good, err)
					}
					if validate(l, set.config, o, opts, bad) == nil {
						t.Errorf("accepts invalid %s", bad)
					}
				}
				checkAttribute(t, attrs, set.name, o)
			})
		}
		if len(opts) == 0 {
			t.Fatalf("%s: no options", set.file)
		}
	}
	if n != 61 {
		t.Errorf("walked %d options, want 61 (42 NixOS + 19 home)", n)
	}

	// Closedness: an unknown name in an axios-only namespace is an error,
	// elsewhere in extraConfig it is not.
	config := allFlagsConfig
	for _, ns := range contract(t).Closed {
		if err := validateValue(l, config, nest(strings.Split(ns, "."), "{zzUnknown: 1}")); err == nil {
			t.Errorf("closed namespace %s accepts an unknown name", ns)
		}
	}
	for _, ns := range []string{"boot", "boot.lanzaboote", "networking", "services", "hardware", "system", "services.openssh"} {
		if err := validateValue(l, config, nest(strings.Split(ns, "."), "{zzUnknown: 1}")); err != nil {
			t.Errorf("open namespace %s rejects an unknown name: %v", ns, err)
		}
	}
}

// samples returns a value t accepts and one it rejects, as CUE text.
func samples(t *schemagen.Type) (good, bad string) {
	switch t.Kind {
	case schemagen.Bool:
		// false: true would switch on checks (17) that need other options.
		return "false", `"yes"`
	case schemagen.Str, schemagen.Lines:
		return `"text"`, "1"
	case schemagen.Int:
		return "-3", `"3"`
	case schemagen.IntRange:
		return strconv.FormatInt(t.Min, 10), strconv.FormatInt(t.Min-1, 10)
	case schemagen.AbsPath:
		return `"/var/lib/x"`, `"var/lib/x"`
	case schemagen.Enum:
		return strconv.Quote(t.Values[0]), `"zz-not-a-value"`
	case schemagen.NullOr:
		g, b := samples(t.Elem)
		if g == "null" {
			g = "null"
		}
		return g, b
	case schemagen.ListOf:
		g, b := samples(t.Elem)
		return "[" + g + "]", "[" + g + ", " + b + "]"
	case schemagen.AttrsOf:
		return "{}", "1"
	}
	panic(fmt.Sprintf("no samples for %v", t.Kind))
}

// validate sets option o to value, with every required sibling of a
// submodule option set to a valid sample, and validates the result.
func validate(l *load.Loader, config string, o *schemagen.Option, all []*schemagen.Option, value string) error {
	// Sub-options ("<name>" in loc) live in an entry "x" of each submodule
	// level, which needs its required siblings too.
	parts := []string{nest(named(o.Loc), value)}
	for i, seg := range o.Loc {
		if seg != "<name>" {
			continue
		}
		level := strings.Join(o.Loc[:i+1], ".")
		for _, s := range all {
			if len(s.Loc) == i+2 && strings.Join(s.Loc[:i+1], ".") == level && s.Default == nil && s.Name != o.Name {
				g, _ := samples(s.Parsed())
				parts = append(parts, nest(named(s.Loc), g))
			}
		}
	}
	return validateValue(l, config, strings.Join(parts, " & "))
}

// named replaces "<name>" by an entry name.
func named(loc []string) []string {
	out := append([]string{}, loc...)
	for i, p := range out {
		if p == "<name>" {
			out[i] = "x"
		}
	}
	return out
}

// nest writes value at path as CUE: {a: {b: value}}.
func nest(path []string, value string) string {
	out := value
	for i := len(path) - 1; i >= 0; i-- {
		out = "{" + strconv.Quote(path[i]) + ": " + out + "}"
	}
	return out
}

// allFlagsConfig stands for #NixOSConfig with every modules flag on.
const allFlagsConfig = "#NixOSConfig, every flag on"

func validateValue(l *load.Loader, config, value string) error {
	var c cue.Value
	if config == allFlagsConfig {
		// The flags are a hidden field of the schema's package: found,
		// not spelt.
		c = l.Schema().LookupPath(cue.ParsePath("#NixOSConfig"))
		it, err := c.Fields(cue.Hidden(true), cue.Optional(true))
		if err != nil {
			return err
		}
		for it.Next() {
			if it.Selector().String() == "_modules" {
				c = c.FillPath(cue.MakePath(it.Selector()), l.Context().CompileString(allModules))
			}
		}
	} else {
		c = l.Context().CompileString(config, cue.Scope(l.Schema()))
	}
	v := c.Unify(l.Context().CompileString(value, cue.Scope(l.Schema())))
	if err := v.Err(); err != nil {
		return err
	}
	return v.Validate(cue.Concrete(true))
}

// checkAttribute finds o's @option attribute in set and compares its type
// and default with the options file.
func checkAttribute(t *testing.T, attrs []schema.Option, set string, o *schemagen.Option) {
	name := strings.Join(o.Loc, ".")
	for _, a := range attrs {
		if a.Set != set || a.Name != name {
			continue
		}
		if a.Type != o.Type {
			t.Errorf("type attribute %q, want %q", a.Type, o.Type)
		}
		if o.Default != nil {
			v, ok := schemagen.ParseNixLiteral(o.Default.Text)
			if !ok {
				t.Errorf("default %q is not a Nix literal", o.Default.Text)
				return
			}
			want, _ := json.Marshal(v)
			if a.Default != string(want) {
				t.Errorf("default attribute %s, want %s", a.Default, want)
			}
		} else if a.Default != "" {
			t.Errorf("default attribute %s, want none", a.Default)
		}
		if a.ReadOnly != o.ReadOnly {
			t.Errorf("readOnly attribute %v, want %v", a.ReadOnly, o.ReadOnly)
		}
		return
	}
	t.Errorf("no @option attribute for %s", name)
}
