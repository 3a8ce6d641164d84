package load

import (
	"cmp"
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/build"
	"cuelang.org/go/cue/cuecontext"
	"cuelang.org/go/cue/parser"

	"github.com/axc-dev/axc/schema"
)

// chunkSize is how many hosts of a large package one context evaluates.
// Hosts do not depend on each other, so a chunk holds only its own hosts
// (and the package's other declarations): memory stays that of a chunk per
// worker, and the chunks spread over the machine's cores.
var chunkSize = 50

// lazyMin is how many hosts a package needs for them to be evaluated in
// chunks (Result.Each) rather than whole by Load: chunks go against the
// lean schema (EachLean) and over the cores, which pays for a context per
// chunk and a check that the package builds from three or four hosts on
// (vet, whole vs in chunks: 2 hosts 12.5 vs 13.1 ms; 3: 15.1 vs 15.0;
// 30: 79 vs 61).
var lazyMin = 4

// leanFirst says whether EachLean evaluates its next chunk against the
// lean schema first, having seen failed of the evaluated hosts of the pass
// need the full one. Lean first costs a lean evaluation (L) for every host
// and a full one (F) for those that fail; full first costs F for every
// host, and a valid host's F is about 1.7 L (the messages: 200 valid hosts
// on one core, 460 vs 790 ms). A failing host's F is the same either way,
// so lean first wins while fewer than 1 - L/F ≈ 40% of the hosts fail: it
// is kept up to a third.
// A fleet checked against the wrong release (every host fails) then pays
// one lean chunk per worker, not a lean evaluation of every host (1000
// such hosts: 15.5 s of CPU lean first, 8 to 11 s full first).
var leanFirst = func(evaluated, failed int64) bool { return 3*failed <= evaluated }

// A lazyPackage is a package whose hosts Result.Each evaluates in chunks.
type lazyPackage struct {
	// inst is the package's instance without its files: each chunk's
	// copy takes files of its own (only). The parsed files are not kept:
	// at 10,000 hosts they were 117 MiB of a live heap of 270 for the
	// whole run, and a heap past the part in huge pages is slower to
	// work in (issue 24).
	inst  *build.Instance
	files []packageFile // the package's files, in inst's order
	names []string
	hosts map[string]bool // names, as a set
	// shared are the files (indexes in files) that declare more than
	// hosts (onlyHosts), which every chunk has; filesOf, by host, the
	// others that declare it: a chunk looks at its own files, not at
	// every file of the package (10,000 hosts in 1000 files: 200 chunks
	// looked at 200,000).
	shared  []int
	filesOf map[string][]int
	src     map[string][]byte // file contents by name, to parse chunks from
	// schema is where the schema inst imports came from, when axc put it
	// together (directInstance); nil when cue/load did, and then there is
	// no lean copy. inst imports the schema lean or not as schema.lean
	// says; other is the other one, parsed when first needed.
	schema *schemaSource
	other  struct {
		once sync.Once
		inst *build.Instance
		err  error
	}
}

// packageFile is what a chunk needs of one of a package's files to
// blank out the hosts it leaves out: the file's name, and where each
// top-level declaration starts, with the host of the package it declares
// ("" for none).
type packageFile struct {
	name  string
	decls []declStart
}

type declStart struct {
	host   string
	offset int
}

func newLazyPackage(inst *build.Instance, names []string, src map[string][]byte, schema *schemaSource) *lazyPackage {
	files := inst.Files
	bare := *inst
	bare.Files = nil
	lp := &lazyPackage{inst: &bare, names: names, hosts: map[string]bool{}, src: src, schema: schema}
	for _, n := range names {
		lp.hosts[n] = true
	}
	lp.filesOf = map[string][]int{}
	for i, f := range files {
		pf := packageFile{name: f.Filename, decls: make([]declStart, len(f.Decls))}
		for j, d := range f.Decls {
			pf.decls[j].offset = d.Pos().Offset()
			if name, ok := hostLabel(d); ok && lp.hosts[name] {
				pf.decls[j].host = name
			}
		}
		lp.files = append(lp.files, pf)
		names, ok := onlyHosts(f, lp.hosts)
		if !ok {
			lp.shared = append(lp.shared, i)
			continue
		}
		for _, n := range names {
			lp.filesOf[n] = append(lp.filesOf[n], i)
		}
	}
	return lp
}

