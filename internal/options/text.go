package options

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/axc-dev/axc/internal/doctext"
	"github.com/axc-dev/axc/internal/termtext"
)

// WriteText writes entries for a reader, one block each; tags are every
// release, oldest first, to write runs of releases as ranges.
func WriteText(w io.Writer, entries []Entry, tags []string) error {
	bw := bufio.NewWriter(w)
	for i, e := range entries {
		if i > 0 {
			bw.WriteString("\n")
		}
		// Each line a record: a name or doc from a schema cannot break
		// it or act on the terminal.
		termtext.Printf(bw, "%s (%s)", e.Name, e.Kind)
		line := func(key, value string) {
			if value != "" {
				termtext.Printf(bw, "  %-9s %s", key, value)
			}
		}
		// block writes lines under key, a blank line as an empty one
		// (no trailing spaces).
		block := func(key string, lines []string) {
			for j, l := range lines {
				switch {
				case l == "":
					bw.WriteString("\n")
				case j == 0:
					line(key, l)
				default:
					line("", l)
				}
			}
		}
		line("type", e.Type)
		line("default", DefaultString(&e))
		line("values", ValuesString(&e))
		block("example", doctext.Code(ExampleString(&e)))
		if e.ReadOnly {
			line("read-only", "its module sets it: a host cannot")
		}
		line("from", e.From)
		line("releases", Ranges(e.Releases, tags))
		block("doc", doctext.Lines(e.Doc, 68))
	}
	return bw.Flush()
}

// ExampleString is an entry's example: JSON when it is a literal, else
// its Nix text; "" when it has none.
func ExampleString(e *Entry) string {
	if e.Example != nil {
		return string(e.Example)
	}
	return e.ExampleText
}

// DefaultString says what an entry's default is.
func DefaultString(e *Entry) string {
	switch {
	case e.Default != nil:
		return string(e.Default)
	case e.DefaultText != "":
		return strings.Join(strings.Fields(e.DefaultText), " ")
	case e.Required:
		return "none (required)"
	}
	return "none"
}

// ValuesString says which values an entry allows, when its type lists
// them or bounds them.
func ValuesString(e *Entry) string {
	vals := make([]string, len(e.Values))
	for i, v := range e.Values {
		vals[i] = string(v)
	}
	var bounds string
	switch {
	case e.Min != nil && e.Max != nil:
		bounds = fmt.Sprintf("integers from %d to %d", *e.Min, *e.Max)
	case e.Min != nil:
		bounds = fmt.Sprintf("integers >= %d", *e.Min)
	}
	if bounds == "" {
		return strings.Join(vals, ", ")
	}
	if len(vals) > 0 {
		return strings.Join(vals, ", ") + ", or " + bounds
	}
	return bounds
}

// Ranges writes releases, a subset of tags in the same order, as runs of
// consecutive tags: "v2025.11.08 to v2025.12.11, v2026.05.01".
func Ranges(releases, tags []string) string {
	var runs []string
	for i := 0; i < len(releases); {
		start := slices.Index(tags, releases[i])
		j := i + 1
		for j < len(releases) && start >= 0 && slices.Index(tags, releases[j]) == start+(j-i) {
			j++
		}
		if j-i == 1 {
			runs = append(runs, releases[i])
		} else {
			runs = append(runs, releases[i]+" to "+releases[j-1])
		}
		i = j
	}
	return strings.Join(runs, ", ")
}

// WriteJSON writes entries as a JSON array, two spaces indenting.
func WriteJSON(w io.Writer, entries []Entry) error {
	if entries == nil {
		entries = []Entry{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(entries)
}
