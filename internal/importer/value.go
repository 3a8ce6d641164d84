package importer

import (
	"github.com/axc-dev/axc/internal/nix/syntax"
)

// The values the evaluator works with. Data (sets, lists, strings, paths,
// numbers, booleans, null) is what CUE can hold; everything else is either
// kept as Nix (rawVal) or one of the few things a flake or host file
// passes around that import understands (the framework's mkSystem, the
// nixpkgs lib, the flake's own source directory).
type value any

type (
	strVal   string
	intVal   int64
	floatVal float64
	boolVal  bool
	nullVal  struct{}
)

// storeVal is a string naming a file of the flake's own source: the flake's
// self.outPath (the top of its source tree, in), possibly with "/sub/path"
// appended. Where a path is expected it means that file (storePath).
type storeVal struct {
	abs string
	in  tree
}

// listVal is a list; its elements are evaluated on demand.
type listVal struct {
	elems []*thunk
	node  *syntax.List
	file  *source
}

// attrSet is an attribute set as the author built it: the entries of its
// literal, in source order (a dotted `a.b = 1;` is one entry with a path of
// two), after the fields of the sets it updates (`base // { … }`), so that
// the output can keep both the author's layout and the sharing of base.
type attrSet struct {
	embeds  []*embed
	entries []*entry
	// origin names the binding the set was defined by, for a shared value's
	// name; nil for a set made by merging.
	origin *origin
	node   *syntax.AttrSet // the literal, for its inner comments; nil if merged
	file   *source
	// byName indexes entries by their first name (see named), made when
	// the set had indexed entries; nameList is names, made when it had
	// namesOf.
	byName   map[string][]*entry
	indexed  int
	nameList []string
	namesOf  int
}

// entry is one binding of a set literal: path = value.
type entry struct {
	path []string
	val  *thunk
	def  syntax.Binding // *AttrDef or *Inherit, for comments and positions
	file *source
}

// embed is the left side of `base // overlay`: the fields of base that the
// overlay does not replace.
type embed struct {
	base    *attrSet
	exclude map[string]bool
}

// origin is the binding that named a value.
type origin struct {
	name string
	def  syntax.Node
	file *source
}

// rawVal is an expression the evaluator does not reduce: it is kept as Nix,
// with the environment its variables refer to.
type rawVal struct {
	expr syntax.Expr
	env  *env
	file *source
	// synth, when set, is the Nix to keep instead of expr's text: a
	// module function made from part of expr (see splitModule).
	synth *synthModule
}

// closure is a function value.
type closure struct {
	lam  *syntax.Lambda
	env  *env
	file *source
}

// The values of flake inputs and function arguments that import knows.
type (
	// libVal is the nixpkgs lib (nixpkgs.lib, or the lib a host file is
	// given): host files have it in scope as lib.
	libVal struct{}
	// inputVal is a flake input other than self, or an attribute path
	// below one that is not the nixpkgs lib or mkSystem.
	inputVal struct {
		name string
		path []string
	}
	// selfVal is the flake's self; its outPath is the top of the flake's
	// source tree.
	selfVal struct{ in tree }
	// argVal is a function argument whose value import cannot know (pkgs,
	// config, a host file's userModulePath when the file is read alone).
	argVal struct{ name string }
	// mkSystemVal is the framework's lib.mkSystem.
	mkSystemVal struct{}
	// hostVal is mkSystem applied to a host: the argument, unevaluated.
	hostVal struct{ cfg *thunk }
	// importVal is the builtin import.
	importVal struct{}
)

// thunk is a value computed on first use. Sets, lists and bindings hold
// thunks so that what is never needed (a flake's packages, a failing
// branch) is never evaluated.
type thunk struct {
	expr syntax.Expr
	env  *env
	file *source
	// compute, when set, replaces evaluating expr (inherit (x) a).
	compute func() value
	// name, when set, is the binding the thunk is the value of: a set it
	// evaluates to takes it as origin.
	name  *origin
	val   value
	state thunkState
}

type thunkState int

const (
	unevaluated thunkState = iota
	evaluating
	evaluated
)

// valueThunk is a thunk already evaluated to v.
func valueThunk(v value) *thunk { return &thunk{val: v, state: evaluated} }

// env is a lexical scope.
type env struct {
	parent *env
	vars   map[string]*thunk
}

func (e *env) lookup(name string) (*thunk, bool) {
	for ; e != nil; e = e.parent {
		if t, ok := e.vars[name]; ok {
			return t, true
		}
	}
	return nil, false
}

func newEnv(parent *env) *env { return &env{parent: parent, vars: map[string]*thunk{}} }
