// Package vet validates loaded hosts and turns CUE's errors into
// diagnostics in axios terms, positioned in the author's files.
package vet

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/errors"
	"cuelang.org/go/cue/format"
	"cuelang.org/go/cue/token"

	"github.com/axc-dev/axc/internal/compile"
	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/release"
	"github.com/axc-dev/axc/schema"
)

// Severity of a diagnostic.
const (
	Error   = "error"
	Warning = "warning"
)

// A Diagnostic is one problem, at a position in the author's file.
type Diagnostic struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Host     string `json:"host"`
	User     string `json:"user,omitempty"`
	Path     string `json:"path"`
	Message  string `json:"message"`
	Severity string `json:"severity"`
	// Source is "nix" for a finding of Nix's evaluation of the pinned
	// source's mkSystem (axc vet --nix); "" for axc's own.
	Source string `json:"source,omitempty"`
}

// SourceNix is the Source of Nix's findings.
const SourceNix = "nix"

// Problem is a finding of a later stage (compiling to Nix), at a path
// below its host.
type Problem struct {
	Path []string
	Msg  string
	// Warning: the problem does not stop a build.
	Warning bool
	// Label: the problem is the name at Path, not its value.
	Label bool
}

// A Checker vets the hosts of one Load in the pass the caller drives over
// them (load.Result.Each): Host vets one host, Add places another stage's
// problems at it, Diagnostics gives them all in the author's terms.
type Checker struct {
	l       *load.Loader
	res     *load.Result
	out     []Diagnostic
	badName map[*load.Host]bool
	perHost [][]finding
	// fieldsDone says, by host, that its syntax was searched for unknown
	// names (explain: done once a host has an error).
	fieldsDone []bool
	sugg       *suggester // see suggester
	// mkSystem evaluates mkSystem's definitions again for hosts with a
	// wrong value among their inputs.
	mkSystem *mkSystemAgain
	// zones are the paths (below a host) of options that take a time zone.
	zones [][]string

	// Release is the tag of the release checked, and Releases the table
	// of every release axc knows: when both are set, an unknown option or
	// host field that another release has says so (crossrel.go).
	Release  string
	Releases *release.Table
}

// NewChecker starts vetting res: problems of the input as a whole and of
// host names are known at once.
func NewChecker(l *load.Loader, res *load.Result) *Checker {
	c := &Checker{l: l, res: res, perHost: make([][]finding, len(res.Hosts)), fieldsDone: make([]bool, len(res.Hosts)), mkSystem: &mkSystemAgain{newHost: l.NewHostSchema}}
	if l.Kind() == load.Hosts {
		c.zones = timeZoneOptions(l)
	}
	for _, e := range errors.Errors(res.Errors) {
		c.out = append(c.out, inputDiagnostic(e))
	}
	for _, w := range res.Warnings {
		msg := w.Msg
		if w.Path != "" {
			msg = load.RelPath(w.Path) + " " + msg
		}
		c.out = append(c.out, At(w.Pos, "", "", msg, Warning))
	}
	var names []Diagnostic
	names, c.badName = entryNames(res.Hosts, l.Kind())
	c.out = append(c.out, names...)
	return c
}

// Host vets host i, whose value is v, and reports whether a later stage
// should look at it (it has no error). Hosts may be vetted concurrently.
func (c *Checker) Host(i int, h *load.Host, v cue.Value) (ok bool) {
	fs := hostFindings(h, v, c.l.Contract())
	if c.l.Kind() == load.Hosts {
		fs = append(fs, mkSystemConflicts(v, c.l.Contract(), c.mkSystem)...)
		fs = append(fs, timeZones(v, c.zones)...)
	}
	if c.badName[h] {
		// Its hostname defaulted to the bad name and was rejected with
		// it: said once, by NewChecker. Checks of the whole host give
		// advice in terms of its name (hosts/NAME/…), which is no name:
		// they wait for one.
		fs = slices.DeleteFunc(fs, func(f finding) bool {
			return len(f.path) == 1 && f.path[0] == "hostname" || len(f.path) == 0 && !f.unknown
		})
	}
	c.perHost[i] = fs
	return !hasError(fs) && !c.badName[h]
}

