package cmd

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"axc.dev/axc/internal/importer"
	"axc.dev/axc/internal/output"
	"axc.dev/axc/internal/termtext"
)

func newImportCmd() *cobra.Command {
	var outDir string
	var dryRun, force bool
	c := &cobra.Command{
		Use:   "import [FILE.nix|DIR]... -o DIR",
		Short: "turn an existing axiOS configuration in Nix into CUE hosts and users",
		Long: `Import reads an axiOS configuration written in Nix and writes the CUE files
axc reads, in DIR:

  hosts/NAME.cue   package hosts, one host a file (NAME: { … })
  users/NAME.cue   package users, one user a file (NAME: { fullName: …, home: { … } })
  hosts/shared.cue hidden values several hosts embed (a base they update;
                   users/shared.cue likewise for users)

An input is a flake.nix (each nixosConfigurations entry made by
axios.lib.mkSystem or cairn.lib.mkSystem: an inline set, let-bound sets
combined with //, import ./hosts/NAME.nix { … }, helper functions), a host
file ({ lib, userModulePath, ... }: { hostConfig = { … }; }, or a plain set),
a user module (setting axios.user, or axios.users.users.NAME), or a directory:
its flake.nix, else the .nix files in it and in its hosts/ and users/. The
default is the current directory. The release is the one the flake.lock
beside the inputs pins (as for vet), or --axios TAG.

The Nix is evaluated statically: sets (rec, dotted keys, inherit), lists,
strings and their ${…} of known strings, paths, numbers, booleans, null,
let … in, //, functions and import of files in the same tree. Comments stay
next to the values they annotate. Paths stay paths: in path fields they are
written relative to the new file (axc build makes them path literals again);
elsewhere they stay Nix. A path means what it means to Nix: relative to the
file Nix read (a host file reached through a symbolic link resolves its paths
against where the link leads), an absolute path stays absolute, and in a
flake a path outside the flake's source tree (its directory, or the git work
tree holding it), which pure evaluation cannot read (climbing above it, an
absolute path, a symbolic link leading out), is an error at the path. Files
outside the tree are never read. A base several hosts share (base // { … })
stays one hidden value they embed; the fields some host replaces are written
in each host that keeps them.

Users become users/NAME.cue, and each host lists its users (users: ["alice"]):
a userModulePath module (up to v2026.01.13) or users/NAME.nix (later) is read
for the user's fields and home-manager.users.NAME; whatever else it sets
moves to the extraConfig of every host importing it. configDir is left to axc
build.

Anything else (lib.mkForce x, with pkgs; […], if, arithmetic) is kept as
Nix, {$nix: "…"}, with the variables it uses from around it bound in a let,
and listed on stderr: "file:line:col: kept as Nix: …". An extraConfig (or
home) written as a module function ({ pkgs, ... }: { … }) keeps as data the
bindings that do not use its arguments, and the others in a function of the
same arguments in its imports: the same definitions to NixOS. Nix that a
built host file could not mean the same way (it uses pkgs or a flake input,
which host files do not receive) is an error at its place, and nothing is
written.

An existing file is never overwritten unless --force; the files are written
as one transaction, as axc build writes its own: all of them or, on any
failure, none (an import killed midway leaves DIR/.axc-import.journal, and
the next axc import that writes in DIR first puts DIR back as it was). A
host named hosts (a user named users) gets another file name than
hosts/hosts.cue (users/users.cue), the files axc init writes; hosts (or
users) whose names differ only in case are an error, as they would be one
file where file names ignore case. With --dry-run nothing is written: the
files are printed, each after a line "-- PATH --".

Exit codes: 0 ok, 1 Nix that cannot be imported (a syntax error, or Nix that
cannot be kept), 2 usage or I/O error (an existing file without --force).`,
		Example: `  axc import -o .                          # the flake in the current directory
  axc import flake.nix --dry-run -o .        # see what would be written
  axc import hosts/desktop.nix -o new --axios 96990f9
  axc import ~/nixos-config -o . && axc vet && axc build -o .`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if outDir == "" {
				return usageErrorf("import needs -o DIR")
			}
			if len(args) == 0 {
				args = []string{"."}
			}
			return runImport(cmd, args, outDir, dryRun, force)
		},
	}
	c.Flags().StringVarP(&outDir, "out", "o", "", "output directory (hosts/ and users/ are written below it)")
	c.Flags().BoolVar(&dryRun, "dry-run", false, "write nothing; print the files that would be written")
	c.Flags().BoolVar(&force, "force", false, "overwrite existing files")
	c.MarkFlagDirname("out")
	return c
}

func runImport(cmd *cobra.Command, inputs []string, outDir string, dryRun, force bool) error {
	chk, err := chooseSchema(cmd, inputs)
	if err != nil {
		return err
	}
	warn(cmd, chk)
	res, err := importer.Import(importer.Options{Inputs: inputs, OutDir: outDir, Schema: chk.FS})
	var ie *importer.Error
	var ioe *importer.IOError
	switch {
	case errors.As(err, &ie):
		for _, p := range ie.Problems {
			termtext.Println(cmd.ErrOrStderr(), p.String())
		}
		return errFindings
	case errors.As(err, &ioe):
		return ioError(ioe)
	case err != nil:
		return fmt.Errorf("internal error: %v", err)
	}
	for _, n := range res.Notes {
		termtext.Println(cmd.ErrOrStderr(), n.String())
	}
	what := fmt.Sprintf("imported %s", count(len(res.Hosts), "host"))
	if len(res.Users) > 0 {
		what += ", " + count(len(res.Users), "user")
	}
	what += " (" + chk.Name + ")"
	if dryRun {
		out := cmd.OutOrStdout()
		for _, f := range res.Files {
			termtext.Printf(out, "-- %s --", filepath.ToSlash(filepath.Join(outDir, f.Path)))
			termtext.WriteLines(out, string(f.Data))
		}
		summary(cmd, "%s; would write %s", what, count(len(res.Files), "file"))
		return nil
	}
	if err := writeImported(outDir, res.Files, force); err != nil {
		return err
	}
	summary(cmd, "%s; wrote %s", what, count(len(res.Files), "file"))
	return nil
}

// writeImported writes files below outDir as one transaction (see
// internal/output): all or none, an existing file not overwritten unless
// force.
func writeImported(outDir string, files []importer.File, force bool) error {
	want := map[string][]byte{}
	for _, f := range files {
		want[filepath.FromSlash(f.Path)] = f.Data
	}
	if _, err := output.Write(outDir, importer.Layout, want, force); err != nil {
		return ioError(err)
	}
	return nil
}