// onlyHosts returns the hosts (of the set hosts) f declares when all it
// has besides them is its package clause, imports and comments.
func onlyHosts(f *ast.File, hosts map[string]bool) (names []string, ok bool) {
	for _, d := range f.Decls {
		switch d.(type) {
		case *ast.Package, *ast.ImportDecl, *ast.CommentGroup:
			continue
		}
		name, ok := hostLabel(d)
		if !ok || !hosts[name] {
			return nil, false
		}
		names = append(names, name)
	}
	return names, true
}

// Each calls fn for every host of r, in no particular order, with its value
// (the author's host unified with #Host): the only way to a host's value,
// because for hosts evaluated in chunks it exists only during the call. fn
// may be called from several goroutines at once (for different hosts); i is
// the host's index in r.Hosts.
func (r *Result) Each(fn func(i int, h *Host, v cue.Value)) {
	r.each(false, func(i int, h *Host, v cue.Value) bool {
		fn(i, h, v)
		return true
	})
}

// EachLean is Each for a pass that only needs the full schema's messages
// for hosts with problems: hosts evaluated in chunks (of packages of
// lazyMin hosts or more, and JSON and YAML hosts) are evaluated against the
// lean schema (see makeLean), and fn reports whether their value sufficed.
// When it did not (the host has errors to report), fn is called again for
// that host, with its value against the full schema. Hosts that Load
// evaluated (small packages) are against the full schema, and fn is called
// once. When most hosts of the pass so far needed the full schema (a fleet
// checked against a release it was not written for), the next chunks are
// evaluated against the full schema at once (see leanFirst): fn is then
// called once per host, with the value it would have been called with
// last.
func (r *Result) EachLean(fn func(i int, h *Host, v cue.Value) (sufficed bool)) {
	r.each(true, fn)
}

// EachLeanSkipping is EachLean for the hosts i of r with !skip[i] (skip
// may be shorter than r.Hosts): a caller that kept what it found of a
// host by its EvalKey need not evaluate it again. Only hosts with an
// EvalKey may be skipped; the others are evaluated whatever skip says.
func (r *Result) EachLeanSkipping(skip []bool, fn func(i int, h *Host, v cue.Value) (sufficed bool)) {
	r.eachSkipping(true, skip, fn)
}

func (r *Result) each(lean bool, fn func(i int, h *Host, v cue.Value) bool) {
	r.eachSkipping(lean, nil, fn)
}

func (r *Result) eachSkipping(lean bool, skip []bool, fn func(i int, h *Host, v cue.Value) bool) {
	index := map[*Host]int{}
	hosts := r.Hosts
	if skip != nil {
		hosts = nil
		for i, h := range r.Hosts {
			if i < len(skip) && skip[i] && h.EvalKey() != "" {
				continue
			}
			hosts = append(hosts, h)
		}
	}
	byName := map[*lazyPackage]map[string]*Host{}
	type chunk struct {
		pkg   *lazyPackage // nil: JSON and YAML hosts
		hosts []*Host
	}
	var chunks []chunk
	var data chunk
	size := chunkFor(hosts)
	for i, h := range r.Hosts {
		index[h] = i
	}
	for _, h := range hosts {
		i := index[h]
		if h.data != nil {
			data.hosts = append(data.hosts, h)
			if len(data.hosts) == size {
				chunks, data = append(chunks, data), chunk{}
			}
			continue
		}
		if h.lazy == nil {
			fn(i, h, h.value)
			continue
		}
		if byName[h.lazy] == nil {
			byName[h.lazy] = map[string]*Host{}
		}
		byName[h.lazy][h.Name] = h
	}

	if len(data.hosts) > 0 {
		chunks = append(chunks, data)
	}
	for _, lp := range r.lazy {
		hosts := byName[lp]
		var c chunk
		for _, name := range lp.names {
			h, ok := hosts[name]
			if !ok {
				continue // declared twice across inputs: reported by Load
			}
			c.pkg = lp
			c.hosts = append(c.hosts, h)
			if len(c.hosts) == size {
				chunks = append(chunks, c)
				c = chunk{}
			}
		}
		if len(c.hosts) > 0 {
			chunks = append(chunks, c)
		}
	}

	// eval evaluates the hosts of c in a context of their own, lean or not,
	// and calls fn for each; it returns the hosts whose value did not
	// suffice.
	eval := func(c chunk, lean bool) (again []*Host) {
		keep := map[string]bool{}
		for _, h := range c.hosts {
			keep[h.Name] = true
		}
		ctx := cuecontext.New()
		var pkg cue.Value
		if c.pkg == nil {
			pkg = dataChunk(ctx, r.schema, r.kind, c.hosts, lean)
		} else if inst, err := c.pkg.only(keep, lean); err == nil {
			pkg = ctx.BuildInstance(inst)
		} else {
			// The sources parsed once already; report rather than crash.
			pkg = ctx.CompileString(fmt.Sprintf("error(%q)", "re-reading hosts: "+err.Error()))
		}
		for _, h := range c.hosts {
			v := pkg.LookupPath(cue.MakePath(cue.Str(h.Name)))
			if !v.Exists() && pkg.Err() != nil {
				// The package builds with the schema left out (compiles):
				// the schema itself fails (one being edited). Say why,
				// not that the host is missing.
				v = pkg
			}
			if !fn(index[h], h, v) {
				again = append(again, h)
			}
		}
		return again
	}

	work := make(chan chunk)
	// How many hosts the pass has evaluated, and how many of them fn
	// found wanting: whether the next chunk goes lean first.
	var evaluated, failed atomic.Int64
	var wg sync.WaitGroup
	// A panic in a worker is re-raised here, in the caller's goroutine, so
	// that the command's recover can report it instead of the runtime
	// killing the process.
	var panicked any
	var panicOnce sync.Once
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(chunks)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					panicOnce.Do(func() { panicked = fmt.Sprintf("%v\n%s", p, debug.Stack()) })
					for range work {
						// drain, so that the sender does not block
					}
				}
			}()
			for c := range work {
				// A package cue/load put together has no lean copy.
				lean := lean && (c.pkg == nil || c.pkg.schema != nil) && leanFirst(evaluated.Load(), failed.Load())
				again := eval(c, lean)
				evaluated.Add(int64(len(c.hosts)))
				failed.Add(int64(len(again)))
				if len(again) > 0 && lean {
					eval(chunk{pkg: c.pkg, hosts: again}, false)
				}
			}
		}()
	}
	for _, c := range chunks {
		work <- c
	}
	close(work)
	wg.Wait()
	if panicked != nil {
		panic(panicked)
	}
}