// Add records problems a later stage found in host i.
func (c *Checker) Add(i int, ps ...Problem) {
	for _, p := range ps {
		sev := Error
		if p.Warning {
			sev = Warning
		}
		c.perHost[i] = append(c.perHost[i], finding{path: p.Path, msg: p.Msg, sev: sev, label: p.Label})
	}
}

// Check vets every host of res in a pass of its own; stage, when not nil,
// is called for every host without error, while its value is evaluated.
func Check(l *load.Loader, res *load.Result, stage func(i int, h *load.Host, v cue.Value) []Problem) []Diagnostic {
	c := NewChecker(l, res)
	res.Each(func(i int, h *load.Host, v cue.Value) {
		if c.Host(i, h, v) && stage != nil {
			c.Add(i, stage(i, h, v)...)
		}
	})
	return c.Diagnostics()
}

// Diagnostics are the findings of every host, placed in the author's files,
// sorted by file, line and column, without duplicates. Call it after the
// pass, in one goroutine.
func (c *Checker) Diagnostics() []Diagnostic {
	c.Explain()
	out := slices.Clone(c.out) // sorted below: c.out stays as it is
	rel := relPaths()
	for i, h := range c.res.Hosts {
		for _, f := range c.perHost[i] {
			d := diagnostic(h, f, rel)
			if c.l.Kind() == load.Users {
				d.Host, d.User = "", d.Host
			}
			out = append(out, d)
		}
	}
	return sortUnique(out)
}

// Explain says the findings of every host so far in the author's terms
// (unknown names found in the syntax, near names, other releases' names,
// the values meant): what Diagnostics gives, kept with the findings
// (Keep), so that a host taken from the memo needs none of it again (the
// suggestions evaluate the schema and index every release: 1000 failing
// hosts, warm, spent a third of their time there). Findings added later
// (Add) are explained by Diagnostics. Call it after the pass, in one
// goroutine: suggestions use the loader's own context.
func (c *Checker) Explain() {
	for i := range c.res.Hosts {
		c.explain(i)
	}
}

// explain is Explain of host i.
func (c *Checker) explain(i int) {
	h, fs := c.res.Hosts[i], c.perHost[i]
	if !c.fieldsDone[i] && hasError(fs) {
		// CUE reports unknown fields when nothing else is wrong; when
		// something is, it may leave them out: find them from the
		// author's syntax.
		s := c.suggester()
		reported := map[string]bool{}
		var unknown []finding
		for _, p := range s.unknownFields(h.Fields) {
			reported[strings.Join(p, "\x00")] = true
			unknown = append(unknown, finding{path: p, label: true, unknown: true, sev: Error})
		}
		kept := unknown
		for _, f := range fs {
			if !f.unknown || !reported[strings.Join(f.path, "\x00")] {
				kept = append(kept, f)
			}
		}
		fs = append(kept, s.otherReleaseOptions(h.Fields, kept)...)
		c.fieldsDone[i] = true
	}
	if !slices.ContainsFunc(fs, func(f finding) bool { return !f.explained }) {
		c.perHost[i] = fs // explained already (Explain, then Diagnostics)
		return
	}
	closedSeen := slices.ContainsFunc(fs, func(f finding) bool { return f.explained && f.unknown && f.msg == closedDefinitionMsg })
	out := make([]finding, 0, len(fs))
	for _, f := range fs {
		if f.explained {
			out = append(out, f)
			continue
		}
		if f.unknown {
			f.msg = c.suggester().unknownField(f.path)
			if f.msg == closedDefinitionMsg {
				if closedSeen {
					continue
				}
				closedSeen = true
				f.path, f.label = nil, true // the host: the cause is not at any one field
			}
		} else if f.sev == Error && !f.label {
			f.msg += c.suggester().valueHint(h.Fields, f.path)
			if slices.ContainsFunc(c.zones, func(z []string) bool { return slices.Equal(z, f.path) }) {
				f.msg += zoneHint(h.Fields, f.path)
			}
		}
		f.explained = true
		out = append(out, f)
	}
	c.perHost[i] = out
}

