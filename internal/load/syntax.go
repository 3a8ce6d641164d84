package load

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/errors"
	"cuelang.org/go/cue/token"
)

// syntaxError turns a parse error of a host file into errors that each say
// file:line:col and what is wrong, whatever the format.
func syntaxError(err error, file string, data []byte) errors.Error {
	tf := token.NewFile(file, -1, len(data))
	tf.SetLinesForContent(data)
	at := func(offset int) token.Pos { return tf.Pos(min(max(offset, 0), len(data)), token.NoRelPos) }
	switch {
	case strings.HasSuffix(file, ".json"):
		// CUE's JSON reader says only "invalid JSON"; encoding/json says why.
		var v any
		var se *json.SyntaxError
		if jerr := json.Unmarshal(data, &v); jerr != nil && errors.As(jerr, &se) {
			return errors.Newf(at(int(se.Offset)-1), "invalid JSON: %s", se.Error())
		}
	case strings.HasSuffix(file, ".yaml") || strings.HasSuffix(file, ".yml"):
		// CUE's YAML reader prefixes the message with file:line, or gives
		// no position at all.
		msg := err.Error()
		line := 1
		if m := yamlErrRe.FindStringSubmatch(msg); m != nil && strings.HasSuffix(m[1], file) {
			line, _ = strconv.Atoi(m[2])
			msg = m[3]
		} else {
			msg = strings.TrimPrefix(strings.TrimPrefix(msg, file+": "), "yaml: ")
		}
		return errors.Newf(tf.Pos(lineOffset(data, line), token.NoRelPos), "invalid YAML: %s", msg)
	}
	return explainSyntax(errors.Promote(err, "syntax error"), map[string][]byte{file: data})
}

var yamlErrRe = regexp.MustCompile(`^(.*):(\d+): (.*)$`)

// lineOffset is the offset of the first byte of a 1-based line.
func lineOffset(data []byte, line int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := strings.IndexByte(string(data[off:]), '\n')
		if i < 0 {
			return off
		}
		off += i + 1
	}
	return off
}

// dashedLabel is an unquoted label with a - in it (home-manager:), which CUE
// reads as a subtraction and then reports as a missing comma.
var dashedLabel = regexp.MustCompile(`(^|[\s{,])([A-Za-z_$][A-Za-z0-9_$]*(?:-[A-Za-z0-9_$]+)+)\s*:`)

// nixHabits finds Nix spellings on a line of CUE: name = value, a
// trailing ;, a dotted path as a label (a.b.c: v, which CUE reads as a
// selector). It returns the line in CUE, from its first non-blank byte
// (col), and what changed; why is "" when the line has none of them.
func nixHabits(line string) (fixed string, col int, why string) {
	trimmed := strings.TrimLeft(line, " \t")
	col = len(line) - len(trimmed)
	if strings.HasPrefix(trimmed, "let ") || strings.HasPrefix(trimmed, "//") {
		return "", 0, ""
	}
	var b strings.Builder
	var reasons []string
	add := func(r string) {
		if !slices.Contains(reasons, r) {
			reasons = append(reasons, r)
		}
	}
	code := trimmed
	for code != "" {
		m := nixAssign.FindStringSubmatch(code)
		if m != nil && (strings.HasPrefix(code[len(m[0]):], "=") || strings.HasPrefix(code[len(m[0]):], "~")) {
			m = nil // == or =~
		}
		// A string is copied whole (unless it is a label set with =):
		// only code outside strings changes.
		if code[0] == '"' && m == nil {
			n := quotedLen(code)
			b.WriteString(code[:n])
			code = code[n:]
			continue
		}
		if strings.HasPrefix(code, "//") {
			b.WriteString(code)
			break
		}
		if d := dottedLabel.FindStringSubmatch(code); d != nil {
			b.WriteString(strings.ReplaceAll(d[1], ".", ": ") + ":")
			code = code[len(d[0]):]
			add("nested fields are a: b: c:")
			continue
		}
		if m != nil {
			if strings.Contains(m[1], ".") && !strings.HasPrefix(m[1], `"`) {
				add("nested fields are a: b: c:")
			}
			if !strings.HasPrefix(m[1], `"`) {
				m[1] = strings.ReplaceAll(m[1], ".", ": ")
			}
			b.WriteString(m[1] + ": ")
			code = code[len(m[0]):]
			add("':' not '='")
			continue
		}
		switch c := code[0]; {
		case c == ';':
			add("no ';'")
			code = code[1:]
			if rest := strings.TrimLeft(code, " \t"); rest != "" && rest[0] != '}' && rest[0] != ']' && !strings.HasPrefix(rest, "//") {
				b.WriteByte(',') // fields on one line are separated by commas
			}
			continue
		case isLabelByte(c):
			// A whole word, so that a.b inside an expression is not a label.
			n := 1
			for n < len(code) && (isLabelByte(code[n]) || code[n] == '.') {
				n++
			}
			b.WriteString(code[:n])
			code = code[n:]
			continue
		}
		b.WriteByte(code[0])
		code = code[1:]
	}
	if len(reasons) == 0 {
		return "", 0, ""
	}
	return strings.TrimRight(b.String(), " \t"), col, strings.Join(reasons, ", ")
}

