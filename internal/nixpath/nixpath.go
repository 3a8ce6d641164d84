// Package nixpath says what a Nix path means, as Nix 2.8 resolves it: the
// file `import p` reads, and whether a flake's pure evaluation can read a
// path at all. Import (reading Nix) and vet and build (writing it) ask it,
// so that both sides judge a path the same way.
//
// A flake is evaluated from a copy of its source tree in the Nix store, and
// pure evaluation reads nothing outside that copy. So a path is inside the
// tree only when the way to it stays inside: ".." above the tree's top
// leaves it even if later names lead back (in the copy they lead into
// another store path), an absolute path leaves it (it names the original
// files, not the copy), and so does a symbolic link whose target is
// absolute or climbs out (the copy keeps the link as it is).
package nixpath

import (
	"os"
	"path"
	"path/filepath"
	"strings"
)

// maxLinks is how many symbolic links one path may go through: Nix's own
// bound (maxFollow in resolveExprPath and canonPath).
const maxLinks = 1024

// File is the file impure evaluation reads for `import p`
// (resolveExprPath in Nix 2.8): while p is a symbolic link, its target,
// relative to the link's directory; a directory is its default.nix, taken
// as it is. Path literals in the file are relative to the directory of the
// result, so a host file reached through a link resolves its paths against
// the link's target. Only the last name is followed: links among the
// directories on the way stay in the path, as Nix leaves them. (Pure
// evaluation reads PureFile.)
func File(p string) (string, error) {
	p = filepath.Clean(p)
	for n := 0; ; n++ {
		fi, err := os.Lstat(p)
		if err != nil {
			return p, err
		}
		if fi.Mode()&os.ModeSymlink == 0 {
			if fi.IsDir() {
				return filepath.Join(p, "default.nix"), nil
			}
			return p, nil
		}
		if n >= maxLinks {
			return p, &os.PathError{Op: "resolve", Path: p, Err: errTooManyLinks}
		}
		target, err := os.Readlink(p)
		if err != nil {
			return p, err
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(p), target)
		}
		p = filepath.Clean(target)
	}
}

type linkError string

func (e linkError) Error() string { return string(e) }

const errTooManyLinks = linkError("too many symbolic links")

