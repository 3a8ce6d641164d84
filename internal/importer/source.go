package importer

import (
	"fmt"
	"path/filepath"

	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/nix/syntax"
	"github.com/axc-dev/axc/internal/safeio"
)

// maxFileSize bounds a Nix file import reads, as axc bounds host files.
const maxFileSize = 4 << 20

// source is a parsed Nix file.
type source struct {
	abs  string // absolute file name
	name string // as messages show it (relative to the working directory)
	file *syntax.File
	// comments are the comment groups by the node they are attached to.
	comments map[syntax.Node][]*syntax.CommentGroup
	parents  map[syntax.Node]syntax.Node
}

func (s *source) dir() string { return filepath.Dir(s.abs) }

// text is the source text of n.
func (s *source) text(n syntax.Node) string {
	return string(s.file.Src[n.Pos().Offset:n.End().Offset])
}

// at is the position of n as messages show it: file:line:col.
func (s *source) at(n syntax.Node) string {
	p := n.Pos()
	return fmt.Sprintf("%s:%d:%d", s.name, p.Line, p.Col)
}

// parent is the node that n is a child of, or nil for the root.
func (s *source) parent(n syntax.Node) syntax.Node {
	if s.parents == nil {
		s.parents = map[syntax.Node]syntax.Node{}
		syntax.Inspect(s.file.Expr, func(n syntax.Node) bool {
			for _, c := range syntax.Children(n) {
				s.parents[c] = n
			}
			return true
		})
	}
	return s.parents[n]
}

// IOError is a file that cannot be read: a usage or I/O error, not a
// problem of the Nix in it.
type IOError struct{ Err error }

func (e *IOError) Error() string { return e.Err.Error() }
func (e *IOError) Unwrap() error { return e.Err }

// readSource reads and parses the Nix file abs. Unreadable files are
// *IOError, syntax errors *syntax.Error.
func readSource(abs string) (*source, error) {
	name := load.RelPath(abs)
	src, err := safeio.ReadFile(abs, maxFileSize)
	if err != nil {
		return nil, &IOError{fmt.Errorf("%s: %s", name, safeio.Reason(err))}
	}
	file, err := syntax.Parse(name, src)
	if err != nil {
		return nil, err
	}
	return &source{abs: abs, name: name, file: file, comments: file.CommentMap()}, nil
}
