package vet

import (
	"encoding/json"
	"errors"
	"fmt"
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
	// Kept after Explain (Keep's callers explain first), a host with an
	// error had its syntax searched; one kept unexplained (an older
	// memo) is searched by Diagnostics.
	c.fieldsDone[i] = hasError(k.fs) && !slices.ContainsFunc(k.fs, func(f finding) bool { return !f.explained })
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

// keptFinding is a finding as Kept's on-disk form holds it. A Movable
// Kept's findings are placed by the host's syntax alone, so the positions
// CUE gave them (cuePos), which name a parse of another process, are not
// needed; conflicts are never Movable.
type keptFinding struct {
	Path    []string `json:"path"`
	Msg     string   `json:"msg"`
	Label   bool     `json:"label,omitempty"`
	Unknown bool     `json:"unknown,omitempty"`
	Sev     string   `json:"sev"`
	// Explained: Msg is in the author's terms already (Checker.Explain).
	Explained bool `json:"explained,omitempty"`
}

// MarshalJSON is k's on-disk form, for a process that checks the same
// host later (check's disk memo). Only a Movable Kept has one: the others
// hold positions of this process's parse.
func (k Kept) MarshalJSON() ([]byte, error) {
	if !k.Movable {
		return nil, errors.New("vet: a Kept placed by CUE's positions has no on-disk form")
	}
	out := make([]keptFinding, len(k.fs))
	for i, f := range k.fs {
		out[i] = keptFinding{Path: f.path, Msg: f.msg, Label: f.label, Unknown: f.unknown, Sev: f.sev, Explained: f.explained}
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads what MarshalJSON wrote; a finding whose severity
// is neither error nor warning is refused (a damaged file).
func (k *Kept) UnmarshalJSON(data []byte) error {
	var in []keptFinding
	if err := json.Unmarshal(data, &in); err != nil {
		return err
	}
	fs := make([]finding, len(in))
	for i, f := range in {
		if f.Sev != Error && f.Sev != Warning {
			return fmt.Errorf("vet: a kept finding of severity %q", f.Sev)
		}
		fs[i] = finding{path: f.Path, msg: f.Msg, label: f.Label, unknown: f.Unknown, sev: f.Sev, explained: f.Explained}
	}
	*k = Kept{fs: fs, Movable: true}
	return nil
}
