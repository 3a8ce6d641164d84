package nix

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Printing of expressions: each node renders to a doc (layout.go), with the
// parentheses its position needs. Raw code is handled in raw.go, quoting of
// strings, names and numbers in quote.go.

// Format returns the printed form of e, followed by a newline.
func Format(e Expr) ([]byte, error) {
	d, err := expr(e)
	if err != nil {
		return nil, fmt.Errorf("nix: %w", err)
	}
	return d.bytes(), nil
}

// inlineListMax bounds the element width of a one-element list printed as
// `[ x ]`.
const inlineListMax = 60

// ctx is the syntactic position of an operand, which decides parentheses.
type ctx int

const (
	ctxElem   ctx = iota // list element
	ctxArg               // function argument
	ctxFunc              // function being applied
	ctxSelect            // expression an attribute is selected from
)

// isAtom reports whether e prints as a single term that needs no
// parentheses as a list element or function argument.
func isAtom(e Expr) bool {
	switch e := e.(type) {
	case Null, Bool, String, Path, Ident, List, Attrs, Select:
		return true
	case Int:
		// MinInt64 prints already parenthesised.
		return e >= 0 || e == math.MinInt64
	case Float:
		// Negative zero and subnormals print already parenthesised.
		return !(e < 0 && -e >= minNormal)
	}
	return false
}

// needsParens reports whether e must be parenthesised in position c.
func needsParens(e Expr, c ctx) bool {
	if r, ok := e.(Raw); ok {
		top := rawTop(r)
		return top == nil || rawNeedsParens(top, c)
	}
	switch c {
	case ctxFunc, ctxSelect:
		switch e.(type) {
		case Ident, Select:
			return false
		case Apply:
			return c == ctxSelect
		case Attrs:
			return c == ctxFunc
		}
		return true
	}
	return !isAtom(e)
}

func operand(e Expr, c ctx) (doc, error) {
	d, err := expr(e)
	if err != nil {
		return doc{}, err
	}
	if needsParens(e, c) {
		d = paren(d)
	}
	return d, nil
}

func expr(e Expr) (doc, error) {
	switch e := e.(type) {
	case nil:
		return doc{}, errors.New("nil expression")
	case Null:
		return text("null"), nil
	case Bool:
		if e {
			return text("true"), nil
		}
		return text("false"), nil
	case Int:
		if e == math.MinInt64 {
			// Nix cannot parse the literal 9223372036854775808, so the
			// minimum cannot be written as a negated literal.
			return text("(-9223372036854775807 - 1)"), nil
		}
		return text(strconv.FormatInt(int64(e), 10)), nil
	case Float:
		s, err := floatLit(float64(e))
		if err != nil {
			return doc{}, err
		}
		return text(s), nil
	case String:
		return str(string(e))
	case Path:
		if !pathRe.MatchString(string(e)) {
			return doc{}, fmt.Errorf("invalid path literal %q", string(e))
		}
		return text(string(e)), nil
	case Ident:
		if !isIdentPath(string(e)) {
			return doc{}, fmt.Errorf("invalid identifier %q", string(e))
		}
		return text(string(e)), nil
	case Raw:
		return raw(e)
	case List:
		return list(e)
	case Attrs:
		return attrs(e)
	case Lambda:
		return lambda(e)
	case Apply:
		return apply(e)
	case Select:
		return sel(e)
	case BinOp:
		return binOp(e)
	}
	return doc{}, fmt.Errorf("unknown expression type %T", e)
}

func list(l List) (doc, error) {
	if len(l) == 0 {
		return text("[ ]"), nil
	}
	items := make([]doc, len(l))
	for i, e := range l {
		d, err := operand(e, ctxElem)
		if err != nil {
			return doc{}, fmt.Errorf("list element %d: %w", i, err)
		}
		items[i] = d
	}
	if len(l) == 1 && inlineElem(l[0]) && !items[0].multi() && len(items[0].lines[0].text) <= inlineListMax {
		return text("[ " + items[0].lines[0].text + " ]"), nil
	}
	return block("[", items, "]"), nil
}

func inlineElem(e Expr) bool {
	switch e := e.(type) {
	case Null, Bool, Int, Float, String, Path, Ident, Select:
		return true
	case Raw:
		top := rawTop(e)
		return top != nil && rawInline(top)
	}
	return false
}

