package load

import (
	"testing"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/build"
	"cuelang.org/go/cue/cuecontext"
	"cuelang.org/go/cue/parser"

	"github.com/axc-dev/axc/internal/release"
	"github.com/axc-dev/axc/schema"
)

// Every release's lean schema has no error(...) alternative left, keeps the
// error(...) values that are not alternatives, and evaluates without error.
func TestMakeLean(t *testing.T) {
	table, err := release.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, tag := range table.Tags() {
		fsys, err := schema.Release(tag)
		if err != nil {
			t.Fatal(err)
		}
		l, err := NewWithSchema(fsys)
		if err != nil {
			t.Fatal(err)
		}
		files := l.files
		full, err := schemaInstance(build.NewContext(), schemaSource{files: files, cfg: parser.NewConfig(), dir: "schema"})
		if err != nil {
			t.Fatal(err)
		}
		lean, err := schemaInstance(build.NewContext(), schemaSource{files: files, cfg: parser.NewConfig(), dir: "schema", lean: true})
		if err != nil {
			t.Fatal(err)
		}
		alternatives, others := errorCalls(full.Files)
		leanAlternatives, leanOthers := errorCalls(lean.Files)
		if alternatives == 0 || leanAlternatives != 0 || leanOthers != others {
			t.Errorf("%s: error(...) alternatives %d, others %d; lean: %d and %d", tag, alternatives, others, leanAlternatives, leanOthers)
		}
		if err := cuecontext.New().BuildInstance(lean).Err(); err != nil {
			t.Errorf("%s: lean schema: %v", tag, err)
		}
	}
}

// errorCalls counts the calls of error in files that are an alternative of
// a disjunction, and the others.
func errorCalls(files []*ast.File) (alternatives, others int) {
	for _, f := range files {
		ast.Walk(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BinaryExpr:
				if n.Op.String() == "|" {
					for _, e := range []ast.Expr{n.X, n.Y} {
						if isErrorCall(e) {
							alternatives++
							others-- // counted again below, as a call
						}
					}
				}
			case *ast.CallExpr:
				if isErrorCall(n) {
					others++
				}
			}
			return true
		}, nil)
	}
	return alternatives, others
}
