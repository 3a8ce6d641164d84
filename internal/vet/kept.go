package vet

import (
	"slices"

	"github.com/axc-dev/axc/internal/load"
)

// Kept is what the pass over the hosts found of one host (Host, and the
// problems Add placed at it before Diagnostics), for a long-lived process
// to use again for the same host in a later check (load.Host.EvalKey)
// instead of evaluating it again. Its findings are by path below the host:
// Diagnostics places them in the host's syntax of the later check.
type Kept struct {
	fs []finding
	// Movable: the findings can be placed in a copy of the host that
	// starts on another line. Not so when one is placed by CUE's
	// positions rather than by the host's syntax, or names positions in
	// its message (two conflicting values and where they are).
	Movable bool
}

// Keep is what the pass found of host i.
func (c *Checker) Keep(i int) Kept {
	h := c.res.Hosts[i]
	k := Kept{fs: slices.Clone(c.perHost[i]), Movable: true}
	for _, f := range k.fs {
		if f.conflict || !placedBySyntax(h, f) {
			k.Movable = false
		}
	}
	return k
}

// Restore makes k what the pass found of host i, as if Host had vetted it
// (and Add placed the same problems).
func (c *Checker) Restore(i int, k Kept) {
	c.perHost[i] = slices.Clone(k.fs)
}

// placedBySyntax reports whether the finding f of host h is placed by
// h's syntax (both as a label and as a value, as Diagnostics may do
// either): then it moves with the host.
func placedBySyntax(h *load.Host, f finding) bool {
	if h.Fields == nil {
		return false
	}
	if !h.Fields.LabelPos(f.path).IsValid() {
		return false
	}
	pos, _ := h.Fields.ValuePos(f.path)
	return pos.IsValid()
}
