// Package nix is a small Nix syntax tree and a deterministic printer in
// nixfmt style, used to emit NixOS host configurations and flake.nix files.
//
// The printer guarantees that data values (Null, Bool, Int, Float, String,
// List, Attrs) evaluate in Nix to exactly the Go value they were built from,
// and that no string or key can turn into Nix code. Format reports values Nix
// cannot represent (NaN, ±Inf, strings containing NUL) as errors instead of
// emitting something that means a different value.
//
// Strings are written byte for byte. Nix strings are byte strings, so invalid
// UTF-8 survives evaluation unchanged, but the emitted file is then not valid
// UTF-8 either; callers should pass valid UTF-8.
package nix

// Expr is a Nix expression. Only the types in this package implement it.
type Expr interface{ isExpr() }

// Null is the Nix value null.
type Null struct{}

// Bool is a Nix boolean.
type Bool bool

// Int is a Nix integer; the whole int64 range is supported.
type Int int64

// Float is a Nix float. It always prints with a decimal point so Nix reads it
// back as a float with exactly the same value. NaN and ±Inf are errors.
type Float float64

// String is a Nix string. Multi-line strings print as indented strings
// (between two single quotes) when that form evaluates back to exactly the
// same string, otherwise as "..." strings with \n escapes.
// Strings containing NUL bytes cannot be represented and make Format fail.
type String string

// Path is a Nix path literal such as ./hosts/desktop.nix, ../x.nix or
// /etc/foo. It must start with /, ./ or ../, use only the characters
// [a-zA-Z0-9._+-] and '/', and contain no empty segment or trailing slash.
type Path string

// Raw is verbatim Nix expression text, an escape hatch for things like
// `lib.mkForce false`. It must be exactly one complete expression on its
// own (syntax.ParseRaw), otherwise Format fails; which variables it uses is
// the caller's business. It is printed so that it evaluates exactly as it
// does alone, wherever it is placed: parenthesised where the grammar needs
// it (not for an identifier, selection, literal, list or set in a list),
// with a line break after a final line comment, and with lines that start
// inside a string literal written verbatim, without the indentation of the
// surrounding code (indented strings whose opening quotes end their line
// are indented with it, which leaves their value unchanged). Surrounding whitespace is
// trimmed.
type Raw string

// List is a Nix list.
type List []Expr

// Attrs is an attribute set. Bindings print in the given order; the caller
// sorts them and avoids duplicates.
type Attrs []Binding

// Binding is one `a.b.c = value;` line of an attribute set.
type Binding struct {
	Path  []string
	Value Expr
}

// Lambda is a function with a formals pattern, printed like a module header:
//
//	{ lib, userModulePath, ... }:
//	body
type Lambda struct {
	Formals  []string
	Ellipsis bool
	Body     Expr
}

// Apply is a function application `f a b`.
type Apply struct {
	Func Expr
	Args []Expr
}

// Select is an attribute selection `e.a.b`.
type Select struct {
	Expr Expr
	Path []string
}

// Ident is a variable reference, optionally with a dotted attribute path
// such as nixpkgs.lib. Every segment must be a plain identifier.
type Ident string

// BinOp is a binary operation such as `self.outPath + "/user.nix"`.
// Op is one of -> || && == != < <= > >= // + - * / ++.
type BinOp struct {
	Op          string
	Left, Right Expr
}

func (Null) isExpr()   {}
func (Bool) isExpr()   {}
func (Int) isExpr()    {}
func (Float) isExpr()  {}
func (String) isExpr() {}
func (Path) isExpr()   {}
func (Raw) isExpr()    {}
func (List) isExpr()   {}
func (Attrs) isExpr()  {}
func (Lambda) isExpr() {}
func (Apply) isExpr()  {}
func (Select) isExpr() {}
func (Ident) isExpr()  {}
func (BinOp) isExpr()  {}
