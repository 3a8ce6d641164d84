package syntax

import (
	"bytes"
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
)

// MaxDepth bounds how deeply expressions may nest, counting each
// parenthesis, bracket, brace, function, operand of a unary operator and
// link of an operator chain (a + b + c nests two deep). Deeper input is
// rejected with "nesting too deep" so that neither the parser nor a walk
// of the tree can exhaust the stack.
const MaxDepth = 1000

// Error is a syntax error, or one of the errors Nix raises while parsing
// (duplicate attribute, invalid integer, …).
type Error struct {
	Filename  string
	Line, Col int // 1-based; Col counts bytes
	Offset    int
	Msg       string
}

func (e *Error) Error() string {
	if e.Filename == "" {
		return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.Filename, e.Line, e.Col, e.Msg)
}

type parser struct {
	scanner
	filename string
	lines    []int // offsets where lines start
	tok      tok   // current token, in the default lexer state
	depth    int

	comments    []*Comment
	commentsEnd int
	// tables holds the static attribute names of each attribute set
	// literal, to find duplicates the way Nix does.
	tables map[*AttrSet]attrTable
}

// bailout carries a parse error up the stack to Parse.
type bailout struct{ err *Error }

// Parse parses src, which must hold exactly one Nix expression, surrounded
// by nothing but whitespace and comments. Errors are *Error.
func Parse(filename string, src []byte) (f *File, err error) {
	// depth -1: the top-level expression is at depth 0.
	p := &parser{filename: filename, tables: map[*AttrSet]attrTable{}, depth: -1}
	p.src = src
	p.lines = lineStarts(src)
	defer func() {
		if r := recover(); r != nil {
			b, ok := r.(bailout)
			if !ok {
				panic(r)
			}
			f, err = nil, b.err
		}
	}()
	if i := bytes.IndexByte(src, 0); i >= 0 {
		p.errorf(i, "NUL byte in input")
	}
	if len(src) > math.MaxInt32 {
		p.errorf(0, "input too large")
	}
	p.next(0)
	if p.tok.kind == tEOF {
		p.errorf(p.tok.off, "empty input: expected an expression")
	}
	e := p.parseExpr()
	if p.tok.kind != tEOF {
		p.unexpected("end of input")
	}
	f = &File{Name: filename, Expr: e, Src: src}
	f.Comments = groupComments(src, p.comments)
	attachComments(e, f.Comments)
	return f, nil
}

func lineStarts(src []byte) []int {
	lines := []int{0}
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
			fallthrough
		case '\n':
			lines = append(lines, i+1)
		}
	}
	return lines
}

func (p *parser) pos(off int) Pos {
	l := sort.Search(len(p.lines), func(i int) bool { return p.lines[i] > off }) - 1
	return Pos{Offset: off, Line: l + 1, Col: off - p.lines[l] + 1}
}

func (p *parser) errorf(off int, format string, args ...any) {
	pos := p.pos(off)
	panic(bailout{&Error{Filename: p.filename, Line: pos.Line, Col: pos.Col, Offset: off, Msg: fmt.Sprintf(format, args...)}})
}

func (p *parser) unexpected(want string) {
	t := p.tok
	var got string
	switch t.kind {
	case tEOF:
		got = "end of input"
	case tIllegal:
		got = fmt.Sprintf("character %q", p.src[t.off])
	default:
		got = fmt.Sprintf("%q", p.src[t.off:t.end])
	}
	if want != "" {
		p.errorf(t.off, "unexpected %s, expecting %s", got, want)
	}
	p.errorf(t.off, "unexpected %s", got)
}

// recordComment is the scanner's comment callback. Peeking scans ahead
// more than once; commentsEnd keeps each comment from being recorded twice.
func (p *parser) recordComment(off, end int) {
	if off < p.commentsEnd {
		return
	}
	p.commentsEnd = end
	p.comments = append(p.comments, &Comment{Slash: p.pos(off), Text: string(p.src[off:end])})
}

