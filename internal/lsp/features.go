package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/format"
	"cuelang.org/go/cue/literal"
	"cuelang.org/go/cue/parser"

	"github.com/axc-dev/axc/internal/check"
	"github.com/axc-dev/axc/internal/crossrel"
	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/options"
	"github.com/axc-dev/axc/internal/output"
)

func init() {
	features["textDocument/hover"] = (*Server).hover
	features["textDocument/completion"] = (*Server).completion
	features["textDocument/codeAction"] = (*Server).codeAction
	features["textDocument/documentSymbol"] = (*Server).documentSymbol
	features["textDocument/formatting"] = (*Server).formatting
	features["textDocument/definition"] = (*Server).definition
	features["textDocument/references"] = (*Server).references
	capabilities = append(capabilities, func(c map[string]any) {
		c["hoverProvider"] = true
		c["completionProvider"] = map[string]any{"triggerCharacters": []string{":", " ", "\"", "{"}}
		c["codeActionProvider"] = map[string]any{"codeActionKinds": []string{"quickfix"}}
		c["documentSymbolProvider"] = true
		c["documentFormattingProvider"] = true
		c["definitionProvider"] = true
		c["referencesProvider"] = true
	})
}

// doc is the open document params name, or nil.
// openDoc decodes params into p and returns the open document p names:
// nil when it is not open (or not a file axc checks).
func (s *Server) openDoc(params json.RawMessage, p documentParams) (*document, error) {
	if err := decode(params, p); err != nil {
		return nil, err
	}
	return s.doc(p.documentURI()), nil
}

func (s *Server) doc(uri string) *document {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.docs[uri]
	if d == nil || !Checked(d.path) {
		return nil
	}
	return d
}

// schemaDocs are the options and host fields of one schema, by kind and
// name, read once per release for the server's life.
type schemaDocs struct {
	name    string          // the schema's ("axios v2026.03.30")
	tag     string          // its release's tag ("" for --schema)
	renames *crossrel.Index // every release's names (nil for --schema)
	tags    []string
	entries []options.Entry
	byName  map[string]*options.Entry // kind + " " + name
}

var schemaCache sync.Map // schema name -> *schemaDocs

// docsFor is the schema docs of the release vet would check d against.
func (s *Server) docsFor(d *document) *schemaDocs {
	opts := s.opts.Check
	opts.Files = s.overlay()
	chk, err := check.ChooseSchema(opts, []string{d.path})
	if err != nil {
		return nil
	}
	if v, ok := schemaCache.Load(chk.Name); ok {
		return v.(*schemaDocs)
	}
	var tags []string
	if chk.Table != nil {
		tags = chk.Table.Tags()
	}
	entries, err := options.Read(chk.FS, tags, nil)
	if err != nil {
		return nil
	}
	sd := &schemaDocs{name: chk.Name, tags: tags, entries: entries, byName: map[string]*options.Entry{}}
	if chk.Release != nil {
		sd.tag = chk.Release.Tag
		sd.renames, _ = crossrel.Build(chk.Table, nil) // without it, hover says no other names
	}
	for i := range entries {
		e := &entries[i]
		sd.byName[string(e.Kind)+" "+e.Name] = e
	}
	schemaCache.Store(chk.Name, sd)
	return sd
}

// isUsers reports whether d is a user file.
func isUsers(d *document) bool { return check.EntryFileKind(d.path) == output.UsersDir }

// entryAt is the option or host field at rel (a path below a host or
// user), or nil.
func (sd *schemaDocs) entryAt(users bool, rel []string) *options.Entry {
	if len(rel) == 0 {
		return nil
	}
	if users {
		if rel[0] == "home" && len(rel) > 1 {
			return sd.byName[string(options.HomeOption)+" "+strings.Join(rel[1:], ".")]
		}
		return nil
	}
	if rel[0] == "extraConfig" && len(rel) > 1 {
		return sd.byName[string(options.NixOSOption)+" "+strings.Join(rel[1:], ".")]
	}
	if e := sd.byName[string(options.HostField)+" "+strings.Join(rel, ".")]; e != nil {
		return e
	}
	return sd.byName[string(options.NixOSOption)+" "+strings.Join(rel, ".")]
}

