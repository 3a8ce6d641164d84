package load

import (
	"fmt"
	"math"
	"strconv"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/errors"
	"cuelang.org/go/cue/literal"
	"cuelang.org/go/cue/token"
)

// Values that references make large. tooBig judges each file's syntax as
// written; but a reference copies the value it names, so a few lines
// (_l1: [_l0, _l0], _l2: [_l1, _l1], … _l25: [_l24, _l24]) make a value
// of 2^26 strings that CUE evaluates and build writes out for minutes.
// Before anything is evaluated, expansion computes from the syntax of the
// whole package (every file that will be evaluated) what each value
// expands to through what it refers to: hidden fields, definitions, lets,
// aliases and regular fields, comprehensions (which repeat their body once
// per element of their source), patterns (applied to every field), and
// the standard library calls that repeat (strings.Repeat, list.Repeat,
// list.Range, "ab" * 3). Each declaration is measured once and its
// measure reused at every reference, so the pass is linear in the source.
//
// What a value expands to is an upper bound of what CUE makes of it: the
// size of its text written out compactly (labels, literals, one byte per
// colon; no spaces, brackets or commas), how deeply its structs and lists
// nest, and how many fields or items one of them holds. A value written
// out as a literal measures at most its source text, so a file within
// MaxFileSize, MaxDepth and MaxWidth never trips these bounds: they catch
// only what references and repetition make.
const (
	// MaxExpanded is the most one value may expand to, written out: what
	// a host file may hold.
	MaxExpanded = MaxFileSize
	// MaxExpandedTotal is the most the entries of a package may expand to
	// together, written out: some 50 000 hosts like bench/genhosts's
	// (whose vet takes minutes; data that references copy into a few
	// hosts takes some seconds).
	MaxExpandedTotal = 4 * MaxFileSize
	// maxRepeat is the largest count CUE repeats a string or list by
	// (adt.MaxRepeatCount): a count the syntax does not give is taken to
	// be that.
	maxRepeat = 1_000_000
)

// huge stands for a measure beyond every bound; sums and products
// saturate there.
const huge = int64(1) << 50

// extent is what an expression expands to.
type extent struct {
	size  int64 // bytes written out
	depth int64 // nesting of structs and lists
	width int64 // fields or items, when a struct or list
	// elem is the size of its largest field value or item, elemWidth the
	// width of its widest one: what a comprehension's value variable is.
	elem, elemWidth int64
	// label is the length of its longest label (of an index, for a
	// list): what a comprehension's key variable is.
	label int64
	// pattern is the size of the constraints applied to every field or
	// item ([string]: X, [...X]).
	pattern int64
	// text and num say whether it may be a string (or bytes) and a
	// number: "ab" * 3 repeats, 10 * 3 multiplies.
	text, num bool
	// over reports a bound passed inside, already reported there.
	over bool
}

func sat(v int64) int64 { return min(max(v, 0), huge) }

func add(a, b int64) int64 { return sat(a + b) }

func mul(a, b int64) int64 {
	if a <= 0 || b <= 0 {
		return 0
	}
	if a > huge/b {
		return huge
	}
	return a * b
}

// both is the extent of two values unified (a & b, an embedding, two
// declarations of one field): their fields together, each pattern applied
// to the other's fields.
func both(a, b extent) extent {
	return extent{
		size:      add(add(a.size, b.size), add(mul(a.width, b.pattern), mul(b.width, a.pattern))),
		depth:     max(a.depth, b.depth),
		width:     add(a.width, b.width),
		elem:      max(a.elem, b.elem),
		elemWidth: max(a.elemWidth, b.elemWidth),
		label:     max(a.label, b.label),
		pattern:   add(a.pattern, b.pattern),
		text:      a.text || b.text,
		num:       a.num || b.num,
		over:      a.over || b.over,
	}
}

// scalar is the extent of a literal or other value that is no struct or
// list.
func scalar(size int64, text, num bool) extent {
	return extent{size: sat(size), text: text, num: num}
}

// declKey names the declarations of one field: in a struct, or (scope nil)
// at the top level of the package, across its files.
type declKey struct {
	scope ast.Node
	name  string
}

// expander measures the values of one package.
type expander struct {
	noun  string                 // what the package's entries are: host, user
	decls map[declKey][]ast.Expr // the values of each field, by where it is declared
	// indexed are the structs whose fields decls holds: those that
	// references name, indexed when first named.
	indexed map[*ast.StructLit]bool
	forOf   map[*ast.Ident]*ast.ForClause // the clause that declares a key or value variable
	// patternOf is the struct of a pattern constraint, by the
	// expression of its label ([X=string]): X stands for the labels of
	// that struct's fields.
	patternOf map[ast.Node]*ast.StructLit
	imports   map[*ast.ImportSpec]string // import paths
	// shared are the expressions measured more than once (what
	// references name, the sources of comprehensions): their measures
	// are kept in memo.
	shared   map[ast.Node]bool
	memo     map[ast.Node]extent
	declMemo map[declKey]extent
	labels   map[*ast.StructLit]int64
	selected map[selectKey]selection
	consts   map[ast.Expr]constant
	// fixedStruct says of the structs selected from whether their
	// syntax shows all their fields.
	fixedStruct map[*ast.StructLit]bool
	busy        map[any]bool
	// steps counts the measures taken, for the test that the pass is
	// linear in its input.
	steps int
	// idents and selectors are the references of the package.
	idents    []*ast.Ident
	selectors []*ast.SelectorExpr
	errs      errors.Error
	failed    map[token.Pos]bool
}

