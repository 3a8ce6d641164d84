package cmd

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/axc-dev/axc/internal/check"
	"github.com/axc-dev/axc/internal/confine"
	"github.com/axc-dev/axc/internal/importer"
	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/output"
	"github.com/axc-dev/axc/internal/scaffold"
	"github.com/axc-dev/axc/internal/termtext"
	"github.com/axc-dev/axc/internal/vet"
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

and, of what axc init gives a repository, what DIR lacks: cue.mod/module.cue,
the release's schema vendored in cue.mod/pkg/axc.dev/axc/schema,
hosts/hosts.cue and users/users.cue (so that axc vet and cue eval ./hosts
work in DIR), and a flake.lock pinning the release.

An input is a flake.nix (each nixosConfigurations entry made by
axios.lib.mkSystem or cairn.lib.mkSystem: an inline set, let-bound sets
combined with //, import ./hosts/NAME.nix { … }, helper functions), a host
file ({ lib, userModulePath, ... }: { hostConfig = { … }; }, or a plain set),
a user module (setting axios.user, or axios.users.users.NAME), or a directory:
its flake.nix, else the .nix files in it and in its hosts/ and users/. The
default is the current directory.

The release imported for is the one the next axc vet in DIR checks against,
and import says which and why: the one the flake.lock of DIR's repository
pins (the lock axc vet reads for DIR/hosts; --axios must agree with it);
else --axios TAG; else the one the inputs' own flake.lock pins (found as
axc vet finds it), which is copied into DIR; else the one the flake's
framework input names by URL (github:kcalvelli/cairn a cairn release, a tag
or rev in the URL that release, plain github:kcalvelli/axios the newest
axios-named release, v2026.03.30), and with no such input the newest; DIR
then gets a minimal flake.lock pinning it, as axc init writes, which
nix flake lock completes.

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

