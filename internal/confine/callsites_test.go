package confine

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// confinedFiles are the code that writes in a repository a stranger may
// have made: every file operation there must go through a Root. Patterns
// relative to this package's directory.
var confinedFiles = []string{
	"../output/*.go", "../scaffold/upgrade.go", "../importer/write.go",
	"../../cmd/axc/cmd/build.go", "../../cmd/axc/cmd/import.go",
}

// pathCalls are the functions that take a path and follow links in it:
// called in confinedFiles, they would escape the Root.
var pathCalls = map[string]map[string]bool{
	"os": set("Open", "OpenFile", "Create", "ReadFile", "WriteFile", "Remove", "RemoveAll", "Rename",
		"Link", "Symlink", "Mkdir", "MkdirAll", "MkdirTemp", "CreateTemp", "Stat", "Lstat", "ReadDir",
		"Readlink", "Chmod", "Chown", "Lchown", "Chtimes", "Truncate", "DirFS", "CopyFS"),
	"filepath":   set("Walk", "WalkDir", "Glob", "EvalSymlinks"),
	"atomicfile": set("Write"),
}

// allowed are the functions of confinedFiles that may use pathCalls, and
// why: they work on the repository's own path (as given by the user), not
// below it.
var allowed = map[string]string{
	"output.go:mkdirAll":             "creates DIR itself and its missing parents",
	"output.go:(*Dir).removeCreated": "removes DIR itself again, if Open created it and it is empty",
	"lock.go:isFile":                 "says whether DIR itself is a file, for the message",
	"upgrade.go:Choose":              "reads whether DIR/hosts is a directory, to find the flake.lock vet reads",
}

// Every file operation of the code that writes in a repository goes
// through a Root (or is one of the few on the repository's own path): the
// class "a path from the repository's tree escapes it" stays closed when
// code is added.
func TestOnlyRootOperations(t *testing.T) {
	var problems []string
	seen := map[string]bool{}
	for _, pattern := range confinedFiles {
		files, err := filepath.Glob(pattern)
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: %v (no files)", pattern, err)
		}
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, file, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, decl := range f.Decls {
				name := funcName(decl)
				ast.Inspect(decl, func(n ast.Node) bool {
					sel, ok := n.(*ast.SelectorExpr)
					if !ok {
						return true
					}
					pkg, ok := sel.X.(*ast.Ident)
					if !ok || !pathCalls[pkg.Name][sel.Sel.Name] {
						return true
					}
					key := filepath.Base(file) + ":" + name
					if _, ok := allowed[key]; ok {
						seen[key] = true
						return true
					}
					problems = append(problems, fmt.Sprintf("%s: %s.%s in %s: use the Root", fset.Position(sel.Pos()), pkg.Name, sel.Sel.Name, name))
					return true
				})
			}
		}
	}
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
	for key := range allowed {
		if !seen[key] {
			t.Errorf("allowed %s uses no path call any more: drop it from the list", key)
		}
	}
}

func funcName(d ast.Decl) string {
	fd, ok := d.(*ast.FuncDecl)
	if !ok {
		return "(declaration)"
	}
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	var recv string
	switch t := fd.Recv.List[0].Type.(type) {
	case *ast.StarExpr:
		recv = "(*" + t.X.(*ast.Ident).Name + ")"
	case *ast.Ident:
		recv = t.Name
	}
	return recv + "." + fd.Name.Name
}

func set(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}