// expansion checks what the values of a package's files expand to: no
// value beyond MaxExpanded, MaxDepth and MaxWidth, and its entries (the
// regular top-level fields) within MaxExpandedTotal together. It returns
// an error at the place where each bound is passed (the reference or
// repetition that passes it), or nil. noun is what an entry is (host).
func expansion(files []*ast.File, noun string) errors.Error {
	return newExpander(noun).run(files)
}

func (x *expander) run(files []*ast.File) errors.Error {
	noun := x.noun
	for _, f := range files {
		x.index(f)
	}
	x.markShared()
	// Every value is measured, used or not: a value that could not be
	// evaluated in time is refused wherever it is. The entries add up,
	// each with the top-level patterns it matches.
	var total, entries, patterns int64
	var last ast.Decl
	for _, f := range files {
		for _, d := range f.Decls {
			var e extent
			x.addDecl(&e, d)
			if fd, ok := d.(*ast.Field); ok && isPattern(fd.Label) {
				patterns = add(patterns, e.pattern)
			}
			if !isEntryDecl(d) || e.over || total > MaxExpandedTotal {
				continue // last is where the total passed its bound
			}
			entries++
			total, last = add(total, e.size), d
		}
	}
	if total = add(total, mul(entries, patterns)); total > MaxExpandedTotal {
		x.fail(last.Pos(), fmt.Sprintf("with this, the %ss of the package expand to more than %s written out: no fleet needs that", noun, mib(MaxExpandedTotal)))
	}
	return x.errs
}

func newExpander(noun string) *expander {
	return &expander{
		noun:        noun,
		decls:       map[declKey][]ast.Expr{},
		indexed:     map[*ast.StructLit]bool{},
		forOf:       map[*ast.Ident]*ast.ForClause{},
		patternOf:   map[ast.Node]*ast.StructLit{},
		imports:     map[*ast.ImportSpec]string{},
		shared:      map[ast.Node]bool{},
		memo:        map[ast.Node]extent{},
		declMemo:    map[declKey]extent{},
		labels:      map[*ast.StructLit]int64{},
		selected:    map[selectKey]selection{},
		consts:      map[ast.Expr]constant{},
		fixedStruct: map[*ast.StructLit]bool{},
		busy:        map[any]bool{},
		failed:      map[token.Pos]bool{},
	}
}

// isEntryDecl reports whether d declares entries: a regular field, or a
// comprehension or embedding, which may make some.
func isEntryDecl(d ast.Decl) bool {
	switch d := d.(type) {
	case *ast.Field:
		if isPattern(d.Label) {
			return false
		}
		name, isIdent, err := ast.LabelName(d.Label)
		return err != nil || !isIdent || !hiddenOrDef(name)
	case *ast.Comprehension, *ast.EmbedDecl:
		return true
	}
	return false
}

func hiddenOrDef(name string) bool {
	return len(name) > 0 && (name[0] == '_' || name[0] == '#')
}

func isPattern(l ast.Label) bool {
	if a, ok := l.(*ast.Alias); ok {
		l, _ = a.Expr.(ast.Label)
	}
	_, ok := l.(*ast.ListLit)
	return ok
}

func mib(n int64) string { return fmt.Sprintf("%d MiB", n>>20) }

// fail reports a bound passed at pos, once.
func (x *expander) fail(pos token.Pos, msg string) {
	if x.failed[pos] {
		return
	}
	x.failed[pos] = true
	x.errs = errors.Append(x.errs, errors.Newf(pos, "%s", msg))
}

// index records the declarations of f: the fields of its top level (the
// package's), the patterns of its structs, the variables of
// comprehensions, the imports, and its references.
func (x *expander) index(f *ast.File) {
	x.indexDecls(nil, f.Decls)
	ast.Walk(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.StructLit:
			x.indexPatterns(n)
		case *ast.ForClause:
			if n.Key != nil {
				x.forOf[n.Key] = n
			}
			if n.Value != nil {
				x.forOf[n.Value] = n
			}
		case *ast.ImportSpec:
			if p, err := literal.Unquote(n.Path.Value); err == nil {
				x.imports[n] = p
			}
		case *ast.Ident:
			x.idents = append(x.idents, n)
		case *ast.SelectorExpr:
			x.selectors = append(x.selectors, n)
		}
		return true
	}, nil)
}

