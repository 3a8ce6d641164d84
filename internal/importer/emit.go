package importer

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/nix/syntax"
)

// emitter turns evaluated hosts and users into CUE trees, keeping the
// author's layout: each binding of a set literal is a field (a dotted
// `a.b = 1;` is `a: b: 1`), a set several hosts update or use is one
// hidden value they embed, and each comment goes next to the field or
// element made from what it annotates.
type emitter struct {
	ev     *evaluator
	pt     *pathTypes
	report *report
	shared map[*attrSet]*sharedVal
	// placed maps the Nix nodes that fields and elements were made from to
	// them, for comments.
	placed    map[syntax.Node][]target
	placedSet map[placement]bool
	// rawSpans are the parts of each file kept as Nix text, whose comments
	// are in that text.
	rawSpans map[*source][][2]int
	// open are the sets and lists being written, to stop at one that
	// contains itself.
	open map[any]bool
	// written counts the bytes written so far (see spend); full is set
	// once they pass maxImportTotal.
	written int64
	full    bool
	top     *entry
	topCtx  ctx
	// rootField rewrites an entry at the top of a host (the user fields of
	// the release); handled reports whether it did.
	rootField func(e *entry, c ctx) (f *cueField, handled bool)
}

// target is what a Nix node became, for its comments.
type target struct {
	field *cueField
	elem  *cueElem
	// strct receives the comments inside a set literal that no binding
	// takes.
	strct *cueStruct
	// drop swallows the comments of a binding that was left out.
	drop bool
	// spine marks a node whose comments document its whole field (a host,
	// a user, a shared value): inside comments go before it.
	spine bool
}

// ctx is where a value is emitted.
type ctx struct {
	user bool     // below a user rather than a host
	pos  []string // the field path from the host or user
	dir  string   // directory of the CUE file, and of the file axc build writes from it
}

func (c ctx) with(names ...string) ctx {
	pos := make([]string, 0, len(c.pos)+len(names))
	c.pos = append(append(pos, c.pos...), names...)
	return c
}

func (c ctx) depth() int { return len(c.pos) + 1 }

func (em *emitter) isPath(c ctx) bool {
	if c.user {
		return em.pt.userPath(c.pos)
	}
	return em.pt.hostPath(c.pos)
}

// drop marks the binding n as left out: its comments go with it.
func (em *emitter) drop(n syntax.Node) { em.place(n, target{drop: true}) }

// sharedIn is the shared value s is written as where c is, if any.
func (em *emitter) sharedIn(s *attrSet, c ctx) *sharedVal {
	if sh := em.shared[s]; sh != nil && sh.ctx.user == c.user {
		return sh
	}
	return nil
}

func (em *emitter) place(n syntax.Node, t target) {
	if n == nil {
		return
	}
	// A node written many times (a binding used by many hosts) has as
	// many targets: a set, not a scan of them, keeps each once.
	p := placement{n, t}
	if em.placedSet[p] {
		return
	}
	if em.placedSet == nil {
		em.placedSet = map[placement]bool{}
	}
	em.placedSet[p] = true
	em.placed[n] = append(em.placed[n], t)
}

// placement is a node and one thing it became.
type placement struct {
	n syntax.Node
	t target
}

// structOf is the CUE struct of a set.
func (em *emitter) structOf(s *attrSet, c ctx) *cueStruct {
	out := &cueStruct{}
	em.partsInto(out, s, nil, c)
	return out
}

// partsInto adds the fields of s but those in exclude to out.
func (em *emitter) partsInto(out *cueStruct, s *attrSet, exclude map[string]bool, c ctx) {
	if s.node != nil {
		em.place(s.node, target{strct: out})
	}
	for _, emb := range s.embeds {
		em.embedInto(out, &embed{base: emb.base, exclude: union(exclude, emb.exclude)}, c)
	}
	var kept []*entry
	for _, e := range s.entries {
		if !exclude[e.path[0]] {
			kept = append(kept, e)
		}
	}
	out.fields = append(out.fields, em.fields(kept, c)...)
	if len(out.fields) > load.MaxWidth && len(kept) <= load.MaxWidth {
		// What the sets it updates keep, with its own.
		em.report.problemf(s.file, s.node, "cannot import %s: %d fields in one struct, more than the %d axc vet allows", shownPath(c.pos), len(out.fields), load.MaxWidth)
		out.fields = nil
	}
}