// chunkFor is how many hosts one context evaluates: chunkSize, or fewer
// when that leaves cores idle (vetting one file of a large package).
func chunkFor(hosts []*Host) int {
	n := 0
	for _, h := range hosts {
		if h.data != nil || h.lazy != nil {
			n++
		}
	}
	workers := runtime.GOMAXPROCS(0)
	if n >= chunkSize*workers {
		return chunkSize
	}
	return max(1, (n+workers-1)/workers)
}

// only is the package with only the hosts in keep, and every declaration
// that is not a host, importing the lean schema when lean. The files are
// parsed anew from their source with the other hosts blanked out (lines and
// columns kept), because a syntax tree's resolved references may not be
// shared between differently trimmed copies. A file that would keep
// nothing but its package clause and imports (its hosts all left out) is
// left out itself: a chunk parses the files of its own hosts, not every
// file of the package (at 10,000 hosts in 1000 files, 200 chunks parsed
// 200,000 files, mostly blank).
func (lp *lazyPackage) only(keep map[string]bool, lean bool) (*build.Instance, error) {
	c := *lp.inst
	if lp.schema != nil && lean != lp.schema.lean {
		lp.other.once.Do(func() {
			lp.other.inst, lp.other.err = lp.schema.variant(lp.inst.Context(), lean)
		})
		if lp.other.err != nil {
			return nil, lp.other.err
		}
		c.Imports = withImport(c.Imports, lp.other.inst)
	}
	c.Files = nil
	for _, i := range lp.chunkFiles(keep) {
		f := lp.files[i]
		src, ok := lp.src[f.name]
		if !ok {
			return nil, fmt.Errorf("%s: source not read", f.name)
		}
		buf := append([]byte(nil), src...)
		for j, d := range f.decls {
			if d.host == "" || keep[d.host] {
				continue
			}
			end := len(buf)
			if j+1 < len(f.decls) {
				end = f.decls[j+1].offset
			}
			for k := d.offset; k < end; k++ {
				if buf[k] != '\n' {
					buf[k] = ' '
				}
			}
		}
		nf, err := parser.ParseFile(f.name, buf)
		if err != nil {
			return nil, err
		}
		c.Files = append(c.Files, nf)
	}
	return &c, nil
}

// chunkFiles are the files (indexes in files, in order) of the chunk
// of the hosts in keep: those that declare more than hosts, and those that
// declare one of them. The others, their hosts blanked out, would declare
// nothing: a package clause, imports (used by nothing left) and comments.
func (lp *lazyPackage) chunkFiles(keep map[string]bool) []int {
	files := slices.Clone(lp.shared)
	for name := range keep {
		files = append(files, lp.filesOf[name]...)
	}
	slices.Sort(files)
	return slices.Compact(files)
}

