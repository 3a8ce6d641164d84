package load

import (
	"testing"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/build"
	"cuelang.org/go/cue/cuecontext"
	"cuelang.org/go/cue/format"
	"cuelang.org/go/cue/parser"

	"github.com/axc-dev/axc/internal/release"
	"github.com/axc-dev/axc/schema"
)

// Every release's lean schema has no error(...) alternative left, keeps the
// error(...) values that are not alternatives but without their messages
// (and without the lets only those read), and evaluates without error.
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
		if msgs := errorMessages(lean.Files); len(msgs) != 1 || !msgs[`"`+leanMessage+`"`] {
			t.Errorf("%s: lean error messages %v, want only %q", tag, msgs, leanMessage)
		}
		// turnOn (generated) and _rootName (checks.cue) are read by messages only.
		if lets := letNames(full.Files); !lets["turnOn"] || !lets["_rootName"] {
			t.Errorf("%s: no lets turnOn and _rootName in the full schema (%v): test the lean one with others", tag, lets)
		}
		if lets := letNames(lean.Files); lets["turnOn"] || lets["_rootName"] || !lets["_formFactor"] {
			t.Errorf("%s: lean lets %v: want no turnOn or _rootName, and _formFactor", tag, lets)
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

// errorMessages are the texts of the arguments of the error(...) calls in
// files.
func errorMessages(files []*ast.File) map[string]bool {
	msgs := map[string]bool{}
	for _, f := range files {
		ast.Walk(f, func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok && isErrorCall(c) {
				for _, a := range c.Args {
					b, err := format.Node(a)
					if err != nil {
						panic(err)
					}
					msgs[string(b)] = true
				}
			}
			return true
		}, nil)
	}
	return msgs
}

// letNames are the names of the lets files declare.
func letNames(files []*ast.File) map[string]bool {
	names := map[string]bool{}
	for _, f := range files {
		ast.Walk(f, func(n ast.Node) bool {
			if l, ok := n.(*ast.LetClause); ok {
				names[l.Ident.Name] = true
			}
			return true
		}, nil)
	}
	return names
}