// fields are the fields of entries, with the blank lines between them
// that the author left.
func (em *emitter) fields(entries []*entry, c ctx) []*cueField {
	if len(entries) > load.MaxWidth {
		e := entries[load.MaxWidth]
		em.report.problemf(e.file, e.def, "cannot import %s: %d fields in one struct, more than the %d axc vet allows", shownPath(c.pos), len(entries), load.MaxWidth)
		return nil
	}
	var out []*cueField
	var prev *entry
	for _, e := range entries {
		f := em.entryField(e, c)
		if f == nil {
			continue
		}
		f.blank = len(out) > 0 && blankBetween(prev, e)
		out = append(out, f)
		prev = e
	}
	return out
}

// blankBetween reports whether the author left a blank line between two
// bindings that follow each other in a file, their comments included.
func blankBetween(prev, cur *entry) bool {
	if prev == nil || prev.file != cur.file || prev.def == nil || cur.def == nil || prev.def == cur.def {
		return false
	}
	if p, c := prev.def.End().Offset, cur.def.Pos().Offset; p > c || !onlyComments(cur.file.file.Src[p:c]) {
		return false // not next to each other: what was between is elsewhere
	}
	start := cur.def.Pos().Line
	for _, g := range cur.file.comments[cur.def] {
		if g.Placement == syntax.Leading {
			start = min(start, g.Pos().Line)
		}
	}
	end := prev.def.End().Line
	for _, g := range prev.file.comments[prev.def] {
		if g.Placement == syntax.Trailing {
			end = max(end, g.End().Line)
		}
	}
	return start > end+1
}

// embedInto adds the part of emb.base that emb keeps: a shared value by
// reference, anything else inline.
func (em *emitter) embedInto(out *cueStruct, emb *embed, c ctx) {
	sh := em.sharedIn(emb.base, c)
	if sh == nil || !sh.embeds(emb.exclude) {
		em.partsInto(out, emb.base, emb.exclude, c)
		return
	}
	out.embeds = append(out.embeds, sh.name)
	// The shared value leaves out what any of its users replaces: this
	// one gets back what it keeps.
	var back []*entry
	for _, e := range em.ev.flatEntries(sh.set, nil) {
		if sh.exclude[e.path[0]] && !emb.exclude[e.path[0]] {
			back = append(back, e)
		}
	}
	out.fields = append(out.fields, em.fields(back, c)...)
}

// entryField is the field of an entry, or nil if it is left out.
func (em *emitter) entryField(e *entry, c ctx) *cueField {
	if len(c.pos) == 0 && em.rootField != nil {
		if f, handled := em.rootField(e, c); handled {
			return f
		}
	}
	sub := c.with(e.path...)
	if em.top == nil {
		// The outermost field being written: where passing what import
		// writes in all is reported.
		em.top, em.topCtx = e, sub
		defer func() { em.top = nil }()
	}
	if len(sub.pos) > maxNest {
		em.report.problemf(e.file, e.def, "cannot import %s: it nests deeper than %d levels", shownPath(sub.pos), maxNest)
		return nil
	}
	labels := int64(c.depth())
	for _, name := range e.path {
		labels += int64(len(name)) + 4
	}
	if !em.spend(labels, sub, e.val) {
		return nil
	}
	for _, name := range e.path {
		if !utf8.ValidString(name) {
			em.report.problemf(e.file, e.def, "cannot import the attribute name %q: CUE labels are UTF-8", name)
			return nil
		}
	}
	x := em.expr(em.ev.force(e.val), sub, e.val)
	if x == nil {
		return nil
	}
	f := &cueField{labels: e.path, value: x}
	em.place(e.def, target{field: f})
	return f
}