// suggester is c's suggester, made at the first question.
func (c *Checker) suggester() *suggester {
	if c.sugg == nil {
		c.sugg = c.newSuggester()
	}
	return c.sugg
}

func inputDiagnostic(e errors.Error) Diagnostic {
	var pos token.Pos
	if ps := errors.Positions(e); len(ps) > 0 {
		pos = ps[0]
	}
	f, a := e.Msg()
	msg := fmt.Sprintf(f, a...)
	if msg == "" {
		msg = e.Error()
	}
	return At(pos, "", "", msg, Error)
}

// At makes a diagnostic at pos.
func At(pos token.Pos, host, path, msg, sev string) Diagnostic {
	return at(load.RelPath, pos, host, path, msg, sev)
}

// at is At with the file named by rel.
func at(rel func(string) string, pos token.Pos, host, path, msg, sev string) Diagnostic {
	d := Diagnostic{Host: host, Path: path, Message: msg, Severity: sev}
	if pos.IsValid() {
		p := pos.Position()
		d.File, d.Line, d.Column = rel(p.Filename), p.Line, p.Column
	}
	return d
}

// HasErrors reports whether ds holds an error (strict: or a warning).
func HasErrors(ds []Diagnostic, strict bool) bool {
	for _, d := range ds {
		if d.Severity == Error || strict {
			return true
		}
	}
	return false
}

// entryNames reports names that cannot name an output file, and names that
// would share one where file names ignore case.
func entryNames(hosts []*load.Host, k *load.Kind) ([]Diagnostic, map[*load.Host]bool) {
	check, file := compile.CheckHostName, compile.HostFile
	if k == load.Users {
		check, file = compile.CheckUserName, compile.UserFile
	}
	var out []Diagnostic
	bad := map[*load.Host]bool{}
	byFile := map[string]*load.Host{}
	for _, h := range hosts {
		d := func(msg string) Diagnostic {
			d := At(h.Pos, h.Name, "", msg, Error)
			if k == load.Users {
				d.Host, d.User = "", h.Name
			}
			return d
		}
		if err := check(h.Name); err != nil {
			out = append(out, d(err.Error()))
			bad[h] = true
			continue
		}
		f := strings.ToLower(file(h.Name))
		if prev, ok := byFile[f]; ok {
			out = append(out, d(fmt.Sprintf("%ss %s (%s) and %s would write one file, %s, where file names ignore case: rename one", k.Noun, prev.Name, posString(prev.Pos), h.Name, file(h.Name))))
			continue
		}
		byFile[f] = h
	}
	return out, bad
}

func posString(p token.Pos) string {
	pos := p.Position()
	return fmt.Sprintf("%s:%d:%d", load.RelPath(pos.Filename), pos.Line, pos.Column)
}

func hasError(fs []finding) bool {
	for _, f := range fs {
		if f.sev == Error {
			return true
		}
	}
	return false
}

type finding struct {
	path    []string // relative to the host
	msg     string
	label   bool // position at the label (an unknown field) rather than the value
	unknown bool // an unknown field: msg is written later, with a suggestion
	// conflict: msg is CUE's "conflicting values", to be said in the
	// author's terms
	conflict bool
	sev      string
	// explained: msg is said in the author's terms (Checker.explain).
	explained bool
	// cuePos are the positions CUE gave the error: where a host the
	// syntax does not show is placed.
	cuePos []token.Pos
}

// hostFindings validates one host. It may run in several goroutines at
// once, for different hosts.
func hostFindings(h *load.Host, v cue.Value, c *schema.Contract) []finding {
	var fs []finding
	err := v.Validate(cue.Concrete(true))
	byPath := map[string][]finding{}
	var order []string
	for _, e := range errors.Errors(err) {
		f, ok := translate(e, h.Depth)
		if !ok {
			continue
		}
		f.cuePos = errors.Positions(e)
		k := strings.Join(f.path, ".")
		if _, seen := byPath[k]; !seen {
			order = append(order, k)
		}
		byPath[k] = append(byPath[k], f)
	}
	for _, k := range order {
		for _, f := range preferSpecific(byPath[k]) {
			if f.conflict {
				f.msg = conflictMsg(h.Fields.Node(f.path), f.msg)
			}
			fs = append(fs, f)
		}
	}
	return append(fs, ignoredSections(v, c)...)
}

