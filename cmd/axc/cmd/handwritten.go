package cmd

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/axc-dev/axc/internal/output"
	"github.com/axc-dev/axc/internal/termtext"
	"github.com/axc-dev/axc/internal/vcs"
)

// writeBuild writes the files of a build to outDir as one transaction
// (output.Write), and with force replaces the files axc did not write
// (hand-written flake.nix and hosts/NAME.nix, after axc import . -o .)
// only when nothing of them would be lost: in a git work tree, a file with
// changes no commit holds (modified, staged, untracked, ignored) is
// refused, all of them named, and nothing is written (exit 2); outside
// git, no commit can hold them, which is said, and --force is the user's
// word that they may go.
func writeBuild(cmd *cobra.Command, outDir string, files map[string][]byte, force bool) (output.Result, error) {
	d, err := output.Open(outDir, output.Build, output.ForWrite)
	if err != nil {
		return output.Result{}, ioError(err)
	}
	defer d.Close()
	p, err := d.Plan(files)
	if err != nil {
		return output.Result{}, ioError(err)
	}
	committed := false
	if force && len(p.Foreign) > 0 {
		if committed, err = mayReplace(cmd, outDir, p.Foreign); err != nil {
			return output.Result{}, err
		}
	}
	res, err := p.Commit(force)
	if err != nil {
		return output.Result{}, ioError(err)
	}
	if committed {
		summary(cmd, "replaced %s, which axc did not write; the last commit holds what %s held (git diff HEAD shows the change)", strings.Join(p.Foreign, ", "), they(len(p.Foreign)))
	}
	return res, nil
}

// mayReplace says whether --force may replace the files axc did not write,
// foreign (as output.Plan names them: outDir joined with their paths):
// an error when it may not; committed when the last commit holds them.
func mayReplace(cmd *cobra.Command, outDir string, foreign []string) (committed bool, err error) {
	rel := make([]string, len(foreign))
	for i, f := range foreign {
		r, err := filepath.Rel(outDir, f)
		if err != nil {
			return false, ioError(err)
		}
		rel[i] = r
	}
	list := strings.Join(foreign, ", ")
	if !vcs.InGit(outDir) {
		termtext.Printf(cmd.ErrOrStderr(), "axc: warning: --force replaces %s, which axc did not write, and no git repository holds %s: no commit keeps what %s held", list, them(len(foreign)), they(len(foreign)))
		return false, nil
	}
	changes, err := vcs.Uncommitted(outDir, rel)
	if err != nil {
		return false, exitErrorf(exitUsage, "%s: axc did not write %s, and cannot tell whether a commit holds %s (%v): --force replaces only files the last commit holds; nothing written",
			list, them(len(foreign)), them(len(foreign)), err)
	}
	if len(changes) > 0 {
		var records []string
		for _, c := range changes {
			records = append(records, fmt.Sprintf("%s: not written by axc, and %s: --force replaces it only when a commit holds it; commit it (or move it away), then build again; nothing written",
				filepath.Join(outDir, c.File), c.Why()))
		}
		return false, &exitError{code: exitUsage, records: records}
	}
	return true, nil
}

// they is "it" or "they".
func they(n int) string {
	if n == 1 {
		return "it"
	}
	return "they"
}

// them is "it" or "them".
func them(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}