func attrs(a Attrs) (doc, error) {
	if len(a) == 0 {
		return text("{ }"), nil
	}
	items := make([]doc, len(a))
	for i, b := range a {
		k, err := key(b.Path)
		if err != nil {
			return doc{}, err
		}
		v, err := expr(b.Value)
		if err != nil {
			return doc{}, fmt.Errorf("%s: %w", k, err)
		}
		if !v.multi() || v.hang {
			items[i] = join(text(k+" ="), " ", v).suffix(";")
		} else {
			items[i] = below(text(k+" ="), v, 1).suffix(";")
		}
	}
	return block("{", items, "}"), nil
}

func lambda(l Lambda) (doc, error) {
	fs := make([]string, 0, len(l.Formals)+1)
	for _, f := range l.Formals {
		if !isIdent(f) {
			return doc{}, fmt.Errorf("invalid formal argument %q", f)
		}
		fs = append(fs, f)
	}
	if l.Ellipsis {
		fs = append(fs, "...")
	}
	head := "{ }:"
	if len(fs) > 0 {
		head = "{ " + strings.Join(fs, ", ") + " }:"
	}
	body, err := expr(l.Body)
	if err != nil {
		return doc{}, err
	}
	return below(text(head), body, 0), nil
}

func apply(a Apply) (doc, error) {
	fn, args := a.Func, a.Args
	// f a applied to b prints as f a b.
	for {
		inner, ok := fn.(Apply)
		if !ok {
			break
		}
		fn, args = inner.Func, append(append([]Expr(nil), inner.Args...), args...)
	}
	if len(args) == 0 {
		return doc{}, errors.New("application without arguments")
	}
	d, err := operand(fn, ctxFunc)
	if err != nil {
		return doc{}, err
	}
	ads := make([]doc, len(args))
	multi := 0
	for i, e := range args {
		if ads[i], err = operand(e, ctxArg); err != nil {
			return doc{}, err
		}
		if ads[i].multi() {
			multi++
		}
	}
	last := ads[len(ads)-1]
	if (!d.multi() || d.hang) && (multi == 0 || multi == 1 && last.hang) {
		for _, ad := range ads {
			d = join(d, " ", ad)
		}
		d.hang = last.hang
		return d, nil
	}
	for _, ad := range ads {
		d = below(d, ad, 1)
	}
	return d, nil
}

func sel(s Select) (doc, error) {
	k, err := key(s.Path)
	if err != nil {
		return doc{}, err
	}
	d, err := operand(s.Expr, ctxSelect)
	if err != nil {
		return doc{}, err
	}
	return d.suffix("." + k), nil
}

type assoc int

const (
	nonAssoc assoc = iota
	leftAssoc
	rightAssoc
)

type binOpInfo struct {
	prec  int
	assoc assoc
}

// binOps holds Nix operator precedence (higher binds tighter) and
// associativity, from the grammar in Nix's parser.y.
var binOps = map[string]binOpInfo{
	"->": {1, rightAssoc},
	"||": {2, leftAssoc},
	"&&": {3, leftAssoc},
	"==": {4, nonAssoc}, "!=": {4, nonAssoc},
	"<": {5, nonAssoc}, "<=": {5, nonAssoc}, ">": {5, nonAssoc}, ">=": {5, nonAssoc},
	"//": {6, rightAssoc},
	"+":  {7, leftAssoc}, "-": {7, leftAssoc},
	"*": {8, leftAssoc}, "/": {8, leftAssoc},
	"++": {9, rightAssoc},
}

func binOp(b BinOp) (doc, error) {
	op, ok := binOps[b.Op]
	if !ok {
		return doc{}, fmt.Errorf("unsupported operator %q", b.Op)
	}
	side := func(e Expr, a assoc) (doc, error) {
		d, err := expr(e)
		if err != nil {
			return doc{}, err
		}
		var p bool
		switch e := e.(type) {
		case BinOp:
			c := binOps[e.Op]
			p = c.prec < op.prec || c.prec == op.prec && op.assoc != a
		case Apply:
			p = false
		case Raw:
			top := rawTop(e)
			p = top == nil || rawOperandParens(top, op, a)
		default:
			p = !isAtom(e)
		}
		if p {
			d = paren(d)
		}
		return d, nil
	}
	l, err := side(b.Left, leftAssoc)
	if err != nil {
		return doc{}, err
	}
	r, err := side(b.Right, rightAssoc)
	if err != nil {
		return doc{}, err
	}
	switch {
	case !l.multi() && !r.multi():
		return text(l.lines[0].text + " " + b.Op + " " + r.lines[0].text), nil
	case !l.multi() && r.hang:
		d := join(l, " "+b.Op+" ", r)
		d.hang = true
		return d, nil
	}
	return below(l, join(text(b.Op), " ", r), 0), nil
}