// dottedLabel is a.b.c: at the start of code (a selector, to CUE, followed
// by a colon); nixAssign is name = (not ==, =~ or an alias X=name).
var (
	dottedLabel = regexp.MustCompile(`^([A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)+)\s*:`)
	nixAssign   = regexp.MustCompile(`^([A-Za-z_$][A-Za-z0-9_$-]*(?:\.[A-Za-z_$][A-Za-z0-9_$-]*)*|"(?:[^"\\]|\\.)*")\s*=\s*`)
)

func isLabelByte(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// quotedLen is the length of the double-quoted string s starts with, or
// len(s) when it does not end on the line.
func quotedLen(s string) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(s)
}

// explainSyntax rewords CUE syntax errors that have a likely plain cause.
func explainSyntax(err errors.Error, sources map[string][]byte) errors.Error {
	var out errors.Error
	// After a line written in Nix, the parser's later complaints about the
	// same file are its consequences.
	explained := map[string]bool{}
	for _, e := range errors.Errors(err) {
		pos := e.Position()
		if explained[pos.Filename()] {
			continue
		}
		if data, ok := sources[pos.Filename()]; ok && pos.IsValid() {
			start := lineOffset(data, pos.Line())
			end := start + strings.IndexByte(string(data[start:])+"\n", '\n')
			if m := dashedLabel.FindSubmatchIndex(data[start:end]); m != nil {
				label := string(data[start+m[4] : start+m[5]])
				tf := token.NewFile(pos.Filename(), -1, len(data))
				tf.SetLinesForContent(data)
				out = errors.Append(out, errors.Newf(tf.Pos(start+m[4], token.NoRelPos),
					"label %s needs quotes: write %q: (outside quotes, - subtracts)", label, label))
				continue
			}
			if fixed, col, why := nixHabits(string(data[start:end])); why != "" {
				tf := token.NewFile(pos.Filename(), -1, len(data))
				tf.SetLinesForContent(data)
				out = errors.Append(out, errors.Newf(tf.Pos(start+col, token.NoRelPos),
					"this is Nix, not CUE: write %s (%s)", fixed, why))
				explained[pos.Filename()] = true
				continue
			}
		}
		out = errors.Append(out, e)
	}
	return out
}

// tooBig reports where n's structs and lists nest deeper than MaxDepth, or
// one of them holds more than MaxWidth fields or items, with a message.
// CUE's evaluation costs time quadratic in the width of a struct or list:
// the limits keep every host file's evaluation short.
func tooBig(n ast.Node) (token.Pos, string, bool) {
	depth := 0
	var at token.Pos
	var msg string
	ast.Walk(n, func(n ast.Node) bool {
		if at.IsValid() {
			return false
		}
		var width int
		switch n := n.(type) {
		case *ast.StructLit:
			width = len(n.Elts)
		case *ast.ListLit:
			width = len(n.Elts)
		default:
			return true
		}
		depth++
		switch {
		case depth > MaxDepth:
			at, msg = n.Pos(), fmt.Sprintf("values nest deeper than %d levels here: no host or user needs that", MaxDepth)
		case width > MaxWidth:
			at, msg = n.Pos(), fmt.Sprintf("%d fields or items in one value, more than the %d axc allows: no host or user needs that", width, MaxWidth)
		}
		return !at.IsValid()
	}, func(n ast.Node) {
		switch n.(type) {
		case *ast.StructLit, *ast.ListLit:
			depth--
		}
	})
	return at, msg, at.IsValid()
}

