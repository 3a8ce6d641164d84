package cmd

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/axc-dev/axc/internal/check"
	"github.com/axc-dev/axc/internal/importer"
	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/release"
	"github.com/axc-dev/axc/internal/safeio"
	"github.com/axc-dev/axc/internal/scaffold"
)

// importRelease is the release an import writes for, and how the output
// keeps it: the next axc vet in DIR checks against the same release.
type importRelease struct {
	chk *check.Schema
	// lock is the flake.lock to write in DIR: nil when DIR's repository
	// has one (or with --schema).
	lock []byte
	// lockFrom is the lock file lock is a copy of, as messages show it;
	// "" when it is a new one.
	lockFrom string
	// why says, in one line, which release and why.
	why string
}

// chooseImportRelease picks the release for importing inputs into
// outDir, in this order:
//
//   - --schema DIR: that schema, and no lock;
//   - the lock of the repository the output goes to, the one axc vet reads
//     for DIR/hosts (scaffold.Choose): the hosts are for that repository
//     (--axios must agree with it);
//   - --axios TAG: a lock pinning it is written;
//   - the lock of the inputs (as axc vet finds it beside them): the user's
//     real lock, copied into DIR;
//   - the framework input's URL in the flake (release.FromURL), else the
//     newest release: a minimal lock pinning it is written (scaffold.Lock).
func chooseImportRelease(cmd *cobra.Command, inputs []string, outDir string) (*importRelease, error) {
	if dir, _ := cmd.Flags().GetString("schema"); dir != "" {
		chk, err := chooseSchema(cmd, inputs)
		if err != nil {
			return nil, err
		}
		return &importRelease{chk: chk}, nil
	}
	table, err := release.Builtin()
	if err != nil {
		return nil, err
	}
	flag, _ := cmd.Flags().GetString("axios")
	dest, err := scaffold.Choose(table, "", outDir)
	if err != nil {
		return nil, usageErrorf("%v", err)
	}
	out := load.RelPath(filepath.Join(outDir, scaffold.LockFile))
	newLock := "; new " + out + " pins it"
	src, err := inputsLock(table, inputs)
	if err != nil && dest.Lock == "" && flag == "" {
		return nil, usageErrorf("%v", err)
	}
	ir := &importRelease{}
	var choice release.Choice
	switch {
	case flag != "":
		choice, err = table.Choose(release.Options{Flag: flag})
		if err != nil {
			return nil, usageErrorf("%v", err)
		}
		r := choice.Release
		switch {
		case dest.Lock != "" && dest.Release.Rev != r.Rev:
			return nil, usageErrorf("--axios %s: %s, the lock of the repository %s, pins %s, which axc vet checks its hosts against: import for it (leave out --axios), or change the lock first",
				flag, load.RelPath(dest.Lock), outDir, dest.Release.Tag)
		case dest.Lock != "":
			ir.why = fmt.Sprintf("--axios, as %s pins it", load.RelPath(dest.Lock))
		case src.Lock != "" && src.Release.Rev == r.Rev:
			if ir.lock, err = safeio.ReadFile(src.Lock, release.MaxLockSize); err != nil {
				return nil, ioErrorf("%s: %s", load.RelPath(src.Lock), safeio.Reason(err))
			}
			ir.lockFrom = load.RelPath(src.Lock)
			ir.why = fmt.Sprintf("--axios, as %s pins it; copied to %s", ir.lockFrom, out)
		default:
			ir.lock = scaffold.Lock(r)
			ir.why = "--axios" + newLock
		}
	case dest.Lock != "":
		choice = dest
		ir.why = load.RelPath(dest.Lock) + " pins it"
		if dest.Source == release.SourceDefault {
			ir.why = dest.Note // a lock without the framework: vet takes the newest
		}
		if src.Lock != "" && src.Lock != dest.Lock && src.Release.Rev != dest.Release.Rev {
			ir.why += fmt.Sprintf(" (%s pins %s: the hosts are imported for the repository they go to)", load.RelPath(src.Lock), src.Release.Tag)
		}
	case src.Lock != "":
		choice = src
		if ir.lock, err = safeio.ReadFile(src.Lock, release.MaxLockSize); err != nil {
			return nil, ioErrorf("%s: %s", load.RelPath(src.Lock), safeio.Reason(err))
		}
		ir.lockFrom = load.RelPath(src.Lock)
		ir.why = fmt.Sprintf("%s pins it; copied to %s", ir.lockFrom, out)
		if src.Source == release.SourceDefault {
			ir.why = src.Note + "; copied to " + out
		}
	default:
		if choice, err = fromFlakeURLs(table, inputs); err != nil {
			return nil, err
		}
		ir.lock = scaffold.Lock(choice.Release)
		ir.why = fmt.Sprintf("no flake.lock for %s or in %s; %s%s", strings.Join(inputs, ", "), outDir, choice.Note, newLock)
	}
	if ir.chk, err = check.SchemaOf(table, choice); err != nil {
		return nil, err
	}
	ir.why = fmt.Sprintf("release %s: %s", ir.chk.Name, ir.why)
	return ir, nil
}

// inputsLock is the release the flake.lock of the inputs pins, as axc vet
// finds it (beside or above the first input); Lock "" when there is none.
func inputsLock(table *release.Table, inputs []string) (release.Choice, error) {
	dir := inputs[0]
	if info, err := os.Stat(dir); err == nil && !info.IsDir() {
		dir = filepath.Dir(dir)
	}
	// An input that cannot be read has no lock to find: importing it
	// says what is wrong with it.
	lock, _ := release.FindLock(dir)
	if lock == "" {
		return release.Choice{}, nil
	}
	c, err := table.Choose(release.Options{LockFile: load.RelPath(lock)})
	if err != nil {
		return release.Choice{}, err
	}
	return c, nil
}

// fromFlakeURLs is the release the framework inputs of the flakes among
// inputs name by URL (release.FromURL), or the newest release when none
// does. Inputs naming different releases are an error.
func fromFlakeURLs(table *release.Table, inputs []string) (release.Choice, error) {
	flakeInputs, err := importer.FlakeInputs(inputs)
	if err != nil {
		return release.Choice{}, ioError(err)
	}
	var found []release.Choice
	var where []string
	for _, in := range flakeInputs {
		c, ok, err := table.FromURL(in.Name, in.URL)
		if !ok {
			continue
		}
		if err != nil {
			return release.Choice{}, usageErrorf("%s: %v", in.At, err)
		}
		c.Note = in.At + ": " + c.Note
		found = append(found, c)
		where = append(where, fmt.Sprintf("%s (%s, %s)", in.At, in.URL, c.Release.Tag))
	}
	for _, c := range found[min(1, len(found)):] {
		if c.Release.Rev != found[0].Release.Rev {
			return release.Choice{}, usageErrorf("the flake inputs name different releases: %s; pass --axios TAG to choose", strings.Join(where, ", "))
		}
	}
	if len(found) > 0 {
		return found[0], nil
	}
	n := table.Newest()
	return release.Choice{
		Release: n,
		Source:  release.SourceDefault,
		Note: fmt.Sprintf("no flake input names %s: the newest release axc knows",
			strings.Join(table.Repos(), " or ")),
	}, nil
}

// say prints which release and why, as a summary line (not with -q).
func (ir *importRelease) say(cmd *cobra.Command) {
	if ir.why != "" {
		summary(cmd, "%s", ir.why)
	}
}