// markShared marks the expressions that are measured more than once, by
// references and comprehensions, to keep their measures: each expression
// is measured once, whatever refers to it.
func (x *expander) markShared() {
	for _, id := range x.idents {
		for _, t := range x.targets(id) {
			x.shared[t] = true
		}
		if n, ok := id.Node.(*ast.Ident); ok {
			if c := x.forOf[n]; c != nil {
				x.shared[c.Source] = true
			}
		}
	}
	for _, s := range x.selectors {
		if vals, ok := x.selectTargets(s, 0); ok {
			for _, v := range vals {
				x.shared[v] = true
			}
		}
	}
}

// indexDecls records the fields of a struct (nil: of the package's top
// level) in decls, by name.
func (x *expander) indexDecls(scope *ast.StructLit, decls []ast.Decl) {
	var sc ast.Node // nil: the package's top level
	if scope != nil {
		sc = scope
		x.indexed[scope] = true
	}
	for _, d := range decls {
		f, ok := d.(*ast.Field)
		if !ok || isPattern(f.Label) {
			continue
		}
		// A quoted label too: it can be selected (x."a-b").
		name, _, err := ast.LabelName(f.Label)
		if err != nil {
			continue // a dynamic label
		}
		k := declKey{sc, name}
		x.decls[k] = append(x.decls[k], fieldValue(f))
	}
}

// indexPatterns records the patterns of st: an alias in one's label
// ([X=string]) stands for the labels of st's fields. Computed labels are
// measured for the struct and for a pattern's alias: they are shared.
func (x *expander) indexPatterns(st *ast.StructLit) {
	for _, d := range st.Elts {
		f, ok := d.(*ast.Field)
		if !ok {
			continue
		}
		label := f.Label
		if a, ok := label.(*ast.Alias); ok {
			if l, ok := a.Expr.(ast.Label); ok {
				label = l
			}
		}
		switch l := label.(type) {
		case *ast.ParenExpr, *ast.Interpolation:
			x.shared[l.(ast.Expr)] = true
		}
		if l, ok := label.(*ast.ListLit); ok && len(l.Elts) == 1 {
			e := l.Elts[0]
			if a, ok := e.(*ast.Alias); ok {
				e = a.Expr
			}
			x.patternOf[e] = st
		}
	}
}

// declsOf are the values of the fields k names.
func (x *expander) declsOf(k declKey) []ast.Expr {
	if st, ok := k.scope.(*ast.StructLit); ok && !x.indexed[st] {
		x.indexDecls(st, st.Elts)
	}
	return x.decls[k]
}

// keyOf is the field a reference to one names: its name, in the struct
// (or the top level) the reference resolves to.
func keyOf(id *ast.Ident) (declKey, bool) {
	switch sc := id.Scope.(type) {
	case *ast.File:
		return declKey{nil, id.Name}, true
	case *ast.StructLit:
		return declKey{sc, id.Name}, true
	}
	return declKey{}, false
}

// fieldValue is the value of f, without a value alias (a: X=v).
func fieldValue(f *ast.Field) ast.Expr {
	if a, ok := f.Value.(*ast.Alias); ok {
		return a.Expr
	}
	return f.Value
}

// expr is what e expands to; each expression is measured once.
func (x *expander) expr(e ast.Expr) extent {
	if e == nil {
		return extent{}
	}
	if !x.shared[e] {
		return x.measure(e)
	}
	if m, ok := x.memo[e]; ok {
		return m
	}
	if x.busy[e] {
		return scalar(1, true, true) // a cycle: CUE says what is wrong with it
	}
	x.busy[e] = true
	r := x.measure(e)
	delete(x.busy, e)
	x.memo[e] = r
	return r
}

func (x *expander) measure(e ast.Expr) extent {
	x.steps++
	switch e := e.(type) {
	case *ast.BasicLit:
		switch e.Kind {
		case token.STRING:
			return scalar(int64(len(e.Value)), true, false)
		case token.INT, token.FLOAT:
			return scalar(int64(len(e.Value)), false, true)
		}
		return scalar(int64(len(e.Value)), false, false)
	case *ast.BottomLit, *ast.BadExpr:
		return scalar(1, false, false)
	case *ast.Ident:
		return x.ident(e)
	case *ast.ParenExpr:
		return x.expr(e.X)
	case *ast.Alias:
		return x.expr(e.Expr)
	case *ast.UnaryExpr:
		return x.expr(e.X)
	case *ast.PostfixExpr:
		return x.expr(e.X)
	case *ast.Interpolation:
		var s extent
		s.text = true
		var c crossing
		for _, p := range e.Elts {
			pe := x.expr(p)
			s.size, s.over = add(s.size, pe.size), s.over || pe.over
			c.note(p, s)
		}
		return x.check(e, s, &c)
	case *ast.StructLit:
		return x.structLit(e)
	case *ast.ListLit:
		return x.listLit(e)
	case *ast.BinaryExpr:
		return x.binary(e)
	case *ast.SelectorExpr:
		return x.selector(e)
	case *ast.IndexExpr:
		v, i := x.expr(e.X), x.expr(e.Index)
		return extent{size: v.elem, width: v.elemWidth, elem: v.elem, elemWidth: v.elemWidth, depth: max(v.depth-1, 0), label: v.label, text: true, num: true, over: v.over || i.over}
	case *ast.SliceExpr:
		v := x.expr(e.X)
		x.expr(e.Low)
		x.expr(e.High)
		return v
	case *ast.CallExpr:
		return x.call(e)
	case *ast.Comprehension:
		// Only as an element of a list or struct, where listLit and
		// addDecl measure it.
		var s extent
		x.addDecl(&s, e)
		return s
	}
	// Anything else (newer syntax): its parts, added up.
	var s extent
	s.text, s.num = true, true
	ast.Walk(e, func(n ast.Node) bool {
		if n == ast.Node(e) {
			return true
		}
		if c, ok := n.(ast.Expr); ok {
			s = both(s, x.expr(c))
		}
		return false
	}, nil)
	return s
}

