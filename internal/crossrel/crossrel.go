// Package crossrel knows which releases of the framework have an option or a
// host field, so that a name unknown to the release checked can be explained:
// another release has it, or has it under another name.
//
// Everything is derived from the releases' schemas: the options are the
// @option attributes of each release's generated file (NixOS options only:
// home-manager options are not written in hosts), the host fields those of
// each release's #Host. Renames are derived too: between two consecutive
// releases, an option removed and one added whose dotted name is the same
// except for a replaced first component (axios.X → cairn.X, selfHosted.X →
// axios.X), or a prefixed one (pim.enable → services.pim.enable), each the
// only candidate of the other, give a rule renaming that first component.
// A rule renames an option only where the new name exists; it renames a
// namespace (or a host field) as a whole only where the release table says
// the framework's own namespace changed (axios → cairn).
package crossrel

import (
	"fmt"
	"io/fs"
	"strings"

	"cuelang.org/go/cue/ast"

	"github.com/axc-dev/axc/internal/release"
	"github.com/axc-dev/axc/schema"
)

// Index holds the option and host-field names of every release of a table.
type Index struct {
	tags   []string
	opts   []*node // NixOS options of each release
	fields []*node // host fields of each release (nested struct fields too)
	// sections are the host fields of each release that are copied to the
	// options of the same name: paths below them are option paths.
	sections []map[string]bool
	// rules[k] rename first components from release k-1 to release k.
	rules [][]rule
}

// rule renames the first component from into to (which may be dotted).
type rule struct {
	from      string
	to        []string
	namespace bool // the framework's own namespace changed (release table)
}

// node is a tree of dotted names; "<name>" stands for any attribute name.
type node struct {
	option   bool
	children map[string]*node
}

const anyName = "<name>"

func (n *node) add(path []string) {
	for _, p := range path {
		if n.children == nil {
			n.children = map[string]*node{}
		}
		c := n.children[p]
		if c == nil {
			c = &node{}
			n.children[p] = c
		}
		n = c
	}
	n.option = true
}

// lookup finds path, an attribute name matching "<name>" where no name is
// written in the tree.
func (n *node) lookup(path []string) *node {
	if n == nil {
		return nil
	}
	if len(path) == 0 {
		return n
	}
	if c := n.children[path[0]].lookup(path[1:]); c != nil {
		return c
	}
	return n.children[anyName].lookup(path[1:])
}

// Build reads the schema of every release of t (files gives a release's
// schema by tag; nil means the embedded ones, schema.Release).
func Build(t *release.Table, files func(tag string) (fs.FS, error)) (*Index, error) {
	if files == nil {
		files = schema.Release
	}
	rs := t.Releases()
	x := &Index{}
	for _, r := range rs {
		fsys, err := files(r.Tag)
		if err != nil {
			return nil, err
		}
		opts, err := schema.OptionsFrom(fsys)
		if err != nil {
			return nil, fmt.Errorf("release %s: %v", r.Tag, err)
		}
		on := &node{}
		for _, o := range opts {
			if o.Set == "nixos" && o.Name != "" {
				on.add(strings.Split(o.Name, "."))
			}
		}
		fn, err := hostFields(fsys)
		if err != nil {
			return nil, fmt.Errorf("release %s: %v", r.Tag, err)
		}
		c, err := schema.ReadContract(fsys)
		if err != nil {
			return nil, fmt.Errorf("release %s: %v", r.Tag, err)
		}
		secs := map[string]bool{}
		for _, s := range c.Sections {
			secs[s.Field] = true
		}
		x.tags = append(x.tags, r.Tag)
		x.opts = append(x.opts, on)
		x.fields = append(x.fields, fn)
		x.sections = append(x.sections, secs)
		x.rules = append(x.rules, nil)
		if k := len(x.tags) - 1; k > 0 {
			x.rules[k] = deriveRules(optionNames(x.opts[k-1]), optionNames(on), rs[k-1].Namespace, r.Namespace)
		}
	}
	return x, nil
}

// hostFields lists the fields of #Host in host.cue, and the fields of the
// struct literals below them (hardware.cpu, modules.pim), without hidden
// fields and definitions.
func hostFields(fsys fs.FS) (*node, error) {
	host, _, err := schema.HostSyntax(fsys)
	if err != nil {
		return nil, err
	}
	root := &node{}
	schema.WalkFields(host, func(path []string, _ *ast.Field) { root.add(path) })
	return root, nil
}

