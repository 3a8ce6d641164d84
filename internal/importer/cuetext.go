package importer

import (
	"fmt"
	"strconv"
	"strings"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/format"
	"cuelang.org/go/cue/literal"
)

// The CUE that import writes is built as a small tree of its own, printed
// as text and then parsed and printed again by cuelang.org/go/cue/format.
// The parser attaches each comment to its node (as cue/ast comment groups)
// and format lays the file out as `cue fmt` does. (Comments attached to a
// cue/ast tree that was built in memory, without positions, are printed
// twice before list elements by cue/format; text has positions.)

// cueFile is one file: a package clause and top-level fields.
type cueFile struct {
	pkg    string
	doc    []string // comment lines before the package clause
	fields []*cueField
}

// cueField is `a: b: c: value`, a chain of labels.
type cueField struct {
	labels     []string
	value      cueExpr
	doc        [][]string // comment groups before it; blank-line separated ones are free-standing
	detach     []bool     // doc[i] is separated from the field by a blank line
	line       []string   // comments on its line, after it
	after      [][]string // comment groups after it, on lines of their own
	afterBlank []bool     // after[i] is separated from what precedes it by a blank line
	blank      bool       // a blank line before it
	hidden     bool       // the label is a hidden identifier (_base), written bare
}

// cueExpr is a value: *cueStruct, *cueList, cueLit, cueRaw or cueRef.
type cueExpr interface{ isCue() }

type cueStruct struct {
	embeds []string // hidden values embedded (_base)
	fields []*cueField
	inner  [][]string // comment groups with no field to attach to
}

type cueList struct {
	elems []*cueElem
}

type cueElem struct {
	value cueExpr
	doc   [][]string
	line  []string
}

// cueLit is a literal already in CUE syntax.
type cueLit string

// cueRaw is verbatim Nix: {$nix: "text"}.
type cueRaw string

// cueRef is a reference to a hidden value.
type cueRef string

func (*cueStruct) isCue() {}
func (*cueList) isCue()   {}
func (cueLit) isCue()     {}
func (cueRaw) isCue()     {}
func (cueRef) isCue()     {}

// cueString is s as a CUE string literal; multi-line strings use the
// """ form, indented for depth.
func cueString(s string, depth int) cueLit {
	if strings.Contains(s, "\n") {
		return cueLit(literal.String.WithOptionalTabIndent(depth + 1).Quote(s))
	}
	return cueLit(literal.String.Quote(s))
}

// cueLabel is name as a CUE label: bare when it is a regular identifier,
// quoted otherwise (so that _x and #x stay regular fields).
func cueLabel(name string) string {
	if ast.StringLabelNeedsQuoting(name) {
		return literal.String.Quote(name)
	}
	return name
}

func cueFloat(f float64) cueLit {
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	return cueLit(s)
}

// printer writes the tree as CUE text.
type printer struct {
	b strings.Builder
}

func (p *printer) comments(lines []string) {
	for _, l := range lines {
		p.b.WriteString(l)
		p.b.WriteByte('\n')
	}
}

func (p *printer) field(f *cueField, depth int) {
	if f.blank {
		p.b.WriteByte('\n')
	}
	for i, g := range f.doc {
		p.comments(g)
		if f.detach[i] {
			p.b.WriteByte('\n')
		}
	}
	for i, l := range f.labels {
		if i > 0 {
			p.b.WriteByte(' ')
		}
		if f.hidden {
			p.b.WriteString(l)
		} else {
			p.b.WriteString(cueLabel(l))
		}
		p.b.WriteByte(':')
	}
	p.b.WriteByte(' ')
	p.expr(f.value, depth)
	for _, l := range f.line {
		p.b.WriteByte(' ')
		p.b.WriteString(l)
	}
	p.b.WriteByte('\n')
	for i, g := range f.after {
		if f.afterBlank[i] {
			p.b.WriteByte('\n')
		}
		p.comments(g)
	}
}

func (p *printer) expr(e cueExpr, depth int) {
	switch e := e.(type) {
	case *cueStruct:
		if len(e.embeds) == 0 && len(e.fields) == 0 && len(e.inner) == 0 {
			p.b.WriteString("{}")
			return
		}
		p.b.WriteString("{\n")
		for _, g := range e.inner {
			p.comments(g)
			p.b.WriteByte('\n')
		}
		for _, name := range e.embeds {
			p.b.WriteString(name)
			p.b.WriteByte('\n')
		}
		for _, f := range e.fields {
			p.field(f, depth+1)
		}
		p.b.WriteString("}")
	case *cueList:
		if !e.multiline() {
			p.b.WriteByte('[')
			for i, el := range e.elems {
				if i > 0 {
					p.b.WriteString(", ")
				}
				p.expr(el.value, depth)
			}
			p.b.WriteByte(']')
			return
		}
		p.b.WriteString("[\n")
		for _, el := range e.elems {
			for _, g := range el.doc {
				p.comments(g)
			}
			p.expr(el.value, depth+1)
			p.b.WriteByte(',')
			for _, l := range el.line {
				p.b.WriteByte(' ')
				p.b.WriteString(l)
			}
			p.b.WriteByte('\n')
		}
		p.b.WriteString("]")
	case cueLit:
		p.b.WriteString(string(e))
	case cueRaw:
		p.b.WriteString("{$nix: ")
		p.b.WriteString(string(cueString(string(e), depth)))
		p.b.WriteString("}")
	case cueRef:
		p.b.WriteString(string(e))
	}
}

// multiline reports whether a list is printed one element a line: when it
// has comments, structs or lists in it, or is long.
func (l *cueList) multiline() bool {
	width := 0
	for _, el := range l.elems {
		if len(el.doc) > 0 || len(el.line) > 0 {
			return true
		}
		switch v := el.value.(type) {
		case *cueStruct, *cueList:
			return true
		case cueLit:
			width += len(v) + 2
		case cueRaw:
			if strings.Contains(string(v), "\n") {
				return true
			}
			width += len(v) + 12
		}
	}
	return width > 60
}

// format prints f and formats it as cue fmt does.
func (f *cueFile) format() ([]byte, error) {
	var p printer
	p.comments(f.doc)
	fmt.Fprintf(&p.b, "package %s\n", f.pkg)
	for _, fl := range f.fields {
		p.b.WriteByte('\n')
		p.field(fl, 0)
	}
	out, err := format.Source([]byte(p.b.String()))
	if err != nil {
		// A bug: what import writes must be CUE.
		return nil, fmt.Errorf("internal error: generated CUE does not parse: %v\n%s", err, p.b.String())
	}
	return out, nil
}