// crossing remembers, while the parts of a value are added up, the part
// at which its size and its width first pass their bounds, and its first
// part as deep as MaxDepth: where a bound is passed.
type crossing struct{ size, width, depth ast.Node }

// note records part n, after which the sum is s.
func (c *crossing) note(n ast.Node, s extent) {
	if c.size == nil && s.size > MaxExpanded {
		c.size = n
	}
	if c.width == nil && s.width > MaxWidth {
		c.width = n
	}
	if c.depth == nil && s.depth >= MaxDepth {
		c.depth = n
	}
}

// check reports e when its extent s passes a bound that none of its parts
// passes: at the part that passes it (c, if known), or at e.
func (x *expander) check(e ast.Node, s extent, c *crossing) extent {
	if s.over {
		return s
	}
	var at ast.Node
	var msg string
	if c == nil {
		c = &crossing{}
	}
	switch {
	case s.width > MaxWidth:
		at, msg = c.width, fmt.Sprintf("more than %d fields or items in one value here, with what it refers to or repeats: no %s needs that", MaxWidth, x.noun)
	case s.depth > MaxDepth:
		at, msg = c.depth, fmt.Sprintf("values nest deeper than %d levels here, with what they refer to: no %s needs that", MaxDepth, x.noun)
	case s.size > MaxExpanded:
		at, msg = c.size, fmt.Sprintf("this value expands to more than %s written out, with what it refers to: no %s needs that", mib(MaxExpanded), x.noun)
	default:
		return s
	}
	pos := e.Pos()
	if at != nil && at.Pos().IsValid() {
		pos = at.Pos()
	}
	x.fail(pos, msg)
	s.over = true
	return s
}

func (x *expander) structLit(st *ast.StructLit) extent {
	var s extent
	var c crossing
	for _, d := range st.Elts {
		x.addDecl(&s, d)
		if f, ok := d.(*ast.Field); ok {
			c.note(fieldValue(f), s) // the value, where a reference is
		} else {
			c.note(d, s)
		}
	}
	s.size = add(s.size, mul(s.width, s.pattern))
	if s.width > 0 || len(st.Elts) == 0 || s.depth > 0 {
		s.depth++
	}
	return x.check(st, s, &c)
}

// addDecl adds what d adds to a struct to s.
func (x *expander) addDecl(s *extent, d ast.Decl) {
	switch d := d.(type) {
	case *ast.Field:
		if isPattern(d.Label) {
			x.labelExtent(d.Label)
			v := x.expr(fieldValue(d))
			s.pattern, s.over = add(s.pattern, v.size), s.over || v.over
			s.depth = max(s.depth, v.depth)
			return
		}
		l := x.labelExtent(d.Label)
		v := x.expr(fieldValue(d))
		s.size = add(s.size, add(add(l.size, 1), v.size))
		s.width = add(s.width, 1)
		s.depth = max(s.depth, v.depth)
		s.elem, s.elemWidth = max(s.elem, v.size), max(s.elemWidth, v.width)
		s.label = max(s.label, l.size)
		s.over = s.over || v.over || l.over
	case *ast.EmbedDecl:
		v := x.expr(d.Expr)
		if v.depth > 0 {
			v.depth-- // its fields are the struct's
		}
		*s = both(*s, v)
	case *ast.Comprehension:
		n, body := x.comprehension(d)
		if body.depth > 0 {
			body.depth--
		}
		*s = both(*s, repeat(body, n))
	case *ast.LetClause:
		// Measured where it is used; measured here too, so that a let
		// no one uses is judged.
		x.expr(d.Expr)
	case *ast.Ellipsis:
		v := x.expr(d.Type)
		s.pattern, s.over = add(s.pattern, v.size), s.over || v.over
	}
}

// repeat is e n times over: the fields or items a comprehension adds.
func repeat(e extent, n int64) extent {
	e.size, e.width = mul(e.size, n), mul(e.width, n)
	return e
}

// comprehension measures the clauses of c and its value: how many times
// the value is made, and what it is.
func (x *expander) comprehension(c *ast.Comprehension) (int64, extent) {
	n := int64(1)
	over := false
	for _, cl := range c.Clauses {
		switch cl := cl.(type) {
		case *ast.ForClause:
			src := x.expr(cl.Source)
			n, over = mul(n, max(src.width, 0)), over || src.over
		case *ast.IfClause:
			over = over || x.expr(cl.Condition).over
		case *ast.LetClause:
			over = over || x.expr(cl.Expr).over
		}
	}
	body := x.expr(c.Value)
	if c.Fallback != nil {
		fb := x.expr(c.Fallback.Body)
		body = both(body, fb)
	}
	body.over = body.over || over
	return n, body
}

