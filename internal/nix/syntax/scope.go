package syntax

import (
	"fmt"
	"sort"
	"strings"
)

// globals are the names in Nix 2.8's base environment, the scope every
// file starts in: `builtins`, the builtins that are also top-level names,
// and all builtins under a `__` prefix (builtins.length is __length).
// Builtins of experimental features (__getFlake, __fetchClosure) are not
// included.
var globals = map[string]bool{}

func init() {
	for _, n := range strings.Fields(`
		abort __add __addErrorContext __all __any __appendContext __attrNames
		__attrValues baseNameOf __bitAnd __bitOr __bitXor builtins __catAttrs
		__ceil __compareVersions __concatLists __concatMap __concatStringsSep
		__currentSystem __currentTime __deepSeq derivation derivationStrict
		dirOf __div __elem __elemAt false fetchGit fetchMercurial fetchTarball
		fetchTree __fetchurl __filter __filterSource __findFile __floor __foldl'
		__fromJSON fromTOML __functionArgs __genList __genericClosure
		__getAttr __getContext __getEnv __groupBy __hasAttr __hasContext
		__hashFile __hashString __head import __intersectAttrs __isAttrs
		__isBool __isFloat __isFunction __isInt __isList isNull __isPath
		__isString __langVersion __length __lessThan __listToAttrs map
		__mapAttrs __match __mul __nixPath __nixVersion null __parseDrvName
		__partition __path __pathExists placeholder __readDir __readFile
		removeAttrs __replaceStrings scopedImport __seq __sort __split
		__splitVersion __storeDir __storePath __stringLength __sub __substring
		__tail throw __toFile __toJSON __toPath toString __toXML __trace true
		__tryEval __typeOf __unsafeDiscardOutputDependency
		__unsafeDiscardStringContext __unsafeGetAttrPos __zipAttrsWith`) {
		globals[n] = true
	}
}

// IsGlobal reports whether name is defined in every Nix 2.8 file without
// being bound: true, false, null, builtins, import, map, toString, throw,
// abort, __length and the like. Note that fetchurl is only __fetchurl.
func IsGlobal(name string) bool { return globals[name] }

