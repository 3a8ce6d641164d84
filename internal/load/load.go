// Package load reads host files (CUE packages, CUE files, JSON and YAML
// hosts) and gives one CUE value per host, unified with the schema embedded in
// axc. It reports syntax errors as CUE errors and unreadable inputs as
// *InputError; it does not judge the hosts.
package load

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/build"
	"cuelang.org/go/cue/cuecontext"
	"cuelang.org/go/cue/errors"
	cueload "cuelang.org/go/cue/load"
	"cuelang.org/go/cue/parser"
	"cuelang.org/go/cue/token"
	cuejson "cuelang.org/go/encoding/json"
	cueyaml "cuelang.org/go/encoding/yaml"

	"axc.dev/axc/schema"
)

// InputError is a path that cannot be read as host input at all (missing,
// unreadable, binary, of an unknown kind): a usage or I/O error, not a finding.
type InputError struct {
	Path string
	Err  string
}

func (e *InputError) Error() string { return e.Path + ": " + e.Err }

// InputErrors are all the unreadable inputs of one Load.
type InputErrors []*InputError

func (es InputErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// A Host is one machine: a top-level field of a CUE hosts package, or a
// JSON/YAML file.
type Host struct {
	Name string
	// Value is the author's host unified with schema.#Host, its hostname
	// defaulting to Name.
	Value cue.Value
	// Dir is the absolute directory of the file that declares the host:
	// relative paths in it are relative to Dir.
	Dir string
	// Pos is where the host is declared.
	Pos token.Pos
	// Fields indexes the positions of every field the author wrote for this
	// host, by path relative to the host.
	Fields *FieldIndex
	// Depth is how many leading selectors of Value's error paths lead to the
	// host: 1 for a field of a package, 0 for a JSON or YAML host.
	Depth int

	lazy *lazyPackage // evaluated by Result.Each, not by Load
}

// Result is what Load read.
type Result struct {
	Hosts []*Host
	// Errors are syntax and evaluation errors outside any single host.
	Errors errors.Error
	// Warnings are notes about the input as a whole.
	Warnings []Warning

	lazy []*lazyPackage
}

// Warning is a note about the input that does not make it invalid, about a
// position in a file or about a whole file or directory (Path).
type Warning struct {
	Pos  token.Pos
	Path string
	Msg  string
}

// Loader loads hosts against the embedded schema. It is not safe for
// concurrent use.
type Loader struct {
	ctx *cue.Context
	// The embedded schema, evaluated only when needed (JSON/YAML hosts,
	// suggestions): a package of hosts imports its own copy.
	hostDef cue.Value
	schema  cue.Value
	// loaded holds the packages (directory and package name) read so far
	// in this Load: several files of one package load it once.
	loaded map[string]bool
	files  map[string][]byte // embedded schema files by base name
}

// New returns a loader for the embedded schema.
func New() (*Loader, error) {
	l := &Loader{ctx: cuecontext.New(), files: map[string][]byte{}}
	entries, err := fs.ReadDir(schema.Files, ".")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		data, err := fs.ReadFile(schema.Files, e.Name())
		if err != nil {
			return nil, err
		}
		l.files[e.Name()] = data
	}
	return l, nil
}

// buildSchema evaluates the embedded schema in the loader's context.
func (l *Loader) buildSchema() cue.Value {
	inst := build.NewContext().NewInstance(schema.ImportPath, nil)
	names := make([]string, 0, len(l.files))
	for name := range l.files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		f, err := parser.ParseFile("schema/"+name, l.files[name])
		if err == nil {
			err = inst.AddSyntax(f)
		}
		if err != nil {
			// Tested: the embedded files parse (schema tests).
			return l.ctx.CompileString(fmt.Sprintf("error(%q)", "embedded schema: "+err.Error()))
		}
	}
	return l.ctx.BuildInstance(inst)
}

// Context is the CUE context of the loader's own values: the schema and
// JSON/YAML hosts. Hosts of large packages are evaluated in contexts of
// their own (see Result.Each).
func (l *Loader) Context() *cue.Context { return l.ctx }