func (x *expander) listLit(l *ast.ListLit) extent {
	var s extent
	var c crossing
	for _, e := range l.Elts {
		switch e := e.(type) {
		case *ast.Comprehension:
			// Each time, the value of the body struct is an item.
			n, body := x.comprehension(e)
			s.size = add(s.size, mul(body.size, n))
			s.width = add(s.width, n)
			s.depth = max(s.depth, body.depth)
			s.elem, s.elemWidth = max(s.elem, body.size), max(s.elemWidth, body.width)
			s.over = s.over || body.over
		case *ast.Ellipsis:
			v := x.expr(e.Type)
			s.pattern, s.over = add(s.pattern, v.size), s.over || v.over
			s.depth = max(s.depth, v.depth)
		default:
			v := x.expr(e)
			s.size = add(s.size, v.size)
			s.width = add(s.width, 1)
			s.depth = max(s.depth, v.depth)
			s.elem, s.elemWidth = max(s.elem, v.size), max(s.elemWidth, v.width)
			s.over = s.over || v.over
		}
		c.note(e, s)
	}
	s.size = add(s.size, mul(s.width, s.pattern))
	s.label = int64(len(strconv.FormatInt(s.width, 10)))
	s.depth++
	return x.check(l, s, &c)
}

// structLabels is the length of the longest label of the fields of st,
// from their labels alone (a pattern's alias stands for them).
func (x *expander) structLabels(st *ast.StructLit) int64 {
	if n, ok := x.labels[st]; ok {
		return n
	}
	if x.busy[st] {
		return 1
	}
	x.busy[st] = true
	n := int64(1)
	for _, d := range st.Elts {
		switch d := d.(type) {
		case *ast.Field:
			if !isPattern(d.Label) {
				n = max(n, x.labelExtent(d.Label).size)
			}
		case *ast.EmbedDecl:
			n = max(n, x.expr(d.Expr).label)
		case *ast.Comprehension:
			if b, ok := d.Value.(*ast.StructLit); ok {
				n = max(n, x.structLabels(b))
			}
		}
	}
	delete(x.busy, st)
	x.labels[st] = n
	return n
}

// labelExtent measures a label: its text, or the value it is computed
// from.
func (x *expander) labelExtent(l ast.Label) extent {
	switch l := l.(type) {
	case *ast.Ident:
		return scalar(int64(len(l.Name)), true, false)
	case *ast.BasicLit:
		return scalar(int64(len(l.Value)), true, false)
	case *ast.Alias:
		if e, ok := l.Expr.(ast.Label); ok {
			return x.labelExtent(e)
		}
		return x.expr(l.Expr)
	case *ast.ListLit:
		return x.expr(l)
	case ast.Expr:
		return x.expr(l)
	}
	return scalar(1, true, false)
}

func (x *expander) binary(b *ast.BinaryExpr) extent {
	l, r := x.expr(b.X), x.expr(b.Y)
	var c crossing
	c.note(b.X, l)
	c.note(b.Y, both(l, r))
	var s extent
	switch b.Op {
	case token.AND:
		s = both(l, r)
	case token.OR:
		s = both(l, r)
		s.width, s.depth = max(l.width, r.width), max(l.depth, r.depth)
	case token.MUL:
		// Numbers multiply (the digits add up); a string or bytes times
		// a count repeats.
		s = scalar(add(l.size, r.size), false, l.num && r.num)
		s.over = l.over || r.over
		if l.text && r.num {
			s.size, s.text = max(s.size, mul(l.size, x.count(b.Y, maxRepeat))), true
		}
		if r.text && l.num {
			s.size, s.text = max(s.size, mul(r.size, x.count(b.X, maxRepeat))), true
		}
		if s.size > l.size+r.size {
			// A repetition passes the bound where it is written.
			c = crossing{}
		}
	case token.QUO:
		// A decimal quotient has up to 34 digits.
		s = scalar(add(add(l.size, r.size), 34), false, true)
		s.over = l.over || r.over
	case token.ADD, token.SUB:
		// Strings (and bytes) concatenate; numbers have a digit more at
		// most.
		s = scalar(add(max(l.size, r.size), 1), false, true)
		if b.Op == token.ADD && (l.text || r.text) {
			s.size, s.text = add(l.size, r.size), true
		}
		s.over = l.over || r.over
	default:
		// Comparisons, &&, ||, =~: a boolean.
		s = scalar(5, false, false)
		s.over = l.over || r.over
	}
	return x.check(b, s, &c)
}

// count is the value of the integer e, if the syntax gives it; else
// unknown.
func (x *expander) count(e ast.Expr, unknown int64) int64 {
	if n, ok := x.constInt(e, 0); ok {
		return max(n, 0)
	}
	return unknown
}

