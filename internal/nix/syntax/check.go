package syntax

import "strings"

// The errors Nix 2.8 raises while parsing beyond syntax errors: duplicate
// attributes and duplicate formal arguments.

// checkFormals reports duplicate formal arguments as Nix does.
func (p *parser) checkFormals(fs *Formals, param *Ident) {
	seen := map[string]bool{}
	var dup *Ident
	for _, f := range fs.List {
		if seen[f.Name.Name] && (dup == nil || f.Name.NamePos.Offset < dup.NamePos.Offset) {
			dup = f.Name
		}
		seen[f.Name.Name] = true
	}
	if dup == nil && param != nil && seen[param.Name] {
		dup = param
	}
	if dup != nil {
		p.errorf(dup.NamePos.Offset, "duplicate formal function argument '%s'", dup.Name)
	}
}

// attrTable holds the static attribute names of one attribute set as Nix
// builds it while parsing, to report duplicates exactly where Nix does.
type attrTable map[string]*attrEntry

type attrEntry struct {
	inherited bool
	// sub is the table of the value if it is an attribute set: a literal
	// (which `a = { … }; a.b = …;` extends) or one made for a path.
	sub attrTable
}

// addAttr is Nix 2.8's addAttr, which builds nested sets for attribute
// paths, merges `a = { … }` into them and reports duplicates.
func (p *parser) addAttr(table attrTable, d *AttrDef) {
	dup := func() {
		names := make([]string, len(d.Path))
		for i, k := range d.Path {
			names[i], _ = KeyName(k)
			if _, ok := KeyName(k); !ok {
				names[i] = "\"${...}\""
			}
		}
		p.errorf(d.Path[0].Pos().Offset, "attribute '%s' already defined", strings.Join(names, "."))
	}
	for _, k := range d.Path[:len(d.Path)-1] {
		name, ok := KeyName(k)
		if !ok {
			table = attrTable{}
			continue
		}
		e, ok := table[name]
		if !ok {
			e = &attrEntry{sub: attrTable{}}
			table[name] = e
		}
		if e.inherited || e.sub == nil {
			dup()
		}
		table = e.sub
	}
	name, ok := KeyName(d.Path[len(d.Path)-1])
	if !ok {
		return
	}
	value := p.literalTable(d.Value)
	e, exists := table[name]
	if !exists {
		table[name] = &attrEntry{sub: value}
		return
	}
	if e.inherited || e.sub == nil || value == nil {
		dup()
	}
	for k, v := range value {
		if _, ok := e.sub[k]; ok {
			p.errorf(d.Path[0].Pos().Offset, "attribute '%s' already defined", k)
		}
		e.sub[k] = v
	}
}

// literalTable returns the table of x if it is an attribute set literal,
// parentheses aside, or nil.
func (p *parser) literalTable(x Expr) attrTable {
	for {
		switch e := x.(type) {
		case *Paren:
			x = e.X
		case *AttrSet:
			return p.tables[e]
		default:
			return nil
		}
	}
}
