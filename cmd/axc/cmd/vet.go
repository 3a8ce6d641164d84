package cmd

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/axc-dev/axc/internal/check"
	"github.com/axc-dev/axc/internal/vet"
)

func newVetCmd() *cobra.Command {
	var format string
	var strict, stagedOnly, withNix bool
	var axiosSource string
	c := &cobra.Command{
		Use:   "vet [PATH...]",
		Short: "check hosts and users against the axios schema",
		Long: `Vet checks hosts and users against the schema of every axios option and
rule and reports every problem at once, one line each, at the author's file
and line.

A PATH is a directory (a CUE package whose top-level fields are hosts), a .cue
file, or a .json/.yaml file holding one host (the mkSystem argument as plain
data; its host name is the file name). The default is the hosts directory
of the repository axc runs in, from wherever in it: the nearest directory
at or above the working directory holding flake.nix, flake.lock, cue.mod or
.git (./hosts when there is none). A directory named users, or a file in
one, holds users the same way: people and their home-manager settings
(home:), which hosts list by name (users: ["alice"]). When no users are
named, the users directory beside the hosts is read if there is one. A host
naming an unknown user is an error; a user no host names is a warning.

A .cue file is read with its package and vets the entries its change can
reach: those it declares, and those of the files that refer to what it
declares (a shared value changed reaches every host using it). A user file
also reaches the hosts that list its users. --staged (for pre-commit, which
passes only the files that still exist) adds what the commit being made
changes, as git's index holds it against HEAD: its host and user files,
and what its changed and deleted files declared in HEAD, so that deleting
or renaming a user, or a value other files use, is checked at the hosts it
breaks. With nothing of the kind staged it vets nothing (exit 0).

A flake.lock that pins a commit which is no release is checked as the release
whose mkSystem and options it has byte for byte, when axc's table of
upstream history says it has one; otherwise against a stand-in (the nearest release
it descends from, on its side of the axios/cairn rename), and that is a
warning at the pinned rev saying what differs (mkSystem, options), in every
format; with --strict it fails the run.

With --nix, Nix judges too: the source the lock pins (found in the Nix
store by its narHash, offline; --axios-source DIR names a checkout
instead) has its own lib.mkSystem evaluated by nix-instantiate on each host
axc accepts, as axc build writes it, with the lock's inputs that the store
holds (nixpkgs among them) and stubs for the others, reading only what the
flake's pure evaluation could (restricted evaluation). Its failed
assertions, options that do not exist, definitions of the wrong type and
any other evaluation error are errors ("nix:"), at the option's field when
the author wrote it, else at the host; source "nix" in --format json. This
is exact for any commit, including one newer than axc. Verdicts are cached
under the user cache directory (axc/nix), by the narHash of the source and
its inputs and the host's file: an unchanged host does not run Nix again.
Without Nix, or with the source not in the store, one warning line says so
and vet runs as without --nix.

What vet found of each host is kept under the user cache directory
(axc/vet; $AXC_CACHE_DIR instead when set, and off keeps nothing), by the
host's text, the release, the repository and this axc's executable: a later
vet evaluates again only the hosts that changed, and looks again at the
files they name. The cache never changes what vet says.

Each host and user is checked on its own, so one broken entry never hides
another's problems. Warnings (a virt, secrets or selfHosted section whose
module is off, an unused user, a path the built flake would read outside its
repository) do not fail the run unless --strict is given. The repository is
what Nix copies to the store for the flake axc build writes (vet assumes
build's default output directory, the top of the hosts' repository): the
git work tree holding it, else that directory; its pure evaluation reads
nothing else.

Exit codes: 0 clean, 1 findings, 2 usage or I/O error.`,
		Example: `  axc vet
  axc vet ./hosts web-01.json
  axc vet hosts/web.cue users/alice.cue   # the files that changed
  axc vet --staged                        # pre-commit: what the commit changes
  axc vet --format github ./hosts   # annotations in GitHub Actions
  axc vet --format json | jq .
  axc vet --nix                     # and the pinned mkSystem's own verdict`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !validFormat(format) {
				return usageErrorf("--format %q: want one of %s", format, strings.Join(vet.Formats, ", "))
			}
			rc := &check.Reach{}
			if stagedOnly {
				var err error
				if rc, err = check.StagedReach(); err != nil {
					return exitErrorf(exitUsage, "--staged: %v", err)
				}
				args = append(args, rc.Paths...)
				if len(args) == 0 && rc.Empty() {
					summary(cmd, "nothing to vet: the staged changes hold no host or user file")
					return nil
				}
			}
			// Vet compiles too, for the default output directory, so that
			// it finds whatever build would refuse.
			opts := checkOptions(cmd)
			opts.Render = withNix
			if dir := cacheDir("vet"); dir != "" && !withNix {
				// What each host was found to be, for the next vet:
				// only hosts that changed are evaluated again.
				opts.Store = check.NewMemoStore(dir, version())
			}
			out, ds, err := check.Run(opts, args, "", rc)
			if err != nil {
				return checkError(err)
			}
			var nixRun *vet.NixRun
			if withNix {
				nds, run, err := nixFindings(cmd, out, axiosSource)
				if err != nil {
					return err
				}
				nixRun = run
				ds = vet.Sorted(append(ds, nds...))
			}
			defer func() {
				if !vet.HasErrors(ds, strict) {
					summary(cmd, "%s", okSummary(out, ds))
				}
			}()
			rep := vet.Report{Release: out.Schema.Name, Approximation: out.Approx, Nix: nixRun, Diagnostics: ds}
			if err := vet.WriteReport(cmd.OutOrStdout(), rep, format, colorFor(cmd, cmd.OutOrStdout())); err != nil {
				return ioError(err)
			}
			if vet.HasErrors(ds, strict) {
				return errFindings
			}
			return nil
		},
	}
	c.Flags().StringVar(&format, "format", "text", "output format: text, json or github")
	c.Flags().BoolVar(&strict, "strict", false, "treat warnings as errors")
	c.Flags().BoolVar(&withNix, "nix", false, "also have Nix evaluate the pinned source's own mkSystem on each host axc accepts")
	c.Flags().StringVar(&axiosSource, "axios-source", "", "with --nix: evaluate the axios (or cairn) source in `DIR` (a checkout) instead of the one flake.lock pins")
	c.MarkFlagDirname("axios-source")
	c.Flags().BoolVar(&stagedOnly, "staged", false, "vet what the staged change (git's index against HEAD) reaches, beside any PATH: for pre-commit")
	c.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return vet.Formats, cobra.ShellCompDirectiveNoFileComp
	})
	return c
}

func validFormat(f string) bool {
	for _, x := range vet.Formats {
		if f == x {
			return true
		}
	}
	return false
}

// okSummary is the line vet and build print when no host has an error: how
// many hosts, against which release.
func okSummary(out *check.Compiled, ds []vet.Diagnostic) string {
	var parts []string
	if len(out.Hosts) > 0 || out.Users == 0 {
		parts = append(parts, count(len(out.Hosts), "host"))
	}
	if out.Users > 0 {
		parts = append(parts, count(out.Users, "user"))
	}
	msg := strings.Join(parts, ", ") + " ok"
	if len(ds) > 0 {
		msg += ", " + count(len(ds), "warning")
	}
	return msg + " (" + out.Schema.Name + ")"
}
