// Package syntax parses the Nix language as Nix 2.8 accepts it into a syntax
// tree that keeps positions and comments, and analyses the variables an
// expression uses.
//
// The lexer reproduces Nix 2.8's flex rules (longest match, first rule on a
// tie), so inputs split into tokens exactly as Nix splits them: `a-b` is one
// identifier, `a/b` a path, `x:x` a URI, `05.5` the application of 5 to 0.5.
// The parser follows the grammar and precedences of Nix 2.8's parser.y and
// also reports the errors Nix raises while parsing: duplicate attributes and
// formal arguments, dynamic attributes in let and inherit, out of range
// numbers, paths with a trailing slash.
//
// Deliberate differences: a NUL byte anywhere is an error, and expressions
// nested deeper than MaxDepth levels are rejected ("nesting too deep") so
// that no input can exhaust the stack; Nix accepts some of those.
//
// Every node records the position of its first byte (Pos) and of the byte
// after its last (End). Comments are kept in File.Comments, grouped, and each
// group is attached to the node it most likely belongs to.
package syntax

import "fmt"

// Pos is a position in the source: Offset counts bytes from 0, Line and Col
// from 1. Col counts bytes, and lines end at "\n", "\r\n" or a lone "\r",
// as in Nix's own error messages. The zero Pos is "no position".
type Pos struct {
	Offset, Line, Col int
}

// IsValid reports whether p is a real position.
func (p Pos) IsValid() bool { return p.Line > 0 }

func (p Pos) String() string {
	if !p.IsValid() {
		return "-"
	}
	return fmt.Sprintf("%d:%d", p.Line, p.Col)
}

// Node is a node of the syntax tree.
type Node interface {
	// Pos is the position of the first byte of the node.
	Pos() Pos
	// End is the position just after the last byte of the node.
	End() Pos
}

// Expr is an expression node.
type Expr interface {
	Node
	exprNode()
}

// Key is one element of an attribute path (`a`, `"a b"`, `${e}`), of an
// inherit list, or the name of an attribute selection. It is an *Ident, a
// *String or an *Interp. Use KeyName for its static name.
type Key interface {
	Node
	keyNode()
}

// StringPart is a piece of a string or path: *Text or *Interp.
type StringPart interface {
	Node
	partNode()
}

// Binding is one entry of an attribute set or let: *AttrDef or *Inherit.
type Binding interface {
	Node
	bindingNode()
}

// File is a parsed Nix file: exactly one expression and its comments.
type File struct {
	Name string
	Expr Expr
	// Comments holds every comment group in source order.
	Comments []*CommentGroup
	// Src is the parsed source; positions index it.
	Src []byte
}

// Ident is a variable reference (`x`, `or` in `f or`, `__curPos`) or a bare
// attribute name (`a` in `a.b = 1;`, `x.a`, `inherit a;`). As an attribute
// name it can be `or`.
type Ident struct {
	NamePos Pos
	Name    string
}

// Int is an integer literal. Nix has no negative literals: -1 is Unary.
type Int struct {
	ValuePos Pos
	Lit      string // as written, e.g. "007"
	Value    int64
}

// Float is a floating point literal such as 1.5, .5, 1.e5 or 2.5E-3.
type Float struct {
	ValuePos Pos
	Lit      string
	Value    float64
}

// String is a "…" string, or an indented string (between pairs of single
// quotes) if Indented. Parts alternates literal text and interpolations
// `${…}`; in indented strings each escape and each lone `$` or `'` is a
// Text of its own, as Nix tokenises them. The escapes are:
//
//	''$  '''  ''\x
type String struct {
	Open     Pos // position of `"` or the first `'` of `''`
	Indented bool
	Parts    []StringPart
	Close    Pos // position of the closing `"` or the first `'` of `''`
}

// Text is literal text inside a string or path. Raw is the source text;
// Value is what it means: escapes resolved, and in indented strings with
// the common indentation removed.
type Text struct {
	ValuePos Pos
	Raw      string
	Value    string
}

// Interp is an interpolation `${X}` inside a string or path, or a dynamic
// attribute name `${X}`.
type Interp struct {
	Dollar Pos // position of `$`
	X      Expr
	Rbrace Pos
}