// diagnostic places f in the author's file, named as rel names it
// (load.RelPath).
func diagnostic(h *load.Host, f finding, rel func(string) string) Diagnostic {
	var pos token.Pos
	if f.label {
		pos = h.Fields.LabelPos(f.path)
	} else {
		pos, _ = h.Fields.ValuePos(f.path)
	}
	if !pos.IsValid() {
		pos = authorPos(h, f.cuePos)
	}
	if !pos.IsValid() {
		pos = h.Pos
	}
	return at(rel, pos, h.Name, DisplayPath(h.Name, f.path), f.msg, f.sev)
}

// relPaths is load.RelPath remembered by name: a fleet's findings are in
// few files, and each RelPath asks the system for the working directory.
func relPaths() func(string) string {
	seen := map[string]string{}
	return func(name string) string {
		r, ok := seen[name]
		if !ok {
			r = load.RelPath(name)
			seen[name] = r
		}
		return r
	}
}

// authorPos is where to place a finding about a host the syntax does not
// show (made by a comprehension or an embedding): of the positions CUE
// gave, the first in the author's files that is inside a declaration (the
// value), else the first there (the comprehension or embedding itself).
func authorPos(h *load.Host, ps []token.Pos) token.Pos {
	var first token.Pos
	for _, p := range ps {
		if !h.IsAuthorFile(p.Filename()) {
			continue
		}
		if p.Position().Column > 1 {
			return p
		}
		if !first.IsValid() {
			first = p
		}
	}
	return first
}

// DisplayPath writes a path below a host for messages.
func DisplayPath(host string, path []string) string {
	var b strings.Builder
	if compile.CheckHostName(host) == nil {
		b.WriteString(host)
	} else {
		b.WriteString(strconv.Quote(host))
	}
	for _, p := range path {
		b.WriteByte('.')
		if isIdent(p) {
			b.WriteString(p)
		} else {
			b.WriteString(strconv.Quote(p))
		}
	}
	return b.String()
}