// children are the names one level below rel, for completion: each with
// the entry it is (nil for a group of options).
func (sd *schemaDocs) children(users bool, rel []string) map[string]*options.Entry {
	kind, prefix := options.HostField, strings.Join(rel, ".")
	switch {
	case users && len(rel) > 0 && rel[0] == "home":
		kind, prefix = options.HomeOption, strings.Join(rel[1:], ".")
	case users:
		return map[string]*options.Entry{"home": nil}
	case len(rel) > 0 && rel[0] == "extraConfig":
		kind, prefix = options.NixOSOption, strings.Join(rel[1:], ".")
	}
	if prefix != "" {
		prefix += "."
	}
	out := map[string]*options.Entry{}
	for i := range sd.entries {
		e := &sd.entries[i]
		if e.Kind != kind || !strings.HasPrefix(e.Name, prefix) {
			continue
		}
		rest := e.Name[len(prefix):]
		name, deeper, _ := strings.Cut(rest, ".")
		if name == "" || strings.HasPrefix(name, "<") {
			continue
		}
		if deeper == "" {
			out[name] = e
		} else if _, ok := out[name]; !ok {
			out[name] = nil
		}
	}
	return out
}

// descendant is an entry deeper than one level below a path, and its
// name from there.
type descendant struct {
	entry *options.Entry
	rest  string
}

// descendants are the entries more than one level below rel.
func (sd *schemaDocs) descendants(users bool, rel []string) []descendant {
	kind, prefix := options.HostField, strings.Join(rel, ".")
	switch {
	case users && len(rel) > 0 && rel[0] == "home":
		kind, prefix = options.HomeOption, strings.Join(rel[1:], ".")
	case users:
		return nil
	case len(rel) > 0 && rel[0] == "extraConfig":
		kind, prefix = options.NixOSOption, strings.Join(rel[1:], ".")
	}
	if prefix != "" {
		prefix += "."
	}
	var out []descendant
	for i := range sd.entries {
		e := &sd.entries[i]
		if e.Kind != kind || !strings.HasPrefix(e.Name, prefix) {
			continue
		}
		rest := e.Name[len(prefix):]
		if strings.Contains(rest, ".") && !strings.Contains(rest, "<") {
			out = append(out, descendant{e, rest})
		}
	}
	return out
}

// entryMarkdown is the hover text of an option or host field.
func (sd *schemaDocs) entryMarkdown(e *options.Entry) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** (%s)", e.Name, e.Kind)
	if e.Type != "" {
		fmt.Fprintf(&b, ": `%s`", e.Type)
	}
	b.WriteString("\n\n")
	line := func(key, value string) {
		if value != "" {
			fmt.Fprintf(&b, "- %s: %s\n", key, value)
		}
	}
	line("default", "`"+options.DefaultString(e)+"`")
	if v := options.ValuesString(e); v != "" {
		line("values", v)
	}
	if ex := options.ExampleString(e); ex != "" {
		line("example", "`"+strings.Join(strings.Fields(ex), " ")+"`")
	}
	line("from", e.From)
	if len(e.Releases) > 0 {
		line("releases", options.Ranges(e.Releases, sd.tags))
	}
	if sd.renames != nil && e.Kind != options.HomeOption {
		kind := crossrel.Option
		if e.Kind == options.HostField {
			kind = crossrel.Field
		}
		line("other names", sd.renames.OtherNames(sd.tag, kind, strings.Split(e.Name, ".")))
	}
	if e.Doc != "" {
		b.WriteString("\n" + e.Doc + "\n")
	}
	return b.String()
}

func (s *Server) hover(_ context.Context, params json.RawMessage) (any, error) {
	var p textDocumentPositionParams
	d, err := s.openDoc(params, &p)
	if err != nil || d == nil {
		return nil, err
	}
	f := parseDoc(d)
	if f == nil {
		return nil, nil
	}
	off := offsetOf(d.text, p.Position)
	c := cursorAt(f, off)
	_, rel, ok := entryPath(d, c.path)
	if !ok {
		return nil, nil
	}
	if c.inList && !isUsers(d) && len(rel) == 1 && rel[0] == "users" {
		name := stringAt(d.text, off)
		if u := s.findUser(d, name); u != nil {
			return hover{Contents: markupContent{Kind: "markdown", Value: u.markdown()}}, nil
		}
		return nil, nil
	}
	sd := s.docsFor(d)
	if sd == nil {
		return nil, nil
	}
	e := sd.entryAt(isUsers(d), rel)
	if e == nil {
		return nil, nil
	}
	return hover{Contents: markupContent{Kind: "markdown", Value: sd.entryMarkdown(e)}}, nil
}

