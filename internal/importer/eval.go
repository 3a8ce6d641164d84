package importer

import (
	"path/filepath"
	"sort"
	"strings"

	"github.com/axc-dev/axc/internal/nix/syntax"
)

// The evaluator reduces the Nix that flakes, host files and user modules
// are written in to values, statically and lazily: sets (rec, dotted keys,
// inherit), lists, strings and ${…} of known strings, indented strings,
// paths, numbers, booleans, null, let … in, //, functions and their
// application, import of files in the same tree, and the framework's
// mkSystem. Anything else (lib.mkForce x, pkgs.foo, with, if, arithmetic)
// is not reduced: it stays Nix (rawVal), with the scope its variables refer
// to, so that it can be written out verbatim.

// evaluator evaluates the files of one import.
type evaluator struct {
	// trees are the trees of the files read, by absolute name (paths.go).
	trees   map[string]tree
	sources map[string]*source
	// files are the values of imported files, so that a file imported
	// twice is one value (and a set it defines is shared, not copied).
	files map[string]*thunk
	// land is where the files paths name go for the output (land.go);
	// nil when nothing is written.
	land *landing
	// depth counts the evaluations in progress, to stop a function that
	// calls itself forever; steps counts all evaluations, to stop data
	// that grows forever.
	depth, steps int
	// sizes are the sizes of the sets, lists and kept expressions
	// measured (see size); sizing those being measured.
	sizes  map[value]written
	sizing map[value]bool
	// rawWork counts the bytes of Nix kept as Nix written so far (see
	// rawText), to stop one that would grow without end.
	rawWork int64
}

// Past these bounds on nested and on all evaluations, an expression is
// kept as Nix rather than evaluated: no input makes import run forever.
const (
	maxEvalDepth = 2000
	maxEvalSteps = 1_000_000
)

func newEvaluator() *evaluator {
	return &evaluator{trees: map[string]tree{}, sources: map[string]*source{}, files: map[string]*thunk{}}
}

// source reads and parses the file abs once.
func (ev *evaluator) source(abs string) (*source, error) {
	if s, ok := ev.sources[abs]; ok {
		return s, nil
	}
	s, err := readSource(abs)
	if err != nil {
		return nil, err
	}
	ev.sources[abs] = s
	return s, nil
}

// sourceList are the files read, by name.
func (ev *evaluator) sourceList() []*source {
	out := make([]*source, 0, len(ev.sources))
	for _, s := range ev.sources {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].abs < out[j].abs })
	return out
}

// fatal carries an error that stops the import (a syntax error in an
// imported file) up through the evaluation.
type fatal struct{ err error }

// force evaluates t once. A value that depends on itself (let x = { y = x; })
// stays Nix.
func (ev *evaluator) force(t *thunk) value {
	switch t.state {
	case evaluated:
		return t.val
	case evaluating:
		return &rawVal{expr: t.expr, env: t.env, file: t.file}
	}
	t.state = evaluating
	var v value
	if t.compute != nil {
		v = t.compute()
	} else {
		v = ev.eval(t.expr, t.env, t.file)
	}
	if s, ok := v.(*attrSet); ok && s.origin == nil && t.name != nil {
		s.origin = t.name
	}
	t.val, t.state = v, evaluated
	return v
}

func (ev *evaluator) thunk(e syntax.Expr, en *env, f *source) *thunk {
	return &thunk{expr: e, env: en, file: f}
}

