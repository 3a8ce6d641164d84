package vet

import (
	"bytes"
	"fmt"
	"strings"
	"sync"

	"cuelang.org/go/cue"

	"github.com/axc-dev/axc/schema"
)

// mkSystemConflicts are the host's values for options that mkSystem itself
// defines on the host (schema.MkSystemField), in its NixOS module field or
// in a section mkSystem copies to the options, that differ from mkSystem's:
// NixOS refuses two definitions of one option with different values
// ("conflicting definition values"). Raw Nix (lib.mkForce …) is left to the
// author. Compared here rather than in the schema: as CUE comprehensions
// over every option mkSystem defines, the check cost 15% of a vet.
func mkSystemConflicts(v cue.Value, c *schema.Contract, again *mkSystemAgain) []finding {
	config, err := schema.MkSystemConfig(v)
	if !config.Exists() && err == nil {
		return nil // no such field
	}
	if err != nil {
		// A wrong value among mkSystem's inputs (the host's own errors
		// say which): what mkSystem defines from the valid ones.
		again.mu.Lock()
		defer again.mu.Unlock()
		if config = again.config(v); !config.Exists() {
			return nil
		}
	}
	var fs []finding
	eachLeaf(config, nil, func(option []string, want cue.Value) {
		wantJSON, err := want.MarshalJSON()
		if err != nil {
			return // not a definition mkSystem makes for this host
		}
		paths := [][]string{append([]string{c.ConfigField}, option...)}
		if sec, ok := c.Section(option[0]); ok {
			if on, err := v.LookupPath(cue.MakePath(cue.Str("modules"), cue.Str(sec.Flag))).Bool(); err == nil && on {
				paths = append(paths, option) // copied to the options
			}
		}
		for _, path := range paths {
			got, _ := v.LookupPath(selectorPath(path)).Default()
			if !got.Exists() || !got.IsConcrete() || got.Kind() == cue.StructKind {
				continue // not set, or raw Nix
			}
			gotJSON, err := got.MarshalJSON()
			if err != nil || bytes.Equal(gotJSON, wantJSON) {
				continue
			}
			fs = append(fs, finding{
				path: path,
				msg:  fmt.Sprintf("%s = %s conflicts with mkSystem, which defines it as %s on this host (from its modules and hardware): NixOS refuses the two; leave it out", strings.Join(option, "."), gotJSON, wantJSON),
				sev:  Error,
			})
		}
	})
	return fs
}

// mkSystemAgain evaluates MkSystemField anew for hosts whose own is an
// error, from their valid inputs (schema.MkSystemInputs), in a context of
// its own made on first use; mu guards that context, since hosts are
// vetted concurrently.
type mkSystemAgain struct {
	mu      sync.Mutex
	newHost func() cue.Value
	host    cue.Value
}

// config is MkSystemField of #Host unified with v's valid inputs, or a
// value that does not exist when that fails too. Called with mu held.
func (a *mkSystemAgain) config(v cue.Value) cue.Value {
	inputs, err := schema.MkSystemInputs(v)
	if err != nil {
		return cue.Value{}
	}
	if !a.host.Exists() {
		a.host = a.newHost()
	}
	config, err := schema.MkSystemConfig(a.host.Unify(a.host.Context().CompileBytes(inputs)))
	if err != nil {
		return cue.Value{}
	}
	return config
}

// eachLeaf calls fn with the path and value of every field of v that is
// not a struct.
func eachLeaf(v cue.Value, path []string, fn func([]string, cue.Value)) {
	if v.IncompleteKind() != cue.StructKind {
		fn(path, v)
		return
	}
	it, err := v.Fields()
	if err != nil {
		return
	}
	for it.Next() {
		eachLeaf(it.Value(), append(path[:len(path):len(path)], it.Selector().Unquoted()), fn)
	}
}

func selectorPath(path []string) cue.Path {
	sels := make([]cue.Selector, len(path))
	for i, p := range path {
		sels[i] = cue.Str(p)
	}
	return cue.MakePath(sels...)
}
