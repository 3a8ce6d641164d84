package cmd

import (
	"errors"
	"io/fs"

	"github.com/spf13/cobra"

	"github.com/axc-dev/axc/internal/compile"
	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/pipeline"
	"github.com/axc-dev/axc/internal/release"
	"github.com/axc-dev/axc/internal/safeio"
	"github.com/axc-dev/axc/internal/termtext"
	"github.com/axc-dev/axc/internal/vet"
)

// loadEntries reads the hosts or users at paths, and those r reaches,
// against the schema fsys; unreadable input is a usage error.
func loadEntries(paths []string, fsys fs.FS, k *load.Kind, r []load.Reach) (*load.Loader, *load.Result, error) {
	l, res, err := pipeline.LoadEntries(paths, fsys, k, r)
	if err != nil {
		return nil, nil, pipelineError(err)
	}
	return l, res, nil
}

// pipelineError is err of the pipeline as axc reports it: a schema that
// does not read, input that cannot be read or used, an output directory
// that cannot be, all exit 2.
func pipelineError(err error) error {
	var pe *pipeline.Error
	if !errors.As(err, &pe) {
		return err
	}
	switch pe.Kind {
	case pipeline.Schema:
		return &exitError{code: exitUsage, records: prefixed("schema: ", pe.Err)}
	case pipeline.IO:
		return ioError(pe.Err)
	default:
		return exitErr(exitUsage, pe.Err)
	}
}

// checked is the schema a run checks against: an axios release, or a
// schema directory (--schema).
type checked struct {
	fsys    fs.FS
	release *release.Release // nil with --schema
	table   *release.Table   // every release (nil with --schema)
	name    string           // what the summary says: "axios 96990f9"
	warning string
}

// warn prints the choice's warning, if any (a lock pinning a rev axc does
// not know), to the command's stderr.
func (c *checked) warn(cmd *cobra.Command) {
	if c.warning != "" {
		termtext.Printf(cmd.ErrOrStderr(), "axc: warning: %s", c.warning)
	}
}

// chooseSchema picks the schema: --schema DIR; else the release --axios
// names; else the one the flake.lock beside or above the first input pins;
// else the newest release.
func chooseSchema(cmd *cobra.Command, paths []string) (*checked, error) {
	if dir, _ := cmd.Flags().GetString("schema"); dir != "" {
		return &checked{fsys: safeio.DirFS(dir, load.MaxFileSize), name: "schema " + dir}, nil
	}
	flag, _ := cmd.Flags().GetString("axios")
	c, err := pipeline.Choose(flag, paths)
	if err != nil {
		var pe *pipeline.Error
		if errors.As(err, &pe) {
			return nil, usageErrorf("%v", pe.Err)
		}
		return nil, err
	}
	return &checked{fsys: c.FS, release: c.Release, table: c.Table, name: c.Name, warning: c.Warning}, nil
}

// compiled is what the hosts and users compile to: file contents by path
// relative to the output directory, the hosts of the flake in order, and
// the schema they were checked against.
type compiled struct {
	files   map[string][]byte
	hosts   []compile.FlakeHost
	users   int // how many users were checked
	checked *checked
	args    []string // the host files' arguments
	sources []string // the paths read: hosts, then users
}

// vetAndCompile loads the hosts and users at paths, vets them and compiles
// them for outDir, in one pass each: vet and build check exactly the same
// things. The files are complete only when the diagnostics hold no error.
// With outDir empty, hosts are only checked: nothing is printed.
//
// vet passes rc, what its files reach beyond themselves (the staged change
// adds to it); build, which writes what it is given, passes nil.
func vetAndCompile(cmd *cobra.Command, paths []string, outDir string, rc *reach) (*compiled, []vet.Diagnostic, error) {
	var in inputs
	var hostReach, userReach []load.Reach
	if rc != nil && len(paths) == 0 && !rc.empty() {
		// Only what the staged change removed: its packages' entries
		// that it reaches, with every user (to know them).
		in = reachInputs(rc)
	} else {
		in = splitInputs(paths)
	}
	if rc != nil {
		hostReach = append(append(hostReach, rc.hosts...), namedUsersReach(in.Users)...)
		userReach = rc.users
	}
	if len(in.Hosts) == 0 && outDir != "" {
		// The flake is the hosts': built from users alone it would drop
		// every host.
		return nil, nil, usageErrorf("build writes the hosts and their users together: name the hosts too (or no PATH, for ./hosts and ./users)")
	}
	first := in.Hosts
	if len(first) == 0 {
		first = in.Users
	}
	if len(first) == 0 && len(hostReach) > 0 {
		first = []string{hostReach[0].Dir}
	}
	chk0, err := chooseSchema(cmd, first)
	if err != nil {
		return nil, nil, err
	}
	chk0.warn(cmd)
	po, ds, err := pipeline.Run(pipeline.Config{
		Inputs:    in,
		HostReach: hostReach,
		UserReach: userReach,
		Checked:   &pipeline.Checked{FS: chk0.fsys, Release: chk0.release, Table: chk0.table, Name: chk0.name, Warning: chk0.warning},
		OutDir:    outDir,
	})
	if err != nil {
		return nil, nil, pipelineError(err)
	}
	out := &compiled{files: po.Files, hosts: po.Hosts, users: po.Users, checked: chk0, args: po.Args,
		sources: append(append([]string{}, in.Hosts...), in.Users...)}
	return out, ds, nil
}
