package nix

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/axc-dev/axc/internal/termtext"
)

// Quoting: how strings, attribute names, numbers and identifiers are
// written so that Nix reads back exactly the value they stand for.

// QuoteKey returns k unchanged if it can be written bare as an attribute
// name, and as a quoted string otherwise. Keywords are always quoted, even
// `or`, which Nix 2.8 accepts bare in some positions but not in others.
func QuoteKey(k string) string {
	if isIdent(k) {
		return k
	}
	return QuoteString(k)
}

// QuoteString returns s as a Nix "..." string literal. Nix cannot represent
// NUL bytes (it truncates the string there); QuoteString does not check for
// them, Format does.
//
// Control and format characters other than \n, \r and \t (hidden) are
// not written as themselves: a bidi override would make the file read
// otherwise than Nix reads it (Trojan Source), ESC would act on a terminal
// showing it. Nix strings have no escape for them, so they are written by
// their codes, as ${builtins.fromJSON "\"\\u202e\""}, which is exactly
// those characters: the literal, an interpolation of plain strings, is the
// same string, and works as an attribute name too.
func QuoteString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); {
		if r, n := utf8.DecodeRuneInString(s[i:]); hidden(r) {
			b.WriteString(`${builtins.fromJSON "\"`)
			for ; hidden(r); r, n = utf8.DecodeRuneInString(s[i:]) {
				// JSON's \u escapes, in a Nix string: \\uXXXX.
				for _, u := range utf16.Encode([]rune{r}) {
					fmt.Fprintf(&b, `\\u%04x`, u)
				}
				i += n
			}
			b.WriteString(`\""}`)
			continue
		}
		switch c := s[i]; c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			// Nix turns a literal CR inside "..." into a newline.
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '$':
			// "${" would start an interpolation, and "$${" would be
			// text: a $ before a "{" or before hidden characters (written
			// as an interpolation) is escaped.
			if r, _ := utf8.DecodeRuneInString(s[i+1:]); r == '{' || hidden(r) {
				b.WriteString(`\$`)
			} else {
				b.WriteByte('$')
			}
		default:
			b.WriteByte(c)
		}
		i++
	}
	b.WriteByte('"')
	return b.String()
}

// hidden reports whether r is written in a Nix string by its code: a
// control or format character (termtext.NeedsEscape) that has no escape of
// its own in Nix.
func hidden(r rune) bool {
	return r != '\n' && r != '\r' && r != '\t' && r != 0 && termtext.NeedsEscape(r)
}

// hasHidden reports whether s holds a hidden character.
func hasHidden(s string) bool { return strings.IndexFunc(s, hidden) >= 0 }

// minNormal is the smallest normal float64. Nix 2.8 rejects literals of
// subnormal values ("invalid float"), so those print as a product.
const minNormal = 0x1p-1022

var keywords = map[string]bool{
	"if": true, "then": true, "else": true, "assert": true, "with": true,
	"let": true, "in": true, "rec": true, "inherit": true, "or": true,
}

var (
	identRe = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_'-]*$`)
	pathRe  = regexp.MustCompile(`^(\.\.?)?(/[a-zA-Z0-9._+-]+)+$`)
)

func isIdent(s string) bool { return identRe.MatchString(s) && !keywords[s] }

// isIdentPath reports whether s is a dotted path of identifiers (a.b.c).
func isIdentPath(s string) bool {
	for _, seg := range strings.Split(s, ".") {
		if !isIdent(seg) {
			return false
		}
	}
	return true
}

func key(path []string) (string, error) {
	if len(path) == 0 {
		return "", errors.New("empty attribute path")
	}
	ks := make([]string, len(path))
	for i, k := range path {
		if strings.IndexByte(k, 0) >= 0 {
			return "", fmt.Errorf("attribute name %q contains a NUL byte", k)
		}
		ks[i] = QuoteKey(k)
	}
	return strings.Join(ks, "."), nil
}

func floatLit(f float64) (string, error) {
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return "", fmt.Errorf("float %v cannot be represented in Nix", f)
	case f == 0:
		if math.Signbit(f) {
			// -0.0 would evaluate as 0 - 0.0 = +0.0.
			return "(-1 * 0.0)", nil
		}
		return "0.0", nil
	case math.Abs(f) < minNormal:
		// Both factors are normal and the product is representable, so
		// the multiplication is exact.
		return "(" + floatDigits(f*0x1p64) + " * " + floatDigits(0x1p-64) + ")", nil
	}
	return floatDigits(f), nil
}

// floatDigits formats f with the shortest digits that parse back to f, and
// always with a decimal point because Nix reads "1e21" as 1 applied to e21.
func floatDigits(f float64) string {
	if a := math.Abs(f); a >= 1e-6 && a < 1e21 {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'e', -1, 64)
	if m, exp, _ := strings.Cut(s, "e"); !strings.Contains(m, ".") {
		s = m + ".0e" + exp
	}
	return s
}

func str(s string) (doc, error) {
	if strings.IndexByte(s, 0) >= 0 {
		return doc{}, fmt.Errorf("string %q contains a NUL byte, which Nix cannot represent", s)
	}
	if d, ok := indented(s); ok && !hasHidden(s) {
		return d, nil
	}
	return text(QuoteString(s)), nil
}

// indented renders s as an indented string if that form evaluates back to
// s exactly. Nix strips the smallest indentation of the lines with content,
// so s needs a content line without leading spaces; and a final newline
// keeps the closing quotes on their own line, whose indentation Nix drops.
func indented(s string) (doc, bool) {
	if !strings.HasSuffix(s, "\n") {
		return doc{}, false
	}
	ls := strings.Split(s[:len(s)-1], "\n")
	flush := false
	for _, l := range ls {
		if t := strings.TrimLeft(l, " "); t != "" && len(t) == len(l) {
			flush = true
			break
		}
	}
	if !flush {
		return doc{}, false
	}
	items := make([]doc, len(ls))
	for i, l := range ls {
		items[i] = text(escapeIndented(l))
	}
	return block("''", items, "''"), true
}

func escapeIndented(l string) string {
	var b strings.Builder
	for i := 0; i < len(l); {
		switch {
		case l[i] == '\'':
			j := i
			for j < len(l) && l[j] == '\'' {
				j++
			}
			b.WriteString(strings.Repeat("'''", (j-i)/2))
			if (j-i)%2 == 1 {
				// A lone quote followed by an escape starting with ''
				// would lex as ''' together with it.
				if j < len(l) && (l[j] == '\r' || strings.HasPrefix(l[j:], "${")) {
					b.WriteString(`''\'`)
				} else {
					b.WriteByte('\'')
				}
			}
			i = j
		case strings.HasPrefix(l[i:], "${"):
			b.WriteString("''${")
			i += 2
		case l[i] == '\r':
			b.WriteString(`''\r`)
			i++
		default:
			b.WriteByte(l[i])
			i++
		}
	}
	return b.String()
}