// expr is the CUE of v; t is the thunk v came from (for positions), if
// any. A value that cannot be written is reported, and nil.
func (em *emitter) expr(v value, c ctx, t *thunk) cueExpr {
	if em.full {
		return nil
	}
	switch v.(type) {
	case *attrSet, *listVal, *rawVal, *closure:
		// Measured where it is used below a host or user (t), so that the
		// problem is where it is used; a host as a whole is bounded by
		// what import writes in all (spend).
		if t != nil && em.tooLarge(v, c, t) {
			return nil
		}
	}
	switch v.(type) {
	case *attrSet, *listVal:
		if len(c.pos) > maxNest {
			em.problemAt(t, fmt.Sprintf("cannot import %s: it nests deeper than %d levels", strings.Join(c.pos[:8], ".")+"…", maxNest))
			return nil
		}
		if em.open[v] {
			em.problemAt(t, fmt.Sprintf("cannot import %s: it contains itself", strings.Join(c.pos, ".")))
			return nil
		}
		if em.open == nil {
			em.open = map[any]bool{}
		}
		em.open[v] = true
		defer delete(em.open, v)
	}
	switch v := v.(type) {
	case *attrSet:
		if em.tooWide(len(v.names()), "set", c, t) {
			return nil
		}
		if sh := em.sharedIn(v, c); sh != nil && sh.embeds(nil) {
			out := &cueStruct{}
			em.embedInto(out, &embed{base: v}, c)
			if len(out.fields) == 0 {
				return cueRef(sh.name)
			}
			return out
		}
		if p := em.ev.rawLookalike(v, c.pos); p != nil {
			em.problemAt(t, fmt.Sprintf("cannot import %s: a set whose one attribute is %s would read as Nix kept as Nix", strings.Join(p, "."), rawField))
			return nil
		}
		return em.structOf(v, c)
	case *listVal:
		if em.tooWide(len(v.elems), "list", c, t) {
			return nil
		}
		if !em.spend(int64(c.depth())+4, c, t) {
			return nil
		}
		l := &cueList{}
		for i, et := range v.elems {
			x := em.expr(em.ev.force(et), c.with(strconv.Itoa(i)), et)
			if x == nil {
				return nil
			}
			el := &cueElem{value: x}
			em.place(et.expr, target{elem: el})
			l.elems = append(l.elems, el)
		}
		return l
	case strVal:
		if !utf8.ValidString(string(v)) {
			em.problemAt(t, fmt.Sprintf("cannot import %s: the string is not UTF-8, which CUE strings are", strings.Join(c.pos, ".")))
			return nil
		}
		if !em.spend(em.ev.size(v).at(c.depth()), c, t) {
			return nil
		}
		return cueString(string(v), c.depth())
	case intVal, floatVal, boolVal, nullVal:
		if !em.spend(em.ev.size(v).at(c.depth()), c, t) {
			return nil
		}
	}
	switch v := v.(type) {
	case intVal:
		return cueLit(strconv.FormatInt(int64(v), 10))
	case floatVal:
		return cueFloat(float64(v))
	case boolVal:
		return cueLit(strconv.FormatBool(bool(v)))
	case nullVal:
		return cueLit("null")
	case pathVal:
		return em.path(v, c, t, false)
	case storeVal:
		return em.path(storePath(v), c, t, true)
	case *rawVal:
		return em.raw(v, c)
	case *closure:
		if em.modulePos(c) {
			if set, ok := em.ev.splitModule(v); ok {
				return em.structOf(set, c)
			}
		}
		return em.raw(&rawVal{expr: v.lam, env: v.env, file: v.file}, c)
	}
	em.problemAt(t, fmt.Sprintf("cannot import %s: it %s", strings.Join(c.pos, "."), describe(v)))
	return nil
}

// path is a path where c is: a relative string in a path field (axc build
// makes it a path literal again), verbatim Nix elsewhere; an absolute path
// as it is. A path a flake's pure evaluation cannot read (paths.go) is a
// problem at the path: what it means in the flake is an error, nothing
// import can carry over.
func (em *emitter) path(p pathVal, c ctx, t *thunk, store bool) cueExpr {
	if why := p.unreadable(); why != "" {
		msg := fmt.Sprintf("cannot import %s: %s", strings.Join(c.pos, "."), why)
		if p.lit != nil {
			em.report.problem(&unportable{p.file, p.lit, msg})
		} else {
			em.problemAt(t, msg)
		}
		return nil
	}
	w, bad := em.ev.writePath(p, c.dir)
	if bad != "" {
		msg := fmt.Sprintf("cannot import %s: %s", strings.Join(c.pos, "."), bad)
		if p.lit != nil {
			em.report.problem(&unportable{p.file, p.lit, msg})
		} else {
			em.problemAt(t, msg)
		}
		return nil
	}
	if !validPathLiteral(w) {
		em.problemAt(t, fmt.Sprintf("cannot import the path %s: from %s it is %s, which is not a Nix path literal (letters, digits and . _ + - only)", p.abs, c.dir, w))
		return nil
	}
	why := "a path where axc knows no path option"
	if em.isPath(c) {
		if !p.absolute || em.contractPath(c) {
			// mkSystem imports what a host's own path fields name: a
			// string names the same module as a path.
			return cueString(w, c.depth())
		}
		why = "an absolute path, which as a string would not be a path to Nix"
	}
	if store {
		em.problemAt(t, fmt.Sprintf("cannot import %s: it names a file of the flake (self) where no path is expected, and the files axc builds do not receive self", strings.Join(c.pos, ".")))
		return nil
	}
	if t != nil && t.expr != nil {
		as := ", as " + w
		if summary(t.file.text(t.expr)) == w {
			as = ""
		}
		em.report.note(t.file, t.expr, fmt.Sprintf("kept as Nix: %s%s (%s)", summary(t.file.text(t.expr)), as, why))
		em.rawSpans[t.file] = append(em.rawSpans[t.file], [2]int{t.expr.Pos().Offset, t.expr.End().Offset})
	}
	return cueRaw(w)
}