func optionNames(n *node) map[string]bool {
	out := map[string]bool{}
	var walk func(n *node, path []string)
	walk = func(n *node, path []string) {
		if n.option {
			out[strings.Join(path, ".")] = true
		}
		for name, c := range n.children {
			walk(c, append(path[:len(path):len(path)], name))
		}
	}
	walk(n, nil)
	return out
}

// deriveRules finds the options removed between two releases that reappear
// under a replaced or prefixed first component, each the other's only
// candidate, and returns the renames of first components they show.
func deriveRules(before, after map[string]bool, nsBefore, nsAfter string) []rule {
	// candidates: removed name → added names it may have become, and back.
	fwd := map[string][]string{}
	back := map[string][]string{}
	for a := range after {
		if before[a] {
			continue
		}
		first, tail, ok := strings.Cut(a, ".")
		if !ok {
			continue
		}
		// replaced first component: r = X.tail
		for r := range before {
			if after[r] {
				continue
			}
			rf, rt, ok := strings.Cut(r, ".")
			if ok && rt == tail && rf != first {
				fwd[r] = append(fwd[r], a)
				back[a] = append(back[a], r)
			}
		}
		// prefixed: r = tail
		if before[tail] && !after[tail] {
			fwd[tail] = append(fwd[tail], a)
			back[a] = append(back[a], tail)
		}
	}
	var rules []rule
	seen := map[string]bool{}
	for r, as := range fwd {
		if len(as) != 1 || len(back[as[0]]) != 1 {
			continue
		}
		a := as[0]
		rf, rt, _ := strings.Cut(r, ".")
		var to string
		if strings.HasSuffix(a, "."+r) {
			to = strings.TrimSuffix(a, "."+r) + "." + rf // prefixed: pim → services.pim
		} else {
			to = strings.TrimSuffix(a, "."+rt) // replaced: selfHosted → axios
		}
		if seen[rf+"\x00"+to] {
			continue
		}
		seen[rf+"\x00"+to] = true
		rules = append(rules, rule{from: rf, to: strings.Split(to, "."), namespace: rf == nsBefore && to == nsAfter && nsBefore != nsAfter})
	}
	// A deterministic order: by from, then to.
	for i := 1; i < len(rules); i++ {
		for j := i; j > 0 && ruleLess(rules[j], rules[j-1]); j-- {
			rules[j], rules[j-1] = rules[j-1], rules[j]
		}
	}
	return rules
}

func ruleLess(a, b rule) bool {
	if a.from != b.from {
		return a.from < b.from
	}
	return strings.Join(a.to, ".") < strings.Join(b.to, ".")
}

// Kind says which names a path is looked up among.
type Kind int

const (
	Option Kind = iota // a NixOS option (below extraConfig)
	Field              // a host field
)

// has reports whether release k has path: as an option or host field, or as
// a namespace of some (a prefix); option tells which.
func (x *Index) has(kind Kind, k int, path []string) (found, option bool) {
	if len(path) == 0 {
		return false, false
	}
	if kind == Field {
		if n := x.fields[k].lookup(path); n != nil {
			return true, n.option
		}
		if len(path) == 1 || !x.sections[k][path[0]] {
			return false, false
		}
		// Below a section: the options of the same name.
	}
	n := x.opts[k].lookup(path)
	return n != nil, n != nil && n.option
}

// Has reports whether the release tag has path (as a name or a namespace).
func (x *Index) Has(tag string, kind Kind, path []string) bool {
	i := x.pos(tag)
	if i < 0 {
		return false
	}
	ok, _ := x.has(kind, i, path)
	return ok
}

// Elsewhere reports whether a release other than tag has path, and whether
// one has it as an option (or host field) rather than only as a namespace.
func (x *Index) Elsewhere(tag string, kind Kind, path []string) (found, option bool) {
	i := x.pos(tag)
	for k := range x.tags {
		if k == i {
			continue
		}
		f, o := x.has(kind, k, path)
		found, option = found || f, option || o
	}
	return found, option
}

func (x *Index) pos(tag string) int {
	for i, t := range x.tags {
		if t == tag {
			return i
		}
	}
	return -1
}

