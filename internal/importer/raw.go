package importer

import (
	"fmt"
	"sort"
	"strings"

	"github.com/axc-dev/axc/internal/compile"
	"github.com/axc-dev/axc/internal/nix"
	"github.com/axc-dev/axc/internal/nix/syntax"
)

// Nix kept as Nix ({$nix: "…"}) must mean in the file axc build writes
// what it meant where the author wrote it. Its text is the author's, with
// two changes: relative paths are rebased to the directory of the built
// file, and the variables it uses from around it (let bindings, function
// arguments) are bound again in a let around it, with their values. What
// it uses that a built file cannot have (pkgs, flake inputs) makes it
// impossible to import.

// maxRawDepth bounds how deeply raw values may refer to other raw values
// through their variables.
const maxRawDepth = 50

// unportable says why Nix cannot be written into a built file.
type unportable struct {
	file *source
	node syntax.Node
	msg  string
}

// rawText is the text of r for a file in outDir.
func (ev *evaluator) rawText(r *rawVal, outDir string) (string, *unportable) {
	if r.expr == nil {
		return "", &unportable{r.file, nil, "cannot be read"}
	}
	var text string
	var u *unportable
	if r.synth != nil {
		text, u = ev.synthText(r, outDir)
	} else {
		text, u = ev.rawTextDepth(r.expr, r.env, r.file, outDir, 0)
	}
	if u != nil {
		if u.node == nil {
			u = &unportable{r.file, r.expr, "cannot be kept as Nix: it uses " + u.msg}
		}
		return "", u
	}
	if err := compile.CheckRaw(text); err != nil {
		return "", &unportable{r.file, r.expr, fmt.Sprintf("cannot be kept as Nix: %v", err)}
	}
	return text, nil
}

func (ev *evaluator) rawTextDepth(e syntax.Expr, en *env, f *source, outDir string, depth int) (string, *unportable) {
	if depth > maxRawDepth {
		return "", &unportable{msg: "itself, through its variables"}
	}
	text, u := ev.rawSource(f, e.Pos().Offset, e.End().Offset, e, outDir, "")
	if u != nil {
		return "", u
	}
	return ev.wrap(text, syntax.FreeVars(e), en, f, outDir, depth)
}

// wrap binds, in one recursive let around text, the variables it takes
// from en (free are its free variables, in file f), and those the bound
// values take in turn: a helper function that calls itself or another is
// bound once. A name bound to two different values on the way (shadowing)
// gets the inner one in a let of its own. A variable that nothing binds,
// no `with` may provide and Nix does not have is undefined: Nix stops on
// it where the author wrote it, so it cannot mean the same in a built file
// (where lib, say, is bound).
func (ev *evaluator) wrap(text string, free []syntax.FreeVar, en *env, f *source, outDir string, depth int) (string, *unportable) {
	if depth > maxRawDepth {
		return "", &unportable{msg: "itself, through its variables"}
	}
	type need struct {
		name string
		t    *thunk
		via  string // the binding that needs it, for messages
	}
	bound := map[string]*thunk{}
	via := map[string]string{}
	var order []string
	var queue []need
	var undefined *unportable // the first variable nothing binds
	push := func(vars []syntax.FreeVar, en *env, f *source, from string) {
		for _, v := range vars {
			t, ok := en.lookup(v.Name)
			if !ok {
				if !v.UnderWith && !syntax.IsGlobal(v.Name) && undefined == nil {
					undefined = &unportable{f, v.Node, undefinedMsg(v.Name)}
				}
				continue // a builtin, or a name a `with` provides
			}
			if _, isLib := ev.force(t).(libVal); isLib && v.Name == "lib" {
				continue // built files have lib too
			}
			queue = append(queue, need{v.Name, t, from})
		}
	}
	push(free, en, f, "")
	shadowed := map[string]bool{}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if t, ok := bound[n.name]; ok {
			if t != n.t {
				shadowed[n.via] = true // n.via's value gets a let of its own
			}
			continue
		}
		bound[n.name], via[n.name] = n.t, n.via
		order = append(order, n.name)
		switch v := ev.force(n.t).(type) {
		case *rawVal:
			if v.expr != nil && v.synth == nil {
				push(syntax.FreeVars(v.expr), v.env, v.file, n.name)
			}
		case *closure:
			push(syntax.FreeVars(v.lam), v.env, v.file, n.name)
		}
	}
	if undefined != nil {
		return "", undefined
	}
	if len(order) == 0 {
		return text, nil
	}
	sort.Strings(order)
	var b strings.Builder
	b.WriteString("let\n")
	for _, name := range order {
		t := bound[name]
		var val string
		var u *unportable
		switch v := ev.force(t).(type) {
		case *rawVal:
			if v.expr == nil || v.synth != nil || shadowed[name] {
				val, u = ev.nixText(v, outDir, depth+1)
			} else {
				val, u = ev.rawSource(v.file, v.expr.Pos().Offset, v.expr.End().Offset, v.expr, outDir, "")
			}
		case *closure:
			if shadowed[name] {
				val, u = ev.nixText(v, outDir, depth+1)
			} else {
				val, u = ev.rawSource(v.file, v.lam.Pos().Offset, v.lam.End().Offset, v.lam, outDir, "")
			}
		default:
			val, u = ev.nixText(v, outDir, depth+1)
		}
		if u != nil {
			if u.node != nil {
				return "", u // a path that cannot be rebased, at its place
			}
			chain := name + at(t)
			for from := via[name]; from != ""; from = via[from] {
				chain = from + at(bound[from]) + ", which uses " + chain
			}
			return "", &unportable{msg: chain + ", which " + u.msg}
		}
		// Values bound again in lets of their own (shadowing) are written
		// once per let: what all of it writes is bounded.
		if ev.rawWork += int64(len(val)); ev.rawWork > maxRawWork {
			return "", &unportable{msg: fmt.Sprintf("more than %d MiB of Nix through its variables: no host needs that", maxRawWork>>20)}
		}
		fmt.Fprintf(&b, "  %s = %s;\n", nix.QuoteKey(name), val)
	}
	b.WriteString("in\n")
	b.WriteString(text)
	return b.String(), nil
}