// placeholder stands for the word being completed, so that the text
// around the cursor parses.
const placeholder = "axc__completing__"

func (s *Server) completion(_ context.Context, params json.RawMessage) (any, error) {
	var p textDocumentPositionParams
	d, err := s.openDoc(params, &p)
	if err != nil || d == nil {
		return nil, err
	}
	text := d.text
	off := offsetOf(text, p.Position)
	start := off
	for start > 0 && isWordByte(text[start-1]) {
		start--
	}
	quoted := start > 0 && text[start-1] == '"'
	if quoted {
		start--
	}
	end := off
	for end < len(text) && isWordByte(text[end]) {
		end++
	}
	if quoted && end < len(text) && text[end] == '"' {
		end++
	}
	probe := &document{uri: d.uri, path: d.path, text: text[:start] + placeholder + text[end:]}
	f := parseDoc(probe)
	if f == nil {
		return completionList{Items: []completionItem{}}, nil
	}
	c := cursorAt(f, start)
	replace := lspRange{Start: positionOf(text, start), End: positionOf(text, end)}
	_, rel, ok := entryPath(d, c.path)
	if !ok {
		return completionList{Items: []completionItem{}}, nil
	}
	users := isUsers(d)
	var items []completionItem
	isValue := c.field != nil && !c.onLabel && !c.inList
	if isValue {
		if id, ok := c.field.Value.(*ast.Ident); !ok || id.Name != placeholder {
			isValue = false
		}
	}
	sd := s.docsFor(d)
	if isValue && sd != nil {
		// A struct's field written a: b: c: the value being typed is a
		// label below it.
		e := sd.entryAt(users, rel)
		if e == nil || len(e.Values) == 0 && e.Type != "boolean" && e.Type != "bool" {
			isValue = false
		}
	}
	switch {
	case c.inList && !users && len(rel) == 1 && rel[0] == "users":
		for _, name := range s.userNames(d) {
			lit := strconv.Quote(name)
			items = append(items, completionItem{Label: name, Kind: completionKindValue, FilterText: lit, TextEdit: &textEdit{Range: replace, NewText: lit}})
		}
	case isValue && sd != nil:
		e := sd.entryAt(users, rel)
		if e == nil {
			break
		}
		vals := e.Values
		if e.Type == "boolean" || e.Type == "bool" {
			vals = []json.RawMessage{json.RawMessage("true"), json.RawMessage("false")}
		}
		for _, v := range vals {
			items = append(items, completionItem{Label: string(v), Kind: completionKindEnum, FilterText: string(v), TextEdit: &textEdit{Range: replace, NewText: string(v)}})
		}
	case sd != nil:
		if c.onLabel && len(rel) > 0 {
			rel = rel[:len(rel)-1]
		}
		for name, e := range sd.children(users, rel) {
			item := completionItem{Label: name, Kind: completionKindField, TextEdit: &textEdit{Range: replace, NewText: labelText(name) + ": "}, SortText: "0" + name}
			if e != nil {
				item.Detail = e.Type
				if e.From != "" {
					item.Detail += " (" + e.From + ")"
				}
				if e.Flag != "" {
					// Options of modules the host may not import: after
					// the others.
					item.SortText = "1" + name
				}
			}
			items = append(items, item)
		}
		// Deeper options and fields, whole: their path inserted as CUE
		// writes nested fields (a: b: c: ).
		for _, e := range sd.descendants(users, rel) {
			rest := e.rest
			labels := strings.Split(rest, ".")
			for i, l := range labels {
				labels[i] = labelText(l)
			}
			item := completionItem{Label: rest, Kind: completionKindField, FilterText: rest, TextEdit: &textEdit{Range: replace, NewText: strings.Join(labels, ": ") + ": "}, SortText: "2" + rest, Detail: e.entry.Type}
			if e.entry.Flag != "" {
				item.SortText = "3" + rest
				item.Detail += " (" + e.entry.From + ")"
			}
			items = append(items, item)
		}
	}
	sort.Slice(items, func(i, j int) bool { return items[i].SortText+items[i].Label < items[j].SortText+items[j].Label })
	if items == nil {
		items = []completionItem{}
	}
	return completionList{Items: items}, nil
}