// yamlNumber is a YAML 1.2 plain scalar that resolves to a number.
var yamlNumber = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// keepYAMLNumbers turns back into numbers the plain scalars that YAML reads
// as numbers but CUE's reader turned into strings because they do not fit
// in 64 bits (1e400): vet then says they are too large, instead of the
// build silently writing a string.
func keepYAMLNumbers(n ast.Node, data []byte) {
	ast.Walk(n, func(n ast.Node) bool {
		if f, ok := n.(*ast.Field); ok {
			// A key is a name, however it looks: only values are numbers.
			keepYAMLNumbers(f.Value, data)
			return false
		}
		lit, ok := n.(*ast.BasicLit)
		if !ok {
			return true
		}
		if lit.Kind == token.INT || lit.Kind == token.FLOAT {
			// CUE's reader writes an integer beyond 64 bits as the text
			// "number & N", which no CUE parser reads back.
			lit.Value = strings.TrimPrefix(lit.Value, "number & ")
			return true
		}
		if lit.Kind != token.STRING {
			return true
		}
		off := lit.Pos().Offset()
		if off < 0 || off >= len(data) || data[off] == '"' || data[off] == '\'' {
			return true // quoted: a string
		}
		s, err := strconv.Unquote(lit.Value)
		if err != nil || !yamlNumber.MatchString(s) {
			return true
		}
		s = strings.TrimPrefix(s, "+")
		if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "-.") {
			s = strings.Replace(s, ".", "0.", 1)
		}
		lit.Kind, lit.Value = token.FLOAT, s
		if !strings.ContainsAny(s, ".eE") {
			lit.Kind = token.INT
		}
		return true
	}, nil)
}

// builtFromEntry finds a top-level embedding or comprehension that refers
// to an entry (a host or user), directly or through top-level hidden
// fields, definitions and lets: `web` or `for k, v in web {(k): v}` beside
// `web: {…}`. Its fields would become entries themselves, each unified
// with the schema and read back by the embedding, and CUE does not finish
// evaluating that: memory grows by the second. name is the entry it
// refers to.
func builtFromEntry(files []*ast.File) (pos token.Pos, name string, found bool) {
	entries := map[string]bool{}
	others := map[string]ast.Node{} // top-level hidden fields, definitions and lets
	for _, f := range files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.Field:
				if n, ok := hostLabel(d); ok {
					entries[n] = true
				} else if id, ok := d.Label.(*ast.Ident); ok {
					others[id.Name] = d.Value
				}
			case *ast.LetClause:
				others[d.Ident.Name] = d.Expr
			}
		}
	}
	// tainted[n]: the name n is an entry, or refers to one.
	tainted := map[string]string{}
	for n := range entries {
		tainted[n] = n
	}
	for changed := true; changed; {
		changed = false
		for n, v := range others {
			if tainted[n] != "" {
				continue
			}
			refIdents(v, func(id *ast.Ident) {
				if e := tainted[id.Name]; e != "" && tainted[n] == "" {
					tainted[n], changed = e, true
				}
			})
		}
	}
	for _, f := range files {
		for _, d := range f.Decls {
			switch d.(type) {
			case *ast.EmbedDecl, *ast.Comprehension:
			default:
				continue
			}
			refIdents(d, func(id *ast.Ident) {
				if e := tainted[id.Name]; e != "" && !found {
					pos, name, found = id.Pos(), e, true
				}
			})
		}
	}
	return pos, name, found
}
