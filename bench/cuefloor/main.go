// Command cuefloor does the least any program must do to vet hosts with CUE,
// for bench/run.sh to time beside axc: parse an embedded axios schema and
// the named host files, build them as one package, and validate every
// top-level field, concretely, in one goroutine. No loader, no flake.lock,
// no findings, no messages beyond CUE's:
//
//	cuefloor [-release TAG] FILE...
//
// The files must be one package importing axc.dev/axc/schema. It prints
// "N hosts ok" and exits 0, or CUE's errors and exits 1 (2 for bad usage).
// Its time over `axc --version` is what CUE alone costs, which no
// CUE-based vet can go below.
package main

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/build"
	"cuelang.org/go/cue/cuecontext"
	"cuelang.org/go/cue/errors"
	"cuelang.org/go/cue/parser"
	"cuelang.org/go/cue/token"

	"github.com/axc-dev/axc/schema"
)

func main() {
	release := flag.String("release", "96990f9", "the axios release whose schema the files import")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: cuefloor [-release TAG] FILE...")
		os.Exit(2)
	}
	n, err := vet(*release, flag.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, errors.Details(err, nil))
		os.Exit(1)
	}
	fmt.Printf("%d hosts ok\n", n)
}

func vet(release string, files []string) (int, error) {
	fsys, err := schema.Release(release)
	if err != nil {
		return 0, err
	}
	ctx := build.NewContext()
	var schemaInst *build.Instance
	var schemaErr error
	dir, _ := filepath.Abs(filepath.Dir(files[0]))
	inst := ctx.NewInstance(dir, func(_ token.Pos, path string) *build.Instance {
		if path != schema.ImportPath {
			return nil // the standard library
		}
		if schemaInst == nil {
			schemaInst, schemaErr = parseSchema(ctx, fsys)
		}
		return schemaInst
	})
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			return 0, err
		}
		f, err := parser.ParseFile(name, src)
		if err != nil {
			return 0, err
		}
		if err := inst.AddSyntax(f); err != nil {
			return 0, err
		}
	}
	pkg := cuecontext.New().BuildInstance(inst)
	if schemaErr != nil {
		return 0, schemaErr
	}
	iter, err := pkg.Fields()
	if err != nil {
		return 0, err
	}
	n := 0
	for iter.Next() {
		if err := iter.Value().Validate(cue.Concrete(true)); err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}

// parseSchema is the release's schema as the package the files import.
func parseSchema(ctx *build.Context, fsys fs.FS) (*build.Instance, error) {
	inst := ctx.NewInstance("/schema", nil)
	inst.ImportPath = schema.ImportPath
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".cue") {
			continue
		}
		src, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile("/schema/"+e.Name(), src)
		if err != nil {
			return nil, err
		}
		if err := inst.AddSyntax(f); err != nil {
			return nil, err
		}
	}
	return inst, nil
}