// constInt is the value of e when it is an integer the syntax fixes: a
// literal, or +, - and * of such, or a reference to a field or let whose
// one value is one. Each expression is folded once: _n1: _n0 + _n0 …
// _n40 would otherwise be folded 2^40 times.
func (x *expander) constInt(e ast.Expr, depth int) (int64, bool) {
	if depth > 100 {
		return 0, false
	}
	if c, ok := x.consts[e]; ok {
		return c.n, c.ok
	}
	// While e is folded, it is no constant: a: a * a refers to itself.
	x.consts[e] = constant{}
	n, ok := x.foldInt(e, depth)
	x.consts[e] = constant{n, ok}
	return n, ok
}

// constant is a folded integer, or none (ok false).
type constant struct {
	n  int64
	ok bool
}

func (x *expander) foldInt(e ast.Expr, depth int) (int64, bool) {
	x.steps++
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.INT {
			return 0, false
		}
		var ni literal.NumInfo
		if literal.ParseNum(e.Value, &ni) != nil || !ni.IsInt() {
			return 0, false
		}
		n, err := strconv.ParseInt(ni.String(), 10, 64)
		return n, err == nil
	case *ast.ParenExpr:
		return x.constInt(e.X, depth+1)
	case *ast.UnaryExpr:
		n, ok := x.constInt(e.X, depth+1)
		switch e.Op {
		case token.SUB:
			return -n, ok && n != math.MinInt64
		case token.ADD:
			return n, ok
		}
	case *ast.BinaryExpr:
		a, ok1 := x.constInt(e.X, depth+1)
		b, ok2 := x.constInt(e.Y, depth+1)
		if !ok1 || !ok2 {
			return 0, false
		}
		switch e.Op {
		case token.ADD:
			s := a + b
			return s, (s > a) == (b > 0)
		case token.SUB:
			s := a - b
			return s, (s < a) == (b > 0)
		case token.MUL:
			if a == 0 || b == 0 {
				return 0, true
			}
			p := a * b
			return p, p/b == a && !(a == -1 && b == math.MinInt64) && !(b == -1 && a == math.MinInt64)
		}
	case *ast.Ident:
		vals := x.targets(e)
		if len(vals) != 1 {
			return 0, false
		}
		return x.constInt(vals[0], depth+1)
	}
	return 0, false
}

// targets are the expressions an identifier refers to: the values of every
// declaration of the field it names, a let's or an alias's value. nil for
// anything else (a comprehension variable, an import, a builtin).
func (x *expander) targets(id *ast.Ident) []ast.Expr {
	switch n := id.Node.(type) {
	case nil:
		return x.decls[declKey{nil, id.Name}]
	case *ast.LetClause:
		return []ast.Expr{n.Expr}
	case *ast.Alias:
		return []ast.Expr{n.Expr}
	case *ast.Field:
		return []ast.Expr{fieldValue(n)}
	case ast.Expr:
		if k, ok := keyOf(id); ok {
			return x.declsOf(k)
		}
	}
	return nil
}

// ident is what an identifier refers to.
func (x *expander) ident(id *ast.Ident) extent {
	if id.IsPredeclared() || id.Node == nil && x.decls[declKey{nil, id.Name}] == nil {
		return predeclared(id.Name)
	}
	switch n := id.Node.(type) {
	case *ast.ImportSpec:
		return scalar(int64(len(id.Name)), false, false)
	case *ast.Ident:
		// A comprehension's key or value.
		if c := x.forOf[n]; c != nil {
			src := x.expr(c.Source)
			if n == c.Key {
				return scalar(max(src.label, 1), true, true)
			}
			return extent{size: src.elem, width: src.elemWidth, elem: src.elem, elemWidth: src.elemWidth, depth: max(src.depth-1, 0), label: src.label, text: true, num: true}
		}
	case ast.Expr:
		if st := x.patternOf[n]; st != nil {
			// The label of a field the pattern matches.
			return scalar(x.structLabels(st), true, false)
		}
		if k, ok := keyOf(id); ok {
			return x.declared(k)
		}
	}
	vals := x.targets(id)
	if vals == nil {
		return scalar(int64(len(id.Name)), true, true)
	}
	if id.Node == nil {
		return x.declared(declKey{nil, id.Name})
	}
	var s extent
	for _, v := range vals {
		s = both(s, x.expr(v))
	}
	return s
}

// declared is what a field is: all its declarations, unified.
func (x *expander) declared(k declKey) extent {
	if m, ok := x.declMemo[k]; ok {
		return m
	}
	if x.busy[k] {
		return scalar(1, true, true)
	}
	x.busy[k] = true
	var s extent
	for _, v := range x.declsOf(k) {
		s = both(s, x.expr(v))
	}
	delete(x.busy, k)
	x.declMemo[k] = s
	return s
}

