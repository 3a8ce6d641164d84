package syntax

import "strings"

// parenthesize prints e back as Nix with every compound operand in
// parentheses, which shows how it was parsed. Strings and paths keep their
// source text, so the printed form means the same as the source.
func parenthesize(e Expr) string {
	var b strings.Builder
	pp(&b, e)
	return b.String()
}

func isOr(e Expr) bool {
	id, ok := e.(*Ident)
	return ok && id.Name == "or"
}

// w prints e as an operand: parenthesised unless it is an atom.
func w(b *strings.Builder, e Expr, selectBase bool) {
	switch e.(type) {
	case *Ident:
		if !isOr(e) {
			pp(b, e)
			return
		}
	case *Int, *Float, *Path, *URI, *SearchPath:
		if !selectBase {
			pp(b, e)
			return
		}
	case *String, *List, *AttrSet, *LegacyLet:
		pp(b, e)
		return
	case *Paren:
		w(b, e.(*Paren).X, selectBase)
		return
	}
	b.WriteByte('(')
	pp(b, e)
	b.WriteByte(')')
}

func keys(b *strings.Builder, ks []Key) {
	for i, k := range ks {
		if i > 0 {
			b.WriteByte('.')
		}
		switch k := k.(type) {
		case *Ident:
			b.WriteString(k.Name)
		case *String:
			pp(b, k)
		case *Interp:
			b.WriteString("${")
			pp(b, k.X)
			b.WriteString("}")
		}
	}
}

func parts(b *strings.Builder, ps []StringPart) {
	for _, p := range ps {
		switch p := p.(type) {
		case *Text:
			b.WriteString(p.Raw)
		case *Interp:
			b.WriteString("${")
			pp(b, p.X)
			b.WriteString("}")
		}
	}
}

func bindings(b *strings.Builder, bs []Binding) {
	for _, x := range bs {
		switch x := x.(type) {
		case *AttrDef:
			keys(b, x.Path)
			b.WriteString(" = ")
			pp(b, x.Value)
			b.WriteString("; ")
		case *Inherit:
			b.WriteString("inherit ")
			if x.From != nil {
				b.WriteByte('(')
				pp(b, x.From)
				b.WriteString(") ")
			}
			for _, k := range x.Names {
				keys(b, []Key{k})
				b.WriteByte(' ')
			}
			b.WriteString("; ")
		}
	}
}

func pp(b *strings.Builder, e Expr) {
	switch e := e.(type) {
	case *Ident:
		b.WriteString(e.Name)
	case *Int:
		b.WriteString(e.Lit)
	case *Float:
		b.WriteString(e.Lit)
	case *String:
		if e.Indented {
			b.WriteString("''\n")
			parts(b, e.Parts)
			b.WriteString("''")
		} else {
			b.WriteByte('"')
			parts(b, e.Parts)
			b.WriteByte('"')
		}
	case *Path:
		parts(b, e.Parts)
	case *SearchPath:
		b.WriteString("<" + e.Path + ">")
	case *URI:
		b.WriteString(e.Value)
	case *Paren:
		pp(b, e.X)
	case *List:
		b.WriteString("[ ")
		for _, x := range e.Elems {
			w(b, x, false)
			b.WriteByte(' ')
		}
		b.WriteString("]")
	case *AttrSet:
		if e.IsRec() {
			b.WriteString("rec ")
		}
		b.WriteString("{ ")
		bindings(b, e.Bindings)
		b.WriteString("}")
	case *LegacyLet:
		b.WriteString("let { ")
		bindings(b, e.Bindings)
		b.WriteString("}")
	case *Let:
		b.WriteString("let ")
		bindings(b, e.Bindings)
		b.WriteString("in ")
		pp(b, e.Body)
	case *Lambda:
		if e.Param != nil && (e.Formals == nil || e.Param.Pos().Offset < e.Formals.Pos().Offset) {
			b.WriteString(e.Param.Name)
			if e.Formals != nil {
				b.WriteByte('@')
			}
		}
		if e.Formals != nil {
			b.WriteString("{ ")
			for i, f := range e.Formals.List {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(f.Name.Name)
				if f.Default != nil {
					b.WriteString(" ? ")
					pp(b, f.Default)
				}
			}
			if e.Formals.Ellipsis.IsValid() {
				if len(e.Formals.List) > 0 {
					b.WriteString(", ")
				}
				b.WriteString("...")
			}
			b.WriteString(" }")
			if e.Param != nil && e.Param.Pos().Offset > e.Formals.Pos().Offset {
				b.WriteString("@" + e.Param.Name)
			}
		}
		b.WriteString(": ")
		pp(b, e.Body)
	case *Apply:
		w(b, e.Func, false)
		for _, a := range e.Args {
			b.WriteByte(' ')
			if isOr(a) {
				b.WriteString("or")
			} else {
				w(b, a, false)
			}
		}
	case *Select:
		w(b, e.X, true)
		b.WriteByte('.')
		keys(b, e.Path)
		if e.Default != nil {
			b.WriteString(" or ")
			w(b, e.Default, false)
		}
	case *HasAttr:
		w(b, e.X, false)
		b.WriteString(" ? ")
		keys(b, e.Path)
	case *Unary:
		b.WriteString(e.Op)
		// -./a and -1.5 would lex as other tokens.
		w(b, e.X, true)
	case *Binary:
		w(b, e.X, false)
		b.WriteString(" " + e.Op + " ")
		w(b, e.Y, false)
	case *If:
		b.WriteString("if ")
		pp(b, e.Cond)
		b.WriteString(" then ")
		pp(b, e.Then)
		b.WriteString(" else ")
		pp(b, e.Else)
	case *With:
		b.WriteString("with ")
		pp(b, e.Scope)
		b.WriteString("; ")
		pp(b, e.Body)
	case *Assert:
		b.WriteString("assert ")
		pp(b, e.Cond)
		b.WriteString("; ")
		pp(b, e.Body)
	}
}
