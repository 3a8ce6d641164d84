package safeio

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// forbidden are the functions that open a file or directory by name without
// the checks of this package: each blocks on a FIFO, reads a device, or
// reads without bound.
var forbidden = map[string][]string{
	"os":            {"ReadFile", "Open", "OpenFile", "ReadDir", "DirFS", "OpenRoot", "OpenInRoot", "CopyFS"},
	"io/ioutil":     {"ReadFile", "ReadDir"},
	"path/filepath": {"Walk", "WalkDir"},
}

// allowed are the uses of forbidden functions outside this package, by
// "file function pkg.Func", with the reason each is safe.
var allowed = map[string]string{
	// Files axc made itself, in a directory it made.
	"internal/scaffold/write.go Create os.ReadDir":     "lists the staging directory init made",
	"internal/scaffold/write.go writeFile os.OpenFile": "creates a new file (O_EXCL) in the staging directory",
	// Not part of axc: a benchmark reading the corpus it was given.
	"bench/cuefloor/main.go vet os.ReadFile": "benchmark tool, not axc",
	"bench/lspbench/main.go run os.ReadFile": "benchmark tool, not axc: the host file it opens in the server",
	"bench/lspbench/main.go rss os.ReadFile": "benchmark tool, not axc: /proc/PID/status of the server",
}

// allowedDirs are directories whose code reads files with checks of its
// own, with the reason.
var allowedDirs = map[string]string{
	// The output side of issue 19 item 3: existing output files, the
	// journal and the lock of the output directory, each checked where it
	// is read.
	"internal/output/": "output side, with its own checks",
	// Every operation below an output directory or repository, confined
	// to an os.Root: regular files only, opened without blocking, reads
	// bounded.
	"internal/confine/": "confined to an os.Root, with its own checks",
}

// TestReadsGoThroughSafeio fails when Go code outside this package (tests
// aside) opens a file or directory by name other than through safeio,
// unless allowed says why that use is safe: every file a repository can
// hold is read with the checks of this package.
func TestReadsGoThroughSafeio(t *testing.T) {
	root := filepath.Join("..", "..")
	found := map[string]bool{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == "testdata" || strings.HasPrefix(d.Name(), ".") && rel != "." {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") || strings.HasPrefix(rel, "internal/safeio/") {
			return nil
		}
		uses, err := forbiddenUses(p)
		if err != nil {
			return err
		}
		for _, u := range uses {
			key := rel + " " + u.fn + " " + u.call
			found[key] = true
			if _, ok := allowed[key]; !ok && !inAllowedDir(rel) {
				t.Errorf("%s:%d: %s opens a file without safeio's checks: use safeio.ReadFile, safeio.ReadDir or safeio.DirFS (or, if it is safe, add %q to allowed with the reason)", rel, u.line, u.call, key)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range slices.Sorted(func(yield func(string) bool) {
		for k := range allowed {
			if !yield(k) {
				return
			}
		}
	}) {
		if !found[key] {
			t.Errorf("allowed lists %q, which is no longer there: remove it", key)
		}
	}
}

func inAllowedDir(rel string) bool {
	for dir := range allowedDirs {
		if strings.HasPrefix(rel, dir) {
			return true
		}
	}
	return false
}

type use struct {
	fn, call string
	line     int
}

// forbiddenUses lists the references to forbidden functions in the Go file
// p, with the function (or method, or func literal of one: f.func1) they
// are in.
func forbiddenUses(p string) ([]use, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, p, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	names := map[string]string{} // local name → import path
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		if _, ok := forbidden[path]; !ok {
			continue
		}
		name := path[strings.LastIndexByte(path, '/')+1:]
		if imp.Name != nil {
			name = imp.Name.Name
		}
		names[name] = path
	}
	var out []use
	for _, d := range f.Decls {
		fn := ""
		if fd, ok := d.(*ast.FuncDecl); ok {
			fn = fd.Name.Name
		}
		lits := map[*ast.FuncLit]string{}
		n := 0
		ast.Inspect(d, func(node ast.Node) bool {
			if node == nil {
				return true
			}
			switch x := node.(type) {
			case *ast.FuncLit:
				n++
				lits[x] = fmt.Sprintf("%s.func%d", fn, n)
			case *ast.SelectorExpr:
				id, ok := x.X.(*ast.Ident)
				if !ok {
					return true
				}
				path, ok := names[id.Name]
				if !ok || !slices.Contains(forbidden[path], x.Sel.Name) {
					return true
				}
				out = append(out, use{fn: enclosing(d, x, fn, lits), call: id.Name + "." + x.Sel.Name, line: fset.Position(x.Pos()).Line})
			}
			return true
		})
	}
	return out, nil
}

// enclosing is the name of the innermost function literal of d around x,
// else fn.
func enclosing(d ast.Decl, x ast.Node, fn string, lits map[*ast.FuncLit]string) string {
	name := fn
	ast.Inspect(d, func(node ast.Node) bool {
		if node == nil {
			return false
		}
		if node.Pos() > x.Pos() || node.End() < x.End() {
			return false // does not contain x
		}
		if l, ok := node.(*ast.FuncLit); ok {
			name = lits[l]
		}
		return true
	})
	return name
}