// Path is a path literal: ./a, ../a, /a, a/b, ~/a, and with interpolation
// ./a/${x}.nix. Parts starts with a *Text holding the first segment as
// written (e.g. "./a/"); interpolations and further text follow.
type Path struct {
	Parts []StringPart
}

// SearchPath is a search path literal such as <nixpkgs>; Path is the text
// between the angle brackets.
type SearchPath struct {
	ValuePos Pos
	Path     string
}

// URI is an unquoted URI literal such as https://nixos.org/a (a string).
type URI struct {
	ValuePos Pos
	Value    string
}

// Paren is a parenthesised expression.
type Paren struct {
	Lparen Pos
	X      Expr
	Rparen Pos
}

// List is a list literal. Elements are select-level expressions: anything
// else must be parenthesised.
type List struct {
	Lbrack Pos
	Elems  []Expr
	Rbrack Pos
}

// AttrSet is an attribute set literal { … }, recursive if RecPos is valid.
type AttrSet struct {
	RecPos   Pos // position of `rec`, or zero
	Lbrace   Pos
	Bindings []Binding
	Rbrace   Pos
}

// IsRec reports whether s is a rec { … } set.
func (s *AttrSet) IsRec() bool { return s.RecPos.IsValid() }

// AttrDef is a binding `a.b.c = Value;`.
type AttrDef struct {
	Path   []Key
	Assign Pos // position of `=`
	Value  Expr
	Semi   Pos
}

// Inherit is `inherit a b;` or, if From is not nil, `inherit (From) a b;`.
type Inherit struct {
	InheritPos Pos
	Lparen     Pos // zero without From
	From       Expr
	Rparen     Pos
	Names      []Key
	Semi       Pos
}

// Let is `let Bindings in Body`.
type Let struct {
	LetPos   Pos
	Bindings []Binding
	InPos    Pos
	Body     Expr
}

// LegacyLet is the old `let { Bindings }` form: a recursive set whose value
// is its attribute body.
type LegacyLet struct {
	LetPos   Pos
	Lbrace   Pos
	Bindings []Binding
	Rbrace   Pos
}

// Lambda is a function: `Param: Body`, `{ Formals }: Body`, or both, as
// `Param@{ … }: Body` or `{ … }@Param: Body` (compare positions to tell
// which). Param or Formals may be nil, not both.
type Lambda struct {
	Param   *Ident
	At      Pos // position of `@`, or zero
	Formals *Formals
	Colon   Pos
	Body    Expr
}

// Formals is the pattern `{ a, b ? 1, ... }` of a function.
type Formals struct {
	Lbrace   Pos
	List     []*Formal
	Ellipsis Pos // position of `...`, or zero
	Rbrace   Pos
}

// Formal is one formal argument `Name` or `Name ? Default`.
type Formal struct {
	Name     *Ident
	Question Pos // zero without default
	Default  Expr
}

// Apply is a function application `Func Args…`. An application of an
// application `(f a) b` keeps its parentheses as a Paren.
type Apply struct {
	Func Expr
	Args []Expr
}

// Select is an attribute selection `X.a.b`, with a default `X.a or Default`
// if Default is not nil.
type Select struct {
	X       Expr
	Dot     Pos // position of the first `.`
	Path    []Key
	OrPos   Pos // zero without default
	Default Expr
}

// HasAttr is the test `X ? a.b`.
type HasAttr struct {
	X        Expr
	Question Pos
	Path     []Key
}

// Unary is `!X` or `-X`; Op is "!" or "-".
type Unary struct {
	OpPos Pos
	Op    string
	X     Expr
}

// Binary is `X Op Y`; Op is one of -> || && == != < > <= >= // + - * / ++.
type Binary struct {
	X     Expr
	OpPos Pos
	Op    string
	Y     Expr
}

// If is `if Cond then Then else Else`.
type If struct {
	IfPos   Pos
	Cond    Expr
	ThenPos Pos
	Then    Expr
	ElsePos Pos
	Else    Expr
}

// With is `with Scope; Body`.
type With struct {
	WithPos Pos
	Scope   Expr
	Semi    Pos
	Body    Expr
}

// Assert is `assert Cond; Body`.
type Assert struct {
	AssertPos Pos
	Cond      Expr
	Semi      Pos
	Body      Expr
}

