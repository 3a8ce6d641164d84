package importer

import (
	"fmt"
	"sort"
	"strings"

	"github.com/axc-dev/axc/internal/nix/syntax"
)

// Note is a line of import's report: something the author should know,
// at the place in their files it is about.
type Note struct {
	File      string // as messages show it; "" when about no file
	Line, Col int    // 0 when about a whole file
	Msg       string
}

func (n Note) String() string {
	switch {
	case n.File == "":
		return n.Msg
	case n.Line == 0:
		return n.File + ": " + n.Msg
	}
	return fmt.Sprintf("%s:%d:%d: %s", n.File, n.Line, n.Col, n.Msg)
}

// Error makes a Note an error, a record of an *Error.
func (n Note) Error() string { return n.String() }

// Error is an import that cannot be done: every problem found, each at
// its place. Nothing is written.
type Error struct {
	Problems []Note
}

// Unwrap gives the problems one by one: each is a record of its own.
func (e *Error) Unwrap() []error {
	out := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p
	}
	return out
}

func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// report collects notes and problems, each once.
type report struct {
	notes, problems []Note
	seen            map[Note]bool
}

func (r *report) add(list *[]Note, n Note) {
	if r.seen == nil {
		r.seen = map[Note]bool{}
	}
	if !r.seen[n] {
		r.seen[n] = true
		*list = append(*list, n)
	}
}

func noteAt(s *source, n syntax.Node, msg string) Note {
	if s == nil {
		return Note{Msg: msg}
	}
	if n == nil {
		return Note{File: s.name, Msg: msg}
	}
	p := n.Pos()
	return Note{File: s.name, Line: p.Line, Col: p.Col, Msg: msg}
}

func (r *report) note(s *source, n syntax.Node, msg string) {
	r.add(&r.notes, noteAt(s, n, msg))
}

func (r *report) problem(u *unportable) {
	r.add(&r.problems, noteAt(u.file, u.node, u.msg))
}

func (r *report) problemf(s *source, n syntax.Node, format string, args ...any) {
	r.add(&r.problems, noteAt(s, n, fmt.Sprintf(format, args...)))
}

// sortNotes orders notes by file and position.
func sortNotes(ns []Note) {
	sort.SliceStable(ns, func(i, j int) bool {
		a, b := ns[i], ns[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}