// hostLabel is the name of a top-level declaration that declares a host: a
// regular field with a fixed name.
func hostLabel(d ast.Decl) (string, bool) {
	f, ok := d.(*ast.Field)
	if !ok {
		return "", false
	}
	name, ok := labelName(f.Label)
	if !ok || f.Constraint != 0 {
		return "", false
	}
	return name, true
}

// inChunks returns the host names of a package when they are all known
// from its syntax (staticHosts; nil otherwise), and whether it is
// evaluated in chunks: static, with lazyMin hosts or more.
func inChunks(files []*ast.File) (names []string, chunked bool) {
	names, static := staticHosts(files)
	if !static {
		return nil, false
	}
	return names, len(names) >= lazyMin
}

// declares says whether a top-level declaration declares a host, and
// which (name; a host may be named ""): not a hidden field, a definition,
// a pattern constraint, an import, a let…. fixed is false for a declaration
// that may make hosts its syntax does not name: a comprehension, an
// embedding, a dynamic label.
func declares(d ast.Decl) (name string, host, fixed bool) {
	switch d := d.(type) {
	case *ast.Field:
		if name, ok := hostLabel(d); ok {
			return name, true, true
		}
		switch l := d.Label.(type) {
		case *ast.Ident:
			// _hidden and #Definition: not hosts.
			return "", false, strings.HasPrefix(l.Name, "_") || strings.HasPrefix(l.Name, "#")
		case *ast.ListLit:
			return "", false, true // a pattern constraint
		}
		return "", false, false
	case *ast.ImportDecl, *ast.Package, *ast.LetClause, *ast.Attribute, *ast.CommentGroup:
		return "", false, true
	}
	return "", false, false
}

// staticHosts returns the host names of a package when they are all known
// from its syntax and no declaration refers to a host by name, so that
// hosts can be evaluated apart. ok is false otherwise (a comprehension or an
// embedding at the top, a dynamic label, a reference to a host).
func staticHosts(files []*ast.File) (names []string, ok bool) {
	seen := map[string]bool{}
	for _, f := range files {
		for _, d := range f.Decls {
			name, host, fixed := declares(d)
			if !fixed {
				return nil, false
			}
			if host && !seen[name] {
				seen[name] = true
				names = append(names, name)
			}
		}
	}
	// A reference to a host by name (conservatively: any identifier that
	// spells one, outside labels) ties hosts together. A host that uses a
	// top-level let may be its only user: left out of a chunk, it would
	// leave the let unused, which CUE refuses.
	topLets := map[ast.Node]bool{}
	for _, f := range files {
		for _, d := range f.Decls {
			if l, ok := d.(*ast.LetClause); ok {
				topLets[l] = true
			}
		}
	}
	refers := false
	for _, f := range files {
		for _, d := range f.Decls {
			_, isHost := hostLabel(d)
			refIdents(d, func(id *ast.Ident) {
				refers = refers || seen[id.Name] || isHost && topLets[id.Node]
			})
		}
	}
	return names, !refers
}

// refIdents calls fn for the identifiers in n that are not field labels.
func refIdents(n ast.Node, fn func(*ast.Ident)) {
	ast.Walk(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Field:
			refIdents(n.Value, fn)
			return false
		case *ast.Ident:
			fn(n)
		}
		return true
	}, nil)
}

// dataChunk evaluates JSON and YAML hosts together, as the fields of one
// package to which a pattern applies #Host, the way a package of hosts is
// evaluated: CUE then applies #Host once, not once per host, and evaluates
// only the parts of the imported schema the hosts use (a schema evaluated
// on its own, every definition, costs more than a host).
func dataChunk(ctx *cue.Context, schemaFiles map[string][]byte, k *Kind, hosts []*Host, lean bool) cue.Value {
	fail := func(err error) cue.Value {
		return ctx.CompileString(fmt.Sprintf("error(%q)", err.Error())) // tested: the pattern and the schema parse
	}
	f, err := parser.ParseFile("axc entries pattern", fmt.Sprintf(entriesPattern, "axcentries", schema.ImportPath, k.pattern("axcschema.")))
	if err != nil {
		return fail(err)
	}
	for _, h := range hosts {
		// JSON and YAML syntax holds no references, so one tree can be
		// evaluated in several contexts (each call of Each makes its own).
		f.Decls = append(f.Decls, &ast.Field{Label: ast.NewString(h.Name), Value: h.data})
	}
	inst, schemaErr := importingSchema(build.NewContext(), "", schemaSource{files: schemaFiles, cfg: parser.NewConfig(), dir: "schema", lean: lean})
	if err := inst.AddSyntax(f); err != nil {
		return fail(err)
	}
	err = inst.Complete() // imports the schema
	if err := cmp.Or(schemaErr(), err); err != nil {
		return fail(fmt.Errorf("schema: %v", err))
	}
	return ctx.BuildInstance(inst)
}

