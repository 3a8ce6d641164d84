package importer

import (
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/nix/syntax"
	"github.com/axc-dev/axc/internal/nixpath"
)

// What a path means is decided here, once, as Nix decides it
// (internal/nixpath): a relative path literal is relative to the directory
// of the file Nix read (the target of a symbolic link, not the link); an
// absolute one stays absolute; and in a flake, a path outside the flake's
// source tree (climbing above its top, absolute, or through a symbolic
// link that leads out) cannot be read by pure evaluation: import cannot
// carry it over, and says so at the path. Every path value (pathVal), the
// paths in Nix kept verbatim (rawSource), the files `import` follows and
// the user modules a host names go through pathIn and (pathVal).leaves.

// tree is the directory tree a Nix file belongs to.
type tree struct {
	root string // absolute
	// flake: root is a flake's source tree (nixpath.SourceRoot), all that
	// its pure evaluation reads. Otherwise root only bounds what import
	// reads: files of no flake are evaluated impurely, where any path can
	// be read.
	flake bool
	// base is the directory the configuration is in, whose place the
	// output directory takes: a flake's own directory (below root when
	// the flake is in a subdirectory of a git work tree), else root. A
	// file a path names is copied to its place relative to base.
	base string
}

// name is how messages name the tree.
func (t tree) name() string {
	if t.flake {
		return "the flake's source tree (" + load.RelPath(t.root) + ")"
	}
	return "the tree import reads (" + load.RelPath(t.root) + ")"
}

// treeAt is the tree of the files in dir: a flake's source tree when a
// flake.nix is at or above dir (the files are that flake's); else the
// nearest directory at or above dir with a .git or a flake.lock; else
// fallback.
func treeAt(dir, fallback string) tree {
	for d := dir; ; {
		if isFile(filepath.Join(d, "flake.nix")) {
			return flakeTree(d)
		}
		for _, marker := range []string{".git", "flake.lock"} {
			if _, err := os.Lstat(filepath.Join(d, marker)); err == nil {
				return tree{root: d, base: d}
			}
		}
		parent := filepath.Dir(d)
		if parent == d {
			return tree{root: fallback, base: fallback}
		}
		d = parent
	}
}

// flakeTree is the tree of the flake whose flake.nix is in dir.
func flakeTree(dir string) tree {
	return tree{root: nixpath.SourceRoot(dir), flake: true, base: dir}
}

// fileTree is the tree of a file named on its own: that of its directory,
// or, when there is no marker, the directory holding it (the one holding
// its hosts or users directory, in upstream's layout).
func fileTree(abs string) tree {
	dir := filepath.Dir(abs)
	fallback := dir
	if b := filepath.Base(dir); b == hostsPkg || b == usersPkg {
		fallback = filepath.Dir(dir)
	}
	return treeAt(dir, fallback)
}

// pathVal is a Nix path value.
type pathVal struct {
	// abs is the file it names, absolute and clean, as the author's files
	// are laid out: what import reads, and rebases relative paths from.
	abs string
	// absolute: the author wrote an absolute path; it is written back as
	// it is.
	absolute bool
	// in is the tree of the file it was written in, and place where it is
	// in that tree as Nix computes it (nixpath.Place); "" for an absolute
	// path.
	in    tree
	place string
	// lit is the literal it was written as, for messages (nil when made
	// by +).
	lit  *syntax.Path
	file *source
}

// pathIn is the path literal text, written in a file in dir of tree t.
func pathIn(t tree, dir, text string) pathVal {
	if filepath.IsAbs(text) || strings.HasPrefix(text, "~") {
		p := pathVal{abs: filepath.Clean(text), absolute: true, in: t}
		if rel, err := filepath.Rel(t.root, p.abs); err == nil && !t.flake && within(t.root, p.abs) {
			// Evaluated impurely, from the files themselves: an
			// absolute path into the tree is in it.
			p.place = filepath.ToSlash(rel)
		}
		return p
	}
	p := pathVal{abs: filepath.Join(dir, text), in: t}
	if place, ok := nixpath.Place(t.root, dir, text); ok {
		p.place = place
	}
	return p
}

// plus is p + s: Nix appends the string and cleans the result.
func (p pathVal) plus(s string) pathVal {
	q := pathVal{abs: filepath.Clean(p.abs + s), absolute: p.absolute, in: p.in}
	if p.place != "" {
		q.place = path.Clean(p.place + s) // a leading .. stays: out is out
	}
	return q
}

// storePath is the path a string of the flake's own source names (self,
// self.outPath + "/x"): the file at that place of the source tree.
func storePath(v storeVal) pathVal {
	suffix := strings.TrimPrefix(v.abs, v.in.root)
	p := pathVal{abs: filepath.Clean(v.abs), in: v.in}
	switch {
	case suffix == v.abs || suffix != "" && suffix[0] != '/':
		p.place = "../" + path.Base(v.abs) // another store path
	default:
		p.place = path.Clean("." + suffix)
	}
	return p
}

