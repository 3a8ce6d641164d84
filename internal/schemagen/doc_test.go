package schemagen

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/parser"

	"github.com/axc-dev/axc/internal/nix/nixtest"
	"github.com/axc-dev/axc/schema"
)

func TestDocLines(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"One line.", []string{"One line."}},
		{"\n\nA.\n\n\n\nB.  \n\n", []string{"A.", "", "B."}},
		{"A:\n- x\n  y\r\nz", []string{"A:", "- x", "  y", "z"}},
		{"bell\a, escape\x1b[31m, nul\x00, bom\ufeff, ls\u2028, c1\u0085.", []string{"bell , escape [31m, nul , bom , ls , c1 ."}},
		{"tab\tkept", []string{"tab\tkept"}},
		{"bad \xff utf-8", []string{"bad \ufffd utf-8"}},
	} {
		if got := DocLines(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("DocLines(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// genOne generates the schema of one NixOS option a.b with description
// desc and example text ex, and one in a submodule (a.s.<name>.c) with the
// same.
func genOne(t *testing.T, desc, ex string) []byte {
	t.Helper()
	c, err := schema.ReadContract(schema.Files)
	if err != nil {
		t.Fatal(err)
	}
	var example *Literal
	if ex != "" {
		example = &Literal{Type: "literalExpression", Text: ex}
	}
	mk := func(loc []string, typ string) *Option {
		o := &Option{Name: strings.Join(loc, "."), Loc: loc, Type: typ, Declarations: []string{"modules/system"}, Description: desc, Example: example}
		p, err := ParseType(typ)
		if err != nil {
			t.Fatal(err)
		}
		o.parsed = p
		return o
	}
	nixos := []*Option{
		mk([]string{"cairn", "b"}, "string"),
		mk([]string{"cairn", "s"}, "attribute set of (submodule)"),
		mk([]string{"cairn", "s", "<name>", "c"}, "string"),
	}
	src, err := Generate(c, nixos, []*Option{mk([]string{"h"}, "boolean")}, "test")
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// An option's description becomes the doc comment of its field, and its
// example an attribute argument: CUE parses the file and sees the same
// text as ScanOptions, which is DocLines' lines, whatever the text holds.
func FuzzDocRoundTrip(f *testing.F) {
	for _, s := range []struct{ desc, ex string }{
		{"Plain.", `"x"`},
		{"A:\n- x\n\n  code = 1;\n", "[ 1 2 ]"},
		{`say @option(name="x") and "quotes" // and */ /* comments`, `"@option(\"y\")"`},
		{"\x00\x1b[2J\r\n\ufeff\u2028", "./secrets"},
		{"}\n{\n} @option(name=\"z\")", "''\n  a\n''"},
		{"", ""},
	} {
		f.Add(s.desc, s.ex)
	}
	f.Fuzz(func(t *testing.T, desc, ex string) {
		src := genOne(t, desc, ex)
		file, err := parser.ParseFile("gen.cue", src, parser.ParseComments)
		if err != nil {
			t.Fatalf("generated file does not parse: %v\n%s", err, src)
		}
		want := strings.Join(DocLines(desc), "\n")
		docs := map[string]string{}
		ast.Walk(file, func(n ast.Node) bool {
			if fld, ok := n.(*ast.Field); ok {
				for _, a := range fld.Attrs {
					if k, body := a.Split(); k == "option" {
						docs[body[:strings.Index(body+",", ",")]] = schema.FieldDoc(fld)
					}
				}
			}
			return true
		}, nil)
		opts, err := schema.ScanOptions(src)
		if err != nil {
			t.Fatal(err)
		}
		if len(opts) != 4 {
			t.Fatalf("ScanOptions found %d options, want 4", len(opts))
		}
		for _, o := range opts {
			if o.Doc != want {
				t.Errorf("%s: ScanOptions doc %q, want %q", o.Name, o.Doc, want)
			}
			if syn := docs[fmt.Sprintf("name=%q", o.Name)]; syn != want {
				t.Errorf("%s: CUE doc %q, want %q", o.Name, syn, want)
			}
			if o.Set == "home" {
				continue
			}
			lit := Literal{Type: "literalExpression", Text: ex}
			js, isJSON := lit.JSON()
			switch {
			case ex == "":
				if o.Example != "" || o.ExampleText != "" {
					t.Errorf("%s: example %q %q, want none", o.Name, o.Example, o.ExampleText)
				}
			case isJSON && o.Example != js, !isJSON && o.ExampleText != strings.ToValidUTF8(ex, "\uFFFD"):
				t.Errorf("%s: example %q, exampleText %q; want %q", o.Name, o.Example, o.ExampleText, ex)
			}
		}
	})
}

// ParseNixLiteral agrees with Nix: every default and example of every
// release's option files that it takes for data, and more cases, is the
// value nix-instantiate gives (floats aside: Nix 2.8 prints six digits).
func TestParseNixLiteralMatchesNix(t *testing.T) {
	texts := []string{
		`"a\nb\t\${x}\$y"`, `''
  indented ''${x}
    more '''
''`, `{ a.b = 1; a.c = [ true null ]; "d e" = { }; }`, `[ (-1) 007 ]`, `https://nixos.org/x`,
		`{ a = { b = 1; }; a.c = 2; }`, `("x")`,
	}
	dirs, err := filepath.Glob(filepath.Join("..", "..", "testdata", "releases", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no releases: %v", err)
	}
	for _, d := range dirs {
		for _, f := range []string{"nixos-options.json", "home-options.json"} {
			data, err := os.ReadFile(filepath.Join(d, f))
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]*Option
			if err := json.Unmarshal(data, &m); err != nil {
				t.Fatal(err)
			}
			for _, o := range m {
				for _, l := range []*Literal{o.Default, o.Example} {
					if l != nil {
						texts = append(texts, l.Text)
					}
				}
			}
		}
	}
	slices.Sort(texts)
	texts = slices.Compact(texts)
	var exprs, wants []string
	for _, text := range texts {
		v, ok := ParseNixLiteral(text)
		if !ok || hasFloat(v) {
			continue
		}
		js, _ := json.Marshal(v)
		exprs = append(exprs, "("+text+"\n)")
		wants = append(wants, string(js))
	}
	if len(exprs) < 50 {
		t.Fatalf("only %d literals to check", len(exprs))
	}
	got := nixtest.EvalJSON(t, "[\n"+strings.Join(exprs, "\n")+"\n]", t.TempDir())
	list, ok := got.([]any)
	if !ok || len(list) != len(wants) {
		t.Fatalf("nix gave %v", got)
	}
	for i, g := range list {
		var want any
		dec := json.NewDecoder(strings.NewReader(wants[i]))
		dec.UseNumber()
		if err := dec.Decode(&want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(g, want) {
			t.Errorf("%s: ParseNixLiteral gives %s, Nix %v", exprs[i], wants[i], g)
		}
	}
}

func hasFloat(v any) bool {
	switch v := v.(type) {
	case float64:
		return true
	case []any:
		return slices.ContainsFunc(v, hasFloat)
	case map[string]any:
		for _, x := range v {
			if hasFloat(x) {
				return true
			}
		}
	}
	return false
}
