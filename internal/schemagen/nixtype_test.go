package schemagen

import (
	"testing"
)

func TestParseType(t *testing.T) {
	for _, tc := range []struct{ in, cue, describe string }{
		{"boolean", "bool", "a boolean (true or false)"},
		{"signed integer", "int", "an integer"},
		{"16 bit unsigned integer; between 0 and 65535 (both inclusive)", "int & >=0 & <=65535", "an integer from 0 to 65535"},
		{"integer between 1 and 10 (both inclusive)", "int & >=1 & <=10", "an integer from 1 to 10"},
		{"absolute path", "#AbsolutePath", `an absolute path ("/…") or a relative path ("./…", letters, digits and . _ + - only)`},
		{`strings concatenated with "\n"`, "string", "a string (lines)"},
		{`one of "a", "b"`, `"a" | "b"`, `one of "a", "b"`},
		{`null or one of "a", "b", "c"`, `null | "a" | "b" | "c"`, `null or one of "a", "b", "c"`},
		{"list of absolute path", "[...(#AbsolutePath)]", "a list of absolute paths"},
		// Families newer axios releases use.
		{"attribute set of list of string", "{[string]: [...(string)]}", "an attribute set"},
		{"null or (list of string)", "null | [...(string)]", "null or a list of strings"},
		{"attribute set of (submodule)", "{[string]: {...}}", "an attribute set"},
		{"list of (one of \"x\", \"y\")", `[...("x" | "y")]`, `a list of values that are each one of "x", "y"`},
	} {
		typ, err := ParseType(tc.in)
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if got := typ.CUE(); got != tc.cue {
			t.Errorf("%s: CUE %s, want %s", tc.in, got, tc.cue)
		}
		if got := typ.Describe(); got != tc.describe {
			t.Errorf("%s: Describe %q, want %q", tc.in, got, tc.describe)
		}
	}
}

// An unknown type string is an error naming it, never "anything".
func TestParseTypeUnknown(t *testing.T) {
	for _, in := range []string{"package", "list of package", "null or", "one of a, b", "function that evaluates to a(n) string", "(string", "integer between 5 and 1 (both inclusive)"} {
		if _, err := ParseType(in); err == nil {
			t.Errorf("%q: no error", in)
		} else if want := `unknown type "` + in + `"`; err.Error() != want {
			t.Errorf("%q: error %q, want %q", in, err, want)
		}
	}
}

func TestReadOptionsNamesUnknownTypes(t *testing.T) {
	_, err := ReadOptions("x.json", []byte(`{"a.b": {"loc": ["a", "b"], "type": "package"}, "a.c": {"loc": ["a", "c"], "type": "boolean"}}`))
	if err == nil || err.Error() != `x.json: option a.b: unknown type "package"` {
		t.Fatalf("got %v", err)
	}
}

func TestParseNixLiteral(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // JSON, or "" when not a literal
	}{
		{`"iwd"`, `"iwd"`},
		{`true`, `true`},
		{`null`, `null`},
		{`30`, `30`},
		{`-2.5`, `-2.5`},
		{"[\n  \"wheel\"\n]", `["wheel"]`},
		{`[ ]`, `[]`},
		{`{ }`, `{}`},
		{`{ a = 1; "b c" = [ true ]; }`, `{"a":1,"b c":[true]}`},
		{`"\${HOME}/.config/nixos"`, `"${HOME}/.config/nixos"`},
		{`"${HOME}"`, ``},
		{`pkgs.hello`, ``},
		{`[ 1 2`, ``},
		{`{ a = 1; a = 2; }`, ``},
		// Read with the Nix parser: what Nix makes of the text.
		{"''\n  ## Rules\n  - one\n''", `"## Rules\n- one\n"`},
		{"''a''${b}''", `"a${b}"`},
		{"''${x}''", ``},
		{`{ a.b = 1; a.c = 2; }`, `{"a":{"b":1,"c":2}}`},
		{`{ a = { b = 1; }; a.c = 2; }`, `{"a":{"b":1,"c":2}}`},
		{`{ ${"a"} = 1; }`, `{"a":1}`},
		{`{ ${x} = 1; }`, ``},
		{`rec { a = 1; }`, ``},
		{`{ inherit a; }`, ``},
		{`./secrets`, ``},
		{`<nixpkgs>`, ``},
		{`https://nixos.org`, `"https://nixos.org"`},
		{`let a = 1; in a`, ``},
		{`1 + 1`, ``},
		{`-(1)`, ``},
		{`( [ 1 ] )`, `[1]`},
		{`"a" # comment`, `"a"`},
		{`"<b>&"`, `"<b>&"`},
	} {
		v, ok := ParseNixLiteral(tc.in)
		if !ok {
			if tc.want != "" {
				t.Errorf("%q: not a literal, want %s", tc.in, tc.want)
			}
			continue
		}
		js, _ := marshal(v)
		if js != tc.want {
			t.Errorf("%q: %s, want %s", tc.in, js, tc.want)
		}
	}
}