// predeclared is the extent of a predeclared identifier: a type, a
// constant or a builtin function.
func predeclared(name string) extent {
	switch name {
	case "string", "bytes":
		return scalar(int64(len(name)), true, false)
	case "int", "float", "number", "uint", "int8", "int16", "int32", "int64", "int128", "uint8", "uint16", "uint32", "uint64", "uint128", "float32", "float64", "rune":
		return scalar(int64(len(name)), false, true)
	case "null", "true", "false", "bool":
		return scalar(int64(len(name)), false, false)
	}
	return scalar(int64(len(name)), true, true)
}

// selector is what a.b.c refers to: the declarations of c in what a.b
// names, when the syntax shows them; else all of a.
func (x *expander) selector(s *ast.SelectorExpr) extent {
	if vals, ok := x.selectTargets(s, 0); ok {
		var out extent
		for _, v := range vals {
			out = both(out, x.expr(v))
		}
		return out
	}
	return x.expr(s.X)
}

// selectTargets are the value expressions e names, when they are all
// struct literals' fields or references to them.
func (x *expander) selectTargets(e ast.Expr, depth int) ([]ast.Expr, bool) {
	if depth > MaxDepth {
		return nil, false
	}
	switch e := e.(type) {
	case *ast.ParenExpr:
		return x.selectTargets(e.X, depth+1)
	case *ast.Ident:
		if _, ok := e.Node.(*ast.ImportSpec); ok {
			return nil, false
		}
		vals := x.targets(e)
		return vals, vals != nil
	case *ast.SelectorExpr:
		name, _, err := ast.LabelName(e.Sel)
		if err != nil {
			return nil, false
		}
		outer, ok := x.selectTargets(e.X, depth+1)
		if !ok {
			return nil, false
		}
		var out []ast.Expr
		for _, o := range outer {
			vals, ok := x.selectField(o, name, depth+1)
			if !ok {
				return nil, false
			}
			out = append(out, vals...)
		}
		return out, true
	}
	return nil, false
}

// selectKey is a selection of a field from a value expression.
type selectKey struct {
	from ast.Expr
	name string
}

// selectField are the values of the field name of the value o, when the
// syntax shows them all; each selection is made once.
func (x *expander) selectField(o ast.Expr, name string, depth int) ([]ast.Expr, bool) {
	k := selectKey{o, name}
	if r, ok := x.selected[k]; ok {
		return r.vals, r.ok
	}
	if x.busy[k] || depth > MaxDepth {
		return nil, false
	}
	x.busy[k] = true
	vals, ok := x.selectFieldOnce(o, name, depth)
	delete(x.busy, k)
	x.selected[k] = selection{vals, ok}
	return vals, ok
}

// fixed reports whether the syntax of st shows all its fields: no
// pattern, dynamic label, embedding or comprehension. Judged once.
func (x *expander) fixed(st *ast.StructLit) bool {
	if f, ok := x.fixedStruct[st]; ok {
		return f
	}
	f := true
	for _, d := range st.Elts {
		switch d := d.(type) {
		case *ast.Field:
			if _, _, err := ast.LabelName(d.Label); err != nil || isPattern(d.Label) {
				f = false
			}
		case *ast.LetClause, *ast.Attribute, *ast.CommentGroup:
		default:
			f = false // an embedding, a comprehension: anything could be there
		}
	}
	x.fixedStruct[st] = f
	return f
}

type selection struct {
	vals []ast.Expr
	ok   bool
}

func (x *expander) selectFieldOnce(o ast.Expr, name string, depth int) ([]ast.Expr, bool) {
	x.steps++
	switch o := o.(type) {
	case *ast.ParenExpr:
		return x.selectField(o.X, name, depth+1)
	case *ast.StructLit:
		if !x.fixed(o) {
			return nil, false
		}
		return x.declsOf(declKey{o, name}), true
	case *ast.Ident:
		if _, ok := o.Node.(*ast.ImportSpec); ok {
			return nil, false
		}
		vals := x.targets(o)
		if vals == nil {
			return nil, false
		}
		var out []ast.Expr
		for _, v := range vals {
			more, ok := x.selectField(v, name, depth+1)
			if !ok {
				return nil, false
			}
			out = append(out, more...)
		}
		return out, true
	case *ast.SelectorExpr:
		vals, ok := x.selectTargets(o, depth+1)
		if !ok {
			return nil, false
		}
		var out []ast.Expr
		for _, v := range vals {
			more, ok := x.selectField(v, name, depth+1)
			if !ok {
				return nil, false
			}
			out = append(out, more...)
		}
		return out, true
	}
	return nil, false
}

