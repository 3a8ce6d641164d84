package nix

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Print writes e followed by a newline.
func Print(w io.Writer, e Expr) error {
	b, err := Format(e)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Format returns the printed form of e, followed by a newline.
func Format(e Expr) ([]byte, error) {
	d, err := expr(e)
	if err != nil {
		return nil, fmt.Errorf("nix: %w", err)
	}
	return d.bytes(), nil
}

// QuoteKey returns k unchanged if it can be written bare as an attribute
// name, and as a quoted string otherwise. Keywords are always quoted, even
// `or`, which Nix 2.8 accepts bare in some positions but not in others.
func QuoteKey(k string) string {
	if isIdent(k) {
		return k
	}
	return QuoteString(k)
}

// QuoteString returns s as a Nix "..." string literal. Nix cannot represent
// NUL bytes (it truncates the string there); QuoteString does not check for
// them, Print does.
func QuoteString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			// Nix turns a literal CR inside "..." into a newline.
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '$':
			if i+1 < len(s) && s[i+1] == '{' {
				b.WriteString(`\$`)
			} else {
				b.WriteByte('$')
			}
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

const (
	indentUnit = "  "
	// inlineListMax bounds the element width of a one-element list printed
	// as `[ x ]`.
	inlineListMax = 60
	// minNormal is the smallest normal float64. Nix 2.8 rejects literals of
	// subnormal values ("invalid float"), so those print as a product.
	minNormal = 0x1p-1022
)

var keywords = map[string]bool{
	"if": true, "then": true, "else": true, "assert": true, "with": true,
	"let": true, "in": true, "rec": true, "inherit": true, "or": true,
}

var (
	identRe = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_'-]*$`)
	pathRe  = regexp.MustCompile(`^(\.\.?)?(/[a-zA-Z0-9._+-]+)+$`)
	numRe   = regexp.MustCompile(`^[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?$`)
)

func isIdent(s string) bool { return identRe.MatchString(s) && !keywords[s] }

// isIdentPath reports whether s is a dotted path of identifiers (a.b.c).
func isIdentPath(s string) bool {
	for _, seg := range strings.Split(s, ".") {
		if !isIdent(seg) {
			return false
		}
	}
	return true
}

// line is one output line; ind is relative to the line the enclosing
// doc starts on.
type line struct {
	ind  int
	text string
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

func text(s string) doc { return doc{lines: []line{{0, s}}} }

func (d doc) multi() bool { return len(d.lines) > 1 }

// join continues a's last line with sep and b.
func join(a doc, sep string, b doc) doc {
	lines := make([]line, 0, len(a.lines)+len(b.lines))
	lines = append(lines, a.lines...)
	last := len(lines) - 1
	lines[last].text += sep + b.lines[0].text
	base := lines[last].ind
	for _, l := range b.lines[1:] {
		lines = append(lines, line{base + l.ind, l.text})
	}
	return doc{lines: lines}
}

// below puts b on new lines after a, indented by shift.
func below(a, b doc, shift int) doc {
	lines := make([]line, 0, len(a.lines)+len(b.lines))
	lines = append(lines, a.lines...)
	for _, l := range b.lines {
		lines = append(lines, line{l.ind + shift, l.text})
	}
	return doc{lines: lines}
}

// block puts items one per line, indented, between open and close.
func block(open string, items []doc, close string) doc {
	lines := []line{{0, open}}
	for _, it := range items {
		for _, l := range it.lines {
			lines = append(lines, line{l.ind + 1, l.text})
		}
	}
	lines = append(lines, line{0, close})
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
		if l.text != "" {
			b.WriteString(strings.Repeat(indentUnit, l.ind))
			b.WriteString(l.text)
		}
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
	case Raw:
		return rawAtom(string(e))
	}
	return false
}

func rawAtom(s string) bool {
	return isIdentPath(s) || numRe.MatchString(s) || pathRe.MatchString(s)
}

// needsParens reports whether e must be parenthesised in position c.
func needsParens(e Expr, c ctx) bool {
	switch c {
	case ctxFunc, ctxSelect:
		switch e := e.(type) {
		case Ident, Select:
			return false
		case Apply:
			return c == ctxSelect
		case Attrs:
			return c == ctxFunc
		case Raw:
			return !isIdentPath(string(e))
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
		return raw(string(e))
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

func floatLit(f float64) (string, error) {
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return "", fmt.Errorf("float %v cannot be represented in Nix", f)
	case f == 0:
		if math.Signbit(f) {
			// -0.0 would evaluate as 0 - 0.0 = +0.0.
			return "(-1 * 0.0)", nil
		}
		return "0.0", nil
	case math.Abs(f) < minNormal:
		// Both factors are normal and the product is representable, so
		// the multiplication is exact.
		return "(" + floatDigits(f*0x1p64) + " * " + floatDigits(0x1p-64) + ")", nil
	}
	return floatDigits(f), nil
}

// floatDigits formats f with the shortest digits that parse back to f, and
// always with a decimal point because Nix reads "1e21" as 1 applied to e21.
func floatDigits(f float64) string {
	if a := math.Abs(f); a >= 1e-6 && a < 1e21 {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'e', -1, 64)
	if m, exp, _ := strings.Cut(s, "e"); !strings.Contains(m, ".") {
		s = m + ".0e" + exp
	}
	return s
}

func str(s string) (doc, error) {
	if strings.IndexByte(s, 0) >= 0 {
		return doc{}, fmt.Errorf("string %q contains a NUL byte, which Nix cannot represent", s)
	}
	if d, ok := indented(s); ok {
		return d, nil
	}
	return text(QuoteString(s)), nil
}

// indented renders s as an indented string if that form evaluates back to
// s exactly. Nix strips the smallest indentation of the lines with content,
// so s needs a content line without leading spaces; and a final newline
// keeps the closing quotes on their own line, whose indentation Nix drops.
func indented(s string) (doc, bool) {
	if !strings.HasSuffix(s, "\n") {
		return doc{}, false
	}
	ls := strings.Split(s[:len(s)-1], "\n")
	flush := false
	for _, l := range ls {
		if t := strings.TrimLeft(l, " "); t != "" && len(t) == len(l) {
			flush = true
			break
		}
	}
	if !flush {
		return doc{}, false
	}
	items := make([]doc, len(ls))
	for i, l := range ls {
		items[i] = text(escapeIndented(l))
	}
	return block("''", items, "''"), true
}

func escapeIndented(l string) string {
	var b strings.Builder
	for i := 0; i < len(l); {
		switch {
		case l[i] == '\'':
			j := i
			for j < len(l) && l[j] == '\'' {
				j++
			}
			b.WriteString(strings.Repeat("'''", (j-i)/2))
			if (j-i)%2 == 1 {
				// A lone quote followed by an escape starting with ''
				// would lex as ''' together with it.
				if j < len(l) && (l[j] == '\r' || strings.HasPrefix(l[j:], "${")) {
					b.WriteString(`''\'`)
				} else {
					b.WriteByte('\'')
				}
			}
			i = j
		case strings.HasPrefix(l[i:], "${"):
			b.WriteString("''${")
			i += 2
		case l[i] == '\r':
			b.WriteString(`''\r`)
			i++
		default:
			b.WriteByte(l[i])
			i++
		}
	}
	return b.String()
}

func raw(r string) (doc, error) {
	s := strings.Trim(r, " \t\r\n")
	if s == "" {
		return doc{}, errors.New("empty Raw expression")
	}
	if strings.IndexByte(s, 0) >= 0 {
		return doc{}, fmt.Errorf("Raw expression %q contains a NUL byte", r)
	}
	parts := strings.Split(s, "\n")
	var d doc
	for _, p := range parts {
		d.lines = append(d.lines, line{0, p})
	}
	// A trailing line comment would swallow whatever follows (`;`, `)`).
	if strings.Contains(parts[len(parts)-1], "#") {
		d.lines = append(d.lines, line{0, ""})
	}
	d.hang = d.multi()
	return d, nil
}

func key(path []string) (string, error) {
	if len(path) == 0 {
		return "", errors.New("empty attribute path")
	}
	ks := make([]string, len(path))
	for i, k := range path {
		if strings.IndexByte(k, 0) >= 0 {
			return "", fmt.Errorf("attribute name %q contains a NUL byte", k)
		}
		ks[i] = QuoteKey(k)
	}
	return strings.Join(ks, "."), nil
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
		return rawAtom(string(e))
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

// binOps holds Nix operator precedence (higher binds tighter) and
// associativity, from the grammar in Nix's parser.y.
var binOps = map[string]struct {
	prec  int
	assoc assoc
}{
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
