package load

import (
	"strings"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/literal"
	"cuelang.org/go/cue/token"
)

// FieldIndex maps the paths of the fields an author wrote to their
// positions, so that a problem is reported at the author's line rather than
// in the schema.
type FieldIndex struct {
	prefix []string
	fields map[string]fieldPos // shared by sub-indexes
}

type fieldPos struct {
	label, value token.Pos
}

func newFieldIndex() *FieldIndex { return &FieldIndex{fields: map[string]fieldPos{}} }

// sub is the index of the fields below name.
func (x *FieldIndex) sub(name string) *FieldIndex {
	return &FieldIndex{prefix: append(append([]string{}, x.prefix...), name), fields: x.fields}
}

func key(path []string) string { return strings.Join(path, "\x00") }

func (x *FieldIndex) addStruct(path []string, st *ast.StructLit) {
	for _, d := range st.Elts {
		switch d := d.(type) {
		case *ast.Field:
			name, ok := labelName(d.Label)
			if !ok {
				continue
			}
			p := append(append([]string{}, path...), name)
			k := key(p)
			if _, seen := x.fields[k]; !seen {
				x.fields[k] = fieldPos{label: d.Label.Pos(), value: d.Value.Pos()}
			}
			x.addValue(p, d.Value)
		case *ast.EmbedDecl:
			x.addValue(path, d.Expr)
		}
	}
}

func (x *FieldIndex) addValue(path []string, v ast.Expr) {
	switch v := v.(type) {
	case *ast.StructLit:
		x.addStruct(path, v)
	case *ast.ListLit:
		for i, e := range v.Elts {
			p := append(append([]string{}, path...), itoa(i))
			k := key(p)
			if _, seen := x.fields[k]; !seen {
				x.fields[k] = fieldPos{label: e.Pos(), value: e.Pos()}
			}
			x.addValue(p, e)
		}
	case *ast.BinaryExpr:
		if v.Op == token.AND {
			x.addValue(path, v.X)
			x.addValue(path, v.Y)
		}
	case *ast.ParenExpr:
		x.addValue(path, v.X)
	}
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
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

// labelPos is the position of the label of path, or of its nearest ancestor
// that the author wrote.
func (x *FieldIndex) labelPos(path []string) token.Pos {
	p, _ := x.lookup(path)
	return p.label
}

// ValuePos is where the value at path (relative to the host) is written, or
// where the nearest written ancestor is; exact reports whether path itself
// was written.
func (x *FieldIndex) ValuePos(path []string) (pos token.Pos, exact bool) {
	p, n := x.lookup(path)
	if n == len(path) {
		return p.value, true
	}
	return p.label, false
}

// LabelPos is where the label of path is written, or its nearest written
// ancestor's.
func (x *FieldIndex) LabelPos(path []string) token.Pos {
	p, _ := x.lookup(path)
	return p.label
}

// Has reports whether the author wrote path.
func (x *FieldIndex) Has(path []string) bool {
	_, n := x.lookup(path)
	return n == len(path)
}

// lookup returns the deepest written prefix of path and its length.
func (x *FieldIndex) lookup(path []string) (fieldPos, int) {
	full := append(append([]string{}, x.prefix...), path...)
	for n := len(full); n > 0; n-- {
		if p, ok := x.fields[key(full[:n])]; ok {
			return p, n - len(x.prefix)
		}
	}
	return fieldPos{}, -len(x.prefix)
}