// Globals returns the names IsGlobal accepts, sorted.
func Globals() []string {
	out := make([]string, 0, len(globals))
	for n := range globals {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// FreeVar is an occurrence of a variable that the analysed expression does
// not bind.
type FreeVar struct {
	Name string
	// Node is the occurrence: an *Ident, or the *String or *Interp key of
	// `inherit "a";` or `inherit ${"a"};`.
	Node Node
	// UnderWith is set if the occurrence is in the body of a `with`, so
	// that at run time the variable may come from the with's scope; Nix
	// then accepts it.
	UnderWith bool
}

// FreeVars returns every occurrence of a variable in e that e does not bind
// itself (by let, rec, legacy let, a function's parameter or formals), in
// source order, with Nix 2.8's scoping: `inherit a;` refers to the
// enclosing scope, `inherit (x) a;` evaluates x in the set's own scope if
// it is rec, and a lexical binding wins over a with. Global names (see
// IsGlobal) are reported like any other unbound name. Variables that Nix
// uses implicitly (__sub for -, __findFile for <p>, …) and __curPos, which
// is not a variable, are not reported.
func FreeVars(e Expr) []FreeVar {
	s := &scopes{bound: map[string]int{}}
	s.expr(e)
	return s.free
}

type scopes struct {
	bound map[string]int // names bound in the current scope, with count
	with  int            // number of enclosing with bodies
	free  []FreeVar
}

func (s *scopes) push(names []string) {
	for _, n := range names {
		s.bound[n]++
	}
}

func (s *scopes) pop(names []string) {
	for _, n := range names {
		if s.bound[n]--; s.bound[n] == 0 {
			delete(s.bound, n)
		}
	}
}

func (s *scopes) use(name string, n Node) {
	if s.bound[name] == 0 {
		s.free = append(s.free, FreeVar{Name: name, Node: n, UnderWith: s.with > 0})
	}
}

// bindingNames returns the names bindings introduce in a let or rec set:
// the first element of each static attribute path and the inherited names.
func bindingNames(bs []Binding) []string {
	var names []string
	for _, b := range bs {
		switch b := b.(type) {
		case *AttrDef:
			if n, ok := KeyName(b.Path[0]); ok {
				names = append(names, n)
			}
		case *Inherit:
			for _, k := range b.Names {
				if n, ok := KeyName(k); ok {
					names = append(names, n)
				}
			}
		}
	}
	return names
}

// bindings analyses the bindings of a set or let; rec tells whether their
// names are in scope for them.
func (s *scopes) bindings(bs []Binding, rec bool, body Expr) {
	var names []string
	if rec {
		names = bindingNames(bs)
	}
	own := map[string]int{}
	for _, n := range names {
		own[n]++
	}
	s.push(names)
	for _, b := range bs {
		switch b := b.(type) {
		case *AttrDef:
			s.keys(b.Path)
			s.expr(b.Value)
		case *Inherit:
			if b.From != nil {
				s.expr(b.From)
				continue
			}
			// Inherited names refer to the scope outside the bindings.
			for _, k := range b.Names {
				if n, ok := KeyName(k); ok && s.bound[n] == own[n] {
					s.free = append(s.free, FreeVar{Name: n, Node: k, UnderWith: s.with > 0})
				}
			}
		}
	}
	if body != nil {
		s.expr(body)
	}
	s.pop(names)
}

func (s *scopes) keys(ks []Key) {
	for _, k := range ks {
		switch k := k.(type) {
		case *String:
			s.expr(k)
		case *Interp:
			s.expr(k.X)
		}
	}
}

func (s *scopes) parts(ps []StringPart) {
	for _, p := range ps {
		if in, ok := p.(*Interp); ok {
			s.expr(in.X)
		}
	}
}

func (s *scopes) expr(e Expr) {
	switch e := e.(type) {
	case *Ident:
		if e.Name != "__curPos" {
			s.use(e.Name, e)
		}
	case *String:
		s.parts(e.Parts)
	case *Path:
		s.parts(e.Parts)
	case *Paren:
		s.expr(e.X)
	case *List:
		for _, x := range e.Elems {
			s.expr(x)
		}
	case *AttrSet:
		s.bindings(e.Bindings, e.IsRec(), nil)
	case *LegacyLet:
		s.bindings(e.Bindings, true, nil)
	case *Let:
		s.bindings(e.Bindings, true, e.Body)
	case *Lambda:
		var names []string
		if e.Param != nil {
			names = append(names, e.Param.Name)
		}
		if e.Formals != nil {
			for _, f := range e.Formals.List {
				names = append(names, f.Name.Name)
			}
		}
		s.push(names)
		if e.Formals != nil {
			for _, f := range e.Formals.List {
				if f.Default != nil {
					s.expr(f.Default)
				}
			}
		}
		s.expr(e.Body)
		s.pop(names)
	case *Apply:
		s.expr(e.Func)
		for _, a := range e.Args {
			s.expr(a)
		}
	case *Select:
		s.expr(e.X)
		s.keys(e.Path)
		if e.Default != nil {
			s.expr(e.Default)
		}
	case *HasAttr:
		s.expr(e.X)
		s.keys(e.Path)
	case *Unary:
		s.expr(e.X)
	case *Binary:
		s.expr(e.X)
		s.expr(e.Y)
	case *If:
		s.expr(e.Cond)
		s.expr(e.Then)
		s.expr(e.Else)
	case *With:
		s.expr(e.Scope)
		s.with++
		s.expr(e.Body)
		s.with--
	case *Assert:
		s.expr(e.Cond)
		s.expr(e.Body)
	}
}

// ParseRaw parses text as the escape hatch {$nix: "…"} requires it: exactly
// one complete expression, nothing after it but whitespace and comments,
// no NUL byte. Errors are *Error with positions inside text.
func ParseRaw(text string) (*File, error) {
	f, err := Parse("", []byte(text))
	if err != nil {
		return nil, err
	}
	return f, nil
}

// CheckRaw reports whether text is acceptable verbatim Nix for {$nix: "…"}:
// ParseRaw accepts it and every variable it uses that it does not bind is
// in scope or global (IsGlobal), unless it occurs under a `with`, whose
// scope may define it. An undefined variable is reported as an *Error
// "undefined variable 'pkgs'" at its position in text.
func CheckRaw(text string, scope []string) error {
	f, err := ParseRaw(text)
	if err != nil {
		return err
	}
	in := map[string]bool{}
	for _, n := range scope {
		in[n] = true
	}
	for _, v := range FreeVars(f.Expr) {
		if v.UnderWith || in[v.Name] || IsGlobal(v.Name) {
			continue
		}
		p := v.Node.Pos()
		return &Error{Line: p.Line, Col: p.Col, Offset: p.Offset, Msg: fmt.Sprintf("undefined variable '%s'", v.Name)}
	}
	return nil
}
