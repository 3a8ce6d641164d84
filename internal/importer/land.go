package importer

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/nixpath"
	"github.com/axc-dev/axc/internal/safeio"
)

// Where the files a path names are for the output is decided here, once,
// for every path import writes (in a path field, in data kept as Nix, in
// Nix kept verbatim): the output is a repository of its own, and nothing
// in it may point outside it, where the flake axc build writes could not
// read (its pure evaluation reads only its repository: the git work tree
// holding the output directory, else that directory, as axc vet judges).
//
//   - An absolute path stays as it is (a file of the target machine).
//   - A file inside the output's repository is pointed at where it is: an
//     import in place (axc import . -o .), or into a directory of the same
//     git work tree.
//   - Any other file of the configuration is copied to the same place
//     below the output directory, relative to the directory imported (the
//     flake's directory, tree.base), and pointed at there: a hardware
//     configuration, a disk layout, a secrets directory.
//   - A file outside the directory imported has no such place, and one
//     outside the tree import reads is never read: either is a problem at
//     the path.

// landing is where one import's files go.
type landing struct {
	outDir string // absolute
	// outRepo is what the built flake reads: nixpath.SourceRoot(outDir).
	outRepo string
	// copies are the files and directories to copy, by their place below
	// outDir (slash separated).
	copies map[string]*copyOf
}

// copyOf is a file or directory of the configuration to copy.
type copyOf struct {
	from string  // absolute, where the path leads (no link on the way)
	p    pathVal // the first path naming it, for messages
}

func newLanding(outDir string) *landing {
	return &landing{outDir: outDir, outRepo: nixpath.SourceRoot(outDir), copies: map[string]*copyOf{}}
}

// writePath is the relative path p is written as in a file in dir (the
// CUE file's directory, and that of the Nix file axc build writes from
// it): absolute as it is, relative to the file it names for the output
// (target). why, when not "", says why p cannot be written.
func (ev *evaluator) writePath(p pathVal, dir string) (string, string) {
	if p.absolute {
		return filepath.ToSlash(p.abs), ""
	}
	if ev.land == nil {
		return relPath(dir, p.abs), ""
	}
	target, why := ev.land.target(p)
	if why != "" {
		return "", why
	}
	return relPath(dir, target), ""
}

// target is the file p names, for the output: where it is when the built
// flake can read it there, else its copy below the output directory (which
// it records). why says why it has neither.
func (l *landing) target(p pathVal) (abs, why string) {
	if within(l.outRepo, p.abs) {
		return p.abs, ""
	}
	if why := p.outside(); why != "" {
		return "", why
	}
	rel, err := filepath.Rel(p.in.base, p.abs)
	if err != nil || !filepath.IsLocal(rel) {
		// Inside the tree (a git work tree) but above the flake.
		return "", fmt.Sprintf("%s is outside %s, the directory imported, so it has no place in the output directory, and the flake there could not read it where it is: move it into %s, or import into a directory of %s",
			p.text(), load.RelPath(p.in.base), load.RelPath(p.in.base), load.RelPath(p.in.root))
	}
	resolved, _, out := nixpath.Resolve(p.in.root, p.place)
	if out {
		return "", p.text() + " leads out of " + p.in.name() // outside said so already
	}
	from := filepath.Join(p.in.root, filepath.FromSlash(resolved))
	key := filepath.ToSlash(rel)
	if c, ok := l.copies[key]; ok && c.from != from {
		return "", fmt.Sprintf("%s and %s would both be copied to %s", c.p.text(), p.text(), load.RelPath(filepath.Join(l.outDir, rel)))
	} else if !ok {
		l.copies[key] = &copyOf{from: from, p: p}
	}
	return filepath.Join(l.outDir, rel), ""
}

// Bounds on what import copies: each file, all of them together, and how
// many files and directories.
const (
	maxCopyFile    = 16 << 20
	maxCopyTotal   = 128 << 20
	maxCopyEntries = 10000
)

// Copy is a file import writes as a copy of one the configuration names.
type Copy struct {
	Path   string // slash separated, below the output directory
	Data   []byte
	Source string // the file copied, absolute (no link on the way)
}

// copyFiles reads the files to copy, each file of a directory to copy
// included, in place order. taken says whether the output has a file of
// its own there (why, when not ""). Problems are reported at the path
// naming the file.
func (im *importer) copyFiles(taken func(rel string) string) []Copy {
	l := im.ev.land
	var out []Copy
	total, entries := 0, 0
	seen := map[string]bool{}
	problem := func(c *copyOf, format string, args ...any) {
		msg := "cannot copy " + c.p.text() + ": " + fmt.Sprintf(format, args...)
		if c.p.lit != nil && c.p.file != nil {
			im.report.problemf(c.p.file, c.p.lit, "%s", msg)
		} else {
			im.report.problemf(nil, nil, "%s", msg)
		}
	}
	folded := map[string]string{} // rel by its lower case
	var walk func(c *copyOf, from, rel string) bool
	walk = func(c *copyOf, from, rel string) bool {
		if seen[rel] {
			return true // also named on its own, or below another copy
		}
		seen[rel] = true
		if other, ok := folded[strings.ToLower(rel)]; ok {
			problem(c, "%s and %s would be one file where file names ignore case", other, rel)
			return false
		}
		folded[strings.ToLower(rel)] = rel
		entries++
		if entries > maxCopyEntries {
			problem(c, "more than %d files and directories to copy", maxCopyEntries)
			return false
		}
		if !outputPath(rel) {
			problem(c, "%s is not a name import writes", rel)
			return false
		}
		if why := taken(rel); why != "" {
			problem(c, "it would be %s, %s", path.Join(filepath.ToSlash(load.RelPath(l.outDir)), rel), why)
			return false
		}
		if within(from, l.outDir) {
			problem(c, "%s holds the output directory %s", load.RelPath(from), load.RelPath(l.outDir))
			return false
		}
		fi, err := os.Lstat(from)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return true // the path is written: axc vet says it names nothing
		case err != nil:
			problem(c, "%s: %s", load.RelPath(from), load.IOReason(err))
			return false
		case fi.IsDir():
			names, err := safeio.ReadDir(from)
			if err != nil {
				problem(c, "%s: %s", load.RelPath(from), safeio.Reason(err))
				return false
			}
			for _, e := range names {
				if !walk(c, filepath.Join(from, e.Name()), rel+"/"+e.Name()) {
					return false
				}
			}
			return true
		case fi.Mode()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(from)
			problem(c, "%s is a symbolic link (to %s): import copies files and directories, not links", load.RelPath(from), target)
			return false
		}
		data, err := safeio.ReadFile(from, maxCopyFile)
		if err != nil {
			problem(c, "%s: %s", load.RelPath(from), safeio.Reason(err))
			return false
		}
		total += len(data)
		if total > maxCopyTotal {
			problem(c, "more than %d MiB to copy", maxCopyTotal>>20)
			return false
		}
		out = append(out, Copy{Path: rel, Data: data, Source: from})
		return true
	}
	keys := make([]string, 0, len(l.copies))
	for k := range l.copies {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	failed := false
	for _, k := range keys {
		// Each copy on its own, so that every problem is said; a problem
		// means nothing is written.
		if !walk(l.copies[k], l.copies[k].from, k) {
			failed = true
		}
	}
	if failed {
		return nil
	}
	slices.SortFunc(out, func(a, b Copy) int { return strings.Compare(a.Path, b.Path) })
	return out
}
