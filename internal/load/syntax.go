package load

import (
	"encoding/json"
	"fmt"
	"regexp"
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

// explainSyntax rewords CUE syntax errors that have a likely plain cause.
func explainSyntax(err errors.Error, sources map[string][]byte) errors.Error {
	var out errors.Error
	for _, e := range errors.Errors(err) {
		pos := e.Position()
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
			at, msg = n.Pos(), fmt.Sprintf("values nest deeper than %d levels here: no axios host needs that", MaxDepth)
		case width > MaxWidth:
			at, msg = n.Pos(), fmt.Sprintf("%d fields or items in one value, more than the %d axc allows: no axios host needs that", width, MaxWidth)
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
