// Package jsonschema writes the JSON Schema (draft 2020-12) of a release's
// #Host and #User, for editors of JSON and YAML hosts
// (yaml-language-server, VS Code).
//
// It walks the evaluated CUE schema rather than using CUE's own generator,
// which drops the bounds of fields that have a default: here enums, integer
// ranges, regular expressions, defaults (CUE's, and the NixOS defaults of
// options), required fields (but those axc supplies, as a host's hostname)
// and closedness are all kept, and every option says its NixOS type in its
// description, then its author's description (markdown, from the doc
// comment of its field) and, in examples, its author's example (one that is
// no JSON value: in the description, as Nix). A string that matches no
// pattern is reported with what the field's error("…") says is expected
// (see strings.go).
package jsonschema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"reflect"
	"slices"
	"sort"
	"strings"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/build"
	"cuelang.org/go/cue/cuecontext"
	"cuelang.org/go/cue/parser"

	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/schema"
)

// Draft is the JSON Schema dialect written.
const Draft = "https://json-schema.org/draft/2020-12/schema"

// The definitions of the CUE schema that the JSON Schema describes, and
// the ones it needs to know by name.
const (
	hostDef   = "#Host"
	userDef   = "#User"
	configDef = "#NixOSConfig" // the NixOS module a host's extraConfig is
	flagsDef  = "_modules"     // the host's flags, inside configDef
)

