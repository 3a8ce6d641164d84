package syntax

// Children returns the direct children of n in source order.
func Children(n Node) []Node {
	var out []Node
	add := func(ns ...Node) {
		for _, c := range ns {
			if c != nil && !isNilNode(c) {
				out = append(out, c)
			}
		}
	}
	keys := func(ks []Key) {
		for _, k := range ks {
			add(k)
		}
	}
	bindings := func(bs []Binding) {
		for _, b := range bs {
			add(b)
		}
	}
	switch n := n.(type) {
	case *String:
		for _, p := range n.Parts {
			add(p)
		}
	case *Path:
		for _, p := range n.Parts {
			add(p)
		}
	case *Interp:
		add(n.X)
	case *Paren:
		add(n.X)
	case *List:
		for _, e := range n.Elems {
			add(e)
		}
	case *AttrSet:
		bindings(n.Bindings)
	case *AttrDef:
		keys(n.Path)
		add(n.Value)
	case *Inherit:
		add(n.From)
		keys(n.Names)
	case *Let:
		bindings(n.Bindings)
		add(n.Body)
	case *LegacyLet:
		bindings(n.Bindings)
	case *Lambda:
		if n.Param != nil && n.Formals != nil && n.Formals.Lbrace.Offset < n.Param.NamePos.Offset {
			add(n.Formals, n.Param)
		} else {
			add(n.Param, n.Formals)
		}
		add(n.Body)
	case *Formals:
		for _, f := range n.List {
			add(f)
		}
	case *Formal:
		add(n.Name, n.Default)
	case *Apply:
		add(n.Func)
		for _, a := range n.Args {
			add(a)
		}
	case *Select:
		add(n.X)
		keys(n.Path)
		add(n.Default)
	case *HasAttr:
		add(n.X)
		keys(n.Path)
	case *Unary:
		add(n.X)
	case *Binary:
		add(n.X, n.Y)
	case *If:
		add(n.Cond, n.Then, n.Else)
	case *With:
		add(n.Scope, n.Body)
	case *Assert:
		add(n.Cond, n.Body)
	}
	return out
}

// isNilNode reports whether n is a typed nil pointer, such as a nil
// *Ident stored in a Node.
func isNilNode(n Node) bool {
	switch n := n.(type) {
	case *Ident:
		return n == nil
	case *Formals:
		return n == nil
	}
	return false
}

// Inspect calls f for n and, if f returns true, for each of its children,
// depth first in source order.
func Inspect(n Node, f func(Node) bool) {
	if f(n) {
		for _, c := range Children(n) {
			Inspect(c, f)
		}
	}
}