// Schema is the embedded schema package.
func (l *Loader) Schema() cue.Value {
	if !l.schema.Exists() {
		l.schema = l.buildSchema()
		l.hostDef = l.ctx.CompileString("#Host", cue.Scope(l.schema))
	}
	return l.schema
}

// HostSchema is schema.#Host.
func (l *Loader) HostSchema() cue.Value {
	l.Schema()
	return l.hostDef
}

// Load reads each path: a directory (a CUE package of hosts), a .cue file, or
// a .json/.yaml/.yml file holding one host.
func (l *Loader) Load(paths []string) (*Result, error) {
	res := &Result{}
	var inputErrs InputErrors
	seen := map[string]string{}
	l.loaded = map[string]bool{}
	for _, p := range paths {
		hosts, err := l.loadPath(p, res)
		if err != nil {
			if ie, ok := err.(*InputError); ok {
				inputErrs = append(inputErrs, ie)
				continue
			}
			return nil, err
		}
		for _, h := range hosts {
			if prev, dup := seen[h.Name]; dup {
				res.Errors = errors.Append(res.Errors, errors.Newf(h.Pos, "host %s is declared twice: also in %s", h.Name, prev))
				continue
			}
			seen[h.Name] = h.Pos.Filename()
			res.Hosts = append(res.Hosts, h)
		}
	}
	if len(inputErrs) > 0 {
		return nil, inputErrs
	}
	return res, nil
}

func (l *Loader) loadPath(p string, res *Result) ([]*Host, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, &InputError{Path: p, Err: IOReason(err)}
	}
	if info.IsDir() {
		return l.loadPackage(p, "", res)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, &InputError{Path: p, Err: IOReason(err)}
	}
	if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
		return nil, &InputError{Path: p, Err: "binary file, not a host file"}
	}
	switch ext := strings.ToLower(filepath.Ext(p)); ext {
	case ".cue":
		// A CUE file is read with the rest of its package: hosts may use
		// fields declared in other files, and pre-commit passes only the
		// files that changed.
		f, err := parser.ParseFile(p, data, parser.PackageClauseOnly)
		if err != nil {
			res.Errors = errors.Append(res.Errors, errors.Promote(err, "syntax error"))
			return nil, nil
		}
		return l.loadPackage(filepath.Dir(p), f.PackageName(), res)
	case ".json", ".yaml", ".yml":
		return l.loadData(p, ext, data, res)
	default:
		return nil, &InputError{Path: p, Err: "not a host file: want a directory, .cue, .json, .yaml or .yml"}
	}
}

// IOReason says in a few words why a file could not be read.
func IOReason(err error) string {
	switch {
	case os.IsNotExist(err):
		return "no such file or directory"
	case os.IsPermission(err):
		return "permission denied"
	}
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

// loadData reads one JSON or YAML host; its name is the file's base name.
func (l *Loader) loadData(p, ext string, data []byte, res *Result) ([]*Host, error) {
	var expr ast.Expr
	var err error
	if ext == ".json" {
		expr, err = cuejson.Extract(p, data)
	} else {
		var f *ast.File
		f, err = cueyaml.Extract(p, data)
		if err == nil {
			expr = fileExpr(f)
		}
	}
	if err != nil {
		res.Errors = errors.Append(res.Errors, errors.Promote(err, "syntax error"))
		return nil, nil
	}
	name := strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))
	abs, err := filepath.Abs(filepath.Dir(p))
	if err != nil {
		return nil, &InputError{Path: p, Err: err.Error()}
	}
	st, ok := expr.(*ast.StructLit)
	if !ok {
		res.Errors = errors.Append(res.Errors, errors.Newf(expr.Pos(), "a host file holds one host, an object; this is not"))
		return nil, nil
	}
	idx := newFieldIndex()
	idx.addStruct(nil, st)
	user := l.ctx.BuildExpr(expr)
	h := &Host{
		Name:   name,
		Dir:    abs,
		Pos:    token.NewFile(p, -1, len(data)).Pos(0, token.NoRelPos),
		Fields: idx,
	}
	if fp := st.Pos(); fp.IsValid() {
		h.Pos = fp
	}
	h.Value = l.unifyHost(name, user)
	return []*Host{h}, nil
}