// undefinedMsg says that variable name is bound nowhere it is used.
func undefinedMsg(name string) string {
	msg := fmt.Sprintf("undefined variable %s: nothing binds it here, so Nix stops on it", name)
	if name == "lib" {
		// The usual case: a flake's outputs take lib from nixpkgs, a
		// module from its arguments.
		msg += " (a flake gets it from nixpkgs: let lib = nixpkgs.lib; in …; a module from its arguments: { lib, ... }:)"
	}
	return msg + "; define it, or remove its use"
}

// at is " (file:line:col)" of where t is defined, if known.
func at(t *thunk) string {
	if t.expr != nil && t.file != nil {
		return " (" + t.file.at(t.expr) + ")"
	}
	return ""
}

// nixText is v as Nix text for a file in outDir. An unportable without a
// node describes v; the caller places it.
func (ev *evaluator) nixText(v value, outDir string, depth int) (string, *unportable) {
	switch v := v.(type) {
	case *rawVal:
		if v.expr == nil {
			return "", &unportable{msg: "is something import cannot read"}
		}
		text, u := ev.rawTextDepth(v.expr, v.env, v.file, outDir, depth)
		if u != nil && u.node == nil {
			u.msg = "uses " + u.msg
		}
		return text, u
	case *closure:
		text, u := ev.rawTextDepth(v.lam, v.env, v.file, outDir, depth)
		if u != nil && u.node == nil {
			u.msg = "uses " + u.msg
		}
		return text, u
	case libVal:
		return "lib", nil
	}
	e, u := ev.nixExpr(v, outDir, depth)
	if u != nil {
		return "", u
	}
	out, err := nix.Format(e)
	if err != nil {
		return "", &unportable{msg: err.Error()}
	}
	return strings.TrimSuffix(string(out), "\n"), nil
}

// nixExpr is data v as a Nix syntax tree for a file in outDir.
func (ev *evaluator) nixExpr(v value, outDir string, depth int) (nix.Expr, *unportable) {
	if depth > maxRawDepth+syntax.MaxDepth {
		return nil, &unportable{msg: "contains itself"}
	}
	depth++
	switch v := v.(type) {
	case strVal:
		return nix.String(v), nil
	case intVal:
		return nix.Int(v), nil
	case floatVal:
		return nix.Float(v), nil
	case boolVal:
		return nix.Bool(v), nil
	case nullVal:
		return nix.Null{}, nil
	case pathVal:
		if why := v.unreadable(); why != "" {
			if v.lit != nil {
				return nil, &unportable{v.file, v.lit, "cannot be kept as Nix: " + why}
			}
			return nil, &unportable{msg: "holds a path pure evaluation cannot read: " + why}
		}
		p, why := ev.writePath(v, outDir)
		if why != "" {
			if v.lit != nil {
				return nil, &unportable{v.file, v.lit, "cannot be kept as Nix: " + why}
			}
			return nil, &unportable{msg: "holds a path import cannot carry over: " + why}
		}
		if !validPathLiteral(p) {
			return nil, &unportable{msg: fmt.Sprintf("holds the path %s, which cannot be written as a Nix path literal from %s", p, outDir)}
		}
		return nix.Path(p), nil
	case *listVal:
		l := nix.List{}
		for _, t := range v.elems {
			e, u := ev.nixExpr(ev.force(t), outDir, depth)
			if u != nil {
				return nil, u
			}
			l = append(l, e)
		}
		return l, nil
	case *attrSet:
		a := nix.Attrs{}
		for _, name := range v.names() {
			val, _ := ev.lookup(v, name)
			e, u := ev.nixExpr(val, outDir, depth)
			if u != nil {
				return nil, u
			}
			a = append(a, nix.Binding{Path: []string{name}, Value: e})
		}
		return a, nil
	case *rawVal, *closure, libVal:
		text, u := ev.nixText(v, outDir, depth)
		if u != nil {
			return nil, u
		}
		return nix.Raw(text), nil
	}
	return nil, &unportable{msg: describe(v)}
}