// Comment is one `# …` or `/* … */` comment; Text includes the markers but
// not the newline ending a line comment.
type Comment struct {
	Slash Pos // position of `#` or `/`
	Text  string
}

func (c *Comment) Pos() Pos { return c.Slash }
func (c *Comment) End() Pos { return advance(c.Slash, c.Text) }

// Block reports whether c is a /* … */ comment.
func (c *Comment) Block() bool { return len(c.Text) > 0 && c.Text[0] == '/' }

// Placement says how a comment group relates to the node it is attached to.
type Placement int

const (
	// Leading comments come before their node, like a doc comment.
	Leading Placement = iota
	// Trailing comments come after their node: on the line where it ends,
	// or on later lines when nothing follows in the enclosing node.
	Trailing
	// Inner comments are inside a node with no child to attach them to,
	// such as `{ /* nothing */ }`.
	Inner
)

func (p Placement) String() string {
	switch p {
	case Leading:
		return "leading"
	case Trailing:
		return "trailing"
	case Inner:
		return "inner"
	}
	return fmt.Sprintf("Placement(%d)", int(p))
}

// CommentGroup is a run of comments with no blank line and no code between
// them; a comment after code on its line starts a group of its own. Node is
// the node the group is attached to and Placement how.
type CommentGroup struct {
	List      []*Comment
	Node      Node
	Placement Placement
}

func (g *CommentGroup) Pos() Pos { return g.List[0].Pos() }
func (g *CommentGroup) End() Pos { return g.List[len(g.List)-1].End() }

// advance returns the position after s, which starts at p, assuming s holds
// no line break (true of tokens and line comments) or counting them.
func advance(p Pos, s string) Pos {
	for i := 0; i < len(s); i++ {
		p.Offset++
		switch s[i] {
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
				p.Offset++
			}
			fallthrough
		case '\n':
			p.Line++
			p.Col = 1
		default:
			p.Col++
		}
	}
	return p
}

func (x *Ident) Pos() Pos      { return x.NamePos }
func (x *Int) Pos() Pos        { return x.ValuePos }
func (x *Float) Pos() Pos      { return x.ValuePos }
func (x *String) Pos() Pos     { return x.Open }
func (x *Text) Pos() Pos       { return x.ValuePos }
func (x *Interp) Pos() Pos     { return x.Dollar }
func (x *Path) Pos() Pos       { return x.Parts[0].Pos() }
func (x *SearchPath) Pos() Pos { return x.ValuePos }
func (x *URI) Pos() Pos        { return x.ValuePos }
func (x *Paren) Pos() Pos      { return x.Lparen }
func (x *List) Pos() Pos       { return x.Lbrack }
func (x *AttrSet) Pos() Pos {
	if x.RecPos.IsValid() {
		return x.RecPos
	}
	return x.Lbrace
}
func (x *AttrDef) Pos() Pos   { return x.Path[0].Pos() }
func (x *Inherit) Pos() Pos   { return x.InheritPos }
func (x *Let) Pos() Pos       { return x.LetPos }
func (x *LegacyLet) Pos() Pos { return x.LetPos }
func (x *Lambda) Pos() Pos {
	if x.Param != nil && (x.Formals == nil || x.Param.NamePos.Offset < x.Formals.Lbrace.Offset) {
		return x.Param.NamePos
	}
	return x.Formals.Lbrace
}
func (x *Formals) Pos() Pos { return x.Lbrace }
func (x *Formal) Pos() Pos  { return x.Name.NamePos }
func (x *Apply) Pos() Pos   { return x.Func.Pos() }
func (x *Select) Pos() Pos  { return x.X.Pos() }
func (x *HasAttr) Pos() Pos { return x.X.Pos() }
func (x *Unary) Pos() Pos   { return x.OpPos }
func (x *Binary) Pos() Pos  { return x.X.Pos() }
func (x *If) Pos() Pos      { return x.IfPos }
func (x *With) Pos() Pos    { return x.WithPos }
func (x *Assert) Pos() Pos  { return x.AssertPos }

