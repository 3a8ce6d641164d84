package options

import (
	"io/fs"
	"strings"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/literal"
	"cuelang.org/go/cue/parser"
	"cuelang.org/go/cue/token"

	"github.com/axc-dev/axc/schema"
)

// configDef is the definition of the NixOS configuration (extraConfig) in
// the generated file; flagsDef its field holding the host's modules flags.
const (
	configDef = "#NixOSConfig"
	flagsDef  = "_modules"
)

// optionFlags maps each option that a modules flag brings to that flag, as
// the generated file gates them: `if _modules.X == false { a?: b?: error(…) }`
// in #NixOSConfig makes option a.b not exist without modules.X.
func optionFlags(src []byte) (map[string]string, error) {
	f, err := parser.ParseFile(schema.GenFile, src)
	if err != nil {
		return nil, err
	}
	flags := map[string]string{}
	for _, c := range comprehensions(schema.TopStruct(f, configDef)) {
		if len(c.Clauses) != 1 {
			continue
		}
		flag, ok := flagIsFalse(c.Clauses[0])
		if !ok {
			continue
		}
		if body, ok := c.Value.(*ast.StructLit); ok {
			walkErrors(body, nil, func(path []string, _ string) {
				flags[strings.Join(path, ".")] = flag
			})
		}
	}
	return flags, nil
}

// comprehensions are the comprehensions directly in st (none when st is
// nil).
func comprehensions(st *ast.StructLit) []*ast.Comprehension {
	var out []*ast.Comprehension
	if st == nil {
		return nil
	}
	for _, el := range st.Elts {
		if c, ok := el.(*ast.Comprehension); ok {
			out = append(out, c)
		}
	}
	return out
}

// flagIsFalse reads the clause `if _modules.X == false`.
func flagIsFalse(cl ast.Clause) (string, bool) {
	ifc, ok := cl.(*ast.IfClause)
	if !ok {
		return "", false
	}
	bin, ok := ifc.Condition.(*ast.BinaryExpr)
	if !ok || bin.Op != token.EQL {
		return "", false
	}
	sel, ok := bin.X.(*ast.SelectorExpr)
	if !ok || !isIdent(sel.X, flagsDef) {
		return "", false
	}
	if lit, ok := bin.Y.(*ast.BasicLit); !ok || lit.Kind != token.FALSE {
		return "", false
	}
	flag, _, err := ast.LabelName(sel.Sel)
	return flag, err == nil
}

// checksFile holds the release's checks, among them the conditions under
// which the hardware sub-modules are imported.
const checksFile = "checks.cue"

// optionConditions maps option prefixes to the condition that brings them
// when no flag does: an `if` of #Host in checks.cue that makes
// extraConfig.a.b an error says, in its message, what a.b comes with.
func optionConditions(fsys fs.FS, configField string) (map[string]string, error) {
	src, err := fs.ReadFile(fsys, checksFile)
	if err != nil {
		return nil, err
	}
	f, err := parser.ParseFile(checksFile, src)
	if err != nil {
		return nil, err
	}
	conds := map[string]string{}
	for _, c := range comprehensions(schema.TopStruct(f, "#Host")) {
		body, ok := c.Value.(*ast.StructLit)
		if !ok {
			continue
		}
		for _, el := range body.Elts {
			field, ok := el.(*ast.Field)
			if !ok {
				continue
			}
			if name, _, _ := ast.LabelName(field.Label); name != configField {
				continue
			}
			if sub, ok := field.Value.(*ast.StructLit); ok {
				walkErrors(sub, nil, func(path []string, msg string) {
					conds[strings.Join(path, ".")] = conditionText(msg)
				})
			}
		}
	}
	return conds, nil
}

// walkErrors calls fn with the path of each field below st whose value is
// an error(…) call, and its message when it is a plain string.
func walkErrors(st *ast.StructLit, prefix []string, fn func(path []string, msg string)) {
	for _, el := range st.Elts {
		field, ok := el.(*ast.Field)
		if !ok {
			continue
		}
		name, _, err := ast.LabelName(field.Label)
		if err != nil {
			continue
		}
		p := append(prefix[:len(prefix):len(prefix)], name)
		switch v := field.Value.(type) {
		case *ast.StructLit:
			walkErrors(v, p, fn)
		case *ast.CallExpr:
			if !isIdent(v.Fun, "error") || len(v.Args) != 1 {
				continue
			}
			msg := ""
			if lit, ok := v.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				msg, _ = literal.Unquote(lit.Value)
			}
			fn(p, msg)
		}
	}
}

// conditionText is what a "does not exist" message says the module comes
// with: `… its module comes with hardware.vendor = "msi", or …`.
func conditionText(msg string) string {
	if _, after, ok := strings.Cut(msg, "comes with "); ok {
		return after
	}
	if msg == "" {
		return "a condition of " + checksFile
	}
	return msg
}
