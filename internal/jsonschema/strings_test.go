package jsonschema

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/parser"

	"github.com/axc-dev/axc/internal/load"
)

// decodeDoc is an export, decoded, and its $defs.
func decodeDoc(t *testing.T, out []byte) (any, map[string]any) {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	defs, _ := doc["$defs"].(map[string]any)
	return doc, defs
}

// walkSchemas calls f with every schema object below v and its pointer.
func walkSchemas(v any, ptr string, f func(s map[string]any, ptr string)) {
	switch v := v.(type) {
	case map[string]any:
		f(v, ptr)
		for k, x := range v {
			walkSchemas(x, ptr+"/"+k, f)
		}
	case []any:
		for i, x := range v {
			walkSchemas(x, fmt.Sprintf("%s/%d", ptr, i), f)
		}
	}
}

// admitsStrings reports whether schema s may admit a string: what an
// editor validates a string against as one alternative of an anyOf.
func admitsStrings(s any, defs map[string]any, depth int) bool {
	m, ok := s.(map[string]any)
	if !ok {
		return s != false
	}
	if ref, ok := m["$ref"].(string); ok && depth < 16 {
		return admitsStrings(defs[strings.TrimPrefix(ref, "#/$defs/")], defs, depth+1)
	}
	for _, key := range []string{"enum", "const"} {
		if v, ok := m[key]; ok {
			vals, _ := v.([]any)
			if key == "const" {
				vals = []any{v}
			}
			for _, x := range vals {
				if _, ok := x.(string); ok {
					return true
				}
			}
			return false
		}
	}
	switch t := m["type"].(type) {
	case string:
		return t == "string"
	case []any:
		for _, x := range t {
			if x == "string" {
				return true
			}
		}
		return false
	}
	if alts, ok := m["anyOf"].([]any); ok {
		for _, a := range alts {
			if admitsStrings(a, defs, depth+1) {
				return true
			}
		}
		return false
	}
	return true
}

// Of every release's export, an editor's complaint about a string says
// what is expected: every pattern has a patternErrorMessage, and in an
// anyOf only the first alternative admits strings (yaml-language-server
// reports, of alternatives that fail alike, the first one's complaint: an
// enum's `Valid values: ""` before a pattern's was how `""` or `null`
// came to be all an email or a path was said to be).
func TestPatternsSayWhatIsExpected(t *testing.T) {
	// The fields axc gives a host that lacks them.
	with, err := parser.ParseExpr("with", load.Hosts.With)
	if err != nil {
		t.Fatal(err)
	}
	supplied := map[string]bool{}
	for _, d := range with.(*ast.StructLit).Elts {
		name, _, _ := ast.LabelName(d.(*ast.Field).Label)
		supplied[name] = true
	}
	if !supplied["hostname"] {
		t.Fatalf("axc supplies no hostname (%s): the test of required below says little", load.Hosts.With)
	}
	for _, tag := range releaseTable(t).Tags() {
		out := generate(t, tag)
		doc, defs := decodeDoc(t, out)
		patterns := 0
		walkSchemas(doc, "", func(s map[string]any, ptr string) {
			if _, ok := s["pattern"]; ok {
				patterns++
				if msg, _ := s["patternErrorMessage"].(string); !strings.HasPrefix(msg, "Expected ") {
					t.Errorf("%s: %s: pattern %v says %q, not what is expected", tag, ptr, s["pattern"], msg)
				}
			}
			alts, _ := s["anyOf"].([]any)
			for i, a := range alts {
				if i > 0 && admitsStrings(a, defs, 0) {
					t.Errorf("%s: %s/anyOf/%d admits strings, after another alternative", tag, ptr, i)
				}
			}
		})
		if patterns == 0 {
			t.Errorf("%s: no pattern", tag)
		}
		host, _ := defs["Host"].(map[string]any)
		required, _ := host["required"].([]any)
		for _, r := range required {
			if supplied[r.(string)] {
				t.Errorf("%s: Host requires %s, which axc supplies", tag, r)
			}
		}
	}
}

