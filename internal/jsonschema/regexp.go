package jsonschema

import "strings"

// posixClasses are the classes RE2 (CUE's regular expressions) knows inside
// brackets and ECMA-262 (JSON Schema's, as editors run them) does not.
var posixClasses = strings.NewReplacer(
	"[:alnum:]", `a-zA-Z0-9`,
	"[:alpha:]", `a-zA-Z`,
	"[:digit:]", `0-9`,
	"[:lower:]", `a-z`,
	"[:upper:]", `A-Z`,
	"[:space:]", `\s`,
	"[:word:]", `\w`,
	"[:xdigit:]", `0-9A-Fa-f`,
)

// ecmaRegexp writes a CUE regular expression for JSON Schema's pattern:
// the same language, in the syntax both dialects read.
func ecmaRegexp(re string) string {
	return posixClasses.Replace(re)
}