// isIdent reports whether a path element prints bare: an identifier, or a
// list index.
func isIdent(s string) bool {
	if _, err := strconv.Atoi(s); err == nil {
		return true
	}
	for i, r := range s {
		if r != '_' && r != '$' && !(r >= 'a' && r <= 'z') && !(r >= 'A' && r <= 'Z') && !(i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

// noise are CUE's own words for errors that the schema's messages already
// explain at the same path.
var noise = []string{"errors in empty disjunction", "conflicting values", `"encoding/json".Marshal(`}

func isNoise(msg string) bool {
	for _, n := range noise {
		if strings.Contains(msg, n) {
			return true
		}
	}
	return false
}

// preferSpecific keeps the schema's own messages for a path and drops CUE's
// generic ones, unless nothing else is left.
func preferSpecific(fs []finding) []finding {
	var specific []finding
	for _, f := range fs {
		if !isNoise(f.msg) {
			specific = append(specific, f)
		}
	}
	if len(specific) > 0 {
		return specific
	}
	for _, f := range fs {
		if strings.Contains(f.msg, "conflicting values") {
			return []finding{{path: f.path, msg: f.msg, sev: Error, conflict: true}}
		}
	}
	return fs[:1]
}

// translate turns one CUE error of a host (whose paths start with depth
// selectors leading to it) into a finding, or drops it (ok
// false) when it repeats another.
func translate(e errors.Error, depth int) (finding, bool) {
	var path []string
	sels := e.Path()
	if len(sels) >= depth {
		sels = sels[depth:]
	}
	for _, p := range sels {
		if strings.HasPrefix(p, "#") {
			return finding{}, false // the same value seen again through a definition (#modules)
		}
		if strings.HasPrefix(p, "_") && p != "_check" {
			return finding{}, false // the same value seen again through a let or hidden field
		}
		path = append(path, unquote(p))
	}
	format, args := e.Msg()
	msg := fmt.Sprintf(format, args...)

	// A failed axios check: _check."a.b" reports at a.b, _check."" at
	// the struct holding the check (the host).
	for i, p := range path {
		if p == "_check" && i+1 < len(path) {
			target := append([]string{}, path[:i]...)
			if path[i+1] != "" {
				target = append(target, strings.Split(path[i+1], ".")...)
			}
			return finding{path: target, msg: msg, sev: Error}, true
		}
	}
	switch {
	case msg == "field not allowed":
		return finding{path: path, msg: "field not allowed", label: true, unknown: true, sev: Error}, true
	case strings.HasPrefix(msg, "field is required but not present"):
		return finding{path: path, msg: fmt.Sprintf("%s is required but not set", strings.Join(path, ".")), sev: Error}, true
	case strings.Contains(msg, "incomplete value") || strings.Contains(msg, "non-concrete value"):
		return finding{path: path, msg: fmt.Sprintf("%s has no concrete value: set it to a value, not a type", strings.Join(path, ".")), sev: Error}, true
	}
	return finding{path: path, msg: msg, sev: Error}, true
}

func unquote(sel string) string {
	if strings.HasPrefix(sel, `"`) {
		if s, err := strconv.Unquote(sel); err == nil {
			return s
		}
	}
	return sel
}

// conflictMsg says what CUE calls `conflicting values "x" and bool
// (mismatched types string and bool)` in the author's terms: when the author
// wrote two values for the field, which ones and where.
func conflictMsg(n *load.FieldIndex, msg string) string {
	var lits []load.Decl
	if n != nil {
		for _, d := range n.Decls {
			if d.Lit != nil {
				lits = append(lits, d)
			}
		}
	}
	if len(lits) >= 2 {
		for _, d := range lits[1:] {
			if text(d.Lit) != text(lits[0].Lit) {
				return fmt.Sprintf("%s in %s conflicts with %s in %s", text(lits[0].Lit), posString(lits[0].Lit.Pos()), text(d.Lit), posString(d.Lit.Pos()))
			}
		}
	}
	if i := strings.Index(msg, "(mismatched types "); i >= 0 {
		types := strings.TrimSuffix(msg[i+len("(mismatched types "):], ")")
		if got, want, ok := strings.Cut(types, " and "); ok {
			return fmt.Sprintf("is %s, want %s", article(got), article(want))
		}
	}
	if rest, ok := strings.CutPrefix(msg, "conflicting values "); ok {
		if a, b, ok := strings.Cut(rest, " and "); ok {
			return fmt.Sprintf("%s conflicts with %s", b, a)
		}
	}
	return msg
}

// text is the source text of a literal.
func text(e ast.Expr) string {
	b, err := format.Node(e)
	if err != nil {
		return "value"
	}
	return string(b)
}

func article(kind string) string {
	switch kind {
	case "struct":
		return "an attribute set"
	case "list":
		return "a list"
	case "int":
		return "an integer"
	case "bool":
		return "a boolean"
	case "string":
		return "a string"
	case "null":
		return "null"
	case "float", "number":
		return "a number"
	}
	return kind
}

// ignoredSections warns about host fields that mkSystem copies only when their
// module is on.
func ignoredSections(v cue.Value, c *schema.Contract) []finding {
	var fs []finding
	for _, sec := range c.Sections {
		if !v.LookupPath(cue.MakePath(cue.Str(sec.Field))).Exists() {
			continue
		}
		on, err := v.LookupPath(cue.MakePath(cue.Str("modules"), cue.Str(sec.Flag))).Bool()
		if err == nil && !on {
			fs = append(fs, finding{
				path:  []string{sec.Field},
				msg:   fmt.Sprintf("%s is ignored: mkSystem copies it only when modules.%s = true", sec.Field, sec.Flag),
				label: true,
				sev:   Warning,
			})
		}
	}
	return fs
}

// Sorted sorts diagnostics of several checkers together, by file, line and
// column, without duplicates.
func Sorted(ds []Diagnostic) []Diagnostic { return sortUnique(ds) }

func sortUnique(ds []Diagnostic) []Diagnostic {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return a.Message < b.Message
	})
	out := ds[:0]
	for i, d := range ds {
		if i > 0 && d == ds[i-1] {
			continue
		}
		out = append(out, d)
	}
	return out
}