Nothing written points outside the new repository, where the flake axc
build writes in DIR could not read it: a file a relative path names (a
hardware configuration, a disk layout, a secrets directory, a module, a file
installed) is copied to the same place below DIR, relative to the directory
imported (the flake's), and the path points at the copy; only when DIR is in
the repository holding the file (an import in place, axc import . -o ., or
into a directory of the same git work tree) is it pointed at where it is. A
path outside the directory imported (or, for files of no flake, outside the
tree import reads) is an error at the path, and so is a copy that cannot be
made: a symbolic link inside a copied directory, a file where axc writes
its own (flake.nix, flake.lock, cue.mod, hosts/NAME.nix) or where axc vet
would read it as a host or user (hosts/*.cue, .json, .yaml), more than
128 MiB or 10000 files. An absolute path stays as it is.

Users become users/NAME.cue, and each host lists its users (users: ["alice"]):
a userModulePath module (up to v2026.01.13) or users/NAME.nix (later) is read
for the user's fields and home-manager.users.NAME; whatever else it sets
moves to the extraConfig of every host importing it. configDir is left to axc
build. Imported for a release that has users + configDir instead (v2026.03.07
and later), a host's userModulePath is read the same way, its axios.user
becoming users/NAME.cue and the host listing NAME, and import says so.

Then import vets what it wrote as axc vet in DIR would (the same check,
for DIR as axc build -o DIR writes it, every host and user there) and
prints the findings on the files written: a field the release lacks
(modules.services before v2025.11.18, diskConfigPath after v2025.12.11:
written as the value it is, for vet to name once), a required option
unset (the time zone), and all else vet reports. They are to be fixed in
the CUE: the files stay written, and import exits 1 when one is an error.

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
the next axc import that writes in DIR first puts DIR back as it was, but
for the empty directories it made). A host named hosts (a user named users)
gets another file name than hosts/hosts.cue (users/users.cue), the files
axc init writes; hosts (or users) whose names differ only in case are an
error, as they would be one file where file names ignore case. With
--dry-run nothing is written: the files are printed, each after a line
"-- PATH --" (a copy and the vendored schema are named, not shown), and
nothing is vetted.

Exit codes: 0 ok, 1 Nix that cannot be imported (a syntax error, or Nix that
cannot be kept: nothing written) or findings of the vet (written), 2 usage
or I/O error (an existing file without --force).`,
		Example: `  axc import -o .                          # the flake in the current directory
  axc import flake.nix --dry-run -o .        # see what would be written
  axc import hosts/desktop.nix -o new --axios 96990f9
  axc import ~/nixos-config -o fleet && cd fleet && axc build -o .
  axc import . -o . && axc build --check -o .  # in place: see the diff`,
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
	ir, err := chooseImportRelease(cmd, inputs, outDir)
	if err != nil {
		return err
	}
	chk := ir.chk
	if dryRun {
		// Else the vet of what is written says it.
		warn(cmd, chk)
	}
	tag := ""
	if chk.Release != nil {
		tag = chk.Release.Tag
	}
	res, err := importer.Import(importer.Options{Inputs: inputs, OutDir: outDir, Schema: chk.FS, Release: tag})
	var ie *importer.Error
	var ioe *importer.IOError
	switch {
	case errors.As(err, &ie):
		if !dryRun {
			warn(cmd, chk)
		}
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
	files := map[string][]byte{}
	for _, f := range res.Files {
		files[f.Path] = f.Data
	}
	copied := map[string]string{}
	for _, c := range res.Copies {
		files[c.Path], copied[c.Path] = c.Data, load.RelPath(c.Source)
	}
	if err := addBase(files, outDir, chk, ir.lock); err != nil {
		return err
	}
	what := fmt.Sprintf("imported %s", count(len(res.Hosts), "host"))
	if len(res.Users) > 0 {
		what += ", " + count(len(res.Users), "user")
	}
	what += " (" + chk.Name + ")"
	if dryRun {
		out := cmd.OutOrStdout()
		for _, name := range slices.Sorted(maps.Keys(files)) {
			shown := filepath.ToSlash(filepath.Join(outDir, name))
			if from, ok := copied[name]; ok {
				// A copy is the author's file: named, not shown.
				termtext.Printf(out, "-- %s -- (a copy of %s)", shown, from)
				continue
			}
			if name == scaffold.LockFile && ir.lockFrom != "" {
				termtext.Printf(out, "-- %s -- (a copy of %s)", shown, ir.lockFrom)
				continue
			}
			if strings.HasPrefix(name, scaffold.SchemaDir+"/") {
				termtext.Printf(out, "-- %s -- (the schema of %s, vendored)", shown, chk.Name)
				continue
			}
			termtext.Printf(out, "-- %s --", shown)
			termtext.WriteLines(out, string(files[name]))
		}
		ir.say(cmd)
		summary(cmd, "%s; would write %s", what, count(len(files), "file"))
		return nil
	}
	if err := writeImported(outDir, files, force); err != nil {
		return err
	}
	what += "; wrote " + count(len(files), "file")
	return vetImported(cmd, ir, outDir, len(res.Hosts) > 0, what)
}

// vetImported vets the repository in outDir after an import wrote it, as
// axc vet in outDir would (the same pass, vetAndCompile, for outDir as
// axc build -o outDir writes it): its findings are import's, on the files
// written, so that what is not right (a field the release lacks, a
// required option unset) is said now, where the user fixes it in the CUE.
// Findings are not a failed import: the files stay written, and import
// exits 1 when one is an error.
func vetImported(cmd *cobra.Command, ir *importRelease, outDir string, hosts bool, what string) error {
	paths := []string{filepath.Join(outDir, output.HostsDir)}
	vetOut := outDir
	if !hosts {
		// Users alone: vet them (build, and so a vet for outDir, wants
		// hosts).
		paths, vetOut = []string{filepath.Join(outDir, output.UsersDir)}, ""
	}
	out, ds, err := vetAndCompile(cmd, paths, vetOut, nil)
	if err != nil {
		ir.say(cmd)
		summary(cmd, "%s; axc vet cannot check them:", what)
		return err
	}
	vet.Write(cmd.ErrOrStderr(), out.Schema.Name, ds, "text", colorFor(cmd, cmd.ErrOrStderr()))
	ir.say(cmd)
	errs := 0
	for _, d := range ds {
		if d.Severity == vet.Error {
			errs++
		}
	}
	switch {
	case errs > 0:
		summary(cmd, "%s; axc vet: %s (above): fix them in the CUE files", what, findingCount(errs, len(ds)-errs))
		return errFindings
	case len(ds) > 0:
		summary(cmd, "%s; axc vet: %s", what, findingCount(0, len(ds)))
	default:
		summary(cmd, "%s; axc vet: ok", what)
	}
	return nil
}

// findingCount says how many errors and warnings: "2 errors, 1 warning".
func findingCount(errs, warnings int) string {
	var parts []string
	if errs > 0 {
		parts = append(parts, count(errs, "error"))
	}
	if warnings > 0 {
		parts = append(parts, count(warnings, "warning"))
	}
	return strings.Join(parts, ", ")
}

// addBase adds to files (slash paths below outDir) what the repository in
// outDir lacks of the files axc init gives every repository
// (scaffold.Base): the CUE module, the release's schema vendored (unless
// the schema directory exists), the pattern files of hosts and users, and
// lock as its flake.lock (nil: it has one). So the output vets against
// the release it was imported for, and cue eval ./hosts works offline.
// With --schema (no release) nothing is added.
func addBase(files map[string][]byte, outDir string, chk *check.Schema, lock []byte) error {
	if chk.Release == nil {
		return nil
	}
	abs, err := filepath.Abs(outDir)
	if err != nil {
		return ioError(err)
	}
	base, err := scaffold.Base(*chk.Release, scaffold.ModulePath("", filepath.Base(abs)))
	if err != nil {
		return fmt.Errorf("internal error: %v", err) // the module path is made valid
	}
	delete(base, scaffold.LockFile)
	if lock != nil {
		base[scaffold.LockFile] = lock
	}
	root, err := confine.Open(outDir)
	if err != nil {
		// A new directory lacks everything (and one that cannot be
		// opened, writing it says why).
		maps.Copy(files, base)
		return nil
	}
	defer root.Close()
	// What cannot be looked at (a link leading out, a file where a
	// directory goes) is taken as missing: writing it says what is wrong.
	has := func(rel string) bool {
		_, err := root.Lstat(filepath.FromSlash(rel))
		return err == nil
	}
	schemaThere := has(scaffold.SchemaDir)
	for name, data := range base {
		if strings.HasPrefix(name, scaffold.SchemaDir+"/") {
			if !schemaThere {
				files[name] = data
			}
			continue
		}
		if !has(name) {
			files[name] = data
		}
	}
	return nil
}

// writeImported writes files (slash paths below outDir) as one transaction
// (see internal/output): all or none, an existing file not overwritten
// unless force. The directories the files are in are made first, below
// outDir through its os.Root (internal/confine), none through a symbolic
// link; when the transaction fails, those made are removed again.
func writeImported(outDir string, files map[string][]byte, force bool) error {
	want := map[string][]byte{}
	for name, data := range files {
		want[filepath.FromSlash(name)] = data
	}
	d, err := output.Open(outDir, importer.Layout, output.ForWrite)
	if err != nil {
		return ioError(err)
	}
	defer d.Close()
	root, err := confine.Open(outDir)
	if err != nil {
		return ioErrorf("%s: %s", outDir, confine.Reason(err))
	}
	defer root.Close()
	p, err := d.Plan(want)
	if err != nil {
		return ioError(err)
	}
	made, err := makeDirs(root, want)
	if err == nil {
		_, err = p.Commit(force)
	}
	if err != nil {
		for _, dir := range slices.Backward(made) {
			root.Remove(dir) // only if still empty
		}
		return ioError(err)
	}
	return nil
}

// makeDirs makes the missing directories the files of want are in, below
// root, parents first, and returns those it made. Each directory on the
// way must be a real directory, not a symbolic link (confine.CheckDir).
func makeDirs(root *confine.Root, want map[string][]byte) ([]string, error) {
	dirs := map[string]bool{}
	for name := range want {
		for dir := filepath.Dir(name); dir != "."; dir = filepath.Dir(dir) {
			dirs[dir] = true
		}
	}
	var made []string
	for _, dir := range slices.Sorted(maps.Keys(dirs)) { // parents sort first
		if err := root.CheckDir(dir, true); err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) && errors.Is(pe.Err, syscall.ENOTDIR) {
				err = &output.Error{Path: pe.Path, Err: syscall.ENOTDIR}
			}
			return made, err
		}
		err := root.Mkdir(dir, 0o755)
		switch {
		case err == nil:
			made = append(made, dir)
		case !errors.Is(err, fs.ErrExist):
			return made, &output.Error{Path: root.Join(dir), Op: "cannot create directory", Err: err}
		}
	}
	return made, nil
}
