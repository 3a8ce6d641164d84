package nix

import (
	"bytes"
	"strings"
)

// The layout: an expression renders to a doc, a list of lines with
// indentation relative to the line the doc starts on. Docs combine by
// continuing a line (join), stacking (below) and bracketing (block); bytes
// turns the result into text.

const indentUnit = "  "

// line is one output line; ind is relative to the line the enclosing doc
// starts on. A verbatim line is written without any indentation, because
// it continues a token (a string) whose value would change with it.
type line struct {
	ind      int
	text     string
	verbatim bool
}

func (l line) shift(n int) line {
	l.ind += n
	return l
}

// doc is a rendered expression. Its first line continues wherever the doc
// is placed; later lines are indented relative to that line.
type doc struct {
	lines []line
	// hang marks a multi-line doc whose first line opens a block closed on
	// its last line (braces, brackets, indented string quotes, parentheses),
	// so it can stay on the line of `key =`, a function or an operator.
	hang bool
}

func text(s string) doc { return doc{lines: []line{{text: s}}} }

func (d doc) multi() bool { return len(d.lines) > 1 }

// join continues a's last line with sep and b.
func join(a doc, sep string, b doc) doc {
	lines := make([]line, 0, len(a.lines)+len(b.lines))
	lines = append(lines, a.lines...)
	last := len(lines) - 1
	lines[last].text += sep + b.lines[0].text
	base := lines[last].ind
	for _, l := range b.lines[1:] {
		lines = append(lines, l.shift(base))
	}
	return doc{lines: lines}
}

// below puts b on new lines after a, indented by shift.
func below(a, b doc, shift int) doc {
	lines := make([]line, 0, len(a.lines)+len(b.lines))
	lines = append(lines, a.lines...)
	for _, l := range b.lines {
		lines = append(lines, l.shift(shift))
	}
	return doc{lines: lines}
}

// block puts items one per line, indented, between open and close.
func block(open string, items []doc, close string) doc {
	lines := []line{{text: open}}
	for _, it := range items {
		for _, l := range it.lines {
			lines = append(lines, l.shift(1))
		}
	}
	lines = append(lines, line{text: close})
	return doc{lines: lines, hang: true}
}

func (d doc) suffix(s string) doc {
	out := join(d, s, text(""))
	out.hang = d.hang
	return out
}

func (d doc) bytes() []byte {
	var b bytes.Buffer
	for _, l := range d.lines {
		// Empty lines get no indentation: no trailing spaces, and inside
		// indented strings they take no part in indentation stripping.
		if l.text != "" && !l.verbatim {
			b.WriteString(strings.Repeat(indentUnit, l.ind))
		}
		b.WriteString(l.text)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func paren(d doc) doc {
	switch {
	case !d.multi():
		return text("(" + d.lines[0].text + ")")
	case d.hang:
		out := join(text("("), "", d).suffix(")")
		out.hang = true
		return out
	default:
		out := below(text("("), d, 1)
		out = below(out, text(")"), 0)
		out.hang = true
		return out
	}
}
