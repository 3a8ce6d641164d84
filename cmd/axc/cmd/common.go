package cmd

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/axc-dev/axc/internal/check"
	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/safeio"
	"github.com/axc-dev/axc/internal/termtext"
	"github.com/axc-dev/axc/internal/vet"
)

// The check itself (choosing the release, loading, vetting, compiling) is
// internal/check's, shared with the language server; what is here turns
// the command line into its options and its errors into exit codes.

// checkOptions are the pipeline's options from the command line: --schema,
// --axios, and the schema choice's warning printed on the command's
// stderr.
func checkOptions(cmd *cobra.Command) check.Options {
	o := check.Options{}
	o.SchemaDir, _ = cmd.Flags().GetString("schema")
	o.Axios, _ = cmd.Flags().GetString("axios")
	o.Warn = func(msg string) { termtext.Printf(cmd.ErrOrStderr(), "axc: warning: %s", msg) }
	return o
}

// checkError is err of the pipeline as an exit: each of its records once,
// exit 2 (usage or I/O error).
func checkError(err error) error {
	var ue *check.UsageError
	if errors.As(err, &ue) {
		return usageErrorf("%s", ue.Msg)
	}
	return exitErr(exitUsage, err)
}

// chooseSchema is check.ChooseSchema with the command line's flags.
func chooseSchema(cmd *cobra.Command, paths []string) (*check.Schema, error) {
	chk, err := check.ChooseSchema(checkOptions(cmd), paths)
	if err != nil {
		return nil, checkError(err)
	}
	return chk, nil
}

// warn prints the choice's warning, if any (a lock pinning a rev axc does
// not know), to the command's stderr.
func warn(cmd *cobra.Command, chk *check.Schema) {
	if chk.Warning != "" {
		checkOptions(cmd).Warn(chk.Warning)
	}
}

// loadEntries reads the hosts or users at paths, and those r reaches,
// against the schema fsys, from disk; unreadable input is a usage error.
func loadEntries(paths []string, chk *check.Schema, k *load.Kind, r []load.Reach) (*load.Loader, *load.Result, error) {
	l, res, err := check.LoadEntries(safeio.Disk, nil, paths, chk.FS, k, r)
	if err != nil {
		return nil, nil, checkError(err)
	}
	return l, res, nil
}

// vetAndCompile is check.Run with the command line's flags: vet and build
// check exactly what the language server checks.
func vetAndCompile(cmd *cobra.Command, paths []string, outDir string, rc *check.Reach) (*check.Compiled, []vet.Diagnostic, error) {
	out, ds, err := check.Run(checkOptions(cmd), paths, outDir, rc)
	if err != nil {
		return nil, nil, checkError(err)
	}
	return out, ds, nil
}

// defaultHostPaths is check.DefaultHostPaths.
func defaultHostPaths() []string { return check.DefaultHostPaths() }

// displayPath is check.DisplayPath.
func displayPath(p string) string { return check.DisplayPath(p) }
