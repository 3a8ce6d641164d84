package cmd

import (
	"cmp"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"cuelang.org/go/cue"
	"github.com/spf13/cobra"

	"axc.dev/axc/internal/compile"
	"axc.dev/axc/internal/load"
	"axc.dev/axc/internal/release"
	"axc.dev/axc/internal/vet"
	"axc.dev/axc/schema"
)

// defaultPaths is what vet and build read when given no PATH.
var defaultPaths = []string{"./hosts"}

// loadHosts reads the hosts at paths against the schema fsys; unreadable
// input is a usage error.
func loadHosts(paths []string, fsys fs.FS) (*load.Loader, *load.Result, error) {
	if len(paths) == 0 {
		paths = defaultPaths
	}
	l, err := load.NewWithSchema(fsys)
	if err != nil {
		return nil, nil, &exitError{code: exitUsage, msg: fmt.Sprintf("schema: %v", err)}
	}
	res, err := l.Load(paths)
	if err != nil {
		// Unreadable input (load.InputErrors) and anything else that stops
		// loading are usage or I/O errors.
		return nil, nil, &exitError{code: exitUsage, msg: err.Error()}
	}
	return l, res, nil
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

// chooseSchema picks the schema: --schema DIR; else the release --axios
// names; else the one the flake.lock beside or above the first input pins;
// else the newest release.
func chooseSchema(cmd *cobra.Command, paths []string) (*checked, error) {
	if dir, _ := cmd.Flags().GetString("schema"); dir != "" {
		return &checked{fsys: os.DirFS(dir), name: "schema " + dir}, nil
	}
	src, err := fs.ReadFile(schema.Files, schema.ReleasesFile)
	if err != nil {
		return nil, err
	}
	table, err := release.Parse(src)
	if err != nil {
		return nil, fmt.Errorf("internal error: %v", err) // tested: the table parses
	}
	opts := release.Options{}
	opts.Flag, _ = cmd.Flags().GetString("axios")
	if opts.Flag == "" {
		if len(paths) == 0 {
			paths = defaultPaths
		}
		dir := paths[0]
		if info, err := os.Stat(dir); err == nil && !info.IsDir() {
			dir = filepath.Dir(dir)
		}
		// An input that cannot be read has no lock to find: loading it
		// says what is wrong with it.
		if lock, _ := release.FindLock(dir); lock != "" {
			opts.LockFile = load.RelPath(lock) // as messages show it
		}
	}
	choice, err := table.Choose(opts)
	if err != nil {
		return nil, usageErrorf("%v", err)
	}
	fsys, err := schema.Release(choice.Release.Tag)
	if err != nil {
		return nil, fmt.Errorf("internal error: %v", err) // tested: every release has its schema
	}
	r := choice.Release
	return &checked{fsys: fsys, release: &r, table: table, name: r.Namespace + " " + r.Tag, warning: choice.Warning}, nil
}

// compiled is what the hosts compile to: file contents by path relative to
// the output directory, and the host names in order, and the schema they
// were checked against.
type compiled struct {
	files   map[string][]byte
	names   []string
	checked *checked
	args    []string // the host files' arguments
}

// vetAndCompile loads the hosts at paths, vets them and compiles them for
// outDir, in one pass: vet and build check exactly the same things. The
// files are complete only when the diagnostics hold no error.
// With outDir empty, hosts are only checked: nothing is printed.
func vetAndCompile(cmd *cobra.Command, paths []string, outDir string) (*compiled, []vet.Diagnostic, error) {
	chk0, err := chooseSchema(cmd, paths)
	if err != nil {
		return nil, nil, err
	}
	if chk0.warning != "" {
		fmt.Fprintf(cmd.ErrOrStderr(), "axc: warning: %s\n", chk0.warning)
	}
	l, res, err := loadHosts(paths, chk0.fsys)
	if err != nil {
		return nil, nil, err
	}
	comp, err := compile.New(cmp.Or(outDir, "."), l.SchemaFS())
	if err != nil {
		return nil, nil, ioError(err)
	}
	comp.CheckOnly = outDir == ""
	// One pass over the hosts, while each is evaluated: vet it, and compile
	// the hosts without error (their problems are findings too).
	data := make([][]byte, len(res.Hosts))
	chk := vet.NewChecker(l, res)
	if chk0.release != nil {
		// Unknown names that another release has say so.
		chk.Release, chk.Releases = chk0.release.Tag, chk0.table
	}
	res.Each(func(i int, h *load.Host, v cue.Value) {
		if !chk.Host(i, h, v) {
			return
		}
		out, problems, err := comp.Host(h, v, sourceName(outDir, h.Pos.Filename()))
		if err != nil {
			// A bug (the printer refused a value compile made): say so at
			// the host rather than write a broken file.
			chk.Add(i, vet.Problem{Msg: "internal error: " + err.Error()})
			return
		}
		data[i] = out
		for _, p := range problems {
			chk.Add(i, vet.Problem{Path: p.Path, Msg: p.Msg})
		}
	})
	ds := chk.Diagnostics()
	out := &compiled{files: map[string][]byte{}, checked: chk0, args: comp.FileArgs()}
	for i, h := range res.Hosts {
		out.files[compile.HostFile(h.Name)] = data[i]
		out.names = append(out.names, h.Name)
	}
	return out, ds, nil
}
