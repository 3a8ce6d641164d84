// Package cmd implements the axc command line: one file per subcommand, each
// built by a newXCmd constructor.
package cmd

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/axc-dev/axc/internal/termtext"
)

// Exit codes.
const (
	exitOK       = 0
	exitFindings = 1
	exitUsage    = 2
)

// exitError carries an exit code up to Main, and the records to print
// there, each once.
type exitError struct {
	code int
	// records are printed one a line, "axc: " before each, escaped
	// (termtext): a name from input inside one cannot break it into lines
	// or act on the terminal.
	records []string
}

func (e *exitError) Error() string { return strings.Join(e.records, "\n") }

// findings is returned when a command printed findings and must exit 1.
var errFindings = &exitError{code: exitFindings}

// exitErrorf is an exit with code and one record.
func exitErrorf(code int, format string, args ...any) error {
	return &exitError{code: code, records: []string{fmt.Sprintf(format, args...)}}
}

// exitErr is an exit with code and the records of err.
func exitErr(code int, err error) error { return &exitError{code: code, records: records(err)} }

// usageErrorf is a mistake in how axc was called: exit 2.
func usageErrorf(format string, args ...any) error {
	return exitErrorf(exitUsage, format, args...)
}

// ioError is a file that cannot be read or written, a lock held by another
// build, or a file axc will not overwrite: exit 2, like a usage error.
func ioError(err error) error { return exitErr(exitUsage, err) }

// ioErrorf is ioError with a message of its own.
func ioErrorf(format string, args ...any) error { return ioError(fmt.Errorf(format, args...)) }

// records are the records of err: one for each error it joins
// (errors.Join, or an Unwrap() []error of its own, as load.InputErrors),
// else err's message, whole. A message is never split at its newlines: a
// newline in it is a name's, escaped when printed.
func records(err error) []string {
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		var out []string
		for _, e := range joined.Unwrap() {
			out = append(out, records(e)...)
		}
		return out
	}
	return []string{err.Error()}
}

// prefixed is the records of err, each after prefix ("schema: ").
func prefixed(prefix string, err error) []string {
	out := records(err)
	for i, r := range out {
		out[i] = prefix + r
	}
	return out
}

// Main runs axc with os.Args and returns the exit code.
func Main() int {
	return Run(os.Args[1:], os.Stdout, os.Stderr)
}

// Run runs axc with args and returns the exit code.
func Run(args []string, stdout, stderr io.Writer) (code int) {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	defer func() {
		// A panic is a bug in axc: say so first, then give the stack for
		// the bug report.
		if r := recover(); r != nil {
			termtext.Printf(stderr, "axc: internal error: %v (please report it, with what follows)", r)
			stderr.Write(debug.Stack())
			code = exitUsage
		}
	}()
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		for _, r := range ee.records {
			termtext.Println(stderr, "axc: "+r)
		}
		return ee.code
	}
	// cobra's own errors: unknown command or flag, wrong number of args.
	// One record, as the others: its suggestions (axc's command names)
	// join the line.
	msg, suggested, ok := strings.Cut(err.Error(), "\n\nDid you mean this?\n")
	if ok {
		msg += " (did you mean " + strings.Join(strings.Fields(suggested), " or ") + "?)"
	}
	termtext.Println(stderr, "axc: "+msg)
	fmt.Fprintln(stderr, "Run 'axc help' for usage.")
	return exitUsage
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "axc",
		Short: "axc checks axiOS hosts written in CUE and compiles them to Nix",
		Long: `axc checks axiOS hosts written in CUE and compiles them to Nix.

Hosts are described in CUE (or JSON/YAML), checked against a schema of every
axios option and rule, and compiled to the hosts/NAME.nix and flake.nix files
that axios.lib.mkSystem takes.

Exit codes: 0 ok, 1 findings, 2 usage or I/O error.`,
		Example: `  axc vet                  # check ./hosts
  axc vet hosts/ web-01.json
  axc build -o .           # write hosts/*.nix and flake.nix
  axc build --check -o .   # in CI: fail when the Nix files are stale`,
		Version:       version(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetVersionTemplate("axc version {{.Version}}\n")
	root.PersistentFlags().BoolP("quiet", "q", false, "print nothing when all is well (no summary line)")
	// For schema development and tests: check against the .cue files in
	// DIR instead of the schema built into axc.
	root.PersistentFlags().String("schema", "", "use the schema in `DIR` instead of the built-in one")
	root.PersistentFlags().MarkHidden("schema")
	addColorFlag(root)
	root.PersistentFlags().String("axios", "", "check against axios release `TAG` (or a commit REV) instead of the one flake.lock pins")
	root.AddCommand(newVetCmd(), newBuildCmd(), newInitCmd(), newImportCmd(), newSchemaCmd(), newVersionCmd(), newShowCmd(), newOptionsCmd(), newLspCmd())
	registerReleaseCompletion(root)
	return root
}

// Version, when set at link time (-ldflags "-X github.com/axc-dev/axc/cmd/axc/cmd.Version=v1.2.3"),
// is the version axc reports.
var Version string

// Revision, when set at link time (-X github.com/axc-dev/axc/cmd/axc/cmd.Revision=COMMIT),
// is the VCS revision axc was built from, for a build that does not record
// it (go build -buildvcs=false, a Nix build with no .git).
var Revision string

// version is the version axc reports (axc --version, axc version, the pin
// of what axc init writes); see versionOf.
func version() string {
	bi, _ := debug.ReadBuildInfo()
	return versionOf(Version, Revision, bi)
}

// versionOf is the version of a build: the version stamped at link time
// (ldVersion, -X …Version: the flake build, CI), else the module version
// Go recorded (the tag of go install …@vX.Y.Z, or the pseudo-version Go
// derives from the commit of a checkout), else "devel-" and the first 12
// digits of the VCS revision (ldRevision, else the one Go recorded; -dirty
// when the work tree had changes), else "devel": bare only when the build
// knows none of them. A version stamped on purpose is preferred to one Go
// derived: go build -ldflags -X…Version=v1.2.3 in a checkout records a
// pseudo-version too. bi may be nil (no build information).
func versionOf(ldVersion, ldRevision string, bi *debug.BuildInfo) string {
	if ldVersion != "" {
		return ldVersion
	}
	if bi != nil {
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			return v
		}
	}
	rev, dirty := revisionOf(ldRevision, bi)
	if rev == "" {
		return "devel"
	}
	v := "devel-" + rev[:min(12, len(rev))]
	if dirty {
		v += "-dirty"
	}
	return v
}

// revision is the whole VCS revision axc was built from ("" when not
// known), and whether the work tree had changes.
func revision() (rev string, dirty bool) {
	bi, _ := debug.ReadBuildInfo()
	return revisionOf(Revision, bi)
}

// revisionOf is the revision stamped at link time, else the one Go
// recorded, and whether the work tree had changes.
func revisionOf(ldRevision string, bi *debug.BuildInfo) (rev string, dirty bool) {
	if ldRevision != "" {
		return ldRevision, false
	}
	if bi == nil {
		return "", false
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	return rev, dirty
}

// summary prints a command's one-line report of success on stderr, unless
// -q.
func summary(cmd *cobra.Command, format string, args ...any) {
	if quiet, _ := cmd.Flags().GetBool("quiet"); !quiet {
		termtext.Printf(cmd.ErrOrStderr(), format, args...)
	}
}

// count writes n and a noun, plural unless n is 1.
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