// eval evaluates e in en; what it cannot reduce is a rawVal of e.
func (ev *evaluator) eval(e syntax.Expr, en *env, f *source) value {
	raw := &rawVal{expr: e, env: en, file: f}
	if ev.depth >= maxEvalDepth || ev.steps >= maxEvalSteps {
		return raw
	}
	ev.steps++
	ev.depth++
	defer func() { ev.depth-- }()
	switch e := e.(type) {
	case *syntax.Ident:
		if t, ok := en.lookup(e.Name); ok {
			return ev.force(t)
		}
		switch e.Name {
		case "true":
			return boolVal(true)
		case "false":
			return boolVal(false)
		case "null":
			return nullVal{}
		case "import":
			return importVal{}
		}
		return raw
	case *syntax.Int:
		return intVal(e.Value)
	case *syntax.Float:
		return floatVal(e.Value)
	case *syntax.String:
		return ev.str(e.Parts, en, f, raw)
	case *syntax.URI:
		return strVal(e.Value)
	case *syntax.Path:
		return ev.path(e, en, f, raw)
	case *syntax.Paren:
		return ev.eval(e.X, en, f)
	case *syntax.List:
		l := &listVal{node: e, file: f}
		for _, x := range e.Elems {
			l.elems = append(l.elems, ev.thunk(x, en, f))
		}
		return l
	case *syntax.AttrSet:
		if s := ev.attrSet(e, en, f); s != nil {
			return s
		}
		return raw
	case *syntax.Let:
		inner := newEnv(en)
		if !ev.bind(inner, e.Bindings, en, f) {
			return raw
		}
		return ev.eval(e.Body, inner, f)
	case *syntax.Lambda:
		return &closure{lam: e, env: en, file: f}
	case *syntax.Apply:
		fn := ev.eval(e.Func, en, f)
		for _, a := range e.Args {
			fn = ev.apply(fn, ev.thunk(a, en, f))
			if _, ok := fn.(*rawVal); ok {
				return raw
			}
		}
		return fn
	case *syntax.Select:
		v := ev.eval(e.X, en, f)
		for _, k := range e.Path {
			name, ok := ev.keyName(k, en, f)
			if !ok {
				return raw
			}
			if v, ok = ev.selectAttr(v, name); !ok {
				if e.Default != nil {
					return ev.eval(e.Default, en, f)
				}
				return raw
			}
		}
		return v
	case *syntax.Binary:
		if v := ev.binary(e, en, f); v != nil {
			return v
		}
	}
	return raw
}

// str evaluates the parts of a string: text, and interpolations of strings
// (or of the flake's source, at the start).
func (ev *evaluator) str(parts []syntax.StringPart, en *env, f *source, raw value) value {
	var b strings.Builder
	var store *tree
	for i, p := range parts {
		switch p := p.(type) {
		case *syntax.Text:
			b.WriteString(p.Value)
		case *syntax.Interp:
			switch v := ev.eval(p.X, en, f).(type) {
			case strVal:
				if b.Len()+len(v) > maxString {
					return tooLongString()
				}
				b.WriteString(string(v))
			case storeVal:
				if i != 0 {
					return raw
				}
				store = &v.in
				b.WriteString(v.abs)
			case selfVal:
				if i != 0 {
					return raw
				}
				store = &v.in
				b.WriteString(v.in.root)
			default:
				return raw
			}
		}
	}
	if store != nil {
		return storeVal{abs: b.String(), in: *store}
	}
	return strVal(b.String())
}

// fileName is the file name of a path or store value.
func fileName(v value) string {
	switch v := v.(type) {
	case pathVal:
		return v.abs
	case storeVal:
		return v.abs
	}
	return ""
}

// path resolves a path literal against the directory of its file (the
// file Nix read: paths.go); home paths (~/…) depend on who evaluates them
// and stay Nix.
func (ev *evaluator) path(p *syntax.Path, en *env, f *source, raw value) value {
	var b strings.Builder
	for _, part := range p.Parts {
		switch part := part.(type) {
		case *syntax.Text:
			b.WriteString(part.Value)
		case *syntax.Interp:
			s, ok := ev.eval(part.X, en, f).(strVal)
			if !ok {
				return raw
			}
			if b.Len()+len(s) > maxString {
				return tooLongString()
			}
			b.WriteString(string(s))
		}
	}
	s := b.String()
	if strings.HasPrefix(s, "~") {
		return raw
	}
	pv := pathIn(ev.treeOf(f), f.dir(), s)
	pv.lit, pv.file = p, f
	return pv
}

// keyName is the name of an attribute key: static, or an interpolation of
// a known string.
func (ev *evaluator) keyName(k syntax.Key, en *env, f *source) (string, bool) {
	if name, ok := syntax.KeyName(k); ok {
		return name, true
	}
	var v value
	switch k := k.(type) {
	case *syntax.Interp:
		v = ev.eval(k.X, en, f)
	case *syntax.String:
		v = ev.str(k.Parts, en, f, nil)
	}
	s, ok := v.(strVal)
	return string(s), ok
}

// apply applies fn to arg.
func (ev *evaluator) apply(fn value, arg *thunk) value {
	switch fn := fn.(type) {
	case *closure:
		return ev.call(fn, arg)
	case importVal:
		return ev.importFile(ev.force(arg))
	case mkSystemVal:
		return hostVal{cfg: arg}
	}
	return &rawVal{}
}