// next scans the default-state token at or after offset i into p.tok.
func (p *parser) next(i int) {
	p.tok = p.scan(p.skip(i, p.recordComment))
}

func (p *parser) advance() { p.next(p.tok.end) }

// peek returns the token after t.
func (p *parser) peek(t tok) tok { return p.scan(p.skip(t.end, p.recordComment)) }

func (p *parser) expect(k token) tok {
	t := p.tok
	if t.kind != k {
		p.unexpected(k.String())
	}
	p.advance()
	return t
}

func (p *parser) enter(off int) {
	p.depth++
	if p.depth > MaxDepth {
		p.errorf(off, "nesting too deep")
	}
}

func (p *parser) leave() { p.depth-- }

func (p *parser) text(t tok) string { return string(p.src[t.off:t.end]) }

// parseExpr parses expr_function: functions, assert, with, let and below.
func (p *parser) parseExpr() Expr {
	p.enter(p.tok.off)
	defer p.leave()
	t := p.tok
	switch t.kind {
	case tID:
		switch nt := p.peek(t); nt.kind {
		case ':':
			p.next(nt.end)
			param := &Ident{p.pos(t.off), p.text(t)}
			return &Lambda{Param: param, Colon: p.pos(nt.off), Body: p.parseExpr()}
		case '@':
			p.next(nt.end)
			param := &Ident{p.pos(t.off), p.text(t)}
			if p.tok.kind != '{' {
				p.unexpected("'{'")
			}
			fs := p.parseFormals()
			colon := p.expect(':')
			p.checkFormals(fs, param)
			return &Lambda{Param: param, At: p.pos(nt.off), Formals: fs, Colon: p.pos(colon.off), Body: p.parseExpr()}
		}
	case '{':
		if p.isFormals() {
			fs := p.parseFormals()
			l := &Lambda{Formals: fs}
			if p.tok.kind == '@' {
				l.At = p.pos(p.tok.off)
				p.advance()
				id := p.expect(tID)
				l.Param = &Ident{p.pos(id.off), p.text(id)}
			}
			l.Colon = p.pos(p.expect(':').off)
			p.checkFormals(fs, l.Param)
			l.Body = p.parseExpr()
			return l
		}
	case tAssert, tWith:
		p.advance()
		x := p.parseExpr()
		semi := p.expect(';')
		body := p.parseExpr()
		if t.kind == tAssert {
			return &Assert{AssertPos: p.pos(t.off), Cond: x, Semi: p.pos(semi.off), Body: body}
		}
		return &With{WithPos: p.pos(t.off), Scope: x, Semi: p.pos(semi.off), Body: body}
	case tLet:
		if p.peek(t).kind != '{' {
			p.advance()
			bs := p.parseBindings(tIn, attrTable{})
			for _, b := range bs {
				if d, ok := b.(*AttrDef); ok {
					if _, static := KeyName(d.Path[0]); !static {
						p.errorf(t.off, "dynamic attributes not allowed in let")
					}
				}
			}
			in := p.expect(tIn)
			return &Let{LetPos: p.pos(t.off), Bindings: bs, InPos: p.pos(in.off), Body: p.parseExpr()}
		}
	case tIf:
		p.advance()
		cond := p.parseExpr()
		th := p.expect(tThen)
		then := p.parseExpr()
		el := p.expect(tElse)
		return &If{IfPos: p.pos(t.off), Cond: cond, ThenPos: p.pos(th.off), Then: then, ElsePos: p.pos(el.off), Else: p.parseExpr()}
	}
	return p.parseOp(0)
}

// isFormals reports whether the '{' at p.tok opens a function's formals
// rather than an attribute set, by the tokens that follow it.
func (p *parser) isFormals() bool {
	t1 := p.peek(p.tok)
	switch t1.kind {
	case '}':
		t2 := p.peek(t1)
		return t2.kind == ':' || t2.kind == '@'
	case tEllipsis:
		return true
	case tID:
		t2 := p.peek(t1)
		return t2.kind == ',' || t2.kind == '?' || t2.kind == '}'
	}
	return false
}

