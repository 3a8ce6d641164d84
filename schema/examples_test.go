package schema_test

import (
	"io/fs"
	"strings"
	"testing"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/literal"
	"cuelang.org/go/cue/parser"
	"cuelang.org/go/cue/token"

	"github.com/axc-dev/axc/internal/schemagen"
	"github.com/axc-dev/axc/schema"
)

// A message that suggests a value for an option ("set it, e.g. …") takes
// the release's own example, from the generated #OptionExample, rather
// than one of its own: no string of any release's schema writes a value
// after "e.g.", no check says "such as" one, and every example a message
// names is one the release's options give.
func TestMessagesUseReleaseExamples(t *testing.T) {
	for _, tag := range releaseTags {
		fsys, err := schema.Release(tag)
		if err != nil {
			t.Fatal(err)
		}
		gen, err := parser.ParseFile(schema.GenFile, mustRead(t, fsys, schema.GenFile))
		if err != nil {
			t.Fatal(err)
		}
		examples := map[string]bool{}
		if st := schema.TopStruct(gen, schemagen.ExampleDef); st != nil {
			for _, d := range st.Elts {
				if f, ok := d.(*ast.Field); ok {
					name, _, _ := ast.LabelName(f.Label)
					examples[name] = true
				}
			}
		}
		entries, err := fs.ReadDir(fsys, ".")
		if err != nil {
			t.Fatal(err)
		}
		uses := 0
		for _, e := range entries {
			if e.Name() == schema.GenFile || !strings.HasSuffix(e.Name(), ".cue") {
				continue
			}
			f, err := parser.ParseFile(e.Name(), mustRead(t, fsys, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			ast.Walk(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.BasicLit:
					if n.Kind != token.STRING {
						break
					}
					if strings.Contains(n.Value, `e.g. \"`) || e.Name() == "checks.cue" && strings.Contains(n.Value, `such as \"`) {
						t.Errorf("%s/%s: %s: a value of its own in %s: use the release's example, \\(%s[\"OPTION\"])", tag, e.Name(), n.Pos(), n.Value, schemagen.ExampleDef)
					}
				case *ast.IndexExpr:
					id, ok := n.X.(*ast.Ident)
					if !ok || id.Name != schemagen.ExampleDef {
						break
					}
					uses++
					var name string
					key, ok := n.Index.(*ast.BasicLit)
					if ok {
						var err error
						name, err = literal.Unquote(key.Value)
						ok = err == nil
					}
					if !ok {
						t.Errorf("%s/%s: %s: %s needs an option name", tag, e.Name(), n.Pos(), schemagen.ExampleDef)
					} else if !examples[name] {
						t.Errorf("%s/%s: %s: option %s has no example in %s", tag, e.Name(), n.Pos(), name, tag)
					}
				}
				return true
			}, nil)
		}
		if uses == 0 {
			t.Errorf("%s: no message uses %s", tag, schemagen.ExampleDef)
		}
	}
}

func mustRead(t *testing.T, fsys fs.FS, name string) []byte {
	t.Helper()
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
