package importer

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/nix/syntax"
)

// What import writes is bounded as vet bounds what it reads. The
// evaluator shares what a binding names (a thunk is evaluated once, and
// every use of it is that one value), so a few lines of Nix (l1 = [l0 l0];
// … l30 = [l29 l29];) are a value of 2^31 strings, which is cheap until it
// is written out as CUE: each use then becomes a copy. So before a set, a
// list or kept Nix is written, what it expands to is measured (once per
// value, however often it is used), and a value past what a host file may
// hold is a problem where it is used; the files written together may not
// pass maxImportTotal; a set or list may not be wider than vet allows, nor
// a dotted path deeper.
const (
	// maxImportValue is the most one value may expand to, written out.
	maxImportValue = load.MaxExpanded
	// maxString is the longest string the evaluator makes (by + or
	// "${…}"); longer ones are tooBigVal.
	maxString = maxImportValue
	// maxList is the longest list the evaluator makes by ++.
	maxList = load.MaxWidth
	// maxRawWork bounds the Nix written for values kept as Nix, their
	// variables' values included, in all.
	maxRawWork = 4 * load.MaxExpandedTotal
	// hugeSize stands for a size beyond every bound.
	hugeSize = int64(1) << 50
)

// maxImportTotal is the most import writes in all (a variable for tests:
// writing it costs seconds).
var maxImportTotal int64 = load.MaxExpandedTotal

// tooBigVal is a string or list that the evaluator would not make, being
// larger than import writes: where it is written, that is the problem.
type tooBigVal struct{ what string }

func tooLongString() tooBigVal {
	return tooBigVal{fmt.Sprintf("a string longer than %d MiB", maxString>>20)}
}

func tooLongList(n int) tooBigVal {
	return tooBigVal{fmt.Sprintf("a list of %d items, more than the %d axc vet allows in one list", n, maxList)}
}

func addSize(a, b int64) int64 { return min(a+b, hugeSize) }

// written is the text of a value: its bytes, the indentation of its
// lines below the first included, and its lines. Placed d levels deep,
// each of its lines is indented d more: bytes + lines·d.
type written struct{ bytes, lines int64 }

func (w written) at(depth int) int64 { return addSize(w.bytes, w.lines*int64(depth)) }

// nested is w as a part of a struct or list, one level deeper, with what
// the part adds around it (a label, a comma).
func (w written) nested(extra int64) written {
	return written{addSize(addSize(w.bytes, w.lines), extra), w.lines}
}

func (w written) plus(o written) written {
	return written{addSize(w.bytes, o.bytes), addSize(w.lines, o.lines)}
}

// size is at most what v becomes written out as CUE at the top of a file,
// or as Nix kept as Nix with the values its variables name: measured once
// per set, list and kept expression, so that measuring what is written
// costs what is evaluated, not what is written. Measuring stops past
// maxImportValue, and a value nested deeper than maxNest (a function that
// makes lists of its own results without end) measures hugeSize.
func (ev *evaluator) size(v value) written { return ev.sizeAt(v, 0) }

func (ev *evaluator) sizeAt(v value, depth int) written {
	switch v := v.(type) {
	case strVal:
		return stringSize(string(v))
	case pathVal:
		return written{2*int64(len(v.abs)) + 64, 1}
	case storeVal:
		return written{2*int64(len(v.abs)) + 64, 1}
	case tooBigVal:
		return written{hugeSize, hugeSize}
	case *attrSet, *listVal, *rawVal, *closure:
	default:
		return written{24, 1}
	}
	if n, ok := ev.sizes[v]; ok {
		return n
	}
	if ev.sizing[v] {
		return written{} // it contains itself: emission says so
	}
	if depth > maxNest+maxRawDepth {
		return written{hugeSize, hugeSize}
	}
	if ev.sizing == nil {
		ev.sizing, ev.sizes = map[value]bool{}, map[value]written{}
	}
	ev.sizing[v] = true
	n := written{4, 2} // brackets, on lines of their own
	add := func(m written) bool {
		n = n.plus(m)
		return n.bytes <= maxImportValue
	}
	switch v := v.(type) {
	case *attrSet:
		for _, emb := range v.embeds {
			if !add(ev.sizeAt(emb.base, depth+1)) {
				break
			}
		}
		for _, e := range v.entries {
			labels := int64(0)
			for _, p := range e.path {
				labels += 2*int64(len(p)) + 4
			}
			if n.bytes > maxImportValue || !add(ev.sizeAt(ev.force(e.val), depth+len(e.path)).nested(labels)) {
				break
			}
		}
	case *listVal:
		// A list of a few scalars is written on one line.
		flat := written{2, 1}
		for _, t := range v.elems {
			e := ev.force(t)
			w := ev.sizeAt(e, depth+1)
			if w.lines == 1 && !isComposite(e) {
				flat.bytes = addSize(flat.bytes, w.bytes+2)
			} else {
				flat.bytes = hugeSize
			}
			if !add(w.nested(2)) {
				break
			}
		}
		if flat.bytes <= 60 {
			n = flat
		}
	case *rawVal:
		if v.expr != nil {
			n = ev.rawSize(v.expr, v.env, v.file, depth)
		}
	case *closure:
		n = ev.rawSize(v.lam, v.env, v.file, depth)
	}
	delete(ev.sizing, v)
	ev.sizes[v] = n
	return n
}

