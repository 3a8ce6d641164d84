package cmd

import (
	"cmp"
	"fmt"
	"os"

	"cuelang.org/go/cue"
	"github.com/spf13/cobra"

	"axc.dev/axc/internal/compile"
	"axc.dev/axc/internal/load"
	"axc.dev/axc/internal/vet"
)

// defaultPaths is what vet and build read when given no PATH.
var defaultPaths = []string{"./hosts"}

// loadHosts reads the hosts at paths against the schema in schemaDir (the
// embedded one when empty); unreadable input is a usage error.
func loadHosts(paths []string, schemaDir string) (*load.Loader, *load.Result, error) {
	if len(paths) == 0 {
		paths = defaultPaths
	}
	var l *load.Loader
	var err error
	if schemaDir == "" {
		l, err = load.New()
	} else {
		l, err = load.NewWithSchema(os.DirFS(schemaDir))
	}
	if err != nil {
		return nil, nil, &exitError{code: exitUsage, msg: fmt.Sprintf("schema %s: %v", schemaDir, err)}
	}
	res, err := l.Load(paths)
	if err != nil {
		// Unreadable input (load.InputErrors) and anything else that stops
		// loading are usage or I/O errors.
		return nil, nil, &exitError{code: exitUsage, msg: err.Error()}
	}
	return l, res, nil
}

// compiled is what the hosts compile to: file contents by path relative to
// the output directory, and the host names in order.
type compiled struct {
	files map[string][]byte
	names []string
}

// vetAndCompile loads the hosts at paths, vets them and compiles them for
// outDir, in one pass: vet and build check exactly the same things. The
// files are complete only when the diagnostics hold no error.
// With outDir empty, hosts are only checked: nothing is printed.
func vetAndCompile(cmd *cobra.Command, paths []string, outDir string) (*compiled, []vet.Diagnostic, error) {
	schemaDir, _ := cmd.Flags().GetString("schema")
	l, res, err := loadHosts(paths, schemaDir)
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
	out := &compiled{files: map[string][]byte{}}
	for i, h := range res.Hosts {
		out.files[compile.HostFile(h.Name)] = data[i]
		out.names = append(out.names, h.Name)
	}
	return out, ds, nil
}
