package vet

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/literal"
	"cuelang.org/go/cue/token"

	"github.com/axc-dev/axc/internal/compile"
	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/nearest"
)

// suggester names the closest known field for a misspelt one.
type suggester struct {
	// host is #Host with every module on, so that every option is known.
	host cue.Value
	// shape is #Host itself, which has no errors of its own: the fields
	// of every module exist in it (those of modules that are off as errors).
	shape cue.Value
	// config is the host field that is a NixOS module: names below it
	// are options.
	config string
	// home: the entries are users, and config their home-manager settings.
	home bool
	// cross knows the other releases, when the checker was told of them.
	cross *crossReleases
	// knownAt caches known by pathKey: a fleet that fails
	// the same way everywhere (a release migration) asks the same few
	// paths for every host, and each asking lists the schema's fields.
	knownAt map[string][]string
	// steps caches shapeStep by path; enums caches enumAt by pathKey (a
	// migrating fleet has the same wrong values in every host).
	steps map[string]shapeStep
	enums map[string]enumAt
}

func newSuggester(l *load.Loader) *suggester {
	if l.Kind() == load.Users {
		// A user has no modules; below home are home-manager options.
		s := &suggester{host: l.HostSchema(), shape: l.HostSchema(), home: true}
		if u := l.Contract().User; u != nil {
			s.config = u.HomeField
		}
		return s
	}
	var flags []string
	for _, f := range l.Contract().Flags {
		flags = append(flags, strconv.Quote(f.Name)+": true")
	}
	all := l.Context().CompileString(`{hostname: "h", modules: {` + strings.Join(flags, ", ") + `}}`)
	return &suggester{host: l.HostSchema().Unify(all), shape: l.HostSchema(), config: l.Contract().ConfigField}
}

// closedDefinitionMsg explains fields that the schema knows but a closed
// definition of the author's rejects; one such message per host is enough.
const closedDefinitionMsg = "a closed #definition unified into this host rejects fields the schema allows (definitions are closed in CUE: share settings with a regular or _hidden field)"

func (s *suggester) unknownField(path []string) string {
	name := path[len(path)-1]
	what := "field"
	if len(path) > 1 && path[0] == s.config {
		what = "option"
	}
	if strings.Contains(name, ".") {
		return compile.DottedKeyMsg(name, what == "option")
	}
	msg := fmt.Sprintf("unknown %s %s", what, strings.Join(path, "."))
	if what == "option" && s.home {
		msg = fmt.Sprintf("unknown home-manager option %s", strings.Join(path[1:], "."))
	} else if what == "option" {
		msg = fmt.Sprintf("unknown option %s", strings.Join(path[1:], "."))
	}
	known := s.known(path[:len(path)-1])
	if slices.Contains(known, name) {
		// The schema has it: a closed #definition of the author's,
		// unified into the host, is what rejects it.
		return closedDefinitionMsg
	}
	if other := s.cross.explain(s.config, path); other != "" {
		// Another release has it: that says more than a near name.
		return msg + " (" + other + ")"
	}
	if s.allows(path) {
		// The schema is open there (a pattern, an attrsOf): again a
		// closed #definition of the author's rejects the name.
		return closedDefinitionMsg
	}
	if best := closest(name, known); best != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", best)
	}
	return msg
}

// allows reports whether the schema allows the last name of path where
// it is (an open struct, or a pattern).
func (s *suggester) allows(path []string) bool {
	v := s.shape.LookupPath(optionalPath(path[:len(path)-1]))
	return v.Exists() && v.Allows(cue.Str(path[len(path)-1]))
}

// known lists the field names the schema allows at path. The list is
// shared between callers: not to be changed.
func (s *suggester) known(path []string) []string {
	key := pathKey(path)
	if names, ok := s.knownAt[key]; ok {
		return names
	}
	var names []string
	v := s.host.LookupPath(optionalPath(path))
	if it, err := v.Fields(cue.Optional(true)); err == nil {
		for it.Next() {
			names = append(names, it.Selector().Unquoted())
		}
	}
	if s.knownAt == nil {
		s.knownAt = map[string][]string{}
	}
	s.knownAt[key] = names
	return names
}

// closest returns the candidate nearest to name, or "" when none is near
// enough to be a likely typo.
func closest(name string, candidates []string) string { return nearest.Word(name, candidates) }

// unknownFields lists the fields below idx that the schema has nowhere (with
// every module on), in the order written. It reads the author's syntax, not
// CUE's errors, which may leave closedness out when other errors exist.
func (s *suggester) unknownFields(idx *load.FieldIndex) [][]string {
	var out [][]string
	var walk func(at string, n *load.FieldIndex, path []string)
	walk = func(at string, n *load.FieldIndex, path []string) {
		for _, name := range n.Names() {
			p := append(path[:len(path):len(path)], name)
			key := at + pathKey([]string{name})
			st := s.shapeStep(at, key, name)
			if !st.allowed {
				out = append(out, p)
				continue
			}
			if st.isStruct {
				walk(key, n.Child(name), p)
			}
		}
	}
	if s.shape.IncompleteKind() == cue.StructKind {
		walk("", idx, nil)
	}
	return out
}