// Explain says how the releases other than tag have path, which tag lacks:
//
//	renamed cairn.system.timeZone in v2026.05.01
//	not in v2026.03.07, last in v2026.01.13; axios.immich.port is
//	not in v2025.11.08, from v2025.12.04
//
// and "" when no release has it (or tag has it, or tag is unknown).
func (x *Index) Explain(tag string, kind Kind, path []string) string {
	i := x.pos(tag)
	if i < 0 || len(path) == 0 {
		return ""
	}
	if ok, _ := x.has(kind, i, path); ok {
		return ""
	}
	last, next := -1, -1
	for k := range x.tags {
		if ok, _ := x.has(kind, k, path); ok {
			if k < i {
				last = k
			} else if next < 0 {
				next = k
			}
		}
	}
	join := func(p []string) string { return strings.Join(p, ".") }
	switch {
	case last >= 0:
		name, moves := x.forward(kind, path, last, i)
		if name != nil && len(moves) == 1 && moves[0].rule.namespace {
			return fmt.Sprintf("renamed %s in %s", join(name), x.tags[moves[0].at])
		}
		msg := fmt.Sprintf("not in %s, last in %s", tag, x.tags[last])
		if next >= 0 {
			msg += ", again from " + x.tags[next]
		}
		if name != nil {
			msg += fmt.Sprintf("; %s is", join(name))
		}
		return msg
	case next >= 0:
		msg := fmt.Sprintf("not in %s, from %s", tag, x.tags[next])
		if name := x.backward(kind, path, next, i); name != nil {
			msg += fmt.Sprintf("; %s is", join(name))
		}
		return msg
	}
	return ""
}

type move struct {
	rule rule
	at   int
}

// renamable reports whether r may rename path, which release from has, into
// to, which release at has.
func (x *Index) renamable(kind Kind, r rule, from, at int, path, to []string) bool {
	okTo, optTo := x.has(kind, at, to)
	if !okTo {
		return false
	}
	if r.namespace {
		return true
	}
	// Other renames hold for the options that moved, not for a namespace
	// or host field as a whole.
	_, optFrom := x.has(kind, from, path)
	return kind == Option && optFrom && optTo
}

// forward follows path, which release from has, to release to: its name
// there (nil when it was dropped on the way) and the renames on the way.
func (x *Index) forward(kind Kind, path []string, from, to int) ([]string, []move) {
	cur := path
	var moves []move
	for k := from + 1; k <= to; k++ {
		if ok, _ := x.has(kind, k, cur); ok {
			continue
		}
		renamed := false
		for _, r := range x.rules[k] {
			if cur[0] != r.from {
				continue
			}
			cand := append(append([]string{}, r.to...), cur[1:]...)
			if x.renamable(kind, r, k-1, k, cur, cand) {
				cur, renamed = cand, true
				moves = append(moves, move{r, k})
				break
			}
		}
		if !renamed {
			return nil, nil
		}
	}
	return cur, moves
}

// backward follows path, which release from has, back to release to (an
// earlier one): its name there, or nil when it is new on the way.
func (x *Index) backward(kind Kind, path []string, from, to int) []string {
	cur := path
	for k := from; k > to; k-- {
		if ok, _ := x.has(kind, k-1, cur); ok {
			continue
		}
		renamed := false
		for _, r := range x.rules[k] {
			if len(cur) < len(r.to) {
				continue
			}
			if strings.Join(cur[:len(r.to)], ".") != strings.Join(r.to, ".") {
				continue
			}
			cand := append([]string{r.from}, cur[len(r.to):]...)
			if x.renamable(kind, r, k, k-1, cur, cand) {
				cur, renamed = cand, true
				break
			}
		}
		if !renamed {
			return nil
		}
	}
	if strings.Join(cur, ".") == strings.Join(path, ".") {
		return nil
	}
	return cur
}

// OtherNames says under which names the releases before and after tag have
// path, which tag has, where they differ from it: "called
// axios.system.timeZone up to v2026.03.30", "renamed cairn.system.timeZone
// in v2026.05.01", both joined by "; ", or "" when every release having it
// calls it so.
func (x *Index) OtherNames(tag string, kind Kind, path []string) string {
	i := x.pos(tag)
	if i < 0 || len(path) == 0 {
		return ""
	}
	if ok, _ := x.has(kind, i, path); !ok {
		return ""
	}
	var out []string
	for k := i; k > 0; k-- {
		prev := x.backward(kind, path, k, k-1)
		if prev == nil {
			break
		}
		if strings.Join(prev, ".") != strings.Join(path, ".") {
			out = append(out, "called "+strings.Join(prev, ".")+" up to "+x.tags[k-1])
			break
		}
	}
	for k := i; k+1 < len(x.tags); k++ {
		next, _ := x.forward(kind, path, k, k+1)
		if next == nil {
			break
		}
		if strings.Join(next, ".") != strings.Join(path, ".") {
			out = append(out, "renamed "+strings.Join(next, ".")+" in "+x.tags[k+1])
			break
		}
	}
	return strings.Join(out, "; ")
}
