package lsp

import (
	"net/url"
	"path/filepath"
	"strings"
	"unicode/utf16"
)

// lineStart is the byte offset of line (0-based) in text, or len(text)
// past the end.
func lineStart(text string, line int) int {
	off := 0
	for i := 0; i < line; i++ {
		nl := strings.IndexByte(text[off:], '\n')
		if nl < 0 {
			return len(text)
		}
		off += nl + 1
	}
	return off
}

// lineAt is the text of line (0-based), without its line ending.
func lineAt(text string, line int) string {
	start := lineStart(text, line)
	rest := text[start:]
	if nl := strings.IndexByte(rest, '\n'); nl >= 0 {
		rest = rest[:nl]
	}
	return strings.TrimSuffix(rest, "\r")
}

// utf16Len is how many UTF-16 code units s is.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// offsetOf is the byte offset of an LSP position in text, clamped to
// the line and to the text.
func offsetOf(text string, p position) int {
	if p.Line < 0 {
		return 0
	}
	start := lineStart(text, p.Line)
	line := lineAt(text, p.Line)
	units := 0
	for i, r := range line {
		if units >= p.Character {
			return start + i
		}
		units += utf16.RuneLen(r)
	}
	return start + len(line)
}

// positionOf is the LSP position of byte offset off in text.
func positionOf(text string, off int) position {
	off = max(0, min(off, len(text)))
	line := strings.Count(text[:off], "\n")
	start := strings.LastIndexByte(text[:off], '\n') + 1
	return position{Line: line, Character: utf16Len(text[start:off])}
}

// applyChange applies one content change of didChange to text: the whole
// text, or a range of it replaced.
func applyChange(text string, c contentChange) string {
	if c.Range == nil {
		return c.Text
	}
	start, end := offsetOf(text, c.Range.Start), offsetOf(text, c.Range.End)
	if end < start {
		start, end = end, start
	}
	return text[:start] + c.Text + text[end:]
}

// uriPath is the file path of a file: URI, "" for any other.
func uriPath(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" || u.Path == "" {
		return ""
	}
	if u.Host != "" && u.Host != "localhost" {
		return "" // a file on another machine
	}
	return filepath.Clean(filepath.FromSlash(u.Path))
}

// pathURI is the file: URI of an absolute path.
func pathURI(p string) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(p)}
	return u.String()
}

// isWordByte reports whether c is part of a CUE label or a value word.
func isWordByte(c byte) bool {
	return c == '_' || c == '$' || c == '#' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// wordEnd is the end of the word (a label, a number, a keyword) or the
// quoted string that starts at byte off of line; off itself when nothing
// does.
func wordEnd(line string, off int) int {
	if off >= len(line) {
		return off
	}
	if line[off] == '"' || line[off] == '\'' {
		q := line[off]
		for i := off + 1; i < len(line); i++ {
			if line[i] == '\\' {
				i++
				continue
			}
			if line[i] == q {
				return i + 1
			}
		}
		return len(line)
	}
	i := off
	for i < len(line) && isWordByte(line[i]) {
		i++
	}
	return i
}

// wordAround is the bounds of the word of line around byte off.
func wordAround(line string, off int) (int, int) {
	off = max(0, min(off, len(line)))
	start := off
	for start > 0 && isWordByte(line[start-1]) && line[start-1] != '#' {
		start--
	}
	if start > 0 && line[start-1] == '#' {
		start--
	}
	end := off
	for end < len(line) && isWordByte(line[end]) {
		end++
	}
	return start, end
}