func (p *parser) parseFormals() *Formals {
	fs := &Formals{Lbrace: p.pos(p.tok.off)}
	p.advance()
	for {
		switch p.tok.kind {
		case '}':
			fs.Rbrace = p.pos(p.tok.off)
			p.advance()
			return fs
		case tEllipsis:
			fs.Ellipsis = p.pos(p.tok.off)
			p.advance()
			fs.Rbrace = p.pos(p.expect('}').off)
			return fs
		case tID:
			f := &Formal{Name: &Ident{p.pos(p.tok.off), p.text(p.tok)}}
			p.advance()
			if p.tok.kind == '?' {
				f.Question = p.pos(p.tok.off)
				p.advance()
				f.Default = p.parseExpr()
			}
			fs.List = append(fs.List, f)
			if p.tok.kind == ',' {
				p.advance()
				continue
			}
			fs.Rbrace = p.pos(p.expect('}').off)
			return fs
		default:
			p.unexpected("identifier or '...' or '}'")
		}
	}
}

type assoc int

const (
	left assoc = iota
	right
	nonAssoc
)

// binOps holds the binary operators' precedence (higher binds tighter) and
// associativity from Nix 2.8's parser.y. Prefix ! has precedence 7 and
// prefix - 12; ? is 11 (see parseOp).
var binOps = map[token]struct {
	op    string
	prec  int
	assoc assoc
}{
	tImpl: {"->", 1, right},
	tOr:   {"||", 2, left},
	tAnd:  {"&&", 3, left},
	tEq:   {"==", 4, nonAssoc}, tNeq: {"!=", 4, nonAssoc},
	'<': {"<", 5, nonAssoc}, '>': {">", 5, nonAssoc}, tLeq: {"<=", 5, nonAssoc}, tGeq: {">=", 5, nonAssoc},
	tUpdate: {"//", 6, right},
	'+':     {"+", 8, left}, '-': {"-", 8, left},
	'*': {"*", 9, left}, '/': {"/", 9, left},
	tConcat: {"++", 10, right},
}

const (
	precNot    = 7
	precHas    = 11
	precNegate = 12
)

// parseOp parses expr_op with operators of precedence >= min, by
// precedence climbing.
func (p *parser) parseOp(min int) Expr {
	var x Expr
	switch t := p.tok; t.kind {
	case '!', '-':
		prec := precNot
		if t.kind == '-' {
			prec = precNegate
		}
		p.advance()
		p.enter(t.off)
		x = &Unary{OpPos: p.pos(t.off), Op: string(rune(t.kind)), X: p.parseOp(prec + 1)}
		p.leave()
	default:
		x = p.parseApp()
	}
	chain := 0
	defer func() { p.depth -= chain }()
	for {
		t := p.tok
		if t.kind == '?' {
			if precHas < min {
				return x
			}
			p.advance()
			chain++
			p.enter(t.off)
			x = &HasAttr{X: x, Question: p.pos(t.off), Path: p.parseAttrPath()}
		} else {
			op, ok := binOps[t.kind]
			if !ok || op.prec < min {
				return x
			}
			p.advance()
			chain++
			p.enter(t.off)
			next := op.prec + 1
			if op.assoc == right {
				next = op.prec
			}
			y := p.parseOp(next)
			x = &Binary{X: x, OpPos: p.pos(t.off), Op: op.op, Y: y}
			if op.assoc == nonAssoc {
				if o2, ok := binOps[p.tok.kind]; ok && o2.prec == op.prec {
					p.unexpected("")
				}
			}
		}
	}
}

