package jsonschema

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/literal"
)

// Editors report a value that no alternative of an anyOf admits with the
// complaint of one alternative: yaml-language-server (VS Code's YAML
// support) with the first one's when, as for any scalar, no alternative
// fits better. For "" | =~"…@…" that was the enum's `Valid values: ""`,
// for null | #AbsolutePath `Valid values: null`, and a pattern's own
// complaint is the regular expression. So the string alternatives of a
// disjunction become one schema, first among the alternatives: a pattern
// (the union of theirs and of the literals'), whose patternErrorMessage
// (an extension yaml-language-server and VS Code read) says what the
// disjunction's error("…") says is expected, as axc vet prints it.

// strLang is a set of strings written as regular expressions.
type strLang struct {
	patterns []string // ECMA-262, unanchored as JSON Schema's pattern is
	any      bool     // every string
	// messages has the patternErrorMessage ("" if none) of each pattern
	// among them: none when they are literals only.
	messages []string
}

// message is what the patterns say when a string is none of them, when
// they all say the same.
func (l strLang) message() string {
	for _, m := range l.messages {
		if m != l.messages[0] {
			return ""
		}
	}
	if len(l.messages) == 0 {
		return ""
	}
	return l.messages[0]
}

// maxRefDepth bounds the definitions followed to a string schema.
const maxRefDepth = 16

// stringLanguage reports whether s admits strings only, and which, as
// regular expressions: a string literal, an enum of them, a string type
// with or without a pattern, a $ref to one, an anyOf of them.
func (g *generator) stringLanguage(s *Schema, depth int) (strLang, bool) {
	c := *s
	c.Description = ""
	switch {
	case c.Ref != "":
		name, ok := strings.CutPrefix(c.Ref, "#/$defs/")
		c.Ref = ""
		def := g.defs[name]
		if !ok || def == nil || !c.isAny() || depth >= maxRefDepth {
			return strLang{}, false
		}
		return g.stringLanguage(def, depth+1)
	case c.Const != nil:
		c.Const = nil
		lit, ok := stringLiteral(s.Const)
		return strLang{patterns: []string{lit}}, ok && c.isAny()
	case len(c.Enum) > 0:
		if !onlyEnum(&c) {
			return strLang{}, false
		}
		var l strLang
		for _, e := range c.Enum {
			lit, ok := stringLiteral(e)
			if !ok {
				return strLang{}, false
			}
			l.patterns = append(l.patterns, lit)
		}
		return l, true
	case len(c.AnyOf) > 0:
		alts := c.AnyOf
		c.AnyOf = nil
		if !c.isAny() {
			return strLang{}, false
		}
		var l strLang
		for _, a := range alts {
			al, ok := g.stringLanguage(a, depth+1)
			if !ok {
				return strLang{}, false
			}
			l = l.union(al)
		}
		return l, true
	case len(c.Type) == 1 && c.Type[0] == "string":
		p, msg := c.Pattern, c.PatternErrorMessage
		c.Type, c.Pattern, c.PatternErrorMessage = nil, "", ""
		if !c.isAny() {
			return strLang{}, false
		}
		if p == "" {
			return strLang{any: true}, true
		}
		return strLang{patterns: []string{p}, messages: []string{msg}}, true
	}
	return strLang{}, false
}

// union is the strings of l or of m.
func (l strLang) union(m strLang) strLang {
	l.any = l.any || m.any
	l.messages = append(l.messages, m.messages...)
	for _, p := range m.patterns {
		if !slices.Contains(l.patterns, p) {
			l.patterns = append(l.patterns, p)
		}
	}
	return l
}

// stringLiteral is the pattern admitting exactly the JSON string js.
func stringLiteral(js json.RawMessage) (string, bool) {
	var s string
	if len(js) == 0 || js[0] != '"' { // null decodes into a string too
		return "", false
	}
	if err := json.Unmarshal(js, &s); err != nil {
		return "", false
	}
	// QuoteMeta escapes ECMA-262's syntax characters, and only those.
	return "^" + regexp.QuoteMeta(s) + "$", true
}

// mergeStrings takes the string alternatives out of alts, as one schema
// admitting the strings any of them admits and saying expected when a
// string is none of them. It leaves alts as they are unless a pattern is
// among them and there are several or something to say.
func (g *generator) mergeStrings(alts []*Schema, expected string) (*Schema, []*Schema) {
	var l strLang
	var rest []*Schema
	n := 0
	for _, s := range alts {
		sl, ok := g.stringLanguage(s, 0)
		if !ok {
			rest = append(rest, s)
			continue
		}
		l = l.union(sl)
		n++
	}
	if len(l.messages) == 0 || n == 1 && expected == "" {
		return nil, alts
	}
	if l.any {
		// string | =~"…": every string. The type list takes it.
		return nil, append(rest, &Schema{Type: Types{"string"}})
	}
	s := &Schema{Type: Types{"string"}, Pattern: strings.Join(l.patterns, "|"), PatternErrorMessage: l.message()}
	if expected != "" {
		s.PatternErrorMessage = "Expected " + expected
	}
	return s, rest
}

// expectation is what the error("…") alternative v of a disjunction says
// a value should be: the text after "VALUE is not " in
// error("\(json.Marshal(x)) is not …"), or after "must be " in
// error("must be …"). It is "" for any other message.
func expectation(v cue.Value) string {
	call, ok := v.Source().(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return ""
	}
	if fn, ok := call.Fun.(*ast.Ident); !ok || fn.Name != "error" {
		return ""
	}
	switch arg := call.Args[0].(type) {
	case *ast.BasicLit:
		text, err := literal.Unquote(arg.Value)
		if err != nil {
			return ""
		}
		rest, _ := strings.CutPrefix(text, "must be ")
		if rest == text {
			return ""
		}
		return rest
	case *ast.Interpolation:
		// "\(", the value, then ") is not …": the literal parts keep
		// their quotes and the interpolation's parentheses.
		if len(arg.Elts) != 3 {
			return ""
		}
		first, ok1 := arg.Elts[0].(*ast.BasicLit)
		last, ok2 := arg.Elts[2].(*ast.BasicLit)
		if !ok1 || !ok2 || !strings.HasPrefix(last.Value, ")") {
			return ""
		}
		q, _, _, err := literal.ParseQuotes(first.Value, last.Value)
		if err != nil {
			return ""
		}
		text, err := q.Unquote(last.Value[1:])
		if err != nil {
			return ""
		}
		rest, ok := strings.CutPrefix(text, " is not ")
		if !ok {
			return ""
		}
		return rest
	}
	return ""
}