func fileExpr(f *ast.File) ast.Expr {
	if len(f.Decls) == 1 {
		if e, ok := f.Decls[0].(*ast.EmbedDecl); ok {
			return e.Expr
		}
	}
	return &ast.StructLit{Elts: f.Decls}
}

// loadPackage loads the CUE package in dir (the one named pkg, when not
// empty) and returns each of its regular top-level fields as a host.
func (l *Loader) loadPackage(dir, pkgName string, res *Result) ([]*Host, error) {
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return nil, &InputError{Path: dir, Err: err.Error()}
	}
	key := absDir + "\x00" + pkgName
	if l.loaded[key] {
		return nil, nil
	}
	l.loaded[key] = true
	cfg, warn, err := l.config(absDir)
	if err != nil {
		return nil, err
	}
	if warn != nil {
		res.Warnings = append(res.Warnings, *warn)
	}
	cfg.Package = pkgName
	names, sources, err := checkReadable(absDir)
	if err != nil {
		return nil, err
	}
	for f, data := range sources {
		cfg.Overlay[f] = cueload.FromBytes(data) // read once: the loader need not again
	}
	if pkgName == "" && len(names) == 1 {
		pkgName = names[0]
	}
	var patternFile string
	if pkgName != "" && pkgName != "_" {
		// Every top-level field is a host: the pattern, served beside the
		// author's files, lets the package's own evaluation apply #Host once
		// (CUE merges it with an identical pattern the author may have).
		patternFile = unusedName(absDir, "axc_hosts_pattern.cue")
		pattern := fmt.Sprintf(hostsPattern, pkgName, schema.ImportPath)
		sources[patternFile] = []byte(pattern)
		cfg.Overlay[patternFile] = cueload.FromBytes(sources[patternFile])
	}
	insts := cueload.Instances([]string{"."}, cfg)
	inst := insts[0]
	if inst.Err != nil {
		if len(inst.Files) == 0 && len(inst.BuildFiles) == 0 {
			msg := inst.Err.Error()
			if strings.Contains(msg, "no CUE files") || strings.Contains(msg, "cannot find package") {
				return nil, &InputError{Path: dir, Err: "no CUE files in this directory"}
			}
		}
		res.Errors = errors.Append(res.Errors, inst.Err)
		return nil, nil
	}
	idx := newFieldIndex()
	for _, f := range inst.Files {
		if !strings.HasPrefix(f.Filename, absDir+string(filepath.Separator)) || f.Filename == patternFile {
			continue // an imported or overlaid file, not the author's hosts
		}
		idx.addStruct(nil, &ast.StructLit{Elts: f.Decls})
	}
	newHost := func(name string) *Host {
		h := &Host{Name: name, Dir: absDir, Fields: idx.sub(name), Depth: 1}
		h.Pos = idx.labelPos([]string{name})
		if f := h.Pos.Filename(); f != "" {
			h.Dir = filepath.Dir(f)
		}
		return h
	}

	if names, ok := staticHosts(inst.Files); ok && len(names) > chunkSize {
		// Many hosts, all known from the syntax: evaluate them later, in
		// chunks, each in a context of its own (Result.Each).
		lp := newLazyPackage(inst, names, sources)
		var hosts []*Host
		for _, name := range names {
			h := newHost(name)
			h.lazy = lp
			hosts = append(hosts, h)
		}
		res.lazy = append(res.lazy, lp)
		sortHosts(hosts)
		return hosts, nil
	}

	pkg := l.ctx.BuildInstance(inst)
	iter, err := pkg.Fields()
	if err != nil {
		res.Errors = errors.Append(res.Errors, errors.Promote(err, ""))
		return nil, nil
	}
	var hosts []*Host
	for iter.Next() {
		h := newHost(iter.Selector().Unquoted())
		h.Value = iter.Value()
		hosts = append(hosts, h)
	}
	sortHosts(hosts)
	return hosts, nil
}