// startsSelect reports whether t can start an expr_select.
func startsSelect(t token) bool {
	switch t {
	case tID, tInt, tFloat, '"', tIndOpen, tPath, tHPath, tSPath, tURI, '(', '[', '{', tRec, tLet:
		return true
	}
	return false
}

func (p *parser) parseApp() Expr {
	if !startsSelect(p.tok.kind) {
		p.unexpected("")
	}
	f := p.parseSelect()
	var args []Expr
	for startsSelect(p.tok.kind) {
		args = append(args, p.parseSelect())
	}
	if args == nil {
		return f
	}
	return &Apply{Func: f, Args: args}
}

func (p *parser) parseSelect() Expr {
	x := p.parseSimple()
	switch t := p.tok; t.kind {
	case '.':
		p.advance()
		s := &Select{X: x, Dot: p.pos(t.off), Path: p.parseAttrPath()}
		if p.tok.kind == tOrKw {
			s.OrPos = p.pos(p.tok.off)
			p.advance()
			if !startsSelect(p.tok.kind) {
				p.unexpected("")
			}
			p.enter(p.tok.off)
			s.Default = p.parseSelect()
			p.leave()
		}
		return s
	case tOrKw:
		// Nix reads `f or` as f applied to a variable named or.
		p.advance()
		return &Apply{Func: x, Args: []Expr{&Ident{p.pos(t.off), "or"}}}
	}
	return x
}

// parseAttrPath parses attr ('.' attr)*, at an attribute name.
func (p *parser) parseAttrPath() []Key {
	path := []Key{p.parseKey()}
	for p.tok.kind == '.' {
		p.advance()
		path = append(path, p.parseKey())
	}
	return path
}

func (p *parser) isKey() bool {
	switch p.tok.kind {
	case tID, tOrKw, '"', tDollarCurly:
		return true
	}
	return false
}

func (p *parser) parseKey() Key {
	t := p.tok
	switch t.kind {
	case tID, tOrKw:
		p.advance()
		return &Ident{p.pos(t.off), p.text(t)}
	case '"':
		return p.parseString()
	case tDollarCurly:
		in := p.parseInterp(t.off, t.end)
		p.advance()
		return in
	}
	p.unexpected("attribute name")
	return nil
}

// parseInterp parses the expression of an interpolation whose "${" is at
// [off, end), and leaves p.tok at the closing brace: what follows it is
// lexed in the state of the enclosing string, path or expression.
func (p *parser) parseInterp(off, end int) *Interp {
	p.next(end)
	x := p.parseExpr()
	if p.tok.kind != '}' {
		p.unexpected("'}'")
	}
	return &Interp{Dollar: p.pos(off), X: x, Rbrace: p.pos(p.tok.off)}
}

func (p *parser) parseSimple() Expr {
	t := p.tok
	switch t.kind {
	case tID:
		p.advance()
		return &Ident{p.pos(t.off), p.text(t)}
	case tInt:
		p.advance()
		n, err := strconv.ParseInt(p.text(t), 10, 64)
		if err != nil {
			p.errorf(t.off, "invalid integer '%s'", p.text(t))
		}
		return &Int{p.pos(t.off), p.text(t), n}
	case tFloat:
		p.advance()
		f, ok := parseFloat(p.text(t))
		if !ok {
			p.errorf(t.off, "invalid float '%s'", p.text(t))
		}
		return &Float{p.pos(t.off), p.text(t), f}
	case '"':
		return p.parseString()
	case tIndOpen:
		return p.parseIndString()
	case tPath, tHPath:
		return p.parsePath()
	case tSPath:
		p.advance()
		return &SearchPath{p.pos(t.off), string(p.src[t.off+1 : t.end-1])}
	case tURI:
		p.advance()
		return &URI{p.pos(t.off), p.text(t)}
	case '(':
		p.advance()
		x := p.parseExpr()
		r := p.expect(')')
		return &Paren{p.pos(t.off), x, p.pos(r.off)}
	case '[':
		p.enter(t.off)
		defer p.leave()
		p.advance()
		l := &List{Lbrack: p.pos(t.off)}
		for p.tok.kind != ']' {
			if !startsSelect(p.tok.kind) {
				p.unexpected("']'")
			}
			l.Elems = append(l.Elems, p.parseSelect())
		}
		l.Rbrack = p.pos(p.tok.off)
		p.advance()
		return l
	case tLet:
		p.advance()
		lb := p.expect('{')
		bs := p.parseBindings('}', attrTable{})
		rb := p.expect('}')
		return &LegacyLet{LetPos: p.pos(t.off), Lbrace: p.pos(lb.off), Bindings: bs, Rbrace: p.pos(rb.off)}
	case tRec, '{':
		s := &AttrSet{}
		if t.kind == tRec {
			s.RecPos = p.pos(t.off)
			p.advance()
			if p.tok.kind != '{' {
				p.unexpected("'{'")
			}
		}
		s.Lbrace = p.pos(p.tok.off)
		p.advance()
		table := attrTable{}
		p.tables[s] = table
		s.Bindings = p.parseBindings('}', table)
		s.Rbrace = p.pos(p.tok.off)
		p.advance()
		return s
	}
	p.unexpected("")
	return nil
}