// labelText is name as a CUE label: quoted unless an identifier.
func labelText(name string) string {
	if ast.IsValidIdent(name) && !strings.HasPrefix(name, "_") && !strings.HasPrefix(name, "#") {
		return name
	}
	return strconv.Quote(name)
}

// stringAt is the string literal's value around byte off of text, or
// the word there.
func stringAt(text string, off int) string {
	ls := strings.LastIndexByte(text[:min(off, len(text))], '\n') + 1
	line := lineAt(text, strings.Count(text[:ls], "\n"))
	start, end := wordAround(line, off-ls)
	return line[start:end]
}

// A user is a user's declaration: where, and what hover says of them.
type user struct {
	name, fullName, email string
	loc                   location
}

func (u *user) markdown() string {
	s := "**" + u.name + "** (user)"
	if u.fullName != "" {
		s += "\n\n" + u.fullName
	}
	if u.email != "" {
		s += " <" + u.email + ">"
	}
	return s
}

// usersDir is the users directory beside d's hosts directory.
func usersDir(d *document) string {
	return filepath.Join(filepath.Dir(filepath.Dir(d.path)), output.UsersDir)
}

// userFiles are the entry files of the users directory beside d, with
// their texts (the open documents' where open).
func (s *Server) userFiles(d *document) map[string][]byte {
	files := s.overlay()
	dir := usersDir(d)
	entries, err := files.ReadDir(dir)
	if err != nil {
		return nil
	}
	out := map[string][]byte{}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if e.IsDir() || check.EntryFileKind(p) == "" {
			continue
		}
		if data, err := files.ReadFile(p, load.MaxFileSize); err == nil {
			out[p] = data
		}
	}
	return out
}

// userNames are the users declared beside d.
func (s *Server) userNames(d *document) []string {
	names, _, _ := load.DeclaredNames(s.overlay(), usersDir(d))
	sort.Strings(names)
	return names
}

// findUser is the declaration of the user name beside d, or nil.
func (s *Server) findUser(d *document, name string) *user {
	if name == "" {
		return nil
	}
	for p, data := range s.userFiles(d) {
		ud := &document{path: p, text: string(data)}
		if isData(ud) {
			if strings.TrimSuffix(filepath.Base(p), filepath.Ext(p)) == name {
				u := &user{name: name, loc: location{URI: pathURI(p)}}
				if f := parseDoc(ud); f != nil {
					u.fullName, u.email = stringField(f.Decls, "fullName"), stringField(f.Decls, "email")
				}
				return u
			}
			continue
		}
		f := parseDoc(ud)
		if f == nil {
			continue
		}
		for _, decl := range f.Decls {
			field, ok := decl.(*ast.Field)
			if !ok {
				continue
			}
			if n, _, err := ast.LabelName(field.Label); err != nil || n != name {
				continue
			}
			u := &user{name: name, loc: location{URI: pathURI(p), Range: nodeRange(ud.text, field.Label)}}
			for _, st := range structsOf(field.Value) {
				u.fullName = stringField(st.Elts, "fullName")
				u.email = stringField(st.Elts, "email")
			}
			return u
		}
	}
	return nil
}

// stringField is the string value of the field name among decls.
func stringField(decls []ast.Decl, name string) string {
	if len(decls) == 1 {
		if e, ok := decls[0].(*ast.EmbedDecl); ok {
			if st, ok := e.Expr.(*ast.StructLit); ok {
				decls = st.Elts
			}
		}
	}
	for _, decl := range decls {
		field, ok := decl.(*ast.Field)
		if !ok {
			continue
		}
		if n, _, err := ast.LabelName(field.Label); err != nil || n != name {
			continue
		}
		if lit, ok := field.Value.(*ast.BasicLit); ok {
			if s, err := literal.Unquote(lit.Value); err == nil {
				return s
			}
		}
	}
	return ""
}

