// Package show builds the view `axc show` prints: one host as axios will see
// it, the author's values merged with what mkSystem itself defines and the
// default of every option of the modules the host imports, each value
// marked as set by the author, by mkSystem, or a default.
package show

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/format"
	"cuelang.org/go/cue/token"

	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/schema"
)

// Origin says where a value comes from.
type Origin string

const (
	Set      Origin = "set"      // the author wrote it
	MkSystem Origin = "mkSystem" // mkSystem defines it from the host's fields (a flag's enable, say)
	User     Origin = "user"     // a user's file (users/NAME) sets it, for a user the host lists
	Default  Origin = "default"  // mkSystem's or an option's default
)

// A Node is a value of the view: a struct (Keys, Fields), or a leaf (Value,
// Origin).
type Node struct {
	Keys   []string
	Fields map[string]*Node
	Value  any // a leaf: as encoding/json decodes it (numbers as json.Number)
	Origin Origin
}

func (n *Node) isStruct() bool { return n.Fields != nil }

func (n *Node) child(k string) *Node {
	if n.Fields == nil {
		return nil
	}
	return n.Fields[k]
}

func (n *Node) add(k string, c *Node) {
	if n.Fields == nil {
		n.Fields = map[string]*Node{}
	}
	if _, ok := n.Fields[k]; !ok {
		n.Keys = append(n.Keys, k)
	}
	n.Fields[k] = c
}

// UserView is a user of the users package as a view: the fields that
// build writes into the user's module (every value marked User).
func UserView(u *load.Host, v cue.Value) (*Node, error) {
	n, err := fromValue(v, nil, nil)
	if err != nil {
		return nil, err
	}
	for _, leaf := range n.leaves() {
		leaf.Origin = User
	}
	return n, nil
}

// Host builds the view of host h, whose value is v, for the schema's
// options and contract. users are the views of the users the host may
// list (UserView, by name): what mkSystem imports for them is placed where
// their modules set it.
func Host(h *load.Host, v cue.Value, opts []schema.Option, c *schema.Contract, users map[string]*Node) (*Node, error) {
	root, err := fromValue(v, h, nil)
	if err != nil {
		return nil, err
	}
	placeUsers(root, v, c, users)
	// What mkSystem defines goes first: an option's default is only for
	// what neither the author nor mkSystem defines.
	config, err := schema.MkSystemConfig(v)
	if err != nil {
		return nil, err
	}
	if config.Exists() {
		sets, err := fromValue(config, nil, nil)
		if err != nil {
			return nil, err
		}
		for name, leaf := range sets.leaves() {
			for _, path := range hostPaths(root, name, c) {
				place(root, v, c, name, path, leaf.Value, MkSystem)
			}
		}
	}
	for _, o := range opts {
		if o.Set != "nixos" || o.ReadOnly || o.Default == "" {
			continue
		}
		var def any
		dec := json.NewDecoder(strings.NewReader(o.Default))
		dec.UseNumber()
		if err := dec.Decode(&def); err != nil {
			continue
		}
		name := strings.Split(o.Name, ".")
		for _, path := range hostPaths(root, name, c) {
			place(root, v, c, name, path, def, Default)
		}
	}
	return root, nil
}

// placeUsers puts the users the host lists where the module build writes
// for each sets them: the person's fields at the release's user option,
// their home at home-manager.users.NAME, below the host's NixOS module.
func placeUsers(root *Node, v cue.Value, c *schema.Contract, users map[string]*Node) {
	uc := c.User
	if uc == nil || c.Users.Field == "" {
		return
	}
	list, err := v.LookupPath(cue.MakePath(cue.Str(c.Users.Field))).List()
	if err != nil {
		return
	}
	for list.Next() {
		name, err := list.Value().String()
		u := users[name]
		if err != nil || u == nil {
			continue // vet says it is no user
		}
		option := []string{c.ConfigField}
		for _, p := range uc.Option {
			if p == "<name>" {
				p = name
			}
			option = append(option, p)
		}
		if uc.NameField != "" {
			insert(root, append(option, uc.NameField), &Node{Value: name, Origin: User})
		}
		for _, k := range u.Keys {
			path := append(option[:len(option):len(option)], k)
			if k == uc.HomeField {
				path = []string{c.ConfigField, "home-manager", "users", name}
			}
			merge(root, path, u.Fields[k])
		}
	}
}

// merge puts the tree n at path, beside what is there: a value already
// there (the host's own) stays.
func merge(root *Node, path []string, n *Node) {
	if !n.isStruct() {
		insert(root, path, n)
		return
	}
	for _, k := range n.Keys {
		merge(root, append(path[:len(path):len(path)], k), n.Fields[k])
	}
}

