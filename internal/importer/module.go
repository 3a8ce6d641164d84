package importer

import (
	"strings"

	"github.com/axc-dev/axc/internal/nix/syntax"
)

// A module written as a function ({ pkgs, lib, ... }: { … }, as
// extraConfig may be from v2026.01.13) is opaque to vet as a whole. The
// bindings of its body that do not use its arguments mean the same as
// plain definitions: they become data, and the others stay in a function
// of the same arguments that the data imports. To the module system both
// are the same definitions.

// synthModule is a module function written anew from part of another: its
// formals and some of the bindings of its body.
type synthModule struct {
	formals *syntax.Formals
	defs    []syntax.Binding
}

// splitModule splits a module function whose body is a set literal. ok is
// false when it cannot: a body that is not a plain set, or a function that
// names its whole argument (args@{ … }).
func (ev *evaluator) splitModule(c *closure) (*attrSet, bool) {
	lam := c.lam
	if lam.Param != nil || lam.Formals == nil {
		return nil, false
	}
	body, ok := unparen(lam.Body).(*syntax.AttrSet)
	if !ok || body.IsRec() {
		return nil, false
	}
	args := map[string]bool{}
	inner := newEnv(c.env)
	for _, f := range lam.Formals.List {
		args[f.Name.Name] = true
		inner.vars[f.Name.Name] = valueThunk(argVal{name: f.Name.Name})
	}
	set := ev.attrSet(body, inner, c.file)
	if set == nil {
		return nil, false
	}
	out := &attrSet{node: body, file: c.file}
	var dep []syntax.Binding
	for _, e := range set.entries {
		if usesAny(e.def, args) {
			if len(dep) == 0 || dep[len(dep)-1] != e.def {
				dep = append(dep, e.def)
			}
			continue
		}
		out.entries = append(out.entries, e)
	}
	if len(dep) == 0 {
		return out, true
	}
	fn := valueThunk(&rawVal{expr: lam, env: c.env, file: c.file, synth: &synthModule{formals: lam.Formals, defs: dep}})
	for i, e := range out.entries {
		if len(e.path) == 1 && e.path[0] == "imports" {
			if l, ok := ev.force(e.val).(*listVal); ok {
				more := &listVal{elems: append(append([]*thunk{}, l.elems...), fn), node: l.node, file: l.file}
				out.entries[i] = &entry{path: e.path, val: valueThunk(more), def: e.def, file: e.file}
				return out, true
			}
			return nil, false // imports that are not a list import can read
		}
	}
	out.entries = append(out.entries, &entry{path: []string{"imports"}, val: valueThunk(&listVal{elems: []*thunk{fn}}), file: c.file})
	return out, true
}

// usesAny reports whether binding b uses one of names.
func usesAny(b syntax.Binding, names map[string]bool) bool {
	for _, v := range syntax.FreeVars(&syntax.AttrSet{Bindings: []syntax.Binding{b}}) {
		if names[v.Name] {
			return true
		}
	}
	return false
}

func unparen(e syntax.Expr) syntax.Expr {
	for {
		p, ok := e.(*syntax.Paren)
		if !ok {
			return e
		}
		e = p.X
	}
}

// synthText is the text of a synthesized module for a file in outDir: the
// formals, and the bindings with the comments before them.
func (ev *evaluator) synthText(r *rawVal, outDir string) (string, *unportable) {
	sm, f := r.synth, r.file
	formals, u := ev.rawSource(f, sm.formals.Pos().Offset, sm.formals.End().Offset, sm.formals, outDir, "")
	if u != nil {
		return "", u
	}
	var b strings.Builder
	b.WriteString(formals)
	b.WriteString(":\n{\n")
	args := map[string]bool{}
	for _, fm := range sm.formals.List {
		args[fm.Name.Name] = true
	}
	var free []syntax.FreeVar
	for _, d := range sm.defs {
		start, _ := synthSpan(f, d)
		text, u := ev.rawSource(f, start, d.End().Offset, d, outDir, "  ")
		if u != nil {
			return "", u
		}
		b.WriteString("  " + text + "\n")
		for _, v := range syntax.FreeVars(&syntax.AttrSet{Bindings: []syntax.Binding{d}}) {
			if !args[v.Name] {
				free = append(free, v)
			}
		}
	}
	b.WriteString("}")
	return ev.wrap(b.String(), free, r.env, f, outDir, 0)
}

// synthSpan is where binding d starts with the comments before it, and
// where it ends.
func synthSpan(f *source, d syntax.Binding) (start, end int) {
	start = d.Pos().Offset
	for _, g := range f.comments[d] {
		if g.Placement == syntax.Leading {
			start = min(start, g.Pos().Offset)
		}
	}
	return start, d.End().Offset
}

// usedArgs are the formals binding b uses, in the order of the formals.
func usedArgs(b syntax.Binding, fs *syntax.Formals) []string {
	used := map[string]bool{}
	for _, v := range syntax.FreeVars(&syntax.AttrSet{Bindings: []syntax.Binding{b}}) {
		used[v.Name] = true
	}
	var out []string
	for _, f := range fs.List {
		if used[f.Name.Name] {
			out = append(out, f.Name.Name)
		}
	}
	return out
}
