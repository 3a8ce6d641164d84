// Package doctext renders the description of an option, its module
// author's markdown, as plain text for a terminal or a comment: no escape
// sequences, no markup interpreted, lines of a given width.
//
// The authors write markdown the way one writes a plain-text comment:
// paragraphs broken by hand, lists of "- " items whose lines go on indented,
// examples of Nix code indented under a line. Lines renders what markdown
// would (a paragraph's lines are one paragraph, re-wrapped; a list item
// and its indented lines are one item), except that the lines indented
// under a paragraph stay as written: they are code, which markdown would
// run together.
package doctext

import (
	"strings"
	"unicode"
)

// Lines is text rendered as lines of at most width bytes where the words
// allow: paragraphs re-wrapped, each list item on lines of its own
// (wrapped ones indented under its text), code lines as written; one empty
// line between paragraphs, none leading or trailing. Control characters
// are spaces: nothing in text may drive the terminal.
func Lines(text string, width int) []string {
	text = clean(text)
	var out []string
	blank := func() {
		if len(out) > 0 && out[len(out)-1] != "" {
			out = append(out, "")
		}
	}
	// The logical line being gathered: its indentation, the indentation
	// of its wrapped lines, its words.
	var indent, hang string
	var words []string
	inItem, inCode := false, false
	flush := func() {
		if len(words) > 0 {
			out = append(out, wrap(words, indent, hang, width)...)
		}
		words = nil
	}
	for src := range strings.SplitSeq(text, "\n") {
		src = strings.TrimRight(src, " ")
		trimmed := strings.TrimLeft(src, " ")
		lead := src[:len(src)-len(trimmed)]
		switch {
		case trimmed == "":
			flush()
			blank()
			inItem, inCode = false, false
		case inCode && lead != "":
			out = append(out, src)
		case isItem(trimmed):
			flush()
			indent, hang = lead, lead+strings.Repeat(" ", itemWidth(trimmed))
			words = strings.Fields(trimmed)
			inItem, inCode = true, false
		case inItem:
			// An item's next line, indented or not: the same item.
			words = append(words, strings.Fields(trimmed)...)
		case len(words) > 0 && len(lead) > len(indent):
			// Indented under a paragraph: code, as written.
			flush()
			out = append(out, src)
			inCode = true
		case len(words) > 0:
			// A paragraph's next line: the same paragraph.
			words = append(words, strings.Fields(trimmed)...)
		default:
			// A paragraph starts.
			indent, hang = lead, lead
			words = strings.Fields(trimmed)
			inCode = false
		}
	}
	flush()
	if len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// isItem reports whether line (without its indentation) starts a list
// item: "- ", "* ", "+ " or a number and ". " or ") ".
func isItem(line string) bool { return itemWidth(line) > 0 }

// itemWidth is the width of line's list marker with its space, or 0.
func itemWidth(line string) int {
	if len(line) >= 2 && strings.ContainsRune("-*+", rune(line[0])) && line[1] == ' ' {
		return 2
	}
	i := 0
	for i < len(line) && i < 9 && line[i] >= '0' && line[i] <= '9' {
		i++
	}
	if i > 0 && i+1 < len(line) && (line[i] == '.' || line[i] == ')') && line[i+1] == ' ' {
		return i + 2
	}
	return 0
}

// wrap lays words out in lines of at most width bytes (a longer word
// alone), the first at indent, the others at hang.
func wrap(words []string, indent, hang string, width int) []string {
	var out []string
	cur := indent
	empty := true
	for _, w := range words {
		if !empty && len(cur)+1+len(w) > width {
			out = append(out, cur)
			cur, empty = hang, true
		}
		if empty {
			cur += w
			empty = false
		} else {
			cur += " " + w
		}
	}
	return append(out, cur)
}

// Code is text as lines to show as written (an example's Nix code):
// control characters spaces, trailing spaces and blank lines at either end
// dropped.
func Code(text string) []string {
	lines := strings.Split(clean(text), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	for len(lines) > 0 && lines[0] == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// clean makes text safe for a terminal: tabs four spaces, "\r\n" a line
// break, and every other control character a space.
func clean(text string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		if r != '\n' && unicode.IsControl(r) {
			return ' '
		}
		return r
	}, strings.ReplaceAll(text, "\t", "    "))
}