// place puts value, of origin o, at path (the option name, under the
// host's NixOS module field), unless the option does not exist on the host
// or something is there already.
func place(root *Node, v cue.Value, c *schema.Contract, name, path []string, value any, o Origin) {
	if !exists(v, path) {
		return // its module is not imported
	}
	if inSection(root, name[0], c, v) && reach(root, path[1:]) > reach(root, path)-1 {
		// The author writes this part of the namespace in the host
		// field that axios copies to the options: its values go
		// beside the author's.
		path = path[1:]
	}
	insert(root, path, &Node{Value: value, Origin: o})
}

// leaves yields the path (below n) and node of every leaf under n.
func (n *Node) leaves() func(yield func([]string, *Node) bool) {
	return func(yield func([]string, *Node) bool) { n.walk(nil, yield) }
}

func (n *Node) walk(path []string, yield func([]string, *Node) bool) bool {
	if !n.isStruct() {
		return yield(path, n)
	}
	for _, k := range n.Keys {
		if !n.Fields[k].walk(append(path[:len(path):len(path)], k), yield) {
			return false
		}
	}
	return true
}

// fromValue is v as a tree, each leaf marked by whether the author of
// host h wrote it: their syntax for h has it, or it is not a default and
// comes from one of their files (a pattern that gives every host a value).
// h is nil for values no host's author wrote.
func fromValue(v cue.Value, h *load.Host, path []string) (*Node, error) {
	v, isDefault := v.Default()
	origin := Default
	if h != nil && (h.Fields.Node(path) != nil || !isDefault && h.IsAuthorFile(v.Pos().Filename())) {
		origin = Set
	}
	if v.Kind() == cue.StructKind {
		if _, err := v.LookupPath(cue.MakePath(cue.Str("$nix"))).String(); err == nil {
			return leaf(v, origin) // raw Nix: one value
		}
		n := &Node{Fields: map[string]*Node{}}
		it, err := v.Fields()
		if err != nil {
			return nil, err
		}
		for it.Next() {
			k := it.Selector().Unquoted()
			c, err := fromValue(it.Value(), h, append(path[:len(path):len(path)], k))
			if err != nil {
				return nil, err
			}
			n.add(k, c)
		}
		return n, nil
	}
	return leaf(v, origin)
}

func leaf(v cue.Value, o Origin) (*Node, error) {
	js, err := v.MarshalJSON()
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	var x any
	if err := dec.Decode(&x); err != nil {
		return nil, err
	}
	return &Node{Value: x, Origin: o}, nil
}

// hostPaths are the places in the host's NixOS module field where option
// name (dotted, <name> for any attribute) is written; <name> stands for
// each attribute the host already has there (or in the section of the
// same name).
func hostPaths(root *Node, name []string, c *schema.Contract) [][]string {
	paths := [][]string{{c.ConfigField}}
	for _, p := range name {
		var next [][]string
		for _, path := range paths {
			if p != "<name>" {
				next = append(next, append(path[:len(path):len(path)], p))
				continue
			}
			keys := map[string]bool{}
			for _, at := range []*Node{lookup(root, path), lookup(root, path[1:])} {
				if at == nil {
					continue
				}
				for _, k := range at.Keys {
					if !keys[k] {
						keys[k] = true
						next = append(next, append(path[:len(path):len(path)], k))
					}
				}
			}
		}
		paths = next
	}
	return paths
}

// reach is how many leading elements of path the tree has.
func reach(root *Node, path []string) int {
	n := root
	for i, p := range path {
		if n = n.child(p); n == nil {
			return i
		}
	}
	return len(path)
}

// inSection reports whether the host writes namespace ns in the host
// field of the same name that axios copies to the options (virt, secrets,
// …), with that field's flag on.
func inSection(root *Node, ns string, c *schema.Contract, v cue.Value) bool {
	s, ok := c.Section(ns)
	if !ok || root.child(ns) == nil {
		return false
	}
	on, err := v.LookupPath(cue.MakePath(cue.Str("modules"), cue.Str(s.Flag))).Bool()
	return err == nil && on
}

func lookup(n *Node, path []string) *Node {
	for _, p := range path {
		if n = n.child(p); n == nil {
			return nil
		}
	}
	return n
}

// exists reports whether the host's schema has the option at path: an
// option of a module the host does not import is an error there.
func exists(v cue.Value, path []string) bool {
	// A module imported by condition may make a whole namespace an error
	// (hardware.desktop): check every level.
	for _, p := range path {
		v = v.LookupPath(cue.MakePath(cue.Str(p).Optional()))
		if !v.Exists() || v.Err() != nil {
			return false
		}
	}
	return true
}

