package cmd

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/axc-dev/axc/internal/release"
	"github.com/axc-dev/axc/internal/scaffold"
	"github.com/axc-dev/axc/internal/termtext"
)

func newInitCmd() *cobra.Command {
	var host scaffold.Host
	var userName, fullName, modulePath string
	var upgrade bool
	c := &cobra.Command{
		Use:   "init [DIR]",
		Short: "start a configuration repository: a host, a user, the vendored schema, pre-commit and CI",
		Long: `Init writes a new configuration repository into DIR (default the current
directory), which must not exist or be empty but for a .git, .hg, .jj or
.svn directory:

  cue.mod/module.cue            the CUE module (--module, default
                                example.com/DIRNAME@v0)
  cue.mod/pkg/axc.dev/axc/schema/*.cue
                                the release's schema, vendored, so that the
                                cue command works offline: cue eval ./hosts
  flake.lock                    pins the release (below)
  hosts/hosts.cue               makes every field of package hosts a host
  hosts/NAME.cue                the host (--hostname NAME)
  users/users.cue               makes every field of package users a user
  users/USER.cue                the user, with --user USER
  .pre-commit-config.yaml       the axc-vet hook of github.com/axc-dev/axc
  .github/workflows/axc.yml     CI: axc vet, and axc build --check -o .

The release is --axios TAG, else the newest axc knows. axc vet and build
take the release the flake.lock beside the hosts pins, and refuse a vendored
schema of another: so init writes a minimal flake.lock pinning the release
(its input, named as the flake.nix of axc build names it, locked at the
release's rev). Once axc build -o . has written flake.nix, nix flake lock
completes the lock (narHash, the framework's own inputs) at that rev.

The host is a --form-factor machine with a --cpu and a --gpu (none: no GPU
and no graphics module), the desktop and development modules, an SSD unless
--ssd=false, and the time zone --timezone (an IANA name) set in the
release's namespace (axios.system.timeZone; cairn.system.timeZone from
v2026.05.01). With --user it carries that user (fullName --full-name,
default the user name).

The pre-commit hook and CI run the axc that writes them: pre-commit's rev
and go install's version are this axc's release (vX.Y.Z), or for a
development build the commit it was built from. An axc built without
version control information knows neither: the files then follow the
newest axc (rev HEAD, @latest), and init warns.

Nothing is ever overwritten: when DIR holds anything else, or a file init
would write exists, init names them and writes nothing (exit 2). The files
are written into a hidden directory first (beside a DIR that does not exist,
else inside it) and moved into place, so that an error leaves DIR as it was.

--upgrade refreshes only the schema vendored in the repository in DIR, to
--axios TAG, else the release its flake.lock pins, else the newest. The
schema directory is replaced whole. When the flake.lock is the minimal one
init wrote, it is rewritten for the new release, so that axc vet agrees; a
lock Nix has completed is left alone, and init warns when it pins another
release (run axc build --axios TAG -o . and nix flake update, so that it
pins TAG). What changed is reported on stderr. Nothing outside DIR is
written or removed: a symbolic link on the way to the schema directory
(cue.mod, cue.mod/pkg, …) that leads out of DIR is refused (exit 2).

Exit codes: 0 done, 2 usage or I/O error (nothing written).`,
		Example: `  axc init fleet --hostname web --user alice --full-name "Alice Liddell"
  cd fleet && axc vet && axc build -o .
  axc init --axios v2026.01.13 --form-factor laptop --cpu intel --gpu intel --timezone Europe/Berlin
  axc init --upgrade --axios v2026.05.01 fleet`,
		Args: cobra.MaximumNArgs(1),
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return nil, cobra.ShellCompDirectiveFilterDirs
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			if s, _ := cmd.Flags().GetString("schema"); s != "" {
				return usageErrorf("init vendors the schema of a release axc knows: --schema is for vet and build")
			}
			table, err := release.Builtin()
			if err != nil {
				return err
			}
			axios, _ := cmd.Flags().GetString("axios")
			if upgrade {
				var given []string
				for _, name := range []string{"hostname", "form-factor", "cpu", "gpu", "ssd", "timezone", "user", "full-name", "module"} {
					if cmd.Flags().Changed(name) {
						given = append(given, "--"+name)
					}
				}
				if len(given) > 0 {
					return usageErrorf("%s: only for a new repository; --upgrade changes nothing but the vendored schema", strings.Join(given, ", "))
				}
				return initUpgrade(cmd, table, axios, dir)
			}
			rev, dirty := revision()
			repo := scaffold.Repo{Host: host, Pin: scaffold.PinFor(version(), rev, dirty)}
			if userName != "" {
				repo.User = &scaffold.User{Name: userName, FullName: fullName}
				if fullName == "" {
					repo.User.FullName = userName
				}
			}
			abs, err := filepath.Abs(dir)
			if err != nil {
				return ioError(err)
			}
			repo.Module = scaffold.ModulePath(modulePath, filepath.Base(abs))
			if err := checkInitFlags(cmd, repo); err != nil {
				return err
			}
			choice, err := scaffold.Choose(table, axios, "") // a new repository has no lock
			if err != nil {
				return usageErrorf("%v", err)
			}
			repo.Release = choice.Release
			files, err := scaffold.Files(repo)
			if err != nil {
				return usageErrorf("%v", err) // checked above
			}
			if err := scaffold.Create(dir, files); err != nil {
				return ioError(err)
			}
			if repo.Pin.Rev == "" {
				termtext.Printf(cmd.ErrOrStderr(), "axc: warning: this axc knows neither its release nor its commit (built without version control information): %s and %s follow the newest axc (rev HEAD, go install …@latest); pin them", scaffold.PreCommit, scaffold.Workflow)
			}
			what := "host " + host.Name
			if repo.User != nil {
				what += ", user " + repo.User.Name
			}
			summary(cmd, "wrote %s to %s (%s %s: %s)", count(len(files), "file"), dir, repo.Release.Namespace, repo.Release.Tag, what)
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&host.Name, "hostname", "nixos", "the host's `NAME` (its key in hosts/, and networking.hostName)")
	f.StringVar(&host.FormFactor, "form-factor", "desktop", "the host's form factor: "+strings.Join(scaffold.FormFactors, " or "))
	f.StringVar(&host.CPU, "cpu", "amd", "the host's CPU vendor: "+strings.Join(scaffold.CPUs, " or "))
	f.StringVar(&host.GPU, "gpu", "amd", "the host's GPU vendor: "+strings.Join(scaffold.GPUs, ", "))
	f.BoolVar(&host.SSD, "ssd", true, "the host has an SSD (hardware.hasSSD)")
	f.StringVar(&host.TimeZone, "timezone", "UTC", "the host's time zone, an IANA `NAME` such as Europe/Berlin")
	f.StringVar(&userName, "user", "", "add the user `NAME` (a NixOS user name) and put them on the host")
	f.StringVar(&fullName, "full-name", "", "the user's full `NAME` (default the user name)")
	f.StringVar(&modulePath, "module", "", "the CUE module `PATH` (default example.com/DIRNAME@v0)")
	f.BoolVar(&upgrade, "upgrade", false, "refresh only the vendored schema of the repository in DIR")
	for name, choices := range map[string][]string{"form-factor": scaffold.FormFactors, "cpu": scaffold.CPUs, "gpu": scaffold.GPUs} {
		c.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(choices, cobra.ShellCompDirectiveNoFileComp))
	}
	return c
}

