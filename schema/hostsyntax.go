package schema

import (
	"fmt"
	"io/fs"
	"strings"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/parser"
)

// HostSyntax parses HostFile of the schema in fsys and returns the struct
// of #Host and the whole file, for readers of the contract that need no
// evaluation (attributes, field names, doc comments).
func HostSyntax(fsys fs.FS, mode ...parser.Option) (*ast.StructLit, *ast.File, error) {
	src, err := fs.ReadFile(fsys, HostFile)
	if err != nil {
		return nil, nil, err
	}
	f, err := parser.ParseFile(HostFile, src, mode...)
	if err != nil {
		return nil, nil, err
	}
	if st := TopStruct(f, "#Host"); st != nil {
		return st, f, nil
	}
	return nil, nil, fmt.Errorf("%s: no #Host struct", HostFile)
}

// TopStruct is the struct literal of the top-level field name of f (the
// first one), or nil: the schema's definitions as their syntax shows them.
func TopStruct(f *ast.File, name string) *ast.StructLit {
	for _, d := range f.Decls {
		if field, ok := d.(*ast.Field); ok {
			if n, _, _ := ast.LabelName(field.Label); n == name {
				if st, ok := field.Value.(*ast.StructLit); ok {
					return st
				}
			}
		}
	}
	return nil
}

// WalkFields calls fn for every regular field of st, and of the struct
// literals below them (hardware.cpu, modules.pim), in order, with its path;
// hidden fields and definitions are not the author's to write.
func WalkFields(st *ast.StructLit, fn func(path []string, f *ast.Field)) {
	var walk func(st *ast.StructLit, path []string)
	walk = func(st *ast.StructLit, path []string) {
		for _, d := range st.Elts {
			field, ok := d.(*ast.Field)
			if !ok {
				continue
			}
			name, _, err := ast.LabelName(field.Label)
			if err != nil || strings.HasPrefix(name, "_") || strings.HasPrefix(name, "#") {
				continue
			}
			p := append(path[:len(path):len(path)], name)
			fn(p, field)
			if sub, ok := field.Value.(*ast.StructLit); ok {
				walk(sub, p)
			}
		}
	}
	walk(st, nil)
}
