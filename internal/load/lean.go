package load

import (
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/ast/astutil"
	"cuelang.org/go/cue/token"
)

// The lean schema is the schema without the error(...) alternatives of its
// disjunctions: `"amd" | "intel" | error("… is not one of …")` becomes
// `"amd" | "intel"`. An error(...) alternative is bottom, so it accepts no
// value and is never a default: a host is valid against the lean schema
// exactly when it is valid against the full one, and then its value is the
// same. What the alternatives add is their messages, and they cost about
// half of evaluating a host. So hosts evaluated in chunks are evaluated
// against the lean schema first (Result.EachLean), and only those with
// problems again against the full one, for its messages.
// TestEachLeanMatchesEach holds the two ways to each other.

// makeLean removes the error(...) alternatives of f's disjunctions, and the
// imports only their messages used.
func makeLean(f *ast.File) {
	astutil.Apply(f, nil, func(c astutil.Cursor) bool {
		b, ok := c.Node().(*ast.BinaryExpr)
		if !ok || b.Op != token.OR {
			return true
		}
		switch {
		case isErrorCall(b.Y):
			c.Replace(b.X)
		case isErrorCall(b.X):
			c.Replace(b.Y)
		}
		return true
	})
	dropUnusedImports(f)
}

// isErrorCall reports whether e is a call of the builtin error.
func isErrorCall(e ast.Expr) bool {
	for {
		p, ok := e.(*ast.ParenExpr)
		if !ok {
			break
		}
		e = p.X
	}
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	id, ok := call.Fun.(*ast.Ident)
	return ok && id.Name == "error" && id.Node == nil // not an author's own "error"
}

// dropUnusedImports removes the imports no identifier of f refers to.
func dropUnusedImports(f *ast.File) {
	used := map[*ast.ImportSpec]bool{}
	ast.Walk(f, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if spec, ok := id.Node.(*ast.ImportSpec); ok {
				used[spec] = true
			}
		}
		return true
	}, nil)
	decls := f.Decls[:0]
	for _, d := range f.Decls {
		if imp, ok := d.(*ast.ImportDecl); ok {
			specs := imp.Specs[:0]
			for _, s := range imp.Specs {
				if used[s] {
					specs = append(specs, s)
				}
			}
			if imp.Specs = specs; len(specs) == 0 {
				continue
			}
		}
		decls = append(decls, d)
	}
	f.Decls = decls
}
