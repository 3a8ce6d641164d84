package options

import (
	"bytes"
	"fmt"
	"strings"

	"cuelang.org/go/cue/literal"

	"axc.dev/axc/schema"
)

// scanOptions lists the @option attributes of a generated schema file, as
// schema.OptionsFrom does, without the CUE parser: naming the releases an
// option exists in reads every release's file, and parsing them all would
// cost most of what `axc options` may take. It relies on the generator's
// layout (each top-level definition starts a line, an attribute is on one
// line); TestScanMatchesOptionsFrom holds it to OptionsFrom on every release.
func scanOptions(src []byte) ([]schema.Option, error) {
	var opts []schema.Option
	set := "nixos"
	for line := range bytes.Lines(src) {
		if len(line) > 0 && line[0] == '#' {
			// A top-level definition: #HomeOptions and #HomeConfig hold
			// the home-manager options.
			set = "nixos"
			if bytes.HasPrefix(line, []byte("#Home")) {
				set = "home"
			}
		}
		for {
			i := bytes.Index(line, []byte("@option("))
			if i < 0 {
				break
			}
			line = line[i+len("@option("):]
			body, rest, ok := attrBody(line)
			if !ok {
				return nil, fmt.Errorf("%s: unterminated @option attribute", schema.GenFile)
			}
			o, err := parseOptionAttr(body)
			if err != nil {
				return nil, fmt.Errorf("%s: @option(%s): %v", schema.GenFile, body, err)
			}
			o.Set = set
			opts = append(opts, o)
			line = rest
		}
	}
	return opts, nil
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

// parseOptionAttr reads `name="…", type="…", default="…", readOnly`.
func parseOptionAttr(body []byte) (schema.Option, error) {
	var o schema.Option
	for _, arg := range splitArgs(string(body)) {
		key, value, hasValue := strings.Cut(strings.TrimSpace(arg), "=")
		if hasValue {
			s, err := literal.Unquote(strings.TrimSpace(value))
			if err != nil {
				return o, fmt.Errorf("%s: %v", key, err)
			}
			value = s
		}
		switch strings.TrimSpace(key) {
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