// withImport is imports with the schema's replaced by schemaInst.
func withImport(imports []*build.Instance, schemaInst *build.Instance) []*build.Instance {
	imports = slices.Clone(imports)
	for i, imp := range imports {
		if imp.ImportPath == schema.ImportPath {
			imports[i] = schemaInst
		}
	}
	return imports
}

// compiles reports whether a package builds, which its chunks cannot
// tell: CUE refuses a package with, say, an unresolved reference as a
// whole (Load reports it), while in chunks it would seem that only the
// hosts next to it are missing. It is built with the schema it imports
// replaced by a stand-in whose every top-level field is _, so that nothing
// of the schema is evaluated and the hosts are plain data (about 5% of
// evaluating them), and judged as Load judges a whole package: by whether
// its fields can be listed.
//
// hosts are the package's hosts (staticHosts: no declaration refers to
// one, none uses a top-level let). The package is built in pieces over the
// cores, each with every file but those that only declare hosts
// (onlyHosts), which are shared out: the package builds exactly when every
// piece does. A reference resolves in a piece as in the whole (nothing
// refers to what a piece leaves out: hosts), and the top level holds the
// same declarations but hosts, whose errors are their own. (10,000 hosts
// built whole took 1.7 s, more than ten times 1000 hosts: pieces of 500
// keep it linear, and over both cores.)
func compiles(inst *build.Instance, hosts []string) bool {
	// Completed once here, not once per piece: completing resolves the
	// files' identifiers in place, and the pieces share the files.
	if inst.Complete() != nil {
		return false
	}
	pieces := compilePieces(inst.Files, hosts)
	built := make([]bool, len(pieces))
	parallel(len(pieces), func(i int) { built[i] = compilesFiles(inst, pieces[i]) })
	return !slices.Contains(built, false)
}

// compilesPiece is how many hosts a piece of compiles holds, about.
var compilesPiece = 500

// compilePieces shares the files of a package that only declare hosts out
// among pieces of about compilesPiece hosts; every piece has all the other
// files. One piece, all the files, when there is nothing to share out.
func compilePieces(files []*ast.File, hosts []string) [][]*ast.File {
	isHost := map[string]bool{}
	for _, h := range hosts {
		isHost[h] = true
	}
	var shared []*ast.File
	var groups [][]*ast.File
	n := 0 // hosts in the last group
	for _, f := range files {
		declared, ok := onlyHosts(f, isHost)
		if !ok {
			shared = append(shared, f)
			continue
		}
		if len(groups) == 0 || n >= compilesPiece {
			groups, n = append(groups, nil), 0
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], f)
		n += len(declared)
	}
	if len(groups) < 2 {
		return [][]*ast.File{files}
	}
	pieces := make([][]*ast.File, len(groups))
	for i, g := range groups {
		pieces[i] = append(slices.Clip(shared), g...)
	}
	return pieces
}

// compilesFiles is compiles of inst with only files.
func compilesFiles(inst *build.Instance, files []*ast.File) bool {
	c := *inst
	c.Files = files
	i := slices.IndexFunc(inst.Imports, func(imp *build.Instance) bool { return imp.ImportPath == schema.ImportPath })
	if i >= 0 {
		imp := inst.Imports[i]
		standIn := &ast.File{Filename: "axc schema stand-in", Decls: []ast.Decl{&ast.Package{Name: ast.NewIdent("schema")}}}
		for _, f := range imp.Files {
			for _, d := range f.Decls {
				if field, ok := d.(*ast.Field); ok {
					if name, _, err := ast.LabelName(field.Label); err == nil {
						standIn.Decls = append(standIn.Decls, &ast.Field{Label: ast.NewIdent(name), Value: ast.NewIdent("_")})
					}
				}
			}
		}
		stub := inst.Context().NewInstance(imp.Dir, nil)
		stub.ImportPath = schema.ImportPath
		if err := stub.AddSyntax(standIn); err != nil {
			return false
		}
		c.Imports = withImport(c.Imports, stub)
	}
	// As in Load's evaluation of a whole package: a package that does not
	// build has no fields to list; errors in hosts are the hosts'.
	_, err := cuecontext.New().BuildInstance(&c).Fields()
	return err == nil
}