// nodeRange is n's range in text.
func nodeRange(text string, n ast.Node) lspRange {
	return lspRange{Start: positionOf(text, n.Pos().Offset()), End: positionOf(text, n.End().Offset())}
}

func (s *Server) definition(_ context.Context, params json.RawMessage) (any, error) {
	var p textDocumentPositionParams
	d, err := s.openDoc(params, &p)
	if err != nil || d == nil {
		return nil, err
	}
	off := offsetOf(d.text, p.Position)
	if f := parseDoc(d); f != nil {
		c := cursorAt(f, off)
		if _, rel, ok := entryPath(d, c.path); ok && c.inList && !isUsers(d) && len(rel) == 1 && rel[0] == "users" {
			if u := s.findUser(d, stringAt(d.text, off)); u != nil {
				return []location{u.loc}, nil
			}
			return nil, nil
		}
	}
	// A hidden value or a definition of the package: its declaration.
	word := stringAt(d.text, off)
	if !strings.HasPrefix(word, "_") && !strings.HasPrefix(word, "#") {
		return nil, nil
	}
	var out []location
	for p, data := range s.packageFiles(d) {
		pd := &document{path: p, text: string(data)}
		f := parseDoc(pd)
		if f == nil {
			continue
		}
		for _, decl := range f.Decls {
			if field, ok := decl.(*ast.Field); ok {
				if n, _, err := ast.LabelName(field.Label); err == nil && n == word {
					out = append(out, location{URI: pathURI(p), Range: nodeRange(pd.text, field.Label)})
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].URI < out[j].URI })
	return out, nil
}

// packageFiles are the .cue files of d's directory, with their texts.
func (s *Server) packageFiles(d *document) map[string][]byte {
	files := s.overlay()
	entries, err := files.ReadDir(filepath.Dir(d.path))
	if err != nil {
		return nil
	}
	out := map[string][]byte{}
	for _, e := range entries {
		p := filepath.Join(filepath.Dir(d.path), e.Name())
		if e.IsDir() || filepath.Ext(p) != ".cue" || check.EntryFileKind(p) == "" {
			continue
		}
		if data, err := files.ReadFile(p, load.MaxFileSize); err == nil {
			out[p] = data
		}
	}
	return out
}

func (s *Server) references(_ context.Context, params json.RawMessage) (any, error) {
	var p referenceParams
	d, err := s.openDoc(params, &p)
	if err != nil || d == nil || !isUsers(d) {
		return nil, err
	}
	f := parseDoc(d)
	if f == nil {
		return nil, nil
	}
	name, _, ok := entryPath(d, cursorAt(f, offsetOf(d.text, p.Position)).path)
	if !ok {
		return nil, nil
	}
	// The hosts listing the user: the string "name" in their files.
	hostsDir := filepath.Join(filepath.Dir(filepath.Dir(d.path)), output.HostsDir)
	files := s.overlay()
	entries, err := files.ReadDir(hostsDir)
	if err != nil {
		return []location{}, nil
	}
	lit := regexp.MustCompile(`["']?\b` + regexp.QuoteMeta(name) + `\b["']?`)
	out := []location{}
	for _, e := range entries {
		hp := filepath.Join(hostsDir, e.Name())
		if e.IsDir() || check.EntryFileKind(hp) == "" {
			continue
		}
		data, err := files.ReadFile(hp, load.MaxFileSize)
		if err != nil {
			continue
		}
		hd := &document{path: hp, text: string(data)}
		hf := parseDoc(hd)
		if hf == nil {
			continue
		}
		for _, m := range lit.FindAllStringIndex(hd.text, -1) {
			if !strings.HasPrefix(hd.text[m[0]:], `"`) {
				continue
			}
			c := cursorAt(hf, m[0]+1)
			if _, rel, ok := entryPath(hd, c.path); ok && c.inList && len(rel) == 1 && rel[0] == "users" {
				out = append(out, location{URI: pathURI(hp), Range: lspRange{Start: positionOf(hd.text, m[0]), End: positionOf(hd.text, m[1])}})
			}
		}
	}
	return out, nil
}

func (s *Server) documentSymbol(_ context.Context, params json.RawMessage) (any, error) {
	var p textDocumentParams
	d, err := s.openDoc(params, &p)
	if err != nil || d == nil {
		return nil, err
	}
	f := parseDoc(d)
	if f == nil {
		return []documentSymbol{}, nil
	}
	kind := "host"
	if isUsers(d) {
		kind = "user"
	}
	out := []documentSymbol{}
	if isData(d) {
		r := lspRange{End: positionOf(d.text, len(d.text))}
		name, _, _ := entryPath(d, nil)
		return []documentSymbol{{Name: name, Detail: kind, Kind: symbolKindObject, Range: r, SelectionRange: lspRange{}}}, nil
	}
	for _, decl := range f.Decls {
		field, ok := decl.(*ast.Field)
		if !ok {
			continue
		}
		name, _, err := ast.LabelName(field.Label)
		if err != nil {
			continue
		}
		detail := kind
		if strings.HasPrefix(name, "_") || strings.HasPrefix(name, "#") {
			detail = "shared value"
		}
		out = append(out, documentSymbol{Name: name, Detail: detail, Kind: symbolKindObject, Range: nodeRange(d.text, field), SelectionRange: nodeRange(d.text, field.Label)})
	}
	return out, nil
}

func (s *Server) formatting(_ context.Context, params json.RawMessage) (any, error) {
	var p textDocumentParams
	d, err := s.openDoc(params, &p)
	if err != nil || d == nil || filepath.Ext(d.path) != ".cue" {
		return nil, err
	}
	out, err := format.Source([]byte(d.text))
	if err != nil {
		return nil, &rpcError{Code: codeRequestFailed, Message: "cannot format: " + err.Error()}
	}
	if string(out) == d.text {
		return []textEdit{}, nil
	}
	return []textEdit{{Range: lspRange{End: positionOf(d.text, len(d.text))}, NewText: string(out)}}, nil
}

// Quick fixes: the findings whose advice is a text edit.
var (
	didYouMean = regexp.MustCompile(`\(did you mean ("[^"]*"|[^ ?"]+)\?\)`)
	renameTo   = regexp.MustCompile(`rename (\S+) to (\S+)$`)
	dottedKey  = regexp.MustCompile(`^key "(?:[^"\\]|\\.)*" holds dots: .*: nest it, (.*): …$`)
	setIt      = regexp.MustCompile(`^required\b.*: set it, e\.g\. (.+)$`)
)

// quickFix is the edit a diagnostic of d advises, if any: its title and
// the edit.
func quickFix(d *document, diag diagnostic) (title string, edit textEdit, ok bool) {
	start, end := offsetOf(d.text, diag.Range.Start), offsetOf(d.text, diag.Range.End)
	if end <= start {
		return "", textEdit{}, false
	}
	old := d.text[start:end]
	msg, subject := diag.Message, ""
	if p, m, found := strings.Cut(msg, ": "); found && !strings.HasPrefix(msg, "key ") {
		msg, subject = m, p // the path before the message
	}
	if m := setIt.FindStringSubmatch(msg); m != nil {
		return setRequired(d, subject, m[1])
	}
	if m := didYouMean.FindStringSubmatch(msg); m != nil {
		repl := m[1]
		if uq, err := strconv.Unquote(repl); err == nil {
			repl = uq
		}
		if strings.HasPrefix(old, `"`) {
			repl = strconv.Quote(repl)
		} else {
			repl = labelText(repl)
		}
		return "Change to " + repl, textEdit{Range: diag.Range, NewText: repl}, true
	}
	if m := renameTo.FindStringSubmatch(msg); m != nil {
		// The finding is placed at the value; the label renamed is the
		// last one of that name on its line up to there.
		from, to := strings.Split(m[1], "."), strings.Split(m[2], ".")
		if len(from) != len(to) {
			return "", textEdit{}, false
		}
		ls := lineStart(d.text, diag.Range.Start.Line)
		line := lineAt(d.text, diag.Range.Start.Line)
		label := from[len(from)-1]
		best := -1
		for i := 0; i+len(label) <= len(line) && i <= end-ls; i++ {
			if line[i:i+len(label)] == label && (i == 0 || !isWordByte(line[i-1])) && (i+len(label) == len(line) || !isWordByte(line[i+len(label)])) {
				best = i
			}
		}
		if best < 0 {
			return "", textEdit{}, false
		}
		r := lspRange{Start: positionOf(d.text, ls+best), End: positionOf(d.text, ls+best+len(label))}
		return "Rename " + m[1] + " to " + m[2], textEdit{Range: r, NewText: labelText(to[len(to)-1])}, true
	}
	if m := dottedKey.FindStringSubmatch(msg); m != nil && strings.HasPrefix(old, `"`) {
		return "Nest it: " + m[1], textEdit{Range: diag.Range, NewText: m[1]}, true
	}
	return "", textEdit{}, false
}

// setRequired is the quick fix of a required option not set: the
// option, with the release's example (CUE text), declared again below
// the entry's declaration (CUE unifies the two).
func setRequired(d *document, subject, example string) (string, textEdit, bool) {
	path, ok := splitPath(subject)
	if !ok || len(path) < 2 || isData(d) {
		return "", textEdit{}, false
	}
	if _, err := parser.ParseExpr("example", example); err != nil {
		return "", textEdit{}, false
	}
	f := parseDoc(d)
	if f == nil {
		return "", textEdit{}, false
	}
	for _, decl := range f.Decls {
		field, ok := decl.(*ast.Field)
		if !ok {
			continue
		}
		if n, _, err := ast.LabelName(field.Label); err != nil || n != path[0] {
			continue
		}
		labels := make([]string, len(path))
		for i, p := range path {
			labels[i] = labelText(p)
		}
		at := positionOf(d.text, field.End().Offset())
		return "Set " + strings.Join(path[1:], ".") + " to " + example, textEdit{Range: lspRange{Start: at, End: at}, NewText: "\n" + strings.Join(labels, ": ") + ": " + example}, true
	}
	return "", textEdit{}, false
}

// setByRename reports whether diag, a required option not set, is set by
// renaming another finding's option into it (axios.system.timeZone
// renamed cairn.system.timeZone): its example would then conflict with
// the value the rename brings.
func setByRename(diag diagnostic, all []diagnostic) bool {
	subject, _, _ := strings.Cut(diag.Message, ": ")
	path, ok := splitPath(subject)
	if !ok || len(path) < 3 || path[1] != "extraConfig" {
		return false
	}
	renamed := "(renamed " + strings.Join(path[2:], ".") + " in "
	for _, o := range all {
		if strings.Contains(o.Message, renamed) {
			return true
		}
	}
	return false
}

// splitPath splits a finding's path (a."home-manager".b) into its labels.
func splitPath(p string) ([]string, bool) {
	var out []string
	for p != "" {
		var label string
		if p[0] == '"' {
			end := 1
			for end < len(p) && p[end] != '"' {
				if p[end] == '\\' {
					end++
				}
				end++
			}
			if end >= len(p) {
				return nil, false
			}
			uq, err := strconv.Unquote(p[:end+1])
			if err != nil {
				return nil, false
			}
			label, p = uq, p[end+1:]
		} else {
			i := strings.IndexByte(p, '.')
			if i < 0 {
				i = len(p)
			}
			label, p = p[:i], p[i:]
		}
		out = append(out, label)
		if p != "" {
			if p[0] != '.' {
				return nil, false
			}
			p = p[1:]
		}
	}
	return out, len(out) > 0
}

func (s *Server) codeAction(_ context.Context, params json.RawMessage) (any, error) {
	var p codeActionParams
	d, err := s.openDoc(params, &p)
	if err != nil || d == nil {
		return nil, err
	}
	out := []codeAction{}
	for _, diag := range p.Context.Diagnostics {
		if diag.Source != "axc" {
			continue
		}
		title, edit, ok := quickFix(d, diag)
		if !ok || setByRename(diag, p.Context.Diagnostics) {
			continue
		}
		out = append(out, codeAction{
			Title: title, Kind: "quickfix", Diagnostics: []diagnostic{diag}, IsPreferred: true,
			Edit: &workspaceEdit{Changes: map[string][]textEdit{d.uri: {edit}}},
		})
	}
	return out, nil
}
