package load

import (
	"slices"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/ast/astutil"
	"cuelang.org/go/cue/token"
)

// The lean schema is the schema without the messages of its errors. The
// error(...) alternatives of its disjunctions go: `"amd" | "intel" |
// error("… is not one of …")` becomes `"amd" | "intel"`. An error(...)
// alternative is bottom, so it accepts no value and is never a default. The
// other error(...) calls (a check that fires, an option of a module that is
// off) keep their place but lose their message: error(msg) is bottom
// whatever msg says, and a message is evaluated with everything it
// interpolates (the advice of 11 modules flags, built for every host whose
// module is off, was a fifth of evaluating a valid host). The lets only
// messages read go with them. So a host is valid against the lean schema
// exactly when it is valid against the full one, and then its value is the
// same. What the lean schema leaves out is the messages, and they cost more
// than half of evaluating a host. So hosts evaluated in chunks are
// evaluated against the lean schema first (Result.EachLean), and only those
// with problems again against the full one, for its messages.
// TestEachLeanMatchesEach holds the two ways to each other.

// leanMessage stands for every message of the lean schema. Nobody reads
// it: a host with an error is evaluated again against the full schema.
const leanMessage = "(lean schema: see the full schema for the message)"

// makeLean removes the error(...) alternatives of f's disjunctions, the
// messages of its other error(...) calls, and the lets and imports only
// those used.
func makeLean(f *ast.File) {
	astutil.Apply(f, nil, func(c astutil.Cursor) bool {
		switch n := c.Node().(type) {
		case *ast.BinaryExpr:
			if n.Op != token.OR {
				return true
			}
			switch {
			case isErrorCall(n.Y):
				c.Replace(n.X)
			case isErrorCall(n.X):
				c.Replace(n.Y)
			}
		case *ast.CallExpr:
			if isErrorCall(n) {
				n.Args = []ast.Expr{ast.NewString(leanMessage)}
			}
		}
		return true
	})
	dropUnusedLets(f)
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
	used := referenced[*ast.ImportSpec](f)
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

// dropUnusedLets removes the let declarations of f that no identifier
// refers to (CUE rejects them), again and again: a let used only by one
// that goes goes too.
func dropUnusedLets(f *ast.File) {
	for {
		used := referenced[*ast.LetClause](f)
		dropped := false
		unused := func(d ast.Decl) bool {
			let, ok := d.(*ast.LetClause)
			dropped = dropped || ok && !used[let]
			return ok && !used[let]
		}
		f.Decls = slices.DeleteFunc(f.Decls, unused)
		ast.Walk(f, func(n ast.Node) bool {
			if s, ok := n.(*ast.StructLit); ok {
				s.Elts = slices.DeleteFunc(s.Elts, unused)
			}
			return true
		}, nil)
		if !dropped {
			return
		}
	}
}

// referenced are the nodes of type N (import specs, let clauses) that an
// identifier of f refers to.
func referenced[N comparable](f *ast.File) map[N]bool {
	used := map[N]bool{}
	ast.Walk(f, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if to, ok := id.Node.(N); ok {
				used[to] = true
			}
		}
		return true
	}, nil)
	return used
}