// document is the root of the output: a host, with the other definitions
// under $defs.
type document struct {
	Schema      string     `json:"$schema"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Ref         string     `json:"$ref"`
	Defs        Properties `json:"$defs"`
}

// Generate returns the JSON Schema of the CUE schema in fsys, named name
// ("cairn v2026.05.01"): its root validates a host ($defs/Host), and
// $defs/User (when the schema has #User) a user.
func Generate(fsys fs.FS, name string) ([]byte, error) {
	pkg, err := buildSchema(fsys)
	if err != nil {
		return nil, err
	}
	c, err := schema.ReadContract(fsys)
	if err != nil {
		return nil, err
	}
	host := pkg.LookupPath(cue.ParsePath(hostDef))
	if err := host.Err(); err != nil {
		return nil, fmt.Errorf("schema: %v", err)
	}
	config, err := configWithAllFlags(pkg, host)
	if err != nil {
		return nil, err
	}
	g := &generator{pkg: pkg, defs: map[string]*Schema{}}
	doc := document{
		Schema:      Draft,
		Title:       "axiOS host (" + name + ")",
		Description: "A host of " + name + ", the argument of mkSystem, as axc reads it from a JSON or YAML file.",
		Ref:         "#/$defs/Host",
	}
	hostSupplied, err := suppliedFields(load.Hosts)
	if err != nil {
		return nil, err
	}
	hostSchema := g.object(host, map[string]cue.Value{c.ConfigField: config}, hostSupplied)
	hostSchema.Description = "A host: the argument of mkSystem."
	doc.Defs = append(doc.Defs, Property{"Host", hostSchema})
	if user := pkg.LookupPath(cue.ParsePath(userDef)); user.Exists() {
		if err := user.Err(); err != nil {
			return nil, fmt.Errorf("schema: %v", err)
		}
		userSupplied, err := suppliedFields(load.Users)
		if err != nil {
			return nil, err
		}
		s := g.object(user, nil, userSupplied)
		s.Description = "A user: one person and their home-manager settings."
		doc.Defs = append(doc.Defs, Property{"User", s})
		doc.Description += " $defs/User is a user (a JSON or YAML file of the users directory)."
	}
	// The definitions the document refers to: a string type whose
	// alternatives became one pattern where it is used (mergeStrings) may
	// be referred to nowhere.
	used := map[string]bool{}
	for _, d := range doc.Defs {
		g.markUsed(d.Schema, used)
	}
	names := make([]string, 0, len(used))
	for n := range used {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		doc.Defs = append(doc.Defs, Property{n, g.defs[n]})
	}
	doc.Description += " Written by axc schema export."
	compact, err := marshal(doc)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, compact, "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// markUsed adds to used the definitions s refers to, and theirs.
func (g *generator) markUsed(s *Schema, used map[string]bool) {
	if s == nil {
		return
	}
	if name, ok := strings.CutPrefix(s.Ref, "#/$defs/"); ok && !used[name] {
		if def, ok := g.defs[name]; ok {
			used[name] = true
			g.markUsed(def, used)
		}
	}
	for _, sub := range []*Schema{s.Items, s.AdditionalProperties, s.Not} {
		g.markUsed(sub, used)
	}
	for _, p := range s.Properties {
		g.markUsed(p.Schema, used)
	}
	for _, sub := range slices.Concat(s.AnyOf, s.AllOf) {
		g.markUsed(sub, used)
	}
}

// suppliedFields are the fields axc gives an entry of kind k that lacks
// them (a host's hostname, its name), each with the note its description
// ends with: the schema does not require them.
func suppliedFields(k *load.Kind) (map[string]string, error) {
	expr, err := parser.ParseExpr("axc", k.With)
	if err != nil {
		return nil, fmt.Errorf("schema: %s: %v", k.With, err)
	}
	lit, ok := expr.(*ast.StructLit)
	if !ok {
		return nil, fmt.Errorf("schema: %s is no struct", k.With)
	}
	supplied := map[string]string{}
	for _, d := range lit.Elts {
		if f, ok := d.(*ast.Field); ok {
			if name, _, err := ast.LabelName(f.Label); err == nil {
				supplied[name] = suppliedNote(k)
			}
		}
	}
	return supplied, nil
}

// suppliedNote ends the description of a field axc supplies to an entry
// of kind k.
func suppliedNote(k *load.Kind) string {
	return "When absent, axc sets it to the " + k.Noun + "'s name: the name of its JSON or YAML file without the extension (web-01.yaml: web-01), its field's name in CUE."
}

// buildSchema evaluates the CUE package in fsys, with its comments: they
// become descriptions.
func buildSchema(fsys fs.FS) (cue.Value, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return cue.Value{}, err
	}
	inst := build.NewContext().NewInstance(schema.ImportPath, nil)
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".cue") {
			continue
		}
		src, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return cue.Value{}, err
		}
		f, err := parser.ParseFile(e.Name(), src, parser.ParseComments)
		if err != nil {
			return cue.Value{}, err
		}
		if err := inst.AddSyntax(f); err != nil {
			return cue.Value{}, err
		}
	}
	v := cuecontext.New().BuildInstance(inst)
	if err := v.Err(); err != nil {
		return cue.Value{}, fmt.Errorf("schema: %v", err)
	}
	return v, nil
}

// hiddenField is the selector of v's hidden field name: a hidden field
// belongs to its package, so it is found rather than spelt.
func hiddenField(v cue.Value, name string) (cue.Selector, bool) {
	it, err := v.Fields(cue.Hidden(true), cue.Optional(true))
	if err != nil {
		return cue.Selector{}, false
	}
	for it.Next() {
		if it.Selector().String() == name {
			return it.Selector(), true
		}
	}
	return cue.Selector{}, false
}

// configWithAllFlags is the NixOS configuration of a host whose modules
// flags are all on. #Host.extraConfig is evaluated with the flags'
// defaults, which would forbid the options of every module off by default;
// a JSON Schema cannot follow the flags, so it admits the options of every
// module a host can import (axc vet says when a flag is missing). A flag
// no host can turn on (a hidden one, always false) keeps its options out.
func configWithAllFlags(pkg, host cue.Value) (cue.Value, error) {
	config := pkg.LookupPath(cue.ParsePath(configDef))
	if !config.Exists() {
		return cue.Value{}, fmt.Errorf("schema: no %s", configDef)
	}
	flags := host.LookupPath(cue.ParsePath("modules"))
	it, err := flags.Fields()
	if err != nil {
		return cue.Value{}, fmt.Errorf("schema: #Host.modules: %v", err)
	}
	for it.Next() {
		if !it.Value().IsConcrete() {
			flags = flags.FillPath(cue.MakePath(it.Selector()), true)
		}
	}
	sel, ok := hiddenField(config, flagsDef)
	if !ok {
		return cue.Value{}, fmt.Errorf("schema: %s has no %s", configDef, flagsDef)
	}
	config = config.FillPath(cue.MakePath(sel), flags)
	if err := config.Err(); err != nil {
		return cue.Value{}, fmt.Errorf("schema: %s with every flag on: %v", configDef, err)
	}
	return config, nil
}

// generator turns CUE values into schemas, collecting the definitions that
// scalar types name (#Nix, #AbsolutePath) into $defs.
type generator struct {
	pkg  cue.Value
	defs map[string]*Schema
}

// probeLabel is a field name no schema declares: a struct that does not
// allow it is closed.
const probeLabel = "axc-jsonschema-probe\x00"

// object is the schema of a struct: its fields (override replaces the
// value of some), which of them are required (not those axc supplies),
// and whether others are allowed.
func (g *generator) object(v cue.Value, override map[string]cue.Value, supplied map[string]string) *Schema {
	s := &Schema{Type: Types{"object"}}
	it, err := v.Fields(cue.Optional(true))
	if err != nil {
		return s
	}
	for it.Next() {
		sel := it.Selector()
		if sel.LabelType() != cue.StringLabel {
			continue
		}
		name := sel.Unquoted()
		fv := it.Value()
		doc := docText(fv)
		if o, ok := override[name]; ok {
			fv = o
		}
		fs := g.field(fv, doc, sel.ConstraintType())
		s.Properties = append(s.Properties, Property{name, fs})
		note, isSupplied := supplied[name]
		switch {
		case isSupplied:
			fs.Description = join(fs.Description, note)
		case g.required(fv, sel.ConstraintType()):
			s.Required = append(s.Required, name)
		}
	}
	slices.SortFunc(s.Properties, func(a, b Property) int { return strings.Compare(a.Name, b.Name) })
	sort.Strings(s.Required)
	if pattern := v.LookupPath(cue.MakePath(cue.AnyString)); pattern.Exists() {
		// [string]: T, or the _ of an open struct (...): say nothing.
		if extra := g.schemaOf(pattern); !extra.isAny() {
			s.AdditionalProperties = extra
		}
	} else if !v.Allows(cue.Str(probeLabel)) {
		s.AdditionalProperties = &Schema{False: true}
	}
	return s
}

// required reports whether a field must be written: CUE's required fields
// (hostname!), and regular fields that have neither a default nor a
// concrete value (there is nothing mkSystem could fall back to).
func (g *generator) required(v cue.Value, c cue.SelectorType) bool {
	switch {
	case c&cue.RequiredConstraint != 0:
		return true
	case c&cue.OptionalConstraint != 0:
		return false
	}
	if _, ok := v.Default(); ok || v.IsConcrete() {
		return false
	}
	k := v.IncompleteKind()
	return k&(cue.StructKind|cue.ListKind) == 0
}

// field is the schema of a field's value, with its description (the
// option's NixOS type, or the field's doc comment) and default.
func (g *generator) field(v cue.Value, doc string, c cue.SelectorType) *Schema {
	// A $ref may have siblings (description, default) from draft 2019-09.
	s := g.schemaOf(v)
	if opt := v.Attribute("option"); opt.Err() == nil {
		name, _, _ := opt.Lookup(0, "name")
		typ, _, _ := opt.Lookup(0, "type")
		why := s.Description // why it cannot be set, if it cannot
		s.Description = "NixOS option " + name + ": " + typ
		if ro, _ := opt.Flag(0, "readOnly"); ro {
			s.Description += " (read-only: its module sets it, a host cannot)"
		} else if s.isFalse() {
			s.Description += " (" + why + ")"
		}
		// Then what its author says of it, as written (markdown), and
		// an example that is no JSON value as its Nix text.
		if text := optionDoc(v); text != "" {
			s.Description += ".\n\n" + text
		}
		if d, ok, _ := opt.Lookup(0, "default"); ok && json.Valid([]byte(d)) && !s.isFalse() {
			s.Default = json.RawMessage(d)
		}
		if e, ok, _ := opt.Lookup(0, "example"); ok && json.Valid([]byte(e)) && !s.isFalse() {
			s.Examples = []json.RawMessage{json.RawMessage(e)}
		} else if e, ok, _ := opt.Lookup(0, "exampleText"); ok && !s.isFalse() {
			s.Description += "\n\nExample (Nix):\n\n" + e
		}
	} else if doc != "" {
		s.Description = join(doc, s.Description)
	}
	// A regular field's default is what mkSystem falls back to; an
	// optional field has none (CUE's implicit [] of a list type is not
	// one).
	if c&(cue.OptionalConstraint|cue.RequiredConstraint) == 0 && s.Default == nil {
		if d, ok := v.Default(); ok && d.IsConcrete() {
			if js, err := d.MarshalJSON(); err == nil {
				s.Default = js
			}
		}
	}
	return s
}

// isFalse reports whether s admits nothing (read-only options).
func (s *Schema) isFalse() bool { return s.False || (s.Not != nil && s.Not.isAny()) }

func join(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " " + b
}

// checksFile holds the release's checks: its comments explain checks, not
// fields, and are no descriptions.
const checksFile = "checks.cue"

// docText is the doc comment of a field, as one paragraph.
func docText(v cue.Value) string {
	var parts []string
	for _, g := range v.Doc() {
		if g.Pos().Filename() == checksFile {
			continue
		}
		parts = append(parts, strings.Join(strings.Fields(g.Text()), " "))
	}
	return strings.Join(parts, " ")
}

// optionDoc is the doc comment of an option's field (its description, in
// the generated file), its lines kept: it is markdown.
func optionDoc(v cue.Value) string {
	var parts []string
	for _, g := range v.Doc() {
		if g.Pos().Filename() == checksFile {
			continue
		}
		if text := strings.TrimSpace(g.Text()); text != "" {
			parts = append(parts, text)
		}
	}
	return strings.Join(parts, "\n\n")
}

// schemaOf is the schema of any value.
func (g *generator) schemaOf(v cue.Value) *Schema {
	if err := v.Err(); err != nil {
		// error("…"): a field that cannot be set (a read-only option).
		return &Schema{Not: &Schema{}, Description: errorText(err)}
	}
	if ref, ok := g.reference(v); ok {
		return ref
	}
	op, args := v.Expr()
	switch op {
	case cue.NoOp:
		// A disjunction whose default another alternative admits comes as
		// that alternative alone (*8080 | int & >=1 gives int & >=1): its
		// value, int, would lose the bounds.
		if len(args) == 1 && !v.IsConcrete() {
			if inner, _ := args[0].Expr(); inner != cue.NoOp {
				return g.schemaOf(args[0])
			}
		}
	case cue.OrOp:
		return g.disjunction(args)
	case cue.AndOp:
		// A struct or a list is read from its evaluated value (the fields
		// of every conjunct unified); other values conjunct by conjunct.
		if k := v.IncompleteKind(); k != cue.StructKind && k != cue.ListKind {
			return g.conjunction(args)
		}
	}
	switch v.IncompleteKind() {
	case cue.StructKind:
		return g.object(v, nil, nil)
	case cue.ListKind:
		return g.array(v)
	}
	return g.scalar(v, op, args)
}

// array is the schema of a list: [...T] gives T for every item.
func (g *generator) array(v cue.Value) *Schema {
	s := &Schema{Type: Types{"array"}}
	if elem := v.LookupPath(cue.MakePath(cue.AnyIndex)); elem.Exists() {
		if items := g.schemaOf(elem); !items.isAny() {
			s.Items = items
		}
	}
	return s
}

// reference is a $ref to $defs for a value that names a definition of the
// schema package directly (#Nix, #AbsolutePath), whose schema is written
// once there.
func (g *generator) reference(v cue.Value) (*Schema, bool) {
	root, path := v.ReferencePath()
	sels := path.Selectors()
	if !root.Exists() || len(sels) != 1 || sels[0].LabelType() != cue.DefinitionLabel {
		return nil, false
	}
	name := strings.TrimPrefix(sels[0].String(), "#")
	// Host and User are the roots; the others are types of fields.
	if name == strings.TrimPrefix(hostDef, "#") || name == strings.TrimPrefix(userDef, "#") {
		return nil, false
	}
	if _, ok := g.defs[name]; !ok {
		g.defs[name] = &Schema{} // a placeholder against cycles
		def := g.pkg.LookupPath(path)
		s := g.schemaOf(def)
		if doc := docText(def); doc != "" {
			s.Description = join(doc, s.Description)
		}
		g.defs[name] = s
	}
	return &Schema{Ref: "#/$defs/" + name}, true
}

// disjunction is the schema of a | b | …: error(…) branches are CUE's
// messages, not values, and say what the others expect; the string
// alternatives with a pattern among them become one pattern that says it
// (see mergeStrings), first; other literals become one enum; plain types
// one type list.
func (g *generator) disjunction(args []cue.Value) *Schema {
	var expected string
	var alts []*Schema
	for i, a := range args {
		if a.Err() != nil {
			if expected == "" {
				expected = expectation(a)
			}
			continue
		}
		if subsumed(a, args[:i], args[i+1:]) {
			continue
		}
		alts = append(alts, g.schemaOf(a))
	}
	str, alts := g.mergeStrings(alts, expected)
	var consts []json.RawMessage
	var types Types
	var others []*Schema
	for _, s := range alts {
		switch {
		case s.Const != nil:
			consts = append(consts, s.Const)
		case len(s.Enum) > 0 && len(s.Type) == 0 && onlyEnum(s):
			consts = append(consts, s.Enum...)
		case s.onlyType():
			for _, t := range s.Type {
				if !slices.Contains(types, t) {
					types = append(types, t)
				}
			}
		default:
			others = append(others, s)
		}
	}
	// null among the literals joins a type list, or the strings (a
	// pattern applies to strings only).
	if i := slices.IndexFunc(consts, func(c json.RawMessage) bool { return string(c) == "null" }); i >= 0 {
		switch {
		case str != nil:
			consts = slices.Delete(consts, i, i+1)
			str.Type = Types{"null", "string"}
		case len(types) > 0:
			consts = slices.Delete(consts, i, i+1)
			types = append(Types{"null"}, types...)
		}
	}
	var branches []*Schema
	if str != nil {
		branches = append(branches, str)
	}
	if len(consts) > 0 {
		branches = append(branches, &Schema{Enum: consts})
	}
	if len(types) > 0 {
		branches = append(branches, &Schema{Type: types})
	}
	branches = append(branches, others...)
	switch len(branches) {
	case 0:
		return &Schema{Not: &Schema{}}
	case 1:
		return branches[0]
	}
	return &Schema{AnyOf: branches}
}

// subsumed reports whether a is a literal that another alternative admits
// (the default of *true | bool): writing it again would say nothing.
func subsumed(a cue.Value, others ...[]cue.Value) bool {
	if !a.IsConcrete() || a.IncompleteKind()&(cue.StructKind|cue.ListKind) != 0 {
		return false
	}
	for _, os := range others {
		for _, o := range os {
			if o.Err() == nil && !o.IsConcrete() && o.Unify(a).Err() == nil {
				return true
			}
		}
	}
	return false
}

// onlyEnum reports whether s says nothing but its enum.
func onlyEnum(s *Schema) bool {
	c := *s
	c.Enum = nil
	return c.isAny()
}

// conjunction is the schema of a & b & …: the keywords of each part, in
// one schema when they do not overlap (int & >=0 & <=65535), else allOf.
func (g *generator) conjunction(args []cue.Value) *Schema {
	var parts []*Schema
	for _, a := range args {
		if s := g.schemaOf(a); !s.isAny() {
			parts = append(parts, s)
		}
	}
	switch len(parts) {
	case 0:
		return &Schema{}
	case 1:
		return parts[0]
	}
	merged := &Schema{}
	for _, p := range parts {
		if !mergeInto(merged, p) {
			return &Schema{AllOf: parts}
		}
	}
	return merged
}

// mergeInto adds the keywords of p to m, and reports false when both set
// the same one differently.
func mergeInto(m, p *Schema) bool {
	mv, pv := reflect.ValueOf(m).Elem(), reflect.ValueOf(p).Elem()
	for i := range pv.NumField() {
		f := pv.Field(i)
		if f.IsZero() {
			continue
		}
		if old := mv.Field(i); !old.IsZero() && !reflect.DeepEqual(old.Interface(), f.Interface()) {
			return false
		}
		mv.Field(i).Set(f)
	}
	return true
}

// scalar is the schema of a value that is neither a struct, a list, nor
// a disjunction or conjunction of several: a literal, a type, a bound or a
// regular expression.
func (g *generator) scalar(v cue.Value, op cue.Op, args []cue.Value) *Schema {
	if v.IsConcrete() {
		if js, err := v.MarshalJSON(); err == nil {
			return &Schema{Const: js}
		}
	}
	bound := func(set func(s *Schema, n json.RawMessage)) *Schema {
		if len(args) == 1 {
			if js, err := args[0].MarshalJSON(); err == nil {
				s := &Schema{}
				set(s, js)
				return s
			}
		}
		return typeOf(v)
	}
	switch op {
	case cue.GreaterThanEqualOp:
		return bound(func(s *Schema, n json.RawMessage) { s.Minimum = n })
	case cue.GreaterThanOp:
		return bound(func(s *Schema, n json.RawMessage) { s.ExclusiveMinimum = n })
	case cue.LessThanEqualOp:
		return bound(func(s *Schema, n json.RawMessage) { s.Maximum = n })
	case cue.LessThanOp:
		return bound(func(s *Schema, n json.RawMessage) { s.ExclusiveMaximum = n })
	case cue.NotEqualOp:
		return bound(func(s *Schema, n json.RawMessage) { s.Not = &Schema{Const: n} })
	case cue.RegexMatchOp, cue.NotRegexMatchOp:
		if len(args) == 1 {
			if re, err := args[0].String(); err == nil {
				p := &Schema{Pattern: ecmaRegexp(re)}
				if op == cue.NotRegexMatchOp {
					return &Schema{Type: Types{"string"}, Not: p}
				}
				p.Type = Types{"string"}
				return p
			}
		}
	}
	return typeOf(v)
}

// typeOf is the schema saying only the kinds of v.
func typeOf(v cue.Value) *Schema {
	k := v.IncompleteKind()
	if k == cue.TopKind {
		return &Schema{}
	}
	var t Types
	for _, kt := range []struct {
		kind cue.Kind
		name string
	}{
		{cue.NullKind, "null"},
		{cue.BoolKind, "boolean"},
		{cue.NumberKind, "number"},
		{cue.IntKind, "integer"},
		{cue.FloatKind, "number"},
		{cue.StringKind, "string"},
		{cue.BytesKind, "string"},
		{cue.ListKind, "array"},
		{cue.StructKind, "object"},
	} {
		if k&kt.kind == kt.kind && !slices.Contains(t, kt.name) {
			t = append(t, kt.name)
			k &^= kt.kind
		}
	}
	return &Schema{Type: t}
}

// errorText is the message of error("…"), without CUE's path prefix.
func errorText(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, ": "); i >= 0 && !strings.Contains(msg[:i], " ") {
		msg = msg[i+2:]
	}
	return msg
}
