package cmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/axc-dev/axc/internal/check"
	"github.com/axc-dev/axc/internal/output"
	"github.com/axc-dev/axc/internal/safeio"
	"github.com/axc-dev/axc/internal/termtext"
	"github.com/axc-dev/axc/internal/vet"
)

func newBuildCmd() *cobra.Command {
	var outDir string
	var checkOnly, force bool
	c := &cobra.Command{
		Use:   "build [PATH...] [-o DIR]",
		Short: "compile hosts to the Nix files axios.lib.mkSystem takes",
		Long: `Build vets the hosts and users (inputs as for axc vet, default the hosts
and users of the repository axc runs in) and, when no error is found, writes
in DIR, by default the top of the repository the hosts belong to (the
nearest directory at or above them holding flake.nix, flake.lock, cue.mod
or .git):

  hosts/NAME.nix   { lib, ... }: { hostConfig = { ... }; }
  users/NAME.nix   a NixOS module setting the release's user options for NAME
                   and home-manager.users.NAME
  flake.nix        nixosConfigurations.NAME = axios.lib.mkSystem … per host

hostConfig holds the host fields the author set (and hostname and hardware,
which mkSystem reads without a fallback), not the checked release's
defaults: mkSystem applies its own fallbacks, those of the commit the flake
pins (axc show and cue eval show the defaults); extraConfig holds only the
option values the author set. Relative paths in
path-typed fields become Nix path literals pointing to the same files from
DIR/hosts (DIR/users for users); {$nix: "…"} values are written as verbatim
Nix. A path the flake reads outside its repository (the git work tree
holding DIR, else DIR: all its pure evaluation reads) is a warning. How a
host reaches its users follows the release: up to v2026.01.13 (one axios
user per host) hostConfig gets userModulePath = ../users/NAME.nix instead of
users; from v2026.03.07 hostConfig keeps users and the flake passes
configDir = ./. to hosts that have users.

On any error nothing is written. The files are changed as one transaction:
either every changed file is replaced and every stale one removed, or DIR is
left as it was, byte for byte. New files are written beside their targets
first and renamed into place, the old ones kept until the build is done; a
failure midway puts the old files back. A build killed while renaming leaves
DIR/.axc-build.journal: the next axc build (or --check) of DIR first puts the
previous output back from it, and removes the temporary files of killed
builds. Unchanged files are not rewritten. One build at a time writes DIR:
another fails at once (exit 2).

What DIR holds is input, not trust (CI builds strangers' pull requests):
nothing outside DIR is ever read, written or removed. A journal naming
anything but axc build's files (flake.nix, hosts/NAME.nix, users/NAME.nix
and their temporary names), or that would remove or replace a file axc did
not generate, is refused (exit 2) and nothing is touched. DIR/hosts and
DIR/users must be real directories, not symbolic links; an existing output
file or journal that is not a regular file (a named pipe, a device, a
symbolic link) is refused before it is opened (exit 2).

A file in DIR that axc did not generate (its first line is not the header axc
writes) is never overwritten (exit 2) unless --force, and never removed;
generated files in DIR/hosts and DIR/users of hosts and users that no longer
exist are removed. --force replaces such a file (the hand-written flake.nix
and hosts/NAME.nix beside an axc import . -o .) only when nothing of it is
lost: in a git work tree, a file with changes no commit holds (modified,
staged, untracked or ignored) is refused, each named, and nothing is
written (exit 2): commit it, then build again; git diff HEAD then shows what
axc changed. Outside git no commit can keep it: --force replaces it and
says so.

With --check nothing is written: exit 0 when DIR is up to date, 1 with a
unified diff when it is not.`,
		Example: `  axc build -o .
  axc build ./hosts web-01.json -o out
  axc build --check -o .    # in CI`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if outDir == "" {
				// The top of the repository the hosts belong to: where
				// flake.nix goes, wherever in the repository axc runs.
				root := check.SplitInputs(safeio.Disk, args).Root
				if root == "" {
					return usageErrorf("build needs -o DIR: no repository (a directory holding flake.nix, flake.lock, cue.mod or .git) at or above the hosts")
				}
				outDir = displayPath(root)
			}
			return build(cmd, args, outDir, checkOnly, force)
		},
	}
	c.Flags().StringVarP(&outDir, "out", "o", "", "output directory (the flake's root; default the top of the hosts' repository)")
	c.Flags().BoolVar(&checkOnly, "check", false, "write nothing; exit 1 with a diff when DIR is not up to date")
	c.Flags().BoolVar(&force, "force", false, "overwrite files that axc did not generate (in git, only files the last commit holds)")
	c.MarkFlagDirname("out")
	return c
}

func build(cmd *cobra.Command, paths []string, outDir string, checkOnly, force bool) error {
	out, ds, err := vetAndCompile(cmd, paths, outDir, nil)
	if err != nil {
		return err
	}
	vet.Write(cmd.ErrOrStderr(), out.Schema.Name, ds, "text", colorFor(cmd, cmd.ErrOrStderr()))
	if vet.HasErrors(ds, false) {
		return errFindings
	}
	flake, err := check.Flake(out, outDir)
	if err != nil {
		return err
	}
	out.Files["flake.nix"] = flake
	if checkOnly {
		d, err := output.Check(outDir, output.Build, out.Files)
		if err != nil {
			return ioError(err)
		}
		if d != "" {
			// A diff of files on disk: their lines are escaped as records.
			termtext.WriteLines(cmd.OutOrStdout(), d)
			return exitErrorf(exitFindings, "%s is not up to date: run axc build -o %s", outDir, outDir)
		}
		summary(cmd, "%s, %s up to date", okSummary(out, ds), outDir)
		return nil
	}
	res, err := writeBuild(cmd, outDir, out.Files, force)
	if err != nil {
		return err
	}
	msg := "wrote " + count(len(res.Written), "file")
	if len(res.Written) == 0 {
		msg = "nothing to write"
	}
	if n := len(res.Unchanged); n > 0 {
		msg += fmt.Sprintf(", %s unchanged", count(n, "file"))
	}
	if n := len(res.Removed); n > 0 {
		msg += fmt.Sprintf(", removed %d", n)
	}
	summary(cmd, "%s; %s", okSummary(out, ds), msg)
	return nil
}
