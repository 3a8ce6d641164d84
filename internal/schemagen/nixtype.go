package schemagen

import (
	"fmt"

	"cuelang.org/go/cue/literal"
	"strconv"
	"strings"
)

// A Type is a parsed NixOS option type description, the `type` string that
// nixosOptionsDoc writes ("null or one of \"a\", \"b\"", "list of string", …).
type Type struct {
	Kind   Kind
	Elem   *Type    // NullOr, ListOf, AttrsOf
	Values []string // Enum
	Min    int64    // IntRange
	Max    int64    // IntRange
}

// Kind names a family of NixOS types.
type Kind int

const (
	Bool Kind = iota
	Str
	Lines
	Int
	IntRange
	AbsPath
	Enum
	NullOr
	ListOf
	AttrsOf
	Submodule
)

// ParseType parses a NixOS type description. Unknown descriptions are an
// error: a type that is not understood must never be widened to "anything".
func ParseType(s string) (*Type, error) {
	t, err := parseType(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("unknown type %q", s)
	}
	return t, nil
}

func parseType(s string) (*Type, error) {
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") && balanced(s[1:len(s)-1]) {
		return parseType(s[1 : len(s)-1])
	}
	switch s {
	case "boolean":
		return &Type{Kind: Bool}, nil
	case "string", "non-empty string", "str":
		return &Type{Kind: Str}, nil
	case `strings concatenated with "\n"`:
		return &Type{Kind: Lines}, nil
	case "signed integer", "integer":
		return &Type{Kind: Int}, nil
	case "absolute path":
		return &Type{Kind: AbsPath}, nil
	case "submodule":
		return &Type{Kind: Submodule}, nil
	case "unsigned integer, meaning >=0":
		return &Type{Kind: IntRange, Min: 0, Max: 1<<63 - 1}, nil
	case "positive integer, meaning >0":
		return &Type{Kind: IntRange, Min: 1, Max: 1<<63 - 1}, nil
	}
	for _, w := range []struct {
		prefix string
		kind   Kind
	}{
		{"null or ", NullOr},
		{"list of ", ListOf},
		{"attribute set of ", AttrsOf},
	} {
		if rest, ok := strings.CutPrefix(s, w.prefix); ok {
			elem, err := parseType(rest)
			if err != nil {
				return nil, err
			}
			return &Type{Kind: w.kind, Elem: elem}, nil
		}
	}
	if rest, ok := strings.CutPrefix(s, "one of "); ok {
		vals, err := parseEnum(rest)
		if err != nil {
			return nil, err
		}
		return &Type{Kind: Enum, Values: vals}, nil
	}
	// "16 bit unsigned integer; between 0 and 65535 (both inclusive)",
	// "integer between 1 and 10 (both inclusive)" and the like.
	if i := strings.Index(s, "between "); i >= 0 && strings.Contains(s, "integer") && strings.HasSuffix(s, " (both inclusive)") {
		lo, hi, ok := strings.Cut(strings.TrimSuffix(s[i+len("between "):], " (both inclusive)"), " and ")
		if ok {
			min, err1 := strconv.ParseInt(lo, 10, 64)
			max, err2 := strconv.ParseInt(hi, 10, 64)
			if err1 == nil && err2 == nil && min <= max {
				return &Type{Kind: IntRange, Min: min, Max: max}, nil
			}
		}
	}
	return nil, fmt.Errorf("unknown type")
}

// parseEnum reads `"a", "b", "c"` (NixOS writes the values with builtins.toJSON).
func parseEnum(s string) ([]string, error) {
	var vals []string
	for {
		s = strings.TrimSpace(s)
		if !strings.HasPrefix(s, `"`) {
			return nil, fmt.Errorf("enum value is not a string")
		}
		q, err := strconv.QuotedPrefix(s)
		if err != nil {
			return nil, err
		}
		v, err := strconv.Unquote(q)
		if err != nil {
			return nil, err
		}
		vals = append(vals, v)
		s = strings.TrimSpace(s[len(q):])
		if s == "" {
			return vals, nil
		}
		rest, ok := strings.CutPrefix(s, ",")
		if !ok {
			return nil, fmt.Errorf("expected comma")
		}
		s = rest
	}
}

func balanced(s string) bool {
	depth := 0
	for _, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
			if depth < 0 {
				return false
			}
		}
	}
	return depth == 0
}

// CUE returns the CUE constraint for values of t. Submodules are expanded by
// the caller, which knows their options; here they are any struct.
func (t *Type) CUE() string {
	switch t.Kind {
	case Bool:
		return "bool"
	case Str, Lines:
		return "string"
	case Int:
		return "int"
	case IntRange:
		return fmt.Sprintf("int & >=%d & <=%d", t.Min, t.Max)
	case AbsPath:
		return "#AbsolutePath"
	case Enum:
		quoted := make([]string, len(t.Values))
		for i, v := range t.Values {
			quoted[i] = literal.String.Quote(v)
		}
		return strings.Join(quoted, " | ")
	case NullOr:
		return "null | " + t.Elem.CUE()
	case ListOf:
		return "[...(" + t.Elem.CUE() + ")]"
	case AttrsOf:
		return "{[string]: " + t.Elem.CUE() + "}"
	case Submodule:
		return "{...}"
	}
	panic(fmt.Sprintf("schemagen: unhandled kind %d", t.Kind))
}

// Describe says in words what values t accepts, to finish the sentence
// "X is not …".
func (t *Type) Describe() string {
	switch t.Kind {
	case Bool:
		return "a boolean (true or false)"
	case Str:
		return "a string"
	case Lines:
		return "a string (lines)"
	case Int:
		return "an integer"
	case IntRange:
		if t.Max == 1<<63-1 {
			return fmt.Sprintf("an integer >= %d", t.Min)
		}
		return fmt.Sprintf("an integer from %d to %d", t.Min, t.Max)
	case AbsPath:
		return `an absolute path ("/…") or a relative path ("./…", letters, digits and . _ + - only)`
	case Enum:
		quoted := make([]string, len(t.Values))
		for i, v := range t.Values {
			quoted[i] = strconv.Quote(v)
		}
		return "one of " + strings.Join(quoted, ", ")
	case NullOr:
		return "null or " + t.Elem.Describe()
	case ListOf:
		return "a list of " + t.Elem.noun()
	case AttrsOf, Submodule:
		return "an attribute set"
	}
	panic(fmt.Sprintf("schemagen: unhandled kind %d", t.Kind))
}

// noun is Describe for the items of a list.
func (t *Type) noun() string {
	switch t.Kind {
	case Bool:
		return "booleans"
	case Str, Lines:
		return "strings"
	case Int, IntRange:
		return "integers"
	case AbsPath:
		return "absolute paths"
	case ListOf:
		return "lists"
	case AttrsOf, Submodule:
		return "attribute sets"
	}
	return "values that are each " + t.Describe()
}