// The string alternatives of a disjunction, merged into one pattern, admit
// exactly the strings CUE admits; the pattern says what the disjunction's
// error("…") says is expected; literals alone stay an enum (which editors
// complete), and a plain string type takes the patterns in.
func TestStringAlternatives(t *testing.T) {
	fsys := fstest.MapFS{"host.cue": {Data: []byte(`package schema

import "encoding/json"

#Host: {
	hostname!: #Hostname | error("\(json.Marshal(hostname)) is not a valid host name")
	email?: #Email | #Nix | error("\(json.Marshal(email)) is not an email address (name@example.org) or \"\"")
	dir?: null | #AbsolutePath | #Nix | error("\(json.Marshal(dir)) is not null or an absolute path")
	dots?: [...("a.b" | "(c)" | =~"^x+$" | error("must be a.b, (c) or x's"))]
	level?: "info" | "debug" | error("\(json.Marshal(level)) is not one of \"info\", \"debug\"")
	name?: string | =~"^x"
	quiet?: "" | =~"^q+$"
	modules: a: *false | bool @flag("a")
	extraConfig: #NixOSConfig & {_modules: modules} @nixos()
}

#Hostname: =~"^[a-z]+$"
#Email: "" | =~"^[^@]+@[^@]+$"
#AbsolutePath: =~"^/" | #RelativePath
#RelativePath: =~"^\\./[a-z]+$"
#Nix: {$nix!: string}

#NixOSConfig: {
	_modules: {...}
	...
}
`)}}
	out, err := Generate(fsys, "test")
	if err != nil {
		t.Fatal(err)
	}
	_, defs := decodeDoc(t, out)
	props := defs["Host"].(map[string]any)["properties"].(map[string]any)
	first := func(field string) map[string]any {
		s := props[field].(map[string]any)
		if items, ok := s["items"].(map[string]any); ok {
			s = items
		}
		if alts, ok := s["anyOf"].([]any); ok {
			return alts[0].(map[string]any)
		}
		return s
	}
	for field, want := range map[string]string{
		"hostname": `{"description":"When absent, axc sets it to the host's name: the name of its JSON or YAML file without the extension (web-01.yaml: web-01), its field's name in CUE.","type":"string","pattern":"^[a-z]+$","patternErrorMessage":"Expected a valid host name"}`,
		"email":    `{"type":"string","pattern":"^$|^[^@]+@[^@]+$","patternErrorMessage":"Expected an email address (name@example.org) or \"\""}`,
		"dir":      `{"type":["null","string"],"pattern":"^/|^\\./[a-z]+$","patternErrorMessage":"Expected null or an absolute path"}`,
		"dots":     `{"type":"string","pattern":"^a\\.b$|^\\(c\\)$|^x+$","patternErrorMessage":"Expected a.b, (c) or x's"}`,
		"level":    `{"enum":["info","debug"]}`,
		"name":     `{"type":"string"}`,
		// No message to give: "" still joins the pattern, not an enum.
		"quiet": `{"type":"string","pattern":"^$|^q+$"}`,
	} {
		var w any
		if err := json.Unmarshal([]byte(want), &w); err != nil {
			t.Fatal(err)
		}
		if got := first(field); !reflect.DeepEqual(got, w) {
			js, _ := json.Marshal(got)
			t.Errorf("%s: first alternative\n%s\nwant\n%s", field, js, want)
		}
	}
	// The definitions whose alternatives were taken in are gone.
	for _, name := range []string{"Hostname", "Email", "AbsolutePath", "RelativePath"} {
		if _, ok := defs[name]; ok {
			t.Errorf("$defs/%s is still written", name)
		}
	}

	// What each admits, as CUE says.
	pkg, err := buildSchema(fsys)
	if err != nil {
		t.Fatal(err)
	}
	hostDefV := pkg.LookupPath(cue.ParsePath(hostDef))
	sch := compile(t, out, "")
	values := []any{"", "a", "ab", "a.b", "axb", "(c)", "c", "x", "xx", "xa", "q", "qq", "info", "trace",
		"a@b", "@b", "a@", "/", "/etc", "./ab", "./a/b", "../a", nil, 1, true, map[string]any{"$nix": "x"}}
	for _, field := range []string{"hostname", "email", "dir", "dots", "level", "name", "quiet"} {
		valid := 0
		for _, v := range values {
			var js any = v
			if field == "dots" {
				js = []any{v}
			}
			host := map[string]any{"hostname": "h", field: js}
			if field == "hostname" {
				host = map[string]any{field: js}
			}
			cueOK := hostDefV.Unify(pkg.Context().Encode(host)).Validate(cue.Concrete(true)) == nil
			err := sch.Validate(instance(t, host))
			if (err == nil) != cueOK {
				t.Errorf("%s: %#v: JSON Schema says valid %v, CUE %v (%v)", field, v, err == nil, cueOK, err)
			}
			if cueOK {
				valid++
			}
		}
		if valid == 0 || valid == len(values) {
			t.Errorf("%s: %d of %d values valid: the values test nothing", field, valid, len(values))
		}
	}
}
