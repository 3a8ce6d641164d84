package load

import (
	"strconv"
	"strings"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/literal"
	"cuelang.org/go/cue/token"
)

// FieldIndex is a tree of the fields an author wrote, with their positions,
// so that a problem is reported at the author's line rather than in the
// schema, and so that the author's field names can be checked against the
// schema whatever else is wrong. Building it costs time linear in the size of
// the syntax: no node copies its path.
type FieldIndex struct {
	// Label is where the field's label is written (its first declaration),
	// Value where its value is.
	Label, Value token.Pos
	// Decls are every value written for this field, in source order: one
	// field may be declared in several places (files, or embeddings).
	Decls []Decl

	// kids are the fields below, in the order first written; byName
	// indexes them once there are more than a few (the hosts of a
	// package). A small node holds no map: 10,000 hosts hold millions of
	// nodes, most with a child or two (issue 24: the index was a third of
	// the live heap).
	kids   []fieldKid
	byName map[string]*FieldIndex
}

// fieldKid is a field below a node, by name.
type fieldKid struct {
	name string
	idx  *FieldIndex
}

// kidsIndexed is how many fields a node lists before it indexes them.
const kidsIndexed = 8

// Decl is one place a field's value is written.
type Decl struct {
	// Lit is the value written when it is a literal (see literalOnly), nil
	// when it is anything else: all that is asked of a value here (two
	// files disagreeing, the string an author meant). The whole
	// expression would keep its file's syntax tree alive for the run: at
	// 10,000 hosts, 117 MiB of a live heap of 270 (issue 24).
	Lit ast.Expr
}

// literalOnly is e when it is a literal value (a number, a string, a bool or
// null, maybe negated), holding no other node of its tree; nil otherwise.
func literalOnly(e ast.Expr) ast.Expr {
	switch e := e.(type) {
	case *ast.BasicLit:
		return e
	case *ast.UnaryExpr:
		if _, ok := e.X.(*ast.BasicLit); ok && e.Op == token.SUB {
			return e
		}
	case *ast.Ident:
		if e.Name == "true" || e.Name == "false" || e.Name == "null" {
			// A fresh identifier: a parsed one holds what it resolves to.
			return &ast.Ident{NamePos: e.NamePos, Name: e.Name}
		}
	}
	return nil
}

func newFieldIndex() *FieldIndex { return &FieldIndex{} }

// Child is the field name below x, or nil.
func (x *FieldIndex) Child(name string) *FieldIndex {
	if x == nil {
		return nil
	}
	return x.find(name)
}

// find is the field name below x, or nil.
func (x *FieldIndex) find(name string) *FieldIndex {
	if x.byName != nil {
		return x.byName[name]
	}
	for _, k := range x.kids {
		if k.name == name {
			return k.idx
		}
	}
	return nil
}

// Names are the names of the fields below x, in the order first written.
func (x *FieldIndex) Names() []string {
	if x == nil {
		return nil
	}
	names := make([]string, len(x.kids))
	for i, k := range x.kids {
		names[i] = k.name
	}
	return names
}

func (x *FieldIndex) child(name string) *FieldIndex {
	if c := x.find(name); c != nil {
		return c
	}
	c := &FieldIndex{}
	x.kids = append(x.kids, fieldKid{name, c})
	if x.byName != nil {
		x.byName[name] = c
	} else if len(x.kids) > kidsIndexed {
		x.byName = make(map[string]*FieldIndex, 2*len(x.kids))
		for _, k := range x.kids {
			x.byName[k.name] = k.idx
		}
	}
	return c
}

func (x *FieldIndex) addStruct(st *ast.StructLit) {
	for _, d := range st.Elts {
		switch d := d.(type) {
		case *ast.Field:
			name, ok := labelName(d.Label)
			if !ok {
				continue
			}
			c := x.child(name)
			if !c.Label.IsValid() {
				c.Label, c.Value = d.Label.Pos(), d.Value.Pos()
			}
			c.Decls = append(c.Decls, Decl{Lit: literalOnly(d.Value)})
			c.addValue(d.Value)
		case *ast.EmbedDecl:
			x.addValue(d.Expr)
		}
	}
}

func (x *FieldIndex) addValue(v ast.Expr) {
	switch v := v.(type) {
	case *ast.StructLit:
		x.addStruct(v)
	case *ast.ListLit:
		for i, e := range v.Elts {
			c := x.child(strconv.Itoa(i))
			if !c.Label.IsValid() {
				c.Label, c.Value = e.Pos(), e.Pos()
			}
			c.Decls = append(c.Decls, Decl{Lit: literalOnly(e)})
			c.addValue(e)
		}
	case *ast.BinaryExpr:
		if v.Op == token.AND {
			x.addValue(v.X)
			x.addValue(v.Y)
		}
	case *ast.ParenExpr:
		x.addValue(v.X)
	}
}

func labelName(l ast.Label) (string, bool) {
	switch l := l.(type) {
	case *ast.Ident:
		if strings.HasPrefix(l.Name, "#") || strings.HasPrefix(l.Name, "_") {
			return "", false
		}
		return l.Name, true
	case *ast.BasicLit:
		if l.Kind != token.STRING {
			return "", false
		}
		s, err := literal.Unquote(l.Value)
		return s, err == nil
	}
	return "", false
}

// lookup returns the deepest written node along path and how many elements
// of path it covers.
func (x *FieldIndex) lookup(path []string) (*FieldIndex, int) {
	n, depth := x, 0
	for _, p := range path {
		c := n.Child(p)
		if c == nil {
			break
		}
		n, depth = c, depth+1
	}
	return n, depth
}

// Node is the field at path, or nil when the author did not write it.
func (x *FieldIndex) Node(path []string) *FieldIndex {
	n, depth := x.lookup(path)
	if depth < len(path) {
		return nil
	}
	return n
}

// ValuePos is where the value at path (relative to the host) is written, or
// where the nearest written ancestor's label is; exact reports whether path
// itself was written.
func (x *FieldIndex) ValuePos(path []string) (pos token.Pos, exact bool) {
	n, depth := x.lookup(path)
	if depth == len(path) {
		return n.Value, true
	}
	return n.Label, false
}

// LabelPos is where the label of path is written, or its nearest written
// ancestor's.
func (x *FieldIndex) LabelPos(path []string) token.Pos {
	n, _ := x.lookup(path)
	return n.Label
}

// Depth is how deep the written fields nest below x.
func (x *FieldIndex) Depth() int {
	d := 0
	for _, k := range x.kids {
		d = max(d, 1+k.idx.Depth())
	}
	return d
}
