package jsonschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"cuelang.org/go/cue"
	validator "github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/load/loadtest"
	"github.com/axc-dev/axc/internal/release"
	"github.com/axc-dev/axc/schema"
)

func releaseTable(t testing.TB) *release.Table {
	t.Helper()
	src, err := fs.ReadFile(schema.Files, schema.ReleasesFile)
	if err != nil {
		t.Fatal(err)
	}
	table, err := release.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	return table
}

// generate exports the schema of release tag.
func generate(t testing.TB, tag string) []byte {
	t.Helper()
	fsys, err := schema.Release(tag)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Generate(fsys, tag)
	if err != nil {
		t.Fatalf("%s: %v", tag, err)
	}
	return out
}

// compile compiles the schema out, at its root or at a pointer such as
// "#/$defs/User", with the validator library (which checks it against the
// draft 2020-12 meta-schema first).
func compile(t testing.TB, out []byte, ptr string) *validator.Schema {
	t.Helper()
	doc, err := validator.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	c := validator.NewCompiler()
	if err := c.AddResource("host.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("host.schema.json" + ptr)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// instance turns a Go value into what the validator validates.
func instance(t testing.TB, v any) any {
	t.Helper()
	js, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := validator.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

// exportHosts is what `cue export` gives for each host at dir, against
// release tag, decoded.
func exportHosts(t testing.TB, tag, dir string) map[string]map[string]any {
	t.Helper()
	_, res := loadtest.Load(t, tag, dir)
	if len(res.Hosts) == 0 {
		t.Fatalf("no hosts in %s", dir)
	}
	hosts := map[string]map[string]any{}
	res.Each(func(i int, h *load.Host, v cue.Value) {
		js, err := v.MarshalJSON()
		if err != nil {
			t.Errorf("%s: %v", h.Name, err)
			return
		}
		var m map[string]any
		if err := json.Unmarshal(js, &m); err != nil {
			t.Fatal(err)
		}
		hosts[h.Name] = m
	})
	return hosts
}

// clone deep-copies a decoded JSON value.
func clone(t testing.TB, m map[string]any) map[string]any {
	t.Helper()
	js, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(js, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// set sets the value at a dotted path of m, making structs on the way.
func set(m map[string]any, path string, v any) {
	parts := strings.Split(path, ".")
	for _, p := range parts[:len(parts)-1] {
		next, ok := m[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[p] = next
		}
		m = next
	}
	m[parts[len(parts)-1]] = v
}

// firstOption is the first NixOS option of release tag whose type
// contains typ and whose name has no <name>.
func firstOption(t testing.TB, tag, typ string) string {
	t.Helper()
	fsys, err := schema.Release(tag)
	if err != nil {
		t.Fatal(err)
	}
	opts, err := schema.OptionsFrom(fsys)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range opts {
		if o.Set == "nixos" && !o.ReadOnly && strings.Contains(o.Type, typ) && !strings.Contains(o.Name, "<name>") {
			return o.Name
		}
	}
	t.Fatalf("%s: no option of type %q", tag, typ)
	return ""
}

// The schema of the newest release validates the shipped hosts, and that
// of the pinned commit 96990f9 its example fleet; each refuses a bad enum,
// a port out of range, an unknown host field and an unknown option in a
// closed namespace, and takes raw Nix where an option does and a host
// without hostname.
func TestShippedHosts(t *testing.T) {
	for _, c := range []struct{ tag, dir string }{
		{releaseTable(t).Newest().Tag, filepath.Join("..", "..", "examples", "fleet", "hosts")},
		{"96990f9", filepath.Join("..", "..", "testdata", "fleet-2025.11", "hosts")},
	} {
		t.Run(c.tag, func(t *testing.T) {
			sch := compile(t, generate(t, c.tag), "")
			hosts := exportHosts(t, c.tag, c.dir)
			var some map[string]any
			for name, h := range hosts {
				if err := sch.Validate(instance(t, h)); err != nil {
					t.Errorf("host %s: %v", name, err)
				}
				some = h
			}
			fsys, _ := schema.Release(c.tag)
			contract, err := schema.ReadContract(fsys)
			if err != nil {
				t.Fatal(err)
			}
			config := contract.ConfigField
			port := firstOption(t, c.tag, "between 0 and 65535")
			boolean := firstOption(t, c.tag, "boolean")
			for _, m := range []struct {
				what  string
				path  string
				value any
				ok    bool
			}{
				{"a form factor", "formFactor", "laptop", true},
				{"a bad enum", "formFactor", "tablet", false},
				{"a port", config + "." + port, 8080, true},
				{"a port out of range", config + "." + port, 70000, false},
				{"a negative port", config + "." + port, -1, false},
				{"a port that is a string", config + "." + port, "8080", false},
				{"an unknown host field", "hostnme", "x", false},
				{"an unknown option in a closed namespace", config + "." + contract.Closed[0] + ".axcNoSuchOption", true, false},
				{"an unknown option in an open namespace", config + ".services.axcNoSuchService.enable", true, true},
				{"raw Nix for a boolean", config + "." + boolean, map[string]any{"$nix": "lib.mkForce false"}, true},
				{"raw Nix that is not a string", config + "." + boolean, map[string]any{"$nix": 1}, false},
				{"raw Nix with another field", config + "." + boolean, map[string]any{"$nix": "true", "x": 1}, false},
				{"a bad host name", "hostname", "-x", false},
			} {
				h := clone(t, some)
				set(h, m.path, m.value)
				err := sch.Validate(instance(t, h))
				if (err == nil) != m.ok {
					t.Errorf("%s (%s = %v): valid %v, want %v (%v)", m.what, m.path, m.value, err == nil, m.ok, err)
				}
			}
			// A file names its host: axc gives it that hostname.
			h := clone(t, some)
			delete(h, "hostname")
			if err := sch.Validate(instance(t, h)); err != nil {
				t.Errorf("a host without hostname: %v", err)
			}
		})
	}
}

// Every release exports a schema that compiles, the same each time, whose
// patterns use no POSIX class (which ECMA-262, the editors' regular
// expressions, lacks), and with a User exactly when the release has #User.
func TestEveryRelease(t *testing.T) {
	posix := regexp.MustCompile(`\[:[a-z]+:\]`)
	for _, tag := range releaseTable(t).Tags() {
		out := generate(t, tag)
		if again := generate(t, tag); !bytes.Equal(out, again) {
			t.Errorf("%s: two exports differ", tag)
		}
		compile(t, out, "")
		var doc struct {
			Schema string                     `json:"$schema"`
			Defs   map[string]json.RawMessage `json:"$defs"`
		}
		if err := json.Unmarshal(out, &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Schema != Draft {
			t.Errorf("%s: $schema %q", tag, doc.Schema)
		}
		for _, m := range regexp.MustCompile(`"pattern": ("(?:[^"\\]|\\.)*")`).FindAllSubmatch(out, -1) {
			var p string
			if err := json.Unmarshal(m[1], &p); err != nil {
				t.Fatal(err)
			}
			if posix.MatchString(p) {
				t.Errorf("%s: pattern %q has a POSIX class", tag, p)
			}
		}
		fsys, _ := schema.Release(tag)
		pkg, err := buildSchema(fsys)
		if err != nil {
			t.Fatal(err)
		}
		_, hasUser := doc.Defs["User"]
		if want := pkg.LookupPath(cue.ParsePath(userDef)).Exists(); hasUser != want {
			t.Errorf("%s: $defs/User present %v, #User %v", tag, hasUser, want)
		}
		if hasUser {
			checkUser(t, tag, out)
		}
	}
}

// checkUser: $defs/User takes a user with the required fields only, and
// refuses an unknown field.
func checkUser(t *testing.T, tag string, out []byte) {
	sch := compile(t, out, "#/$defs/User")
	var defs struct {
		Defs struct {
			User struct {
				Required   []string                   `json:"required"`
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"User"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(out, &defs); err != nil {
		t.Fatal(err)
	}
	user := map[string]any{}
	for _, f := range defs.Defs.User.Required {
		user[f] = "Ada Lovelace" // the required fields of users are names
	}
	if err := sch.Validate(instance(t, user)); err != nil {
		t.Errorf("%s: user %v: %v", tag, user, err)
	}
	user["axcNoSuchField"] = true
	if err := sch.Validate(instance(t, user)); err == nil {
		t.Errorf("%s: a user with an unknown field is valid", tag)
	}
}

// A POSIX class becomes its ECMA-262 spelling, and nothing else changes.
func TestECMARegexp(t *testing.T) {
	for in, want := range map[string]string{
		`^[[:alnum:]]([[:alnum:]_-]{0,61})?$`: `^[a-zA-Z0-9]([a-zA-Z0-9_-]{0,61})?$`,
		`^\.\.?(/[A-Za-z0-9._+-]+)+$`:         `^\.\.?(/[A-Za-z0-9._+-]+)+$`,
		`[[:space:][:digit:]]`:                `[\s0-9]`,
	} {
		if got := ecmaRegexp(in); got != want {
			t.Errorf("ecmaRegexp(%q) = %q, want %q", in, got, want)
		}
		if _, err := regexp.Compile(ecmaRegexp(in)); err != nil {
			t.Errorf("%q: %v", ecmaRegexp(in), err)
		}
	}
}

// A field with a default keeps its bounds (CUE's own generator drops
// them), its default, and a field without one is required, but for the
// hostname axc supplies.
func TestBoundsWithDefault(t *testing.T) {
	fsys := fstest.MapFS{"host.cue": {Data: []byte(`package schema

#Host: {
	hostname!: string
	// port is where it listens.
	port:  *8080 | int & >=1 & <=65535
	level: *"info" | "debug" | "warn"
	name:  string
	modules: a: *false | bool @flag("a")
	extraConfig: #NixOSConfig & {_modules: modules} @nixos()
}

#NixOSConfig: {
	_modules: {...}
	...
}
`)}}
	out, err := Generate(fsys, "test")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Defs struct {
			Host struct {
				Required   []string `json:"required"`
				Properties struct {
					Port  map[string]any `json:"port"`
					Level map[string]any `json:"level"`
				} `json:"properties"`
			} `json:"Host"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	host := doc.Defs.Host
	port := host.Properties.Port
	if port["minimum"] != 1.0 || port["maximum"] != 65535.0 || port["default"] != 8080.0 || port["type"] != "integer" {
		t.Errorf("port: %v", port)
	}
	if port["description"] != "port is where it listens." {
		t.Errorf("port description: %q", port["description"])
	}
	if host.Properties.Level["default"] != "info" || len(host.Properties.Level["enum"].([]any)) != 3 {
		t.Errorf("level: %v", host.Properties.Level)
	}
	// hostname! is required in CUE, but axc gives a host its name.
	if !slices.Equal(host.Required, []string{"name"}) {
		t.Errorf("required %v, want name", host.Required)
	}
	sch := compile(t, out, "")
	for _, c := range []struct {
		host string
		ok   bool
	}{
		{`{"hostname": "a", "name": "x"}`, true},
		{`{"hostname": "a", "name": "x", "port": 443}`, true},
		{`{"hostname": "a", "name": "x", "port": 0}`, false},
		{`{"hostname": "a", "name": "x", "port": 70000}`, false},
		{`{"hostname": "a", "name": "x", "level": "trace"}`, false},
		{`{"hostname": "a"}`, false},
		{`{"name": "x"}`, true},
	} {
		inst, err := validator.UnmarshalJSON(strings.NewReader(c.host))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); (err == nil) != c.ok {
			t.Errorf("%s: valid %v, want %v (%v)", c.host, err == nil, c.ok, err)
		}
	}
}

// Every option's example (its author's) is in the schema of its field:
// a JSON one in examples, valid against that schema; one that is no JSON
// value in the description, as Nix.
func TestExamplesValid(t *testing.T) {
	for _, tag := range releaseTable(t).Tags() {
		out := generate(t, tag)
		doc, err := validator.UnmarshalJSON(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		c := validator.NewCompiler()
		if err := c.AddResource("host.schema.json", doc); err != nil {
			t.Fatal(err)
		}
		var tree any
		if err := json.Unmarshal(out, &tree); err != nil {
			t.Fatal(err)
		}
		// Each option's fields (an option can be set in a section and in
		// extraConfig), and those that show its example.
		fields, shown := map[string]int{}, map[string]int{}
		var walk func(v any, ptr string)
		walk = func(v any, ptr string) {
			switch v := v.(type) {
			case map[string]any:
				d, _ := v["description"].(string)
				name, isOption := strings.CutPrefix(d, "NixOS option ")
				name, _, _ = strings.Cut(name, ": ")
				if isOption {
					fields[name]++
				}
				if exs, ok := v["examples"].([]any); ok {
					shown[name]++
					sch, err := c.Compile("host.schema.json#" + ptr)
					if err != nil {
						t.Fatalf("%s: %s: %v", tag, ptr, err)
					}
					for _, ex := range exs {
						if err := sch.Validate(instance(t, ex)); err != nil {
							t.Errorf("%s: %s: example %v: %v", tag, ptr, ex, err)
						}
					}
				} else if strings.Contains(d, "\n\nExample (Nix):\n\n") {
					shown[name]++
				}
				for k, x := range v {
					walk(x, ptr+"/"+strings.NewReplacer("~", "~0", "/", "~1").Replace(k))
				}
			case []any:
				for i, x := range v {
					walk(x, fmt.Sprintf("%s/%d", ptr, i))
				}
			}
		}
		walk(tree, "")
		fsys, _ := schema.Release(tag)
		opts, err := schema.OptionsFrom(fsys)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, o := range opts {
			if (o.Example != "" || o.ExampleText != "") && !o.ReadOnly && fields[o.Name] > 0 {
				n++
				if shown[o.Name] == 0 {
					t.Errorf("%s: option %s: example not shown", tag, o.Name)
				}
			}
		}
		if n == 0 {
			t.Errorf("%s: no option with an example", tag)
		}
	}
}
