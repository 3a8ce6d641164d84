package lsp

import (
	"path/filepath"
	"strings"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/parser"
	cueyaml "cuelang.org/go/encoding/yaml"
)

// The editing features read the document's syntax only: they answer at
// once, whatever a check of the package is doing.

// parseDoc parses d's text as its kind says: CUE (and JSON, which CUE
// reads), or YAML. nil when it does not parse.
func parseDoc(d *document) *ast.File {
	switch strings.ToLower(filepath.Ext(d.path)) {
	case ".yaml", ".yml":
		f, err := cueyaml.Extract(d.path, []byte(d.text))
		if err != nil {
			return nil
		}
		return f
	}
	f, err := parser.ParseFile(d.path, d.text, parser.ParseComments)
	if err != nil {
		return nil
	}
	return f
}

// isData reports whether d is a JSON or YAML entry: the file is the entry,
// not a package of them.
func isData(d *document) bool {
	switch strings.ToLower(filepath.Ext(d.path)) {
	case ".json", ".yaml", ".yml":
		return true
	}
	return false
}

// cursor is what is at an offset of a document: the path of labels of the
// fields around it, from the top of the file, and the innermost field.
type cursor struct {
	path    []string
	field   *ast.Field
	onLabel bool // the offset is in the field's label
	inList  bool // in a list that is the field's value
}

// cursorAt is the cursor at byte offset off of f.
func cursorAt(f *ast.File, off int) cursor {
	var c cursor
	decls := f.Decls
	if len(decls) == 1 {
		// A JSON or YAML file: one struct.
		if e, ok := decls[0].(*ast.EmbedDecl); ok {
			if st, ok := e.Expr.(*ast.StructLit); ok {
				decls = st.Elts
			}
		}
	}
	walkFields(decls, off, &c)
	return c
}

func walkFields(decls []ast.Decl, off int, c *cursor) {
	for _, d := range decls {
		field, ok := d.(*ast.Field)
		if !ok || !contains(field, off) {
			continue
		}
		name, _, err := ast.LabelName(field.Label)
		if err != nil {
			return
		}
		c.path = append(c.path, name)
		c.field = field
		c.onLabel = contains(field.Label, off)
		if c.onLabel {
			return
		}
		for _, st := range structsOf(field.Value) {
			if contains(st, off) {
				walkFields(st.Elts, off, c)
				return
			}
		}
		if l, ok := field.Value.(*ast.ListLit); ok && contains(l, off) {
			c.inList = true
		}
		return
	}
}

// structsOf are the struct literals a field's value is made of (a & {…}).
func structsOf(e ast.Expr) []*ast.StructLit {
	switch x := e.(type) {
	case *ast.StructLit:
		return []*ast.StructLit{x}
	case *ast.BinaryExpr:
		return append(structsOf(x.X), structsOf(x.Y)...)
	case *ast.ParenExpr:
		return structsOf(x.X)
	}
	return nil
}

// contains reports whether n's source holds offset off (its end included:
// the cursor sits after the last character typed).
func contains(n ast.Node, off int) bool {
	start, end := n.Pos(), n.End()
	if !start.IsValid() || !end.IsValid() {
		return false
	}
	return start.Offset() <= off && off <= end.Offset()
}

// entryPath splits a cursor's path into the entry (host or user) it is in
// and the path below it; ok is false outside any entry (a hidden value, a
// definition).
func entryPath(d *document, path []string) (entry string, rel []string, ok bool) {
	if isData(d) {
		return strings.TrimSuffix(filepath.Base(d.path), filepath.Ext(d.path)), path, true
	}
	if len(path) == 0 || strings.HasPrefix(path[0], "_") || strings.HasPrefix(path[0], "#") {
		return "", nil, false
	}
	return path[0], path[1:], true
}
