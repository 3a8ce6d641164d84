package importer

import (
	"github.com/axc-dev/axc/internal/release"
	"github.com/axc-dev/axc/schema"
)

// history is what import knows of the releases besides the one it imports
// for, so that a host written for another release comes out as what it
// is, for axc vet to name once: a host field that is a path in some
// release is written as a path there, not kept as Nix ({$nix: …} on a
// field the release lacks says nothing more); and a user module named the
// way of older releases (userModulePath) becomes a user of the newer way.
type history struct {
	// pathFields are the host fields some release takes a path in.
	pathFields map[string]bool
	// module is the host field of older releases that imports the one
	// user's module, when the release imported for has users by
	// configDir instead (else nil).
	module *oldModule
}

// oldModule is a host field that imported the one user's module by path,
// in releases up to Last, replaced in Next.
type oldModule struct {
	Field      string
	User       *schema.UserContract // how that module sets its user
	Last, Next string               // release tags
}

// readHistory reads the contracts of the releases built into axc; tag is
// the release imported for ("" when it is none of them: --schema).
func readHistory(tag string, c *schema.Contract) (*history, error) {
	h := &history{pathFields: map[string]bool{}}
	table, err := release.Builtin()
	if err != nil {
		return nil, err
	}
	rs := table.Releases()
	contracts := make([]*schema.Contract, len(rs))
	for i, r := range rs {
		fsys, err := schema.Release(r.Tag)
		if err != nil {
			return nil, err
		}
		if contracts[i], err = schema.ReadContract(fsys); err != nil {
			return nil, err
		}
		for _, f := range contracts[i].PathFields {
			h.pathFields[f] = true
		}
	}
	if c.Users.Module != "" || c.Users.ConfigDir == "" || c.User == nil {
		return h, nil
	}
	// The newest release with a user module field before the one imported
	// for (all of them with --schema).
	until := len(rs)
	for i, r := range rs {
		if r.Tag == tag {
			until = i
		}
	}
	for i := until - 1; i >= 0; i-- {
		if old := contracts[i]; old.Users.Module != "" && old.User != nil && i+1 < len(rs) {
			h.module = &oldModule{Field: old.Users.Module, User: old.User, Last: rs[i].Tag, Next: rs[i+1].Tag}
			break
		}
	}
	return h, nil
}