// call applies a closure: its parameter is bound to arg, and its formals to
// the attributes of arg (or their defaults).
func (ev *evaluator) call(c *closure, arg *thunk) value {
	inner := newEnv(c.env)
	if c.lam.Param != nil {
		inner.vars[c.lam.Param.Name] = arg
	}
	if fs := c.lam.Formals; fs != nil {
		set, ok := ev.force(arg).(*attrSet)
		if !ok {
			return &rawVal{}
		}
		for _, formal := range fs.List {
			name := formal.Name.Name
			if _, has := ev.lookup(set, name); has {
				inner.vars[name] = &thunk{compute: func() value {
					v, _ := ev.lookup(set, name)
					return v
				}}
				continue
			}
			if formal.Default == nil {
				return &rawVal{} // Nix: called without required argument
			}
			inner.vars[name] = ev.thunk(formal.Default, inner, c.file)
		}
	}
	return ev.eval(c.lam.Body, inner, c.file)
}

// importFile is `import p`: the value of the file Nix reads for p, if it
// is in p's tree (readFile). Otherwise the import stays Nix, and the path
// in it says why it cannot be kept.
func (ev *evaluator) importFile(p value) value {
	pv, ok := asPath(p)
	if !ok {
		return &rawVal{}
	}
	abs, why := ev.readFile(pv)
	if why != "" {
		return &rawVal{}
	}
	return ev.force(ev.fileThunk(abs))
}

// fileThunk is the value of the file abs, evaluated once.
func (ev *evaluator) fileThunk(abs string) *thunk {
	if t, ok := ev.files[abs]; ok {
		return t
	}
	t := &thunk{compute: func() value {
		s, err := ev.source(abs)
		if err != nil {
			panic(fatal{err})
		}
		return ev.eval(s.file.Expr, nil, s)
	}}
	base := strings.TrimSuffix(filepath.Base(abs), ".nix")
	if base == "default" {
		base = filepath.Base(filepath.Dir(abs))
	}
	t.name = &origin{name: base}
	ev.files[abs] = t
	return t
}

// selectAttr is v.name.
func (ev *evaluator) selectAttr(v value, name string) (value, bool) {
	switch v := v.(type) {
	case *attrSet:
		return ev.lookup(v, name)
	case inputVal:
		path := append(append([]string{}, v.path...), name)
		switch {
		case len(path) == 1 && path[0] == "lib" && v.name == "nixpkgs":
			return libVal{}, true
		case len(path) == 2 && path[0] == "lib" && path[1] == "mkSystem" && v.name != "nixpkgs":
			return mkSystemVal{}, true
		}
		return inputVal{name: v.name, path: path}, true
	case selfVal:
		if name == "outPath" {
			return storeVal{abs: v.in.root, in: v.in}, true
		}
	}
	return nil, false
}

// binary evaluates //, ++ and + of strings and paths; nil for the rest.
func (ev *evaluator) binary(e *syntax.Binary, en *env, f *source) value {
	switch e.Op {
	case "//":
		l, ok1 := ev.eval(e.X, en, f).(*attrSet)
		r, ok2 := ev.eval(e.Y, en, f).(*attrSet)
		if !ok1 || !ok2 {
			return nil
		}
		return update(l, r)
	case "++":
		l, ok1 := ev.eval(e.X, en, f).(*listVal)
		r, ok2 := ev.eval(e.Y, en, f).(*listVal)
		if !ok1 || !ok2 {
			return nil
		}
		if n := len(l.elems) + len(r.elems); n > maxList {
			return tooLongList(n)
		}
		return &listVal{elems: append(append([]*thunk{}, l.elems...), r.elems...), file: f}
	case "+":
		l := ev.eval(e.X, en, f)
		r, ok := ev.eval(e.Y, en, f).(strVal)
		if !ok {
			return nil
		}
		switch l := l.(type) {
		case strVal:
			if len(l)+len(r) > maxString {
				return tooLongString()
			}
			return l + r
		}
		switch l := l.(type) {
		case storeVal, pathVal:
			if len(fileName(l))+len(r) > maxString {
				return tooLongString()
			}
		}
		switch l := l.(type) {
		case storeVal:
			return storeVal{abs: l.abs + string(r), in: l.in}
		case pathVal:
			return l.plus(string(r))
		}
	}
	return nil
}
