package nix

import (
	"fmt"
	"strings"

	"github.com/axc-dev/axc/internal/nix/syntax"
)

// Raw text is printed so that it means exactly what it means alone: it must
// parse on its own (syntax.ParseRaw), it is parenthesised wherever the
// grammar would otherwise read it differently, a line comment at its end
// gets a line break after it, and the lines of its strings are written
// verbatim, without the indentation of the place it is printed at.

// parseRaw parses r, trimmed of surrounding whitespace.
func parseRaw(r Raw) (*syntax.File, string, error) {
	s := strings.Trim(string(r), " \t\r\n")
	f, err := syntax.ParseRaw(s)
	if err != nil {
		return nil, "", fmt.Errorf("Raw expression %q: %w", string(r), err)
	}
	return f, s, nil
}

// rawTop returns the top expression of r, or nil if r does not parse.
func rawTop(r Raw) syntax.Expr {
	f, _, err := parseRaw(r)
	if err != nil {
		return nil
	}
	return f.Expr
}

func raw(r Raw) (doc, error) {
	f, s, err := parseRaw(r)
	if err != nil {
		return doc{}, err
	}
	verbatim := verbatimBreaks(f)
	var d doc
	start, verb := 0, false
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '\n' {
			d.lines = append(d.lines, line{text: s[start:i], verbatim: verb})
			verb = verbatim[i]
			start = i + 1
		}
	}
	// A line comment at the end would swallow whatever follows (`;`, `)`).
	if n := len(f.Comments); n > 0 {
		g := f.Comments[n-1]
		if c := g.List[len(g.List)-1]; !c.Block() && c.End().Offset == len(s) {
			d.lines = append(d.lines, line{})
		}
	}
	d.hang = d.multi()
	return d, nil
}

// verbatimBreaks returns the offsets of the line breaks in f after which
// no indentation may be added: those inside "…" strings, and inside
// indented strings unless indenting all their lines alike leaves their
// value unchanged, which holds when the opening quotes end their line, so
// that the first line of content is indented too. (Nix strips the smallest
// indentation of the lines: one more level on every line changes nothing.
// Lines of blanks keep their blanks beyond that indentation, and the line
// after an escaped line break is stripped without counting towards the
// smallest indentation, alike with and without the extra level.)
func verbatimBreaks(f *syntax.File) map[int]bool {
	breaks := map[int]bool{}
	syntax.Inspect(f.Expr, func(n syntax.Node) bool {
		s, ok := n.(*syntax.String)
		if !ok {
			return true
		}
		reindent := false
		if s.Indented {
			i := s.Open.Offset + 2
			for i < len(f.Src) && f.Src[i] == ' ' {
				i++
			}
			reindent = i < len(f.Src) && f.Src[i] == '\n'
		}
		for _, p := range s.Parts {
			t, ok := p.(*syntax.Text)
			if !ok || reindent {
				continue
			}
			for i := 0; i < len(t.Raw); i++ {
				if t.Raw[i] == '\n' {
					breaks[t.ValuePos.Offset+i] = true
				}
			}
		}
		return true
	})
	return breaks
}

// rawNeedsParens reports whether raw code whose top expression is x needs
// parentheses in position c.
func rawNeedsParens(x syntax.Expr, c ctx) bool {
	switch x := x.(type) {
	case *syntax.Ident, *syntax.String, *syntax.List, *syntax.AttrSet, *syntax.LegacyLet, *syntax.Paren:
		return false
	case *syntax.Int, *syntax.Float, *syntax.Path, *syntax.SearchPath, *syntax.URI:
		// 1.a would lex as a float, ./a.b as a path, <a>.b is fine but rare.
		return c == ctxSelect
	case *syntax.Select:
		// a.b or c.d would select d from c.
		return c == ctxSelect && x.Default != nil
	case *syntax.Apply:
		return c != ctxFunc
	}
	return true
}

// rawInline reports whether raw code whose top expression is x may print
// as the only element of a one-line list.
func rawInline(x syntax.Expr) bool {
	switch x := x.(type) {
	case *syntax.Ident, *syntax.String, *syntax.Int, *syntax.Float, *syntax.Path, *syntax.SearchPath, *syntax.URI:
		return true
	case *syntax.Select:
		return x.Default == nil
	}
	return false
}

// rawOperandParens reports whether raw code whose top expression is x needs
// parentheses as an operand of a binary operator op on side a.
func rawOperandParens(x syntax.Expr, op binOpInfo, a assoc) bool {
	switch x := x.(type) {
	case *syntax.Ident, *syntax.String, *syntax.List, *syntax.AttrSet, *syntax.LegacyLet, *syntax.Paren,
		*syntax.Int, *syntax.Float, *syntax.Path, *syntax.SearchPath, *syntax.URI, *syntax.Select, *syntax.Apply:
		return false
	case *syntax.Unary:
		// Prefix ! binds looser than + - * / ++ and ?, so !a + b is
		// !(a + b): a ! at the end of an operand would take in what follows.
		return endsWithNot(x)
	case *syntax.HasAttr:
		return op.prec > precHas || op.prec == precHas && a != leftAssoc
	case *syntax.Binary:
		c, ok := binOps[x.Op]
		if !ok {
			return true
		}
		return c.prec < op.prec || c.prec == op.prec && op.assoc != a || endsWithNot(x)
	}
	return true
}

// precHas is the precedence of `?`, above all binary operators of binOps.
const precHas = 10

// endsWithNot reports whether x ends with a prefix ! expression.
func endsWithNot(x syntax.Expr) bool {
	for {
		switch e := x.(type) {
		case *syntax.Unary:
			if e.Op == "!" {
				return true
			}
			x = e.X
		case *syntax.Binary:
			x = e.Y
		default:
			return false
		}
	}
}
