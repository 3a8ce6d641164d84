package compile

import (
	"path/filepath"
	"strings"

	"github.com/axc-dev/axc/internal/nix/syntax"
	"github.com/axc-dev/axc/internal/nixpath"
)

// A path the built flake names outside its repository (Repo) is a warning:
// pure evaluation, as nixos-rebuild and nix build evaluate a flake, reads
// nothing else, so the build fails there (or, with --impure, reads a file
// that is not the repository's). Judged as Nix judges it (internal/nixpath,
// which import uses too): the path as Nix computes it from the generated
// file, and the symbolic links on the way as the store's copy keeps them.
// These are the paths the flake reads: relative path-field values (path
// literals), path literals in raw Nix, and absolute values of the host's
// own path fields, which mkSystem imports. An absolute string elsewhere
// is a string to Nix (a runtime path such as /var/lib/immich), not read.

// outside says how the path text, at place in the repository (as
// nixpath.Place gives it; "" for an absolute path), leaves it, or "" when
// it does not; because, when not "", says why the flake reads the path.
func (c *Compiler) outside(text, place, because string) string {
	why := nixpath.Why(c.Repo, c.repoShown, place, text, "the repository ("+c.repoShown+")")
	if why == "" {
		return ""
	}
	if because != "" {
		return why + ": " + because + ", and the flake's pure evaluation cannot read it"
	}
	return why + ": the flake's pure evaluation cannot read it"
}

// rawPaths warns of the path literals in raw Nix that lead out of the
// repository; relative ones are relative to the file build writes
// (DIR/hosts or DIR/users). A path with ${…} in it is judged by what comes
// before: once out, no name after it leads back into the store's copy.
func (c *Compiler) rawPaths(st *hostState, path []string, raw string) {
	f, err := syntax.ParseRaw(raw)
	if err != nil {
		return // CheckRaw said so
	}
	dir := filepath.Join(c.OutDir, outSubdir(st))
	syntax.Inspect(f.Expr, func(n syntax.Node) bool {
		p, ok := n.(*syntax.Path)
		if !ok {
			return true
		}
		first, ok := p.Parts[0].(*syntax.Text)
		if !ok {
			return true
		}
		place, ok := nixpath.Place(c.Repo, dir, strings.TrimSuffix(first.Raw, "/"))
		if ok {
			c.reads(st, filepath.Join(c.Repo, filepath.FromSlash(place)))
		}
		if why := c.outside(raw[p.Pos().Offset:p.End().Offset], place, ""); why != "" {
			st.warn(path, "raw Nix: "+why)
		}
		return true
	})
}