// leaves says why p cannot be read from its tree, or "" when it can: a
// flake's pure evaluation reads nothing else, and import reads nothing
// else of any tree.
func (p pathVal) leaves(text string) string {
	return nixpath.Why(p.in.root, load.RelPath(p.in.root), p.place, text, p.in.name())
}

// outside says why p cannot be read from its tree, for messages, or ""
// when it can.
func (p pathVal) outside() string { return p.outsideAs(p.text()) }

// outsideAs is outside, with p shown as text.
func (p pathVal) outsideAs(text string) string {
	why := p.leaves(text)
	if why != "" && p.in.flake {
		why += ": pure evaluation cannot read it"
	}
	return why
}

// unreadable says why pure evaluation cannot read p, or "" when it can or
// p is not a flake's.
func (p pathVal) unreadable() string {
	if !p.in.flake {
		return ""
	}
	return p.outside()
}

// text is p as messages show it: as written, or where it is.
func (p pathVal) text() string {
	switch {
	case p.lit != nil && p.file != nil:
		return p.file.text(p.lit)
	case p.absolute || p.place == "":
		return p.abs
	}
	return path.Join(filepath.ToSlash(load.RelPath(p.in.root)), p.place)
}

// within reports whether abs is root or below it.
func within(root, abs string) bool {
	rel, err := filepath.Rel(root, abs)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// relPath is target as a path relative to dir, starting with ./ or ../ as
// Nix path literals and axc's path fields want.
func relPath(dir, target string) string {
	rel, err := filepath.Rel(dir, target)
	if err != nil {
		return filepath.ToSlash(target)
	}
	rel = filepath.ToSlash(rel)
	switch {
	case rel == ".":
		return "./."
	case rel == "..":
		return "../."
	}
	if !strings.HasPrefix(rel, "../") {
		rel = "./" + rel
	}
	return rel
}

// pathLiteral is what axc's path fields accept as a relative path, and
// what can be written as a Nix path literal without interpolation; an
// absolute path literal is the same after a /.
var (
	pathLiteral    = regexp.MustCompile(`^\.\.?(/[A-Za-z0-9._+-]+)+$`)
	absPathLiteral = regexp.MustCompile(`^(/[A-Za-z0-9._+-]+)+$`)
)

// validPathLiteral reports whether p can be written as a Nix path literal.
func validPathLiteral(p string) bool {
	return pathLiteral.MatchString(p) || absPathLiteral.MatchString(p)
}

// asPath is v as a path: a path value, or a string naming a file of the
// flake's own source.
func asPath(v value) (pathVal, bool) {
	switch v := v.(type) {
	case pathVal:
		return v, true
	case storeVal:
		return storePath(v), true
	}
	return pathVal{}, false
}

// treeOf is the tree of the file f: the one it was reached in.
func (ev *evaluator) treeOf(f *source) tree {
	if t, ok := ev.trees[f.abs]; ok {
		return t
	}
	return fileTree(f.abs)
}

// readFile is the file Nix reads for `import p`, which then belongs to
// p's tree; why, when not "", says why import does not read it: it is
// outside the tree (p shown as p.text()). A flake's pure evaluation reads the file where every
// symbolic link on the way leads (nixpath.PureFile); impure evaluation
// follows only links in the last name (nixpath.File).
func (ev *evaluator) readFile(p pathVal) (abs, why string) {
	return ev.readFileAs(p, p.text())
}

// readFileAs is readFile, with p shown as text.
func (ev *evaluator) readFileAs(p pathVal, text string) (abs, why string) {
	if why := p.outsideAs(text); why != "" {
		return "", why
	}
	if p.in.flake {
		file, at, _, ok := nixpath.PureFile(p.in.root, p.place)
		if !ok {
			// A directory's default.nix that leads out.
			q := pathVal{abs: filepath.Join(p.in.root, at), in: p.in, place: at}
			return "", q.outside()
		}
		abs = file
	} else {
		var err error
		if abs, err = nixpath.File(p.abs); err == nil && abs != p.abs {
			// Through links, or a directory's default.nix: where Nix
			// ends up must be in the tree too.
			if rel, err := filepath.Rel(p.in.root, abs); err == nil {
				q := pathVal{abs: abs, in: p.in, place: filepath.ToSlash(rel)}
				if why := q.outsideAs(text); why != "" {
					return "", why
				}
			}
		}
	}
	if _, ok := ev.trees[abs]; !ok {
		ev.trees[abs] = p.in
	}
	return abs, ""
}