func sortHosts(hosts []*Host) {
	sort.SliceStable(hosts, func(i, j int) bool { return hosts[i].Name < hosts[j].Name })
}

// hostsPattern makes every regular top-level field of package %s a #Host
// named by its key.
const hostsPattern = `package %s

import axcschema %q

[axcName=string]: axcschema.#Host & {hostname: *axcName | _}
`

// unusedName is name in dir, changed until no file on disk has it: an
// overlay must not hide an author's file.
func unusedName(dir, name string) string {
	p := filepath.Join(dir, name)
	for i := 2; ; i++ {
		if _, err := os.Lstat(p); os.IsNotExist(err) {
			return p
		}
		p = filepath.Join(dir, fmt.Sprintf("%s_%d.cue", strings.TrimSuffix(name, ".cue"), i))
	}
}

// checkReadable turns unreadable or binary .cue files into an InputError
// before the CUE loader sees them, and returns the package names the files
// declare and their contents.
func checkReadable(dir string) ([]string, map[string][]byte, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, &InputError{Path: dir, Err: IOReason(err)}
	}
	var names []string
	seen := map[string]bool{}
	sources := map[string][]byte{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".cue") {
			continue
		}
		f := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, nil, &InputError{Path: f, Err: IOReason(err)}
		}
		if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
			return nil, nil, &InputError{Path: f, Err: "binary file, not CUE"}
		}
		sources[f] = data
		// A syntax error is the loader's to report, with its position.
		if pf, err := parser.ParseFile(f, data, parser.PackageClauseOnly); err == nil && !seen[pf.PackageName()] {
			seen[pf.PackageName()] = true
			names = append(names, pf.PackageName())
		}
	}
	return names, sources, nil
}

// config finds the CUE module around dir and serves the embedded schema to it
// as an overlay, so that `import "axc.dev/axc/schema"` resolves with nothing
// on disk. A vendored copy that differs from the embedded one is reported.
func (l *Loader) config(dir string) (*cueload.Config, *Warning, error) {
	cfg := &cueload.Config{Dir: dir, Overlay: map[string]cueload.Source{}}
	root := findModuleRoot(dir)
	if root == "" {
		root = dir
		cfg.Overlay[filepath.Join(root, "cue.mod", "module.cue")] = cueload.FromString("module: \"axc.local/hosts@v0\"\nlanguage: version: \"v0.17.0\"\n")
	} else if isSchemaModule(root) {
		return cfg, nil, nil // axc's own repository: the schema is on disk
	}
	cfg.ModuleRoot = root
	vendored := filepath.Join(root, "cue.mod", "pkg", filepath.FromSlash(schema.ImportPath))
	var warn *Warning
	for name, data := range l.files {
		if !strings.HasSuffix(name, ".cue") {
			continue
		}
		p := filepath.Join(vendored, name)
		if onDisk, err := os.ReadFile(p); err == nil && !bytes.Equal(onDisk, data) && warn == nil {
			warn = &Warning{Path: vendored, Msg: "differs from the schema built into axc; axc uses its own"}
		}
		cfg.Overlay[p] = cueload.FromBytes(data)
	}
	return cfg, warn, nil
}

func findModuleRoot(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if info, err := os.Stat(filepath.Join(d, "cue.mod")); err == nil && info.IsDir() {
			return d
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// isSchemaModule reports whether root is the module that holds the schema.
func isSchemaModule(root string) bool {
	data, err := os.ReadFile(filepath.Join(root, "cue.mod", "module.cue"))
	return err == nil && bytes.Contains(data, []byte(`module: "axc.dev/axc`))
}

// unifyHost unifies an author's host with #Host, its hostname defaulting
// to name.
func (l *Loader) unifyHost(name string, user cue.Value) cue.Value {
	named := l.ctx.CompileString(fmt.Sprintf("#Host & {hostname: *%q | _}", name), cue.Scope(l.Schema()))
	return named.Unify(user)
}
