package importer

import (
	"github.com/axc-dev/axc/internal/nix/syntax"
)

// Attribute sets as Nix builds them: literals (rec, dotted keys,
// inherit), let bindings, lookup with Nix's merging of dotted keys, and //.

// attrSet evaluates a set literal, or returns nil if one of its keys is
// not known.
func (ev *evaluator) attrSet(e *syntax.AttrSet, en *env, f *source) *attrSet {
	s := &attrSet{node: e, file: f}
	scope := en
	if e.IsRec() {
		scope = newEnv(en)
	}
	for _, b := range e.Bindings {
		switch b := b.(type) {
		case *syntax.AttrDef:
			path := make([]string, len(b.Path))
			for i, k := range b.Path {
				name, ok := ev.keyName(k, scope, f)
				if !ok {
					return nil
				}
				path[i] = name
			}
			s.entries = append(s.entries, &entry{path: path, val: ev.thunk(b.Value, scope, f), def: b, file: f})
		case *syntax.Inherit:
			for _, k := range b.Names {
				name, _ := syntax.KeyName(k) // the parser refuses dynamic names here
				s.entries = append(s.entries, &entry{path: []string{name}, val: ev.inherit(b, k, name, en, scope, f), def: b, file: f})
			}
		}
	}
	if e.IsRec() {
		// The bindings see the set's own attributes, as merged.
		for _, name := range s.names() {
			scope.vars[name] = &thunk{compute: func() value {
				v, _ := ev.lookup(s, name)
				return v
			}, name: &origin{name: name, def: e, file: f}}
		}
	}
	return s
}

// inherit is the thunk of `inherit name;` (from outer) or
// `inherit (from) name;` (evaluated in scope).
func (ev *evaluator) inherit(b *syntax.Inherit, k syntax.Key, name string, outer, scope *env, f *source) *thunk {
	if b.From == nil {
		if t, ok := outer.lookup(name); ok {
			return t
		}
		// The variable, where the author wrote its name.
		id := &syntax.Ident{NamePos: k.Pos(), Name: name}
		return ev.thunk(id, outer, f)
	}
	from := ev.thunk(b.From, scope, f)
	return &thunk{compute: func() value {
		v, ok := ev.selectAttr(ev.force(from), name)
		if !ok {
			return &rawVal{expr: b.From, env: scope, file: f}
		}
		return v
	}}
}

// bind adds the bindings of a let to inner (recursive: they see each
// other); inherited names come from outer. It reports false for a key it
// cannot know.
func (ev *evaluator) bind(inner *env, bs []syntax.Binding, outer *env, f *source) bool {
	set := &attrSet{file: f}
	for _, b := range bs {
		switch b := b.(type) {
		case *syntax.AttrDef:
			path := make([]string, len(b.Path))
			for i, k := range b.Path {
				name, ok := ev.keyName(k, inner, f)
				if !ok {
					return false
				}
				path[i] = name
			}
			t := ev.thunk(b.Value, inner, f)
			if len(path) == 1 {
				t.name = &origin{name: path[0], def: b, file: f}
			}
			set.entries = append(set.entries, &entry{path: path, val: t, def: b, file: f})
		case *syntax.Inherit:
			for _, k := range b.Names {
				name, _ := syntax.KeyName(k)
				set.entries = append(set.entries, &entry{path: []string{name}, val: ev.inherit(b, k, name, outer, inner, f), def: b, file: f})
			}
		}
	}
	for _, name := range set.names() {
		var single *thunk
		named := set.named(name)
		if len(named) == 1 && len(named[0].path) == 1 {
			single = named[0].val
		}
		if single != nil {
			inner.vars[name] = single
			continue
		}
		inner.vars[name] = &thunk{compute: func() value {
			v, _ := ev.lookup(set, name)
			return v
		}, name: &origin{name: name, file: f}}
	}
	return true
}

// lookup is the value of s.name: the one value bound to it, or the set
// its definitions make together, as Nix merges them (a = { b = 1; };
// a.c = 2;).
func (ev *evaluator) lookup(s *attrSet, name string) (value, bool) {
	whole, below := ev.defs(s, name)
	switch {
	case len(whole) == 0 && len(below) == 0:
		return nil, false
	case len(whole) == 1 && len(below) == 0:
		return ev.force(whole[0].val), true
	}
	merged := &attrSet{file: s.file, entries: below}
	for _, e := range whole {
		// Nix merges only set literals; anything else repeated is a
		// parse error, reported before evaluation.
		if inner, ok := ev.force(e.val).(*attrSet); ok {
			merged.embeds = append(merged.embeds, &embed{base: inner})
		}
	}
	return merged, true
}

// defs are the definitions of name in s: entries binding it whole, and
// dotted entries below it (with the name cut from their paths).
func (ev *evaluator) defs(s *attrSet, name string) (whole, below []*entry) {
	for _, em := range s.embeds {
		if !em.exclude[name] {
			w, b := ev.defs(em.base, name)
			whole, below = append(whole, w...), append(below, b...)
		}
	}
	for _, e := range s.named(name) {
		if len(e.path) == 1 {
			whole = append(whole, e)
		} else {
			below = append(below, &entry{path: e.path[1:], val: e.val, def: e.def, file: e.file})
		}
	}
	return whole, below
}

// named are the entries of s (its embeds left out) whose path starts
// with name, in order. Sets are complete when first looked into, but the
// index is made again should entries have been added since: a lookup
// costs the entries of that name, not all of them, so that reading a set
// of n attributes costs n.
func (s *attrSet) named(name string) []*entry {
	if len(s.entries) <= 8 {
		var out []*entry
		for _, e := range s.entries {
			if e.path[0] == name {
				out = append(out, e)
			}
		}
		return out
	}
	if s.byName == nil || s.indexed != len(s.entries) {
		s.byName = make(map[string][]*entry, len(s.entries))
		for _, e := range s.entries {
			s.byName[e.path[0]] = append(s.byName[e.path[0]], e)
		}
		s.indexed = len(s.entries)
	}
	return s.byName[name]
}

// names are the attribute names of s, in the order they first appear.
func (s *attrSet) names() []string {
	if s.nameList != nil && s.namesOf == len(s.entries) {
		return s.nameList
	}
	s.nameList, s.namesOf = s.computeNames(), len(s.entries)
	return s.nameList
}

func (s *attrSet) computeNames() []string {
	out := []string{}
	seen := map[string]bool{}
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	for _, em := range s.embeds {
		for _, n := range em.base.names() {
			if !em.exclude[n] {
				add(n)
			}
		}
	}
	for _, e := range s.entries {
		add(e.path[0])
	}
	return out
}

// update is l // r: r's attributes, and those of l that r does not have.
// l is kept whole as an embed, so that a set several hosts update stays one.
func update(l, r *attrSet) *attrSet {
	exclude := map[string]bool{}
	for _, n := range r.names() {
		exclude[n] = true
	}
	out := &attrSet{file: r.file, node: r.node}
	out.embeds = append(out.embeds, &embed{base: l, exclude: exclude})
	out.embeds = append(out.embeds, r.embeds...)
	out.entries = append(out.entries, r.entries...)
	return out
}

// flatEntries are the entries of s with its embeds expanded, but those
// whose name is in exclude.
func (ev *evaluator) flatEntries(s *attrSet, exclude map[string]bool) []*entry {
	var out []*entry
	for _, emb := range s.embeds {
		out = append(out, ev.flatEntries(emb.base, union(exclude, emb.exclude))...)
	}
	for _, e := range s.entries {
		if !exclude[e.path[0]] {
			out = append(out, e)
		}
	}
	return out
}
