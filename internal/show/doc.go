package show

import (
	"io/fs"
	"strings"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/parser"
	"cuelang.org/go/cue/token"

	"github.com/axc-dev/axc/internal/doctext"
	"github.com/axc-dev/axc/schema"
)

// Docs says what each value of the view is, for show --doc: the doc
// comment of a host field, the description of an option.
type Docs struct {
	fields  map[string]string // host field (dotted path) → its doc comment
	options *docNode          // NixOS options by name, <name> any attribute
	config  string            // the host's NixOS module field
	c       *schema.Contract
}

type docNode struct {
	doc      string
	children map[string]*docNode
}

// NewDocs reads the docs of the schema in fsys: its host fields' doc
// comments (host.cue) and its options' descriptions (opts).
func NewDocs(fsys fs.FS, opts []schema.Option, c *schema.Contract) (*Docs, error) {
	host, _, err := schema.HostSyntax(fsys, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	d := &Docs{fields: map[string]string{}, options: &docNode{}, config: c.ConfigField, c: c}
	schema.WalkFields(host, func(path []string, f *ast.Field) {
		if doc := schema.FieldDoc(f); doc != "" {
			d.fields[strings.Join(path, ".")] = doc
		}
	})
	for _, o := range opts {
		if o.Set != "nixos" || o.Doc == "" {
			continue
		}
		n := d.options
		for _, p := range strings.Split(o.Name, ".") {
			if n.children == nil {
				n.children = map[string]*docNode{}
			}
			if n.children[p] == nil {
				n.children[p] = &docNode{}
			}
			n = n.children[p]
		}
		n.doc = o.Doc
	}
	return d, nil
}

// Of is the doc of the value at path (below the host), or "".
func (d *Docs) Of(path []string) string {
	if d == nil || len(path) == 0 {
		return ""
	}
	if doc, ok := d.fields[strings.Join(path, ".")]; ok {
		return doc
	}
	switch _, section := d.c.Section(path[0]); {
	case path[0] == d.config:
		return d.option(path[1:])
	case section:
		return d.option(path) // copied to the options of the same name
	}
	return ""
}

// option is the description of the option at path, an attribute name
// matching <name> where the option has one.
func (d *Docs) option(path []string) string {
	var find func(n *docNode, path []string) string
	find = func(n *docNode, path []string) string {
		if n == nil {
			return ""
		}
		if len(path) == 0 {
			return n.doc
		}
		if doc := find(n.children[path[0]], path[1:]); doc != "" {
			return doc
		}
		return find(n.children["<name>"], path[1:])
	}
	return find(d.options, path)
}

// docWidth is the width of a doc comment's text in show's CUE.
const docWidth = 72

// addDoc puts doc above f as a comment, as plain text.
func addDoc(f *ast.Field, doc string) {
	if doc == "" {
		return
	}
	g := &ast.CommentGroup{Doc: true}
	for _, l := range doctext.Lines(doc, docWidth) {
		text := "//"
		if l != "" {
			text += " " + l
		}
		g.List = append(g.List, &ast.Comment{Slash: token.NoPos, Text: text})
	}
	ast.AddComment(f, g)
}
