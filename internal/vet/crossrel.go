package vet

import (
	"strings"
	"sync/atomic"

	"github.com/axc-dev/axc/internal/crossrel"
	"github.com/axc-dev/axc/internal/load"
)

// crossReleases explains names unknown to the release checked that another
// release has. Its index of every release's names is built at the first
// question, so that a run without unknown names costs nothing more.
type crossReleases struct {
	c     *Checker
	index *crossrel.Index
	built bool
}

// indexBuilds counts the indexes built, for the test that a run without
// unknown names builds none.
var indexBuilds atomic.Int64

func (c *Checker) newSuggester() *suggester {
	s := newSuggester(c.l)
	if c.Release != "" && c.Releases != nil && c.l.Kind() == load.Hosts {
		s.cross = &crossReleases{c: c}
	}
	return s
}

// get builds the index once; nil when it cannot be built (the names are
// then reported as before, without the other releases).
func (x *crossReleases) get() *crossrel.Index {
	if x == nil {
		return nil
	}
	if !x.built {
		x.built = true
		indexBuilds.Add(1)
		x.index, _ = crossrel.Build(x.c.Releases, nil)
	}
	return x.index
}

// kindOf splits a path below the host into the index's terms: an option
// (below config, the NixOS module field) or a host field.
func kindOf(config string, path []string) (crossrel.Kind, []string) {
	if len(path) > 1 && path[0] == config {
		return crossrel.Option, path[1:]
	}
	return crossrel.Field, path
}

// explain says which other releases have path, or "".
func (x *crossReleases) explain(config string, path []string) string {
	idx := x.get()
	if idx == nil {
		return ""
	}
	kind, p := kindOf(config, path)
	return idx.Explain(x.c.Release, kind, p)
}

// otherReleaseOptions finds, below the fields of a host's NixOS module that
// the release checked leaves open (any NixOS module may declare options
// there) and where the schema reported an error (such as "selfHosted does not
// exist in this release"), the options the author wrote that the release
// lacks and another release declares: each is an unknown option. Only hosts
// with such an error pay for the look-up.
func (s *suggester) otherReleaseOptions(idx *load.FieldIndex, fs []finding) []finding {
	if s.cross == nil {
		return nil
	}
	var roots [][]string
	seen := map[string]bool{}
	for _, f := range fs {
		if f.unknown || f.sev != Error || len(f.path) < 2 || f.path[0] != s.config {
			continue
		}
		root := s.openPrefix(f.path)
		if root == nil || seen[strings.Join(root, "\x00")] {
			continue
		}
		seen[strings.Join(root, "\x00")] = true
		roots = append(roots, root)
	}
	if len(roots) == 0 {
		return nil
	}
	cross := s.cross.get()
	if cross == nil {
		return nil
	}
	release := s.cross.c.Release
	var out []finding
	var walk func(n *load.FieldIndex, path []string)
	walk = func(n *load.FieldIndex, path []string) {
		if n == nil {
			return
		}
		opt := path[1:]
		if cross.Has(release, crossrel.Option, opt) {
			return // the release checked has it: the schema said what is wrong
		}
		found, option := cross.Elsewhere(release, crossrel.Option, opt)
		switch {
		case !found:
			return // no release declares it: some other NixOS module may
		case option:
			out = append(out, finding{path: path, label: true, unknown: true, sev: Error})
			return
		}
		for _, name := range n.Names() {
			walk(n.Child(name), append(path[:len(path):len(path)], name))
		}
	}
	for _, root := range roots {
		walk(idx.Node(root), root)
	}
	return out
}

// openPrefix is the shortest prefix of path (below the NixOS module field)
// whose last name the schema does not declare, or nil when it declares
// every name of path.
func (s *suggester) openPrefix(path []string) []string {
	for j := 2; j <= len(path); j++ {
		declared := false
		for _, k := range s.known(path[:j-1]) {
			if k == path[j-1] {
				declared = true
				break
			}
		}
		if !declared {
			return path[:j:j]
		}
	}
	return nil
}