// insert puts leaf at path unless a value is there, or a leaf (raw Nix, a
// whole attribute set written as a value) is above it.
func insert(root *Node, path []string, leaf *Node) {
	n := root
	for _, p := range path[:len(path)-1] {
		c := n.child(p)
		if c == nil {
			c = &Node{Fields: map[string]*Node{}}
			n.add(p, c)
		}
		if !c.isStruct() {
			return
		}
		n = c
	}
	last := path[len(path)-1]
	if n.child(last) != nil {
		return
	}
	n.add(last, leaf)
}

// CUE prints the view as CUE, each leaf followed by a // set, // mkSystem
// or // default comment; with docs, each value that has one below its doc
// (a host field's doc comment, an option's description) as a comment.
func CUE(name string, n *Node, docs *Docs) ([]byte, error) {
	p := cuePrinter{docs: docs}
	f := &ast.File{Decls: []ast.Decl{p.field(nil, name, n)}}
	return format.Node(f)
}

type cuePrinter struct{ docs *Docs }

// field is the field k of the view, whose parent is at path (nil for the
// host itself).
func (p cuePrinter) field(path []string, k string, n *Node) *ast.Field {
	var here []string // below the host: what docs are looked up by
	if path != nil {
		here = append(path[:len(path):len(path)], k)
	}
	f := &ast.Field{Label: label(k), Value: p.expr(here, n)}
	addDoc(f, p.docs.Of(here))
	if !n.isStruct() {
		ast.AddComment(f, &ast.CommentGroup{Line: true, Position: 4, List: []*ast.Comment{{Slash: token.NoPos, Text: "// " + string(n.Origin)}}})
	}
	return f
}

func label(k string) ast.Label {
	if ast.IsValidIdent(k) && !strings.HasPrefix(k, "#") && !strings.HasPrefix(k, "_") {
		return ast.NewIdent(k)
	}
	return ast.NewString(k)
}

func (p cuePrinter) expr(path []string, n *Node) ast.Expr {
	if n.isStruct() {
		if path == nil {
			path = []string{}
		}
		st := &ast.StructLit{}
		for _, k := range n.Keys {
			st.Elts = append(st.Elts, p.field(path, k, n.Fields[k]))
		}
		return st
	}
	return literal(n.Value)
}

func literal(x any) ast.Expr {
	switch x := x.(type) {
	case nil:
		return ast.NewNull()
	case bool:
		return ast.NewBool(x)
	case string:
		return ast.NewString(x)
	case json.Number:
		kind := token.INT
		if strings.ContainsAny(string(x), ".eE") {
			kind = token.FLOAT
		}
		return &ast.BasicLit{Kind: kind, Value: string(x)}
	case []any:
		l := &ast.ListLit{}
		for _, e := range x {
			l.Elts = append(l.Elts, literal(e))
		}
		return l
	case map[string]any:
		st := &ast.StructLit{}
		for _, k := range slices.Sorted(mapsKeys(x)) {
			st.Elts = append(st.Elts, &ast.Field{Label: label(k), Value: literal(x[k])})
		}
		return st
	}
	return ast.NewString(fmt.Sprint(x))
}

func mapsKeys(m map[string]any) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// JSON is the view as JSON: the merged value, and the origin of every leaf
// by its dotted path (keys that are not identifiers quoted); with docs, the
// doc of every value that has one (markdown, as its author wrote it) by
// the same paths.
func JSON(release, name string, n *Node, docs *Docs) ([]byte, error) {
	origins := map[string]Origin{}
	var docOf map[string]string
	if docs != nil {
		docOf = map[string]string{}
	}
	var value func(n *Node, path string, names []string) any
	value = func(n *Node, path string, names []string) any {
		if doc := docs.Of(names); doc != "" {
			docOf[path] = doc
		}
		if !n.isStruct() {
			origins[path] = n.Origin
			return n.Value
		}
		m := map[string]any{}
		for _, k := range n.Keys {
			seg := k
			if !ast.IsValidIdent(k) {
				seg = strconv.Quote(k)
			}
			p := seg
			if path != "" {
				p = path + "." + seg
			}
			m[k] = value(n.Fields[k], p, append(names[:len(names):len(names)], k))
		}
		return m
	}
	out := struct {
		Release string            `json:"release,omitempty"`
		Host    string            `json:"host"`
		Value   any               `json:"value"`
		Origin  map[string]Origin `json:"origin"`
		Doc     map[string]string `json:"doc,omitempty"`
	}{Release: release, Host: name}
	out.Value = value(n, "", nil)
	out.Origin = origins
	out.Doc = docOf
	// Not HTML-escaped: a doc's <name> reads as written.
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	err := enc.Encode(out)
	return b.Bytes(), err
}