// stringSize is at most s as a CUE string: quoted and escaped, or in
// """ with each line indented.
func stringSize(s string) written {
	n := written{int64(len(s)) + 8, 1}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\n':
			n.lines++
		case c == '"' || c == '\\':
			n.bytes++
		case c < 0x20 || c == 0x7f:
			n.bytes += 5
		}
	}
	return n
}

func isComposite(v value) bool {
	switch v.(type) {
	case *attrSet, *listVal, *rawVal, *closure:
		return true
	}
	return false
}

// rawSize is at most the text of e kept as Nix: its source (paths
// rebased, lines indented anew, in a CUE string) and the values of the
// variables it takes from en, bound in a let around it.
func (ev *evaluator) rawSize(e syntax.Expr, en *env, f *source, depth int) written {
	start, end := e.Pos().Offset, e.End().Offset
	n := written{3*int64(end-start) + 64, 3}
	if n.bytes > maxImportValue {
		return n // too large already: its variables are not looked for
	}
	if f != nil && start >= 0 && end <= len(f.file.Src) && start <= end {
		n.lines += int64(bytes.Count(f.file.Src[start:end], []byte("\n")))
	}
	for _, fv := range syntax.FreeVars(e) {
		if n.bytes > maxImportValue {
			break
		}
		if t, ok := en.lookup(fv.Name); ok {
			n = n.plus(ev.sizeAt(ev.force(t), depth+1).nested(int64(len(fv.Name)) + 8))
		}
	}
	return n
}

// tooLarge reports v, where c is, when it expands past maxImportValue.
func (em *emitter) tooLarge(v value, c ctx, t *thunk) bool {
	if em.ev.size(v).at(c.depth()) <= maxImportValue {
		return false
	}
	em.problemAt(t, fmt.Sprintf("cannot import %s: it expands to more than %d MiB written out, more than a host file may hold (axc vet reads no more): no host needs that", shownPath(c.pos), maxImportValue>>20))
	return true
}

// tooWide reports a set or list of n attributes or items, where c is,
// when n is more than vet allows.
func (em *emitter) tooWide(n int, what string, c ctx, t *thunk) bool {
	if n <= load.MaxWidth {
		return false
	}
	em.problemAt(t, fmt.Sprintf("cannot import %s: %d %s in one %s, more than the %d axc vet allows", shownPath(c.pos), n, map[string]string{"set": "attributes", "list": "items"}[what], what, load.MaxWidth))
	return true
}

// spend counts n bytes written where c is; past maxImportTotal it
// reports that once and every later value is left out (nothing is
// written when there are problems).
func (em *emitter) spend(n int64, c ctx, t *thunk) bool {
	if em.full {
		return false
	}
	em.written = addSize(em.written, n)
	if em.written <= maxImportTotal {
		return true
	}
	em.full = true
	msg := "cannot import %s: with it, what import writes passes %d MiB: no fleet needs that"
	if e := em.top; e != nil {
		em.report.problemf(e.file, e.def, msg, shownPath(em.topCtx.pos), maxImportTotal>>20)
	} else {
		em.problemAt(t, fmt.Sprintf(msg, shownPath(c.pos), maxImportTotal>>20))
	}
	return false
}

// shownPath is a field path for messages, shortened when long.
func shownPath(pos []string) string {
	if len(pos) == 0 {
		return "it"
	}
	if len(pos) > 12 {
		return strings.Join(pos[:8], ".") + ".….(" + fmt.Sprint(len(pos)-10) + " more)." + strings.Join(pos[len(pos)-2:], ".")
	}
	return strings.Join(pos, ".")
}