func (x *Ident) End() Pos      { return advance(x.NamePos, x.Name) }
func (x *Int) End() Pos        { return advance(x.ValuePos, x.Lit) }
func (x *Float) End() Pos      { return advance(x.ValuePos, x.Lit) }
func (x *Text) End() Pos       { return advance(x.ValuePos, x.Raw) }
func (x *Interp) End() Pos     { return advance(x.Rbrace, "}") }
func (x *Path) End() Pos       { return x.Parts[len(x.Parts)-1].End() }
func (x *SearchPath) End() Pos { return advance(x.ValuePos, "<"+x.Path+">") }
func (x *URI) End() Pos        { return advance(x.ValuePos, x.Value) }
func (x *Paren) End() Pos      { return advance(x.Rparen, ")") }
func (x *List) End() Pos       { return advance(x.Rbrack, "]") }
func (x *AttrSet) End() Pos    { return advance(x.Rbrace, "}") }
func (x *AttrDef) End() Pos    { return advance(x.Semi, ";") }
func (x *Inherit) End() Pos    { return advance(x.Semi, ";") }
func (x *Let) End() Pos        { return x.Body.End() }
func (x *LegacyLet) End() Pos  { return advance(x.Rbrace, "}") }
func (x *Lambda) End() Pos     { return x.Body.End() }
func (x *Formals) End() Pos    { return advance(x.Rbrace, "}") }
func (x *Apply) End() Pos      { return x.Args[len(x.Args)-1].End() }
func (x *Unary) End() Pos      { return x.X.End() }
func (x *Binary) End() Pos     { return x.Y.End() }
func (x *If) End() Pos         { return x.Else.End() }
func (x *With) End() Pos       { return x.Body.End() }
func (x *Assert) End() Pos     { return x.Body.End() }

func (x *String) End() Pos {
	if x.Indented {
		return advance(x.Close, "''")
	}
	return advance(x.Close, `"`)
}

func (x *Formal) End() Pos {
	if x.Default != nil {
		return x.Default.End()
	}
	return x.Name.End()
}

func (x *Select) End() Pos {
	if x.Default != nil {
		return x.Default.End()
	}
	return x.Path[len(x.Path)-1].End()
}

func (x *HasAttr) End() Pos { return x.Path[len(x.Path)-1].End() }

func (*Ident) exprNode()      {}
func (*Int) exprNode()        {}
func (*Float) exprNode()      {}
func (*String) exprNode()     {}
func (*Path) exprNode()       {}
func (*SearchPath) exprNode() {}
func (*URI) exprNode()        {}
func (*Paren) exprNode()      {}
func (*List) exprNode()       {}
func (*AttrSet) exprNode()    {}
func (*Let) exprNode()        {}
func (*LegacyLet) exprNode()  {}
func (*Lambda) exprNode()     {}
func (*Apply) exprNode()      {}
func (*Select) exprNode()     {}
func (*HasAttr) exprNode()    {}
func (*Unary) exprNode()      {}
func (*Binary) exprNode()     {}
func (*If) exprNode()         {}
func (*With) exprNode()       {}
func (*Assert) exprNode()     {}

func (*Ident) keyNode()  {}
func (*String) keyNode() {}
func (*Interp) keyNode() {}

func (*Text) partNode()   {}
func (*Interp) partNode() {}

func (*AttrDef) bindingNode() {}
func (*Inherit) bindingNode() {}

// KeyName returns the name of k if it is static, as Nix decides: a bare
// name, a string without interpolation, or `${…}` around such a string
// (possibly parenthesised). Other keys are dynamic and evaluated.
func KeyName(k Key) (string, bool) {
	switch k := k.(type) {
	case *Ident:
		return k.Name, true
	case *String:
		return constString(k)
	case *Interp:
		x := k.X
		for {
			p, ok := x.(*Paren)
			if !ok {
				break
			}
			x = p.X
		}
		if s, ok := x.(*String); ok {
			return constString(s)
		}
	}
	return "", false
}

// constString returns the value of s if Nix makes it a plain string
// constant: no interpolation and at most one token of text.
func constString(s *String) (string, bool) {
	switch len(s.Parts) {
	case 0:
		return "", true
	case 1:
		if t, ok := s.Parts[0].(*Text); ok {
			return t.Value, true
		}
	}
	return "", false
}

// Value returns the value of s if it has no interpolation.
func (s *String) Value() (string, bool) {
	var b []byte
	for _, p := range s.Parts {
		t, ok := p.(*Text)
		if !ok {
			return "", false
		}
		b = append(b, t.Value...)
	}
	return string(b), true
}
