package load

import (
	"os"
	"path/filepath"
	"testing"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/parser"
	"cuelang.org/go/cue/token"
)

// FuzzExpansion measures any file the parser accepts: expansion never
// panics, takes steps linear in the file's syntax, and a file that only
// writes values out (fields,
// structs, lists, literals: nothing that refers or repeats) measures at
// most its source, so that it is never refused for what it expands to:
// the bounds catch only what references and repetition make.
//
//	go test ./internal/load -run '^$' -fuzz FuzzExpansion
func FuzzExpansion(f *testing.F) {
	for _, src := range []string{
		"package hosts\n\nweb: {a: 1, b: [\"x\", 2.5, null, true], c: d: e: \"f\"}\n",
		"package hosts\n\n\"db-1\": {x: \"\"\"\n\tmulti\n\tline\n\t\"\"\"}\n",
		"package hosts\n\n_l0: [\"a\", \"b\"]\n_l1: [_l0, _l0]\n_l2: [_l1, _l1]\nh: x: _l2\n",
		"package hosts\n\nimport \"strings\"\n\n_s: strings.Repeat(\"ab\", 3)\nh: x: [for k, v in {a: _s} {(k): v}]\n",
		"package hosts\n\nlet x = {a: 1}\nX=h: {b: x, c: X.b, [N=string]: {n: N}}\n",
		"package hosts\n\nh: {a: 1, b: a & {c: 2}, d: \"\\(a)\\(a)\", e: 3 * \"x\", f: [...int]}\n",
		"package hosts\n\na: \"x\" * (a * a)\nb: c.d\nc: d: b\n",
	} {
		f.Add(src)
	}
	// The shipped example fleet's hosts: a seed set that is never empty
	// (a moved fleet fails here rather than seeding nothing).
	files, err := filepath.Glob("../../examples/fleet/hosts/*.cue")
	if err != nil || len(files) == 0 {
		f.Fatalf("no shipped hosts to seed from: %v", err)
	}
	for _, p := range files {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(string(src))
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		file, err := parser.ParseFile("a.cue", src, parser.ParseComments)
		if err != nil {
			return
		}
		x := newExpander("host")
		errs := x.run([]*ast.File{file})
		// Linear: each expression is measured once, each constant folded
		// once, each field selected from an expression once.
		nodes := 0
		ast.Walk(file, func(ast.Node) bool { nodes++; return true }, nil)
		if x.steps > 4*nodes+16 {
			t.Fatalf("%d steps for %d nodes:\n%s", x.steps, nodes, src)
		}
		if !onlyLiterals(file) || len(src) > MaxFileSize {
			return
		}
		if _, _, big := tooBig(file); big {
			return
		}
		if errs != nil {
			t.Fatalf("a literal file is refused: %v\n%s", errs, src)
		}
		x = newExpander("host")
		var total int64
		for _, d := range file.Decls {
			var e extent
			x.addDecl(&e, d)
			total += e.size
		}
		if total > int64(len(src)) {
			t.Fatalf("a literal file of %d bytes measures %d:\n%s", len(src), total, src)
		}
	})
}

// onlyLiterals reports whether f only writes values out: fields with fixed
// labels, structs, lists, literals, true, false and null.
func onlyLiterals(f *ast.File) bool {
	ok := true
	ast.Walk(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.File, *ast.Package, *ast.StructLit, *ast.ListLit, *ast.BasicLit, *ast.CommentGroup, *ast.Comment, *ast.Attribute:
		case *ast.Field:
			switch n.Label.(type) {
			case *ast.Ident, *ast.BasicLit:
			default:
				ok = false
			}
			if n.Alias != nil || n.Constraint != token.ILLEGAL {
				ok = false
			}
			if ok {
				ast.Walk(n.Value, func(v ast.Node) bool {
					if id, isIdent := v.(*ast.Ident); isIdent && id.Name != "true" && id.Name != "false" && id.Name != "null" {
						ok = false
					}
					return ok
				}, nil)
				if ok && !literalValue(n.Value) {
					ok = false
				}
			}
			return false
		default:
			ok = false
		}
		return ok
	}, nil)
	return ok
}

// literalValue reports whether e is a struct, list or literal all the way
// down.
func literalValue(e ast.Expr) bool {
	ok := true
	ast.Walk(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.StructLit, *ast.ListLit, *ast.BasicLit, *ast.CommentGroup, *ast.Comment, *ast.Attribute:
		case *ast.Ident:
			ok = ok && (n.Name == "true" || n.Name == "false" || n.Name == "null")
		case *ast.Field:
			ok = ok && onlyLiterals(&ast.File{Decls: []ast.Decl{n}})
			return false
		default:
			ok = false
		}
		return ok
	}, nil)
	return ok
}