// shapeStep is what #Host (shape) says of the field name below the path
// whose pathKey is at: whether it allows it, and whether its value there
// is a struct to look into. Remembered by key: a fleet that fails the
// same way everywhere asks the same paths of every host, and each asking
// is a CUE lookup.
type shapeStep struct {
	allowed, isStruct bool
	value             cue.Value
}

func (s *suggester) shapeStep(at, key, name string) shapeStep {
	if st, ok := s.steps[key]; ok {
		return st
	}
	sv := s.shape
	if at != "" {
		sv = s.steps[at].value // asked before its children
	}
	var st shapeStep
	if st.allowed = sv.Allows(cue.Str(name)); st.allowed {
		cv := sv.LookupPath(cue.MakePath(cue.Str(name).Optional()))
		if !cv.Exists() {
			cv = sv.LookupPath(cue.MakePath(cue.AnyString)) // [string]: …
		}
		// Not a struct: a scalar, a list, or a value of several kinds
		// ({$nix: …}).
		st.value, st.isStruct = cv, cv.Exists() && cv.IncompleteKind() == cue.StructKind
	}
	if s.steps == nil {
		s.steps = map[string]shapeStep{}
	}
	s.steps[key] = st
	return st
}

// valueHint is advice for a string the author wrote at path where the
// schema allows only some strings: the nearest allowed one, or, for
// "none", that null means none. "" when there is none to give.
func (s *suggester) valueHint(idx *load.FieldIndex, path []string) string {
	got, ok := writtenString(idx.Node(path))
	if !ok {
		return ""
	}
	allowed, null := s.enumAt(path)
	if len(allowed) == 0 || slices.Contains(allowed, got) {
		return ""
	}
	if null && slices.Contains([]string{"none", "null", "nil", ""}, strings.ToLower(got)) {
		return " (null means none: write null, without quotes)"
	}
	for _, a := range allowed {
		if strings.EqualFold(a, got) {
			return fmt.Sprintf(" (did you mean %s?)", strconv.Quote(a))
		}
	}
	// Short values are often words of their own ("arm" is no typo of
	// "amd"): only longer ones are typos.
	if best := closest(got, allowed); best != "" && len(got) >= 4 {
		return fmt.Sprintf(" (did you mean %s?)", strconv.Quote(best))
	}
	return ""
}

// writtenString is the string literal the author wrote for a field, if
// its one value is one.
func writtenString(n *load.FieldIndex) (string, bool) {
	if n == nil || len(n.Decls) != 1 {
		return "", false
	}
	lit, ok := n.Decls[0].Lit.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	str, err := literal.Unquote(lit.Value)
	return str, err == nil
}

// enumAt lists the strings the schema allows at path when it allows only
// those (and maybe null, and raw Nix): nil when it allows any string, or
// no string.
func (s *suggester) enumAt(path []string) (allowed []string, null bool) {
	key := pathKey(path)
	if e, ok := s.enums[key]; ok {
		return e.allowed, e.null
	}
	allowed, null = enumOf(s.host.LookupPath(optionalPath(path)))
	if s.enums == nil {
		s.enums = map[string]enumAt{}
	}
	s.enums[key] = enumAt{allowed, null}
	return allowed, null
}

// enumAt is what enumOf says of a path.
type enumAt struct {
	allowed []string
	null    bool
}

// pathKey is a key no other path has: each name after its length.
func pathKey(path []string) string {
	var b strings.Builder
	for _, p := range path {
		b.WriteString(strconv.Itoa(len(p)))
		b.WriteByte(':')
		b.WriteString(p)
	}
	return b.String()
}

func enumOf(v cue.Value) (allowed []string, null bool) {
	switch op, args := v.Expr(); op {
	case cue.AndOp:
		// The type and the checks' own mentions (formFactor?: _): the
		// first conjunct that is an enum says it.
		for _, a := range args {
			if allowed, null = enumOf(a); len(allowed) > 0 {
				return allowed, null
			}
		}
	case cue.OrOp:
		for _, a := range args {
			switch k := a.IncompleteKind(); {
			case k == cue.StringKind && a.IsConcrete():
				str, _ := a.String()
				allowed = append(allowed, str)
			case k == cue.StringKind:
				return nil, false // any string (of a pattern) is allowed
			case k == cue.NullKind:
				null = true
			}
		}
	}
	return allowed, null
}

// optionalPath selects path's names as optional fields: the schema's
// option fields are optional.
func optionalPath(path []string) cue.Path {
	sels := make([]cue.Selector, len(path))
	for i, p := range path {
		sels[i] = cue.Str(p).Optional()
	}
	return cue.MakePath(sels...)
}