// contractPath reports whether c is a host's own path field (the
// contract's, as diskConfigPath, or another release's), not an option's.
func (em *emitter) contractPath(c ctx) bool {
	return !c.user && len(c.pos) == 1 && em.pt.hostPathField(c.pos[0])
}

// maxNest is how deeply values may nest, as axc vet allows.
const maxNest = 100

// rawField is the one field of the escape hatch {$nix: "…"}.
const rawField = "$nix"

// rawLookalike is the path of a set in s, s included, whose only
// attribute is $nix, which CUE would read as the escape hatch; nil if none.
// Sets made by dotted keys (a.$nix = …) are looked into; literals are
// checked when they are written.
func (ev *evaluator) rawLookalike(s *attrSet, pos []string) []string {
	names := s.names()
	if len(names) == 1 && names[0] == rawField {
		return pos
	}
	for _, n := range names {
		v, _ := ev.lookup(s, n)
		sub, ok := v.(*attrSet)
		if !ok {
			continue
		}
		p := append(append([]string{}, pos...), n)
		if len(p) > maxNest {
			return nil // too deep: emission says so
		}
		if sn := sub.names(); len(sn) == 1 && sn[0] == rawField {
			return p
		}
		if sub.node == nil && sub.origin == nil {
			if q := ev.rawLookalike(sub, p); q != nil {
				return q
			}
		}
	}
	return nil
}

// modulePos reports whether c is where a module goes: a host's
// extraConfig, a user's home.
func (em *emitter) modulePos(c ctx) bool {
	if len(c.pos) != 1 {
		return false
	}
	if c.user {
		return em.pt.contract.User != nil && c.pos[0] == em.pt.contract.User.HomeField
	}
	return c.pos[0] == em.pt.contract.ConfigField
}

// raw is Nix kept as Nix.
func (em *emitter) raw(r *rawVal, c ctx) cueExpr {
	text, u := em.ev.rawText(r, c.dir)
	if u == nil && !em.spend(int64(len(text)), c, &thunk{expr: r.expr, file: r.file}) {
		return nil
	}
	if u == nil && !utf8.ValidString(text) {
		u = &unportable{r.file, r.expr, "cannot be kept as Nix: the text is not UTF-8, which CUE strings are"}
	}
	if u != nil {
		em.report.problem(u)
		return nil
	}
	if r.synth != nil {
		for _, d := range r.synth.defs {
			start, end := synthSpan(r.file, d)
			em.rawSpans[r.file] = append(em.rawSpans[r.file], [2]int{start, end})
			em.report.note(r.file, d, fmt.Sprintf("kept as Nix, in a module in %s (it uses %s): %s",
				strings.Join(c.pos[:len(c.pos)-1], "."), strings.Join(usedArgs(d, r.synth.formals), ", "), summary(r.file.text(d))))
		}
		return cueRaw(text)
	}
	em.report.note(r.file, r.expr, "kept as Nix: "+summary(r.file.text(r.expr)))
	em.rawSpans[r.file] = append(em.rawSpans[r.file], [2]int{r.expr.Pos().Offset, r.expr.End().Offset})
	return cueRaw(text)
}

func (em *emitter) problemAt(t *thunk, msg string) {
	if t != nil && t.expr != nil && t.file != nil {
		em.report.problem(&unportable{t.file, t.expr, msg})
		return
	}
	em.report.problem(&unportable{msg: msg})
}

// summary is Nix text on one line, shortened, for the report.
func summary(text string) string {
	s := strings.Join(strings.Fields(text), " ")
	if r := []rune(s); len(r) > 72 {
		s = string(r[:71]) + "…"
	}
	return s
}

func union(a, b map[string]bool) map[string]bool {
	if len(a) == 0 {
		return b
	}
	if len(b) == 0 {
		return a
	}
	out := make(map[string]bool, len(a)+len(b))
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// onlyComments reports whether b holds nothing but blanks and comments.
func onlyComments(b []byte) bool {
	for i := 0; i < len(b); i++ {
		switch {
		case b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r':
		case b[i] == '#':
			for i < len(b) && b[i] != '\n' {
				i++
			}
		case b[i] == '/' && i+1 < len(b) && b[i+1] == '*':
			end := strings.Index(string(b[i+2:]), "*/")
			if end < 0 {
				return false
			}
			i += end + 3
		default:
			return false
		}
	}
	return true
}
