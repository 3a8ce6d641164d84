package options

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"strings"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/format"
	"cuelang.org/go/cue/literal"
	"cuelang.org/go/cue/parser"
	"cuelang.org/go/cue/token"

	"github.com/axc-dev/axc/schema"
)

// typesFile holds the schema's shared definitions (#AbsolutePath, #Nix…).
const typesFile = "types.cue"

// hostFields describes the fields of #Host, read from the syntax of
// host.cue: evaluating the schema would cost more than `axc options` may
// take, and the syntax holds what a reader needs (the type as written, its
// default, the doc comment).
func hostFields(fsys fs.FS, c *schema.Contract) ([]Entry, error) {
	host, file, err := schema.HostSyntax(fsys, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	decls := file.Decls
	// Definitions a type may name, from host.cue and types.cue.
	defs := map[string]ast.Expr{}
	addDefs := func(ds []ast.Decl) {
		for _, d := range ds {
			if f, ok := d.(*ast.Field); ok {
				if name, _, _ := ast.LabelName(f.Label); strings.HasPrefix(name, "#") {
					defs[name] = f.Value
				}
			}
		}
	}
	addDefs(decls)
	if src, err := fs.ReadFile(fsys, typesFile); err == nil {
		f, err := parser.ParseFile(typesFile, src)
		if err != nil {
			return nil, err
		}
		addDefs(f.Decls)
	}
	var out []Entry
	schema.WalkFields(host, func(p []string, field *ast.Field) {
		path, name := p[:len(p)-1], p[len(p)-1]
		e := Entry{
			Name:     strings.Join(p, "."),
			Kind:     HostField,
			Required: field.Constraint == token.NOT,
			Doc:      docOf(field),
		}
		sub, isStruct := field.Value.(*ast.StructLit)
		top := len(path) == 0
		regular := field.Constraint == token.ILLEGAL
		section, isSection := c.Section(name)
		switch {
		case top && name == c.ConfigField:
			e.Type = "NixOS module"
			if regular {
				e.DefaultText = "{}"
			}
		case top && isSection:
			e.Type = "attribute set of the " + name + ".* options"
			e.Flag = section.Flag
		case top && c.IsPathField(name):
			e.Type = "absolute path"
		case isStruct:
			e.Type = "attribute set"
			if pattern, ok := patternOnly(sub); ok {
				e.Type += " of " + exprString(simplify(orOf(disjuncts(pattern), defs), defs))
			}
			if regular {
				// Emitted when absent, as the defaults of its fields.
				e.DefaultText = "the defaults of its fields"
			}
		default:
			describeExpr(&e, field.Value, defs)
		}
		out = append(out, e)
	})
	return out, nil
}

// patternOnly is T when st is {[string]: T}.
func patternOnly(st *ast.StructLit) (ast.Expr, bool) {
	if len(st.Elts) != 1 {
		return nil, false
	}
	f, ok := st.Elts[0].(*ast.Field)
	if !ok {
		return nil, false
	}
	if _, isPattern := f.Label.(*ast.ListLit); !isPattern {
		return nil, false
	}
	return f.Value, true
}

// hostFieldNames lists the dotted names of the fields of #Host, as
// hostFields does, cheaply: for the releases an entry exists in.
func hostFieldNames(fsys fs.FS) ([]string, error) {
	host, _, err := schema.HostSyntax(fsys)
	if err != nil {
		return nil, err
	}
	var names []string
	schema.WalkFields(host, func(path []string, _ *ast.Field) { names = append(names, strings.Join(path, ".")) })
	return names, nil
}

// docOf is a field's doc comment (and its line comment), as one paragraph.
func docOf(f *ast.Field) string {
	var parts []string
	for _, g := range ast.Comments(f) {
		if (g.Doc && g.Position == 0) || g.Line {
			parts = append(parts, strings.Join(strings.Fields(g.Text()), " "))
		}
	}
	return strings.Join(parts, " ")
}

// describeExpr sets the type, default and allowed values of a host field
// from its CUE expression: the disjuncts that are not error(…) messages,
// the one marked * being the default.
func describeExpr(e *Entry, x ast.Expr, defs map[string]ast.Expr) {
	var parts []ast.Expr
	var dflt ast.Expr
	for _, d := range disjuncts(x) {
		if u, ok := d.(*ast.UnaryExpr); ok && u.Op == token.MUL {
			dflt = u.X
			continue
		}
		parts = append(parts, simplify(d, defs))
	}
	if dflt != nil {
		// The default is among the allowed values unless a type such as
		// string already admits it.
		if !admitted(dflt, parts) {
			parts = append([]ast.Expr{dflt}, parts...)
		}
		if js, ok := literalJSON(dflt); ok {
			e.Default = js
		} else {
			e.DefaultText = exprString(dflt)
		}
	}
	texts := make([]string, len(parts))
	enum := true
	for i, p := range parts {
		texts[i] = exprString(p)
		js, ok := literalJSON(p)
		enum = enum && ok
		if ok {
			e.Values = append(e.Values, js)
		}
	}
	if !enum {
		e.Values = nil
	}
	if len(parts) == 1 && isIdent(parts[0], "bool") {
		e.Values = []json.RawMessage{json.RawMessage("true"), json.RawMessage("false")}
	}
	e.Type = strings.Join(texts, " | ")
}

// disjuncts are the alternatives of x, without error(…) messages.
func disjuncts(x ast.Expr) []ast.Expr {
	switch x := x.(type) {
	case *ast.ParenExpr:
		return disjuncts(x.X)
	case *ast.BinaryExpr:
		if x.Op == token.OR {
			return append(disjuncts(x.X), disjuncts(x.Y)...)
		}
	case *ast.CallExpr:
		if isIdent(x.Fun, "error") {
			return nil
		}
	}
	return []ast.Expr{x}
}

// simplify drops error(…) messages inside x, and replaces a definition
// that stands for one type (#Flag: bool) by that type.
func simplify(x ast.Expr, defs map[string]ast.Expr) ast.Expr {
	switch x := x.(type) {
	case *ast.Ident:
		if def, ok := defs[x.Name]; ok {
			if ds := disjuncts(def); len(ds) == 1 {
				if _, isStruct := ds[0].(*ast.StructLit); !isStruct {
					return simplify(ds[0], defs)
				}
			}
		}
	case *ast.ParenExpr:
		ds := disjuncts(x.X)
		if len(ds) == 1 {
			return simplify(ds[0], defs)
		}
		return &ast.ParenExpr{X: orOf(ds, defs)}
	case *ast.BinaryExpr:
		if x.Op == token.OR {
			return orOf(disjuncts(x), defs)
		}
	case *ast.ListLit:
		elts := make([]ast.Expr, len(x.Elts))
		for i, el := range x.Elts {
			if el, ok := el.(*ast.Ellipsis); ok && el.Type != nil {
				elts[i] = &ast.Ellipsis{Type: simplify(el.Type, defs)}
				continue
			}
			elts[i] = simplify(el, defs)
		}
		return &ast.ListLit{Elts: elts}
	}
	return x
}

func orOf(ds []ast.Expr, defs map[string]ast.Expr) ast.Expr {
	var out ast.Expr
	for _, d := range ds {
		d = simplify(d, defs)
		if out == nil {
			out = d
		} else {
			out = &ast.BinaryExpr{X: out, Op: token.OR, Y: d}
		}
	}
	if out == nil {
		return ast.NewIdent("_|_")
	}
	return out
}

// admitted reports whether a type among parts admits the literal lit.
func admitted(lit ast.Expr, parts []ast.Expr) bool {
	b, ok := lit.(*ast.BasicLit)
	if !ok {
		return false
	}
	var kinds []string
	switch b.Kind {
	case token.STRING:
		kinds = []string{"string"}
	case token.INT:
		kinds = []string{"int", "number"}
	case token.FLOAT:
		kinds = []string{"float", "number"}
	case token.TRUE, token.FALSE:
		kinds = []string{"bool"}
	}
	for _, p := range parts {
		for _, k := range kinds {
			if isIdent(p, k) {
				return true
			}
		}
	}
	return false
}

// literalJSON is the JSON of a CUE literal (null, a boolean, a number or a
// string).
func literalJSON(x ast.Expr) (json.RawMessage, bool) {
	b, ok := x.(*ast.BasicLit)
	if !ok {
		return nil, false
	}
	switch b.Kind {
	case token.NULL, token.TRUE, token.FALSE:
		return json.RawMessage(b.Value), true
	case token.INT, token.FLOAT:
		if json.Valid([]byte(b.Value)) {
			return json.RawMessage(b.Value), true
		}
	case token.STRING:
		s, err := literal.Unquote(b.Value)
		if err != nil {
			return nil, false
		}
		js, err := json.Marshal(s)
		return js, err == nil
	}
	return nil, false
}

func isIdent(x ast.Expr, name string) bool {
	id, ok := x.(*ast.Ident)
	return ok && id.Name == name
}

// exprString is x in CUE syntax, on one line.
func exprString(x ast.Expr) string {
	b, err := format.Node(x, format.Simplify())
	if err != nil {
		return fmt.Sprintf("%T", x)
	}
	return newlines.ReplaceAllString(strings.TrimSpace(string(b)), " ")
}

// newlines are the line breaks (and indentation) of formatted CUE.
var newlines = regexp.MustCompile(`\n\s*`)
