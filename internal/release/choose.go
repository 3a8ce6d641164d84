package release

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/axc-dev/axc/internal/reporoot"
)

// Options say where Choose looks.
type Options struct {
	// Flag is the value of --axios: a tag, a full rev, or a rev prefix of
	// at least MinPrefix hex digits. When set, the lock file is not read.
	Flag string
	// LockFile is the path of a flake.lock, or empty for none (FindLock
	// finds the one a directory belongs to).
	LockFile string
}

// Choice is the release chosen and why.
type Choice struct {
	Release Release
	// Source is "--axios", "flake.lock input NAME" (NAME is the input path
	// from the root: "axios", "my-axios", "foo/axios"), or "default (newest)".
	Source string
	// Warning, when not empty, says that the lock pins a commit that is no
	// release axc knows, and which release stands in for it.
	Warning string
	// Note, when not empty, is information: the lock has no framework
	// input, or inputs of inputs pin other revs than the one chosen.
	Note string
	// Lock is the lock file read (Options.LockFile), "" when none was.
	Lock string
}

// Sources of a Choice.
const (
	SourceFlag    = "--axios"
	SourceDefault = "default (newest)"
	sourceLock    = "flake.lock input "
)

// Choose picks the release: the one Flag names; else the one the lock file
// pins (see the package documentation); else, with no lock file or none of
// its inputs locking a release's repository, the newest. It fails on an
// unknown Flag, on a lock file that cannot be read or is no flake.lock, on
// several root inputs (or, with none, several inputs of inputs) pinning
// different revs, and on a pinned commit older than every release.
func (t *Table) Choose(opts Options) (Choice, error) {
	if opts.Flag != "" {
		r, err := t.Lookup(opts.Flag)
		if err != nil {
			return Choice{}, fmt.Errorf("--axios: %w", err)
		}
		return Choice{Release: r, Source: SourceFlag}, nil
	}
	if opts.LockFile == "" {
		return Choice{Release: t.Newest(), Source: SourceDefault}, nil
	}
	data, err := readLock(opts.LockFile)
	if err != nil {
		return Choice{}, err
	}
	c, err := t.chooseFromLock(opts.LockFile, data)
	c.Lock = opts.LockFile
	return c, err
}

func (t *Table) chooseFromLock(name string, data []byte) (Choice, error) {
	inputs, lookalikes, err := parseLock(name, data, t.Repos())
	if err != nil {
		return Choice{}, err
	}
	if len(inputs) == 0 {
		n := t.Newest()
		if len(lookalikes) > 0 {
			// Meant for the framework, perhaps, but not it: say so.
			return Choice{
				Release: n,
				Source:  SourceDefault,
				Warning: fmt.Sprintf("%s: %s, which is not %s (names are compared in ASCII); using the newest release axc knows, %s",
					name, strings.Join(lookalikes, ", "), strings.Join(t.Repos(), " or "), n.Tag),
			}, nil
		}
		return Choice{
			Release: n,
			Source:  SourceDefault,
			Note: fmt.Sprintf("%s has no %s input; using the newest release axc knows, %s",
				name, strings.Join(t.Repos(), " or "), n.Tag),
		}, nil
	}
	// The root's own inputs, or failing those the shallowest.
	best := inputs[0]
	var same, others []input
	for _, in := range inputs {
		switch {
		case in.Depth == best.Depth:
			same = append(same, in)
		case in.Rev != best.Rev:
			others = append(others, in)
		}
	}
	for _, in := range same {
		if in.Rev != best.Rev {
			return Choice{}, fmt.Errorf("%s: inputs pin different framework revs: %s; pass --axios TAG to choose",
				name, listInputs(same))
		}
	}
	c := Choice{Source: sourceLock + best.Name()}
	if len(others) > 0 {
		c.Note = fmt.Sprintf("%s: also pinned by %s; axc follows input %s", name, listInputs(others), best.Name())
	}
	if r, ok := t.ByRev(best.Rev); ok {
		c.Release = r
		return c, nil
	}
	pinned := fmt.Sprintf("input %s pins %s at rev %s", best.Name(), best.Repo, best.Rev)
	if best.LastModified == nil {
		return Choice{}, fmt.Errorf("%s: %s, which is not a release axc knows, and has no locked.lastModified to place it among them; pass --axios TAG (one of %s)",
			name, pinned, strings.Join(t.Tags(), ", "))
	}
	when := time.Unix(*best.LastModified, 0).UTC().Format("2006-01-02 15:04:05 UTC")
	r, ok := t.AtTime(*best.LastModified)
	if !ok {
		old := t.releases[0]
		return Choice{}, fmt.Errorf("%s: %s (committed %s), older than every release axc knows (the oldest is %s of %s); update the input, or pass --axios TAG",
			name, pinned, when, old.Tag, old.Date)
	}
	c.Release = r
	c.Warning = fmt.Sprintf("%s: %s (committed %s), which is not a release axc knows; checking against %s (%s), the newest release not newer than it",
		name, pinned, when, r.Tag, r.Date)
	return c, nil
}

// maxListed is how many inputs a message lists; a lock of thousands
// (a generated one, a hostile one) gets a count of the rest.
const maxListed = 10

// listInputs lists inputs for a message: input path, repository, rev.
func listInputs(ins []input) string {
	var list []string
	for i, in := range ins {
		if i == maxListed {
			list = append(list, fmt.Sprintf("and %d more", len(ins)-maxListed))
			break
		}
		list = append(list, fmt.Sprintf("%s (%s %.7s)", in.Name(), in.Repo, in.Rev))
	}
	return strings.Join(list, ", ")
}

// FindLock returns the flake.lock of the flake that dir belongs to, or ""
// when there is none. It looks in dir and then in each parent, and stops at
// the first directory that holds a flake.lock (its path is returned), a
// flake.nix without a flake.lock (an unlocked flake: ""), or a .git entry
// (the top of a repository, as Nix stops there looking for flake.nix: ""),
// or at the filesystem root (""): reporoot's walk, with Nix's markers.
// Whatever the type of the flake.lock found, it is returned; reading it is
// Choose's business.
func FindLock(dir string) (string, error) {
	root, err := reporoot.FindWith(dir, reporoot.FlakeMarkers)
	if err != nil || root == "" {
		return "", err
	}
	lock := filepath.Join(root, "flake.lock")
	if ok, err := exists(lock); err != nil || !ok {
		return "", err
	}
	return lock, nil
}

func exists(path string) (bool, error) {
	_, err := os.Lstat(path)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	default:
		return false, err
	}
}