// parseFloat converts a FLOAT literal as Nix 2.8 does with strtod, which
// fails (errno ERANGE) on overflow and when the value rounded to 53 bits
// with an unbounded exponent is below the smallest normal float.
func parseFloat(lit string) (float64, bool) {
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil {
		return 0, false
	}
	const minNormal = 0x1p-1022
	a := math.Abs(f)
	switch {
	case a == 0:
		return f, !strings.ContainsAny(strings.SplitN(strings.ToLower(lit), "e", 2)[0], "123456789")
	case a < minNormal:
		return 0, false
	case a == minNormal:
		// The largest value that still rounds below minNormal is half an
		// ulp of the binade below it under it.
		x, _, err := big.ParseFloat(lit, 10, 4096, big.ToNearestEven)
		if err != nil {
			return 0, false
		}
		limit := new(big.Float).SetPrec(4096).SetFloat64(minNormal)
		limit.Sub(limit, new(big.Float).SetMantExp(big.NewFloat(1), -1076))
		return f, x.Cmp(limit) >= 0
	}
	return f, true
}

// parseBindings parses bindings up to the token end (not consumed), and
// records their static names in table to report duplicates.
func (p *parser) parseBindings(end token, table attrTable) []Binding {
	var bs []Binding
	for p.tok.kind != end {
		if p.tok.kind == tInherit {
			bs = append(bs, p.parseInherit(table))
			continue
		}
		if !p.isKey() {
			p.unexpected(end.String())
		}
		d := &AttrDef{Path: p.parseAttrPath()}
		d.Assign = p.pos(p.expect('=').off)
		d.Value = p.parseExpr()
		d.Semi = p.pos(p.expect(';').off)
		p.addAttr(table, d)
		bs = append(bs, d)
	}
	return bs
}

func (p *parser) parseInherit(table attrTable) *Inherit {
	in := &Inherit{InheritPos: p.pos(p.tok.off)}
	p.advance()
	if p.tok.kind == '(' {
		in.Lparen = p.pos(p.tok.off)
		p.advance()
		in.From = p.parseExpr()
		in.Rparen = p.pos(p.expect(')').off)
	}
	for p.isKey() {
		k := p.parseKey()
		name, ok := KeyName(k)
		if !ok {
			p.errorf(k.Pos().Offset, "dynamic attributes not allowed in inherit")
		}
		if _, dup := table[name]; dup {
			p.errorf(k.Pos().Offset, "attribute '%s' already defined", name)
		}
		table[name] = &attrEntry{inherited: in.From == nil}
		in.Names = append(in.Names, k)
	}
	in.Semi = p.pos(p.expect(';').off)
	return in
}
