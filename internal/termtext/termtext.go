// Package termtext writes text for a terminal or a CI log from strings that
// may come from hostile input: file names, option and user names, flake.lock
// input names, values. A record (a diagnostic, a note, a warning, an error)
// is one line, whose every character that could act on the terminal or
// change how the line reads is escaped: control characters (newlines, ESC,
// carriage returns, tabs, C1 controls), format characters (the bidi
// overrides and isolates, zero-width characters), line and paragraph
// separators, and bytes that are not UTF-8. A file name holding a newline
// then cannot forge a `file:line:col:` line for an editor's problem
// matcher, and ESC[2J cannot clear the screen.
//
// Escapes are Go's: \n, \r, \t, \x1b for other ASCII controls and for bytes
// that are not UTF-8, \u202e (\U000e0001 beyond the BMP) for the rest. A
// backslash is not escaped: text without anything to escape is unchanged,
// and escaping is idempotent.
package termtext

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// NeedsEscape reports whether r is escaped in terminal text.
func NeedsEscape(r rune) bool {
	switch {
	case r < 0x20 || r == 0x7f:
		return true
	case r < 0x80:
		return false
	case r == utf8.RuneError:
		return false // a real U+FFFD; an invalid byte is escaped by Escape
	}
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp)
}

// Escape returns s with every character that NeedsEscape, and every byte
// that is not UTF-8, escaped.
func Escape(s string) string { return escape(s, false) }

// escape is Escape, leaving tabs alone when keepTab (in the lines of a
// file, a tab is text).
func escape(s string, keepTab bool) string {
	clean := func(r rune) bool { return !NeedsEscape(r) || keepTab && r == '\t' }
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !clean(r) || r == utf8.RuneError && n == 1 {
			break
		}
		i += n
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case clean(r):
			b.WriteString(s[i : i+n])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
		i += n
	}
	return b.String()
}

// Println writes the record s as one line: escaped, then a newline.
func Println(w io.Writer, s string) error {
	_, err := io.WriteString(w, Escape(s)+"\n")
	return err
}

// Printf writes the record that format and args make as one line.
func Printf(w io.Writer, format string, args ...any) error {
	return Println(w, fmt.Sprintf(format, args...))
}

// WriteLines writes the text of a file (a diff, a file listed): each line
// escaped but for its tabs, which are text there; the line breaks kept. A
// last line without a newline gets none.
func WriteLines(w io.Writer, text string) error {
	var b strings.Builder
	for text != "" {
		line, rest, found := strings.Cut(text, "\n")
		b.WriteString(escape(line, true))
		if found {
			b.WriteByte('\n')
		}
		text = rest
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Part is a piece of a record: its text, escaped like any other, and the
// ANSI SGR parameters it is shown with on a colour terminal ("1" bold,
// "1;31" bold red, "" plain).
type Part struct {
	Text string
	SGR  string
}

// SGR parameters of the parts axc colours.
const (
	BoldRed    = "1;31"
	BoldYellow = "1;33"
)

// PrintParts writes one record made of parts: each part's text escaped,
// and, when color, set in its SGR colours and reset after it. The escape
// sequences are axc's own; nothing in a part's text can make one.
func PrintParts(w io.Writer, color bool, parts ...Part) error {
	var b strings.Builder
	for _, p := range parts {
		if color && p.SGR != "" && p.Text != "" {
			b.WriteString("\x1b[" + p.SGR + "m" + Escape(p.Text) + "\x1b[0m")
			continue
		}
		b.WriteString(Escape(p.Text))
	}
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}