// describe says what a value that cannot be written in a built file is.
func describe(v value) string {
	switch v := v.(type) {
	case argVal:
		return "is the function argument " + v.name + ", which the files axc builds do not receive (they have lib only)"
	case inputVal:
		return fmt.Sprintf("is the flake input %s, which the files axc builds do not receive (they have lib only)", strings.Join(append([]string{v.name}, v.path...), "."))
	case selfVal, storeVal:
		return "is the flake's own source (self), which the files axc builds do not receive"
	case hostVal, mkSystemVal:
		return "is the framework's mkSystem"
	case importVal:
		return "is import"
	case tooBigVal:
		return "is " + v.what + ": no host needs that"
	}
	return "is a value import cannot write"
}

// rawSource is the text of f in [start, end), which node n spans or
// holds, as it can stand in a file in outDir: relative path literals are
// rebased to point from outDir to the same files (absolute ones stay as
// they are; a path a flake's pure evaluation cannot read, judged by what
// comes before any ${…} in it, cannot be kept), and the indentation its
// lines share is replaced by indent (not in lines that start inside a
// string, whose value it is).
func (ev *evaluator) rawSource(f *source, start, end int, n syntax.Node, outDir, indent string) (string, *unportable) {
	src := f.file.Src
	type edit struct {
		off, end int
		text     string
	}
	var edits []edit
	var strs [][2]int
	var bad *unportable
	syntax.Inspect(n, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.String:
			strs = append(strs, [2]int{n.Pos().Offset, n.End().Offset})
		case *syntax.Path:
			first := n.Parts[0].(*syntax.Text)
			if bad != nil {
				return false
			}
			p := pathIn(ev.treeOf(f), f.dir(), strings.TrimSuffix(first.Raw, "/"))
			p.lit, p.file = n, f
			if why := p.unreadable(); why != "" {
				bad = &unportable{f, n, "cannot be kept as Nix: " + why}
				return false
			}
			if p.absolute {
				return true
			}
			rel, why := ev.writePath(p, outDir)
			if why != "" {
				bad = &unportable{f, n, "cannot be kept as Nix: " + why}
				return false
			}
			if !validPathLiteral(rel) {
				bad = &unportable{f, n, fmt.Sprintf("cannot be kept as Nix: the path %s cannot be written as a Nix path literal from %s (%s)", first.Raw, outDir, rel)}
				return false
			}
			if strings.HasSuffix(first.Raw, "/") {
				rel += "/"
			}
			edits = append(edits, edit{first.Pos().Offset, first.End().Offset, rel})
		}
		return true
	})
	if bad != nil {
		return "", bad
	}
	// The lines after the first, outside strings: their shared indentation.
	// The strings, outermost only (a string in an interpolation is inside
	// another), in order: one pass over them and the lines.
	sort.Slice(strs, func(i, j int) bool { return strs[i][0] < strs[j][0] })
	outer := strs[:0]
	for _, sp := range strs {
		if n := len(outer); n > 0 && sp[0] < outer[n-1][1] {
			outer[n-1][1] = max(outer[n-1][1], sp[1])
			continue
		}
		outer = append(outer, sp)
	}
	next := 0
	inString := func(off int) bool { // off only grows from call to call
		for next < len(outer) && outer[next][1] <= off {
			next++
		}
		return next < len(outer) && off > outer[next][0] && off < outer[next][1]
	}
	var starts []int
	for i := start; i < end; i++ {
		if src[i] == '\n' && i+1 < end && !inString(i+1) {
			starts = append(starts, i+1)
		}
	}
	common, first := "", true
	for _, ls := range starts {
		ws := leadingSpace(src[ls:end])
		if ls+len(ws) == end || src[ls+len(ws)] == '\n' || src[ls+len(ws)] == '\r' {
			continue // a blank line
		}
		if first {
			common, first = ws, false
		} else {
			common = commonPrefix(common, ws)
		}
	}
	for _, ls := range starts {
		ws := leadingSpace(src[ls:end])
		if ls+len(ws) == end || src[ls+len(ws)] == '\n' || src[ls+len(ws)] == '\r' {
			edits = append(edits, edit{ls, ls + len(ws), ""})
		} else if common != "" || indent != "" {
			edits = append(edits, edit{ls, ls + len(common), indent})
		}
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].off < edits[j].off })
	var b strings.Builder
	last := start
	for _, ed := range edits {
		b.Write(src[last:ed.off])
		b.WriteString(ed.text)
		last = ed.end
	}
	b.Write(src[last:end])
	return b.String(), nil
}

func leadingSpace(b []byte) string {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	return string(b[:i])
}

func commonPrefix(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return a[:i]
}
