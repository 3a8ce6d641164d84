package schema

import (
	"bytes"
	"fmt"
	"io/fs"
	"strings"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/literal"
	"cuelang.org/go/cue/parser"
)

// Option is what an @option attribute of the generated schema records.
type Option struct {
	Set         string // "nixos" or "home"
	Name        string // dotted, as in the NixOS manual
	Type        string // the NixOS type description
	Default     string // JSON of the default, when it is a Nix literal
	DefaultText string // the Nix text of a default that is not a literal
	ReadOnly    bool
	// Example is the JSON of the example the option's author gives, when
	// it is a Nix literal; ExampleText the Nix text of one that is not.
	Example     string
	ExampleText string
	// Doc is the option's description (its author's markdown), the doc
	// comment of its field; lines end in "\n", none at the end.
	Doc string
}

// GenFile is the schema file that `axc schema gen` writes.
const GenFile = "options_gen.cue"

// OptionsFrom lists the @option attributes of the generated file of the
// schema in fsys (see ScanOptions).
func OptionsFrom(fsys fs.FS) ([]Option, error) {
	src, err := fs.ReadFile(fsys, GenFile)
	if err != nil {
		return nil, err
	}
	return ScanOptions(src)
}

// ScanOptions lists the @option attributes of a generated schema file,
// with the doc comments of their fields, without the CUE parser, which
// would cost most of a one-host vet: it relies on the generator's layout
// (each top-level definition starts a line, an attribute is on one line,
// a field's doc comment is on the lines right above it, and a field whose
// value spans lines opens it at the end of its first line and has its
// attribute after the closing brace that starts its last line).
// TestScanMatchesSyntax holds it to a walk of the parsed file on every
// release.
func ScanOptions(src []byte) ([]Option, error) {
	var opts []Option
	set := "nixos"
	var doc []string    // the comment lines above the current line
	var open [][]string // the docs of the fields whose value is open
	for line := range bytes.Lines(src) {
		if len(line) > 0 && line[0] == '#' {
			// A top-level definition: #HomeOptions and #HomeConfig hold
			// the home-manager options.
			set = "nixos"
			if bytes.HasPrefix(line, []byte("#Home")) {
				set = "home"
			}
		}
		code := bytes.TrimSpace(line)
		if c, ok := bytes.CutPrefix(code, []byte("//")); ok {
			doc = append(doc, string(bytes.TrimPrefix(c, []byte(" "))))
			continue
		}
		fieldDoc := doc
		doc = nil
		if bytes.HasPrefix(code, []byte("}")) && len(open) > 0 {
			// The end of a field whose value spans lines: its
			// attribute follows.
			fieldDoc = open[len(open)-1]
			open = open[:len(open)-1]
		}
		if bytes.HasSuffix(code, []byte("{")) {
			open = append(open, fieldDoc)
		}
		for {
			i := attrStart(line)
			if i < 0 {
				break
			}
			line = line[i+len("@option("):]
			body, rest, ok := attrBody(line)
			if !ok {
				return nil, fmt.Errorf("%s: unterminated @option attribute", GenFile)
			}
			o, err := parseOption(string(body))
			if err != nil {
				return nil, fmt.Errorf("%s: @option(%s): %v", GenFile, body, err)
			}
			o.Set = set
			o.Doc = docText(fieldDoc)
			opts = append(opts, o)
			line = rest
		}
	}
	return opts, nil
}

// attrStart is the index of the first "@option(" of line outside a quoted
// string (a message or an example may quote anything), or -1.
func attrStart(line []byte) int {
	inQuote := false
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case inQuote && c == '\\':
			i++
		case c == '"':
			inQuote = !inQuote
		case !inQuote && c == '@' && bytes.HasPrefix(line[i:], []byte("@option(")):
			return i
		}
	}
	return -1
}

// docText is the text of comment lines (without their //) as CUE's
// CommentGroup.Text gives it, without its final newline: trailing white
// space, leading and trailing blank lines and runs of blank lines dropped.
func docText(lines []string) string {
	var out []string
	blank := true
	for _, l := range lines {
		l = strings.TrimRight(l, " \t\n\r")
		if l == "" {
			if !blank {
				out = append(out, "")
			}
			blank = true
			continue
		}
		blank = false
		out = append(out, l)
	}
	return strings.TrimSuffix(strings.Join(out, "\n"), "\n")
}

// attrBody splits s, which follows "@option(", at the parenthesis closing
// the attribute (parentheses inside quoted values do not count).
func attrBody(s []byte) (body, rest []byte, ok bool) {
	inQuote, depth := false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case inQuote && c == '\\':
			i++
		case c == '"':
			inQuote = !inQuote
		case inQuote:
		case c == '(':
			depth++
		case c == ')':
			if depth == 0 {
				return s[:i], s[i+1:], true
			}
			depth--
		}
	}
	return nil, nil, false
}

// optionsFromSyntax lists the @option attributes of a generated file by
// walking its parsed syntax: what ScanOptions must agree with.
func optionsFromSyntax(src []byte) ([]Option, error) {
	f, err := parser.ParseFile(GenFile, src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	var opts []Option
	var walkErr error
	for _, d := range f.Decls {
		top, ok := d.(*ast.Field)
		if !ok {
			continue
		}
		label, _, _ := ast.LabelName(top.Label)
		set := "nixos"
		if strings.HasPrefix(label, "#Home") {
			set = "home"
		}
		ast.Walk(top.Value, func(n ast.Node) bool {
			field, ok := n.(*ast.Field)
			if !ok {
				return true
			}
			for _, a := range field.Attrs {
				if key, body := a.Split(); key == "option" {
					o, err := parseOption(body)
					if err != nil && walkErr == nil {
						walkErr = fmt.Errorf("%s: %v", a.Pos(), err)
					}
					o.Set = set
					o.Doc = FieldDoc(field)
					opts = append(opts, o)
				}
			}
			return true
		}, nil)
	}
	return opts, walkErr
}

// parseOption reads `name="…", type="…", default="…", readOnly`.
func parseOption(body string) (Option, error) {
	var o Option
	for _, arg := range splitArgs(body) {
		key, value, hasValue := strings.Cut(strings.TrimSpace(arg), "=")
		key = strings.TrimSpace(key)
		if hasValue {
			s, err := literal.Unquote(strings.TrimSpace(value))
			if err != nil {
				return o, fmt.Errorf("%s: %v", key, err)
			}
			value = s
		}
		switch key {
		case "name":
			o.Name = value
		case "type":
			o.Type = value
		case "default":
			o.Default = value
		case "defaultText":
			o.DefaultText = value
		case "readOnly":
			o.ReadOnly = true
		case "example":
			o.Example = value
		case "exampleText":
			o.ExampleText = value
		default:
			return o, fmt.Errorf("unknown argument %q", key)
		}
	}
	return o, nil
}

// splitArgs splits at the commas outside quoted strings.
func splitArgs(s string) []string {
	var args []string
	inQuote, start := false, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			inQuote = !inQuote
		case ',':
			if !inQuote {
				args = append(args, s[start:i])
				start = i + 1
			}
		}
	}
	return append(args, s[start:])
}

// FieldDoc is the doc comment of a field, as CUE's CommentGroup.Text gives
// it without its final newline.
func FieldDoc(f *ast.Field) string {
	var parts []string
	for _, g := range ast.Comments(f) {
		if g.Doc && g.Position == 0 {
			parts = append(parts, strings.TrimSuffix(g.Text(), "\n"))
		}
	}
	return strings.Join(parts, "\n")
}