// SourceRoot is the directory Nix copies to the store to evaluate the
// flake whose flake.nix is in dir: the top of the git work tree holding dir
// (the nearest directory at or above it with a .git), else dir itself.
// (Nix 2.8 reads a flake in a git repository as git+file of the whole
// repository, with dir= its subdirectory; self.outPath is that top.)
func SourceRoot(dir string) string {
	dir = filepath.Clean(dir)
	for d := dir; ; {
		if exists(filepath.Join(d, ".git")) {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// Exit says how a path leaves a source tree: Link is the symbolic link on
// the way out (relative to the tree's top, slash-separated) and Target
// what it points to; both are empty when the path itself climbs out.
type Exit struct {
	Link, Target string
}

// Place is where the path literal lit, written in a file in dir, is in the
// copy of the tree whose top is root: slash-separated and clean, relative
// to root, computed as Nix computes it (lexically, from the file's
// directory); it starts with ".." when the path climbs out. An absolute
// literal has no place: ok is false.
func Place(root, dir, lit string) (place string, ok bool) {
	if strings.HasPrefix(lit, "/") || strings.HasPrefix(lit, "~") {
		return "", false
	}
	rel, err := filepath.Rel(root, dir)
	if err != nil {
		return "", false
	}
	return path.Join(filepath.ToSlash(rel), lit), true
}

// Leaves reports whether the path at place (as Place gives it) leaves the
// tree whose top is root, and how (Resolve).
func Leaves(root, place string) (Exit, bool) {
	_, exit, out := Resolve(root, place)
	return exit, out
}

// Resolve is where the path at place (as Place gives it) leads in the tree
// whose top is root, every symbolic link on the way followed as the
// store's copy of the tree has it: the place reached (slash-separated,
// relative to root, no link in it), or, when the way leaves the tree, how.
// This is the check of pure evaluation (checkSourcePath: canonPath with
// links resolved, inside the allowed tree), and the file it returns is the
// one Nix reads: in a flake, a file reached through links, even through a
// linked directory, resolves its relative paths against where they lead.
// Names that do not exist are taken as they are (reading them fails; that
// is not this question).
func Resolve(root, place string) (resolved string, exit Exit, out bool) {
	if place == ".." || strings.HasPrefix(place, "../") || path.IsAbs(place) {
		return "", Exit{}, true
	}
	// cur is the place reached so far, relative to root; todo the names
	// still to walk, each with the link whose target it comes from.
	type step struct {
		name string
		via  Exit
	}
	var cur []string
	var todo []step
	for _, n := range split(place) {
		todo = append(todo, step{name: n})
	}
	links := 0
	for len(todo) > 0 {
		s := todo[0]
		todo = todo[1:]
		switch s.name {
		case ".", "":
			continue
		case "..":
			if len(cur) == 0 {
				return "", s.via, true
			}
			cur = cur[:len(cur)-1]
			continue
		}
		next := append(cur[:len(cur):len(cur)], s.name)
		p := filepath.Join(root, filepath.FromSlash(strings.Join(next, "/")))
		fi, err := os.Lstat(p)
		if err != nil || fi.Mode()&os.ModeSymlink == 0 {
			cur = next
			continue
		}
		target, err := os.Readlink(p)
		via := Exit{Link: strings.Join(next, "/"), Target: target}
		links++
		if err != nil || links > maxLinks || filepath.IsAbs(target) {
			return "", via, true
		}
		// The target replaces the link's name: walk it from the link's
		// directory, then the names after the link.
		var walk []step
		for _, n := range split(filepath.ToSlash(target)) {
			walk = append(walk, step{name: n, via: via})
		}
		todo = append(walk, todo...)
	}
	if len(cur) == 0 {
		return ".", Exit{}, false
	}
	return strings.Join(cur, "/"), Exit{}, false
}

// PureFile is the file pure evaluation reads for `import p`, p at place in
// the tree at root (as Place gives it): where place leads (Resolve), or
// for a directory where its default.nix leads; relative paths in the file
// are relative to its directory. ok is false when the way leaves the
// tree: at, Exit and the place of the path that leaves say where.
func PureFile(root, place string) (file, at string, exit Exit, ok bool) {
	r, exit, out := Resolve(root, place)
	if out {
		return "", place, exit, false
	}
	file = filepath.Join(root, filepath.FromSlash(r))
	if fi, err := os.Stat(file); err == nil && fi.IsDir() {
		at = path.Join(r, "default.nix")
		if r, exit, out = Resolve(root, at); out {
			return "", at, exit, false
		}
		file = filepath.Join(root, filepath.FromSlash(r))
	}
	return file, "", Exit{}, true
}

func split(p string) []string {
	if p == "" || p == "." {
		return nil
	}
	return strings.Split(p, "/")
}

// Why says how the path text, at place in the tree whose top is root
// (place "" for an absolute or home path, which has none), leaves the
// tree, or "" when it does not. tree names the tree in the sentence ("the
// flake's source tree (.)"), and top is how root is shown, for the
// symbolic link on the way out.
func Why(root, top, place, text, tree string) string {
	if place == "" {
		what := "an absolute path"
		if strings.HasPrefix(text, "~") {
			what = "in the home directory of whoever evaluates it"
		}
		return text + " is " + what + ", outside " + tree
	}
	exit, out := Leaves(root, place)
	switch {
	case !out:
		return ""
	case exit.Link != "":
		return text + " leads out of " + tree + " through the symbolic link " + path.Join(filepath.ToSlash(top), exit.Link) + " -> " + exit.Target
	}
	return text + " is outside " + tree
}
