package importer

import (
	"sort"

	"github.com/axc-dev/axc/internal/nix/syntax"
)

// attachComments gives each comment group of the files read to the field
// or element made from the nearest node it annotates: the node the parser
// attached it to, or the nearest ancestor of that node that became
// something. Comments inside text kept as Nix are in that text already.
// It reports the groups of host and user files that found no place (in a
// flake, what is not about a host, such as its inputs, is the flake's own
// business: axc build writes the flake).
func (em *emitter) attachComments(flakes map[*source]bool) {
	// Host and user files first: a file's own comments come before what
	// a flake says about it.
	sources := em.ev.sourceList()
	sort.SliceStable(sources, func(i, j int) bool { return !flakes[sources[i]] && flakes[sources[j]] })
	for _, s := range sources {
		for _, g := range s.file.Comments {
			if em.inRaw(s, g) {
				continue
			}
			n := g.Node
			for n != nil && em.placed[n] == nil {
				n = s.parent(n)
			}
			if n == nil {
				if !flakes[s] {
					em.report.note(s, g, "comment not kept (nothing imported is near it): "+summary(g.List[0].Text))
				}
				continue
			}
			if !dropped(em.placed[n]) {
				for _, t := range em.placed[n] {
					t.add(g, n)
				}
			}
		}
	}
}

func (em *emitter) inRaw(s *source, g *syntax.CommentGroup) bool {
	for _, sp := range em.rawSpans[s] {
		if g.Pos().Offset >= sp[0] && g.End().Offset <= sp[1] {
			return true
		}
	}
	return false
}

// add puts comment group g, found at node n, where it belongs on t: before
// it (as its doc), on its line, after it, or inside it.
func (t target) add(g *syntax.CommentGroup, n syntax.Node) {
	lines := cueComment(g)
	gs, ge, ns, ne := g.Pos(), g.End(), n.Pos(), n.End()
	before := ge.Offset <= ns.Offset
	after := gs.Offset >= ne.Offset
	switch {
	case t.strct != nil:
		t.strct.inner = append(t.strct.inner, lines)
	case t.elem != nil:
		if after {
			t.elem.line = append(t.elem.line, lines...)
		} else {
			t.elem.doc = append(t.elem.doc, lines)
		}
	case t.field != nil:
		f := t.field
		switch {
		case before || (!after && t.spine):
			f.doc = append(f.doc, lines)
			f.detach = append(f.detach, before && ge.Line < ns.Line-1)
		case after && gs.Line == ne.Line && len(f.after) == 0:
			f.line = append(f.line, lines...)
		case after:
			f.after = append(f.after, lines)
			f.afterBlank = append(f.afterBlank, gs.Line > ne.Line+1)
		default:
			// Inside the binding, not attached to anything in it: a
			// comment of the set's own, or between its key and value.
			if st, ok := f.value.(*cueStruct); ok {
				st.inner = append(st.inner, lines)
			} else {
				f.doc = append(f.doc, lines)
				f.detach = append(f.detach, false)
			}
		}
	}
}

func dropped(ts []target) bool {
	for _, t := range ts {
		if t.drop {
			return true
		}
	}
	return false
}