// call is what a call of a builtin makes. Most make values no larger
// than their arguments (a few times over, for escaping and case
// mapping); those that repeat are measured by the count the syntax
// gives, or the most CUE allows.
func (x *expander) call(c *ast.CallExpr) extent {
	args := make([]extent, len(c.Args))
	var sum extent
	sum.text, sum.num = true, true
	for i, a := range c.Args {
		args[i] = x.expr(a)
		sum.size, sum.over = add(sum.size, args[i].size), sum.over || args[i].over
		sum.depth = max(sum.depth, args[i].depth)
	}
	arg := func(i int) extent {
		if i < len(args) {
			return args[i]
		}
		return extent{}
	}
	count := func(i, unknown int64) int64 {
		if int(i) < len(c.Args) {
			return x.count(c.Args[i], unknown)
		}
		return 0
	}
	pkg, fn := x.callee(c.Fun)
	if pkg == "" && fn == "" {
		x.expr(c.Fun)
	}
	s := sum
	s.size = mul(sum.size, 3)
	switch pkg + "." + fn {
	case ".len", ".div", ".mod", ".quo", ".rem":
		s = scalar(add(sum.size, 1), false, true)
		s.over = sum.over
	case ".close", ".and", ".or":
		s = arg(0)
		s.over = sum.over
	case "strings.Repeat":
		s = scalar(mul(arg(0).size, count(1, maxRepeat)), true, false)
		s.over = sum.over
	case "strings.Replace":
		// Each byte, and each end, may become new.
		s = scalar(mul(add(arg(0).size, 1), add(arg(2).size, 1)), true, false)
		s.over = sum.over
	case "strings.Join":
		s = scalar(add(arg(0).size, mul(arg(0).width, arg(1).size)), true, false)
		s.over = sum.over
	case "strings.Split", "strings.SplitN", "strings.SplitAfter", "strings.SplitAfterN", "strings.Fields", "strings.Runes":
		// Up to an item a byte.
		a := arg(0)
		s = extent{size: add(mul(a.size, 8), 2), width: a.size, elem: a.size, depth: 1, text: false, num: false, over: sum.over}
	case "list.Repeat":
		a, n := arg(0), count(1, maxRepeat)
		s = extent{size: mul(a.size, n), width: mul(a.width, n), elem: a.elem, elemWidth: a.elemWidth, depth: a.depth, label: int64(len(strconv.FormatInt(mul(a.width, n), 10))), over: sum.over}
	case "list.Range":
		lo, ok1 := x.constInt(argExpr(c, 0), 0)
		hi, ok2 := x.constInt(argExpr(c, 1), 0)
		step, ok3 := x.constInt(argExpr(c, 2), 0)
		n := huge
		if ok1 && ok2 && ok3 && step != 0 {
			d := float64(hi-lo) / float64(step)
			n = int64(min(max(math.Ceil(d), 0), float64(huge)))
		}
		digits := int64(len(strconv.FormatInt(max(abs(lo), abs(hi)), 10)) + 1)
		s = extent{size: mul(n, digits), width: n, elem: digits, depth: 1, label: int64(len(strconv.FormatInt(n, 10))), over: sum.over}
	case "list.Concat", "list.FlattenN":
		a := arg(0)
		s = extent{size: a.size, width: min(a.size, mul(a.width, max(a.elemWidth, 1))), elem: a.elem, elemWidth: a.elemWidth, depth: a.depth, over: sum.over}
	case "list.Slice", "list.Take", "list.Drop", "list.Sort", "list.SortStable", "list.SortStrings", "list.Reverse", "list.UniqueItems":
		s = arg(0)
		s.over = sum.over
	case "math/bits.Lsh":
		// 2^n has n·log10(2) digits.
		s = scalar(add(arg(0).size, count(1, huge)/3+1), false, true)
		s.over = sum.over
	case "encoding/json.Indent":
		// Every line gets prefix and indent, as deep as the value.
		a := arg(0)
		s = scalar(mul(add(a.size, 1), add(add(arg(1).size, 1), mul(arg(2).size, min(a.size, 10000)))), true, false)
		s.over = sum.over
	case "encoding/json.Unmarshal", "encoding/yaml.Unmarshal":
		a := arg(0)
		s = extent{size: a.size, width: a.size, elem: a.size, elemWidth: a.size, depth: 1, label: a.size, text: true, num: true, over: sum.over}
	case "text/template.Execute":
		// A template can repeat its data without bound.
		s = scalar(huge, true, false)
		s.over = sum.over
		if !s.over {
			x.fail(c.Pos(), fmt.Sprintf("axc cannot tell how large what text/template makes is: no %s needs that", x.noun))
			s.over = true
		}
		return s
	}
	return x.check(c, s, nil)
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

func argExpr(c *ast.CallExpr, i int) ast.Expr {
	if i < len(c.Args) {
		return c.Args[i]
	}
	return nil
}

// callee is the import path and name of a builtin function: ("", "len")
// for a predeclared one, ("strings", "Repeat") for a package's; both
// empty for anything else.
func (x *expander) callee(fun ast.Expr) (pkg, fn string) {
	switch f := fun.(type) {
	case *ast.Ident:
		if f.Node == nil && x.decls[declKey{nil, f.Name}] == nil || f.IsPredeclared() {
			return "", f.Name
		}
	case *ast.SelectorExpr:
		id, ok := f.X.(*ast.Ident)
		if !ok {
			return "", ""
		}
		spec, ok := id.Node.(*ast.ImportSpec)
		if !ok {
			return "", ""
		}
		name, _, err := ast.LabelName(f.Sel)
		if err != nil {
			return "", ""
		}
		return x.imports[spec], name
	}
	return "", ""
}