// checkInitFlags says, one line a flag, what is wrong with the flags that
// make repo.
func checkInitFlags(cmd *cobra.Command, repo scaffold.Repo) error {
	var errs []string
	for _, p := range repo.Problems() {
		errs = append(errs, "--"+p.Field+": "+p.Err.Error())
	}
	if repo.User == nil && cmd.Flags().Changed("full-name") {
		errs = append(errs, "--full-name: only with --user")
	}
	if len(errs) > 0 {
		return &exitError{code: exitUsage, records: errs}
	}
	return nil
}

// initUpgrade is axc init --upgrade: the vendored schema of the repository
// in dir becomes the chosen release's.
func initUpgrade(cmd *cobra.Command, table *release.Table, axios, dir string) error {
	choice, err := scaffold.Choose(table, axios, dir)
	if err != nil {
		return usageErrorf("%v", err)
	}
	warn := func(format string, args ...any) {
		termtext.Printf(cmd.ErrOrStderr(), "axc: warning: "+format, args...)
	}
	if choice.Warning != "" {
		warn("%s", choice.Warning)
	}
	r := choice.Release
	u, err := scaffold.Upgrade(dir, table, r)
	if err != nil {
		return ioError(err)
	}
	// What axc vet will check against now: a lock init did not write may
	// pin another release than the schema's.
	if vetChoice, err := scaffold.Choose(table, "", dir); err == nil && vetChoice.Release.Rev != r.Rev {
		where := "no flake.lock pins it, so axc vet checks against the newest, " + vetChoice.Release.Tag
		if vetChoice.Source != release.SourceDefault {
			where = "the flake.lock pins " + vetChoice.Release.Tag
		}
		warn("the vendored schema is %s's, but %s: axc vet refuses the pair until the lock pins %s (axc build --axios %s -o ., then nix flake update %s), or with --axios %s",
			r.Tag, where, r.Tag, r.Tag, r.Namespace, r.Tag)
	}
	schemaDir := filepath.Join(dir, filepath.FromSlash(scaffold.SchemaDir))
	if !u.Any() {
		summary(cmd, "%s: already %s %s; nothing changed", schemaDir, r.Namespace, r.Tag)
		return nil
	}
	var parts []string
	for _, p := range []struct {
		files []string
		verb  string
	}{{u.Changed, "changed"}, {u.Added, "added"}, {u.Removed, "removed"}} {
		if len(p.files) > 0 {
			parts = append(parts, fmt.Sprintf("%s %s", p.verb, strings.Join(p.files, ", ")))
		}
	}
	from := "none"
	if old, err := table.Lookup(u.From); err == nil {
		from = old.Namespace + " " + old.Tag
	} else if u.From != "" {
		from = u.From
	}
	msg := fmt.Sprintf("%s: %s -> %s %s", schemaDir, from, r.Namespace, r.Tag)
	if len(parts) > 0 {
		msg += " (" + strings.Join(parts, "; ") + ")"
	}
	if u.Lock != nil {
		msg += fmt.Sprintf("; %s now pins %s %s", filepath.Join(dir, scaffold.LockFile), u.Lock.Namespace, u.Lock.Tag)
	}
	summary(cmd, "%s", msg)
	return nil
}
