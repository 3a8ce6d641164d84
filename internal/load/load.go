// Package load reads host files (CUE packages, CUE files, JSON and YAML
// hosts) and gives one CUE value per host, unified with the schema embedded in
// axc. It reports syntax errors as CUE errors and unreadable inputs as
// *InputError; it does not judge the hosts.
package load

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
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

	"github.com/axc-dev/axc/internal/reporoot"
	"github.com/axc-dev/axc/internal/safeio"
	"github.com/axc-dev/axc/schema"
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

// Unwrap gives the errors one by one: each is a record of its own.
func (es InputErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

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
	// Dir is the absolute directory of the file that declares the host:
	// relative paths in it are relative to Dir.
	Dir string
	// Pos is where the host is declared.
	Pos token.Pos
	// Fields indexes the positions of every field the author wrote for this
	// host, by path relative to the host.
	Fields *FieldIndex
	// Depth is how many leading selectors of its value's error paths lead
	// to the host (its name).
	Depth int

	// value is the author's host unified with schema.#Host, its hostname
	// defaulting to Name; Result.Each hands it out. For hosts of packages
	// of lazyMin hosts or more it is evaluated only there, chunk by chunk.
	value cue.Value
	lazy  *lazyPackage // evaluated by Result.Each, not by Load
	// evalKey is EvalKey's, for a lazy host.
	evalKey string
	// files are the author's files of the host's package (absolute
	// names), for IsAuthorFile.
	files map[string][]byte
	data  *ast.StructLit // a JSON or YAML host, evaluated by Result.Each
}

// IsAuthorFile reports whether name (as in a position) is one of the
// author's files of the host's package: where a host the syntax does not
// show (made by a comprehension or an embedding) can be placed.
func (h *Host) IsAuthorFile(name string) bool {
	_, ok := h.files[name]
	return ok
}

// Result is what Load read.
type Result struct {
	Hosts []*Host
	// Errors are syntax and evaluation errors outside any single host.
	Errors errors.Error
	// Warnings are notes about the input as a whole.
	Warnings []Warning

	lazy []*lazyPackage
	// guessed are whether each package taken to build (compiles), for
	// evaluation in chunks, does: a loader that guesses (SetGuess) finds
	// out beside the evaluation. See Confirmed.
	guessed []<-chan bool
	wrong   bool
	// schema holds the schema files, for JSON and YAML hosts' chunks.
	schema map[string][]byte
	kind   *Kind
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
	// loaded holds the data files read so far in this Load: a file named
	// twice is read once.
	loaded map[string]bool
	// pkgs are the CUE packages the paths of this Load name.
	pkgs  []*pkgRequest
	files map[string][]byte // schema files by base name
	fsys  fs.FS             // where files came from
	// contract is read from the schema's attributes.
	contract *schema.Contract
	// kind is what the entries loaded are (Hosts unless SetKind).
	kind *Kind
	// reach is what a change reaches beyond the paths (SetReach).
	reach []Reach
	// in is where entry files are read (SetFiles): the disk, or the disk
	// under an editor's unsaved texts.
	in safeio.Files
	// disk is where the files around the entries are read: the module
	// file and the vendored schema (SetDisk).
	disk safeio.Files
	// schemaCache keeps the schema parsed across Loads and loaders
	// (SetSchemaCache); nil: parsed for each package.
	schemaCache *SchemaCache
	// scanCache keeps the scans of the package's files across Loads
	// (SetScanCache); nil: scanned in each Load.
	scanCache *ScanCache
	// guess: packages whose hosts the syntax names are taken to build
	// (SetGuess).
	guess bool
	// builds remembers packages that build, across processes (SetBuilds).
	builds Builds
}

// Builds remembers which packages build (the check of compiles), by a key
// of everything that check reads: for a process that loads the same
// packages as an earlier one (check's MemoStore). Keys are made only for
// packages read directly (their files are exactly the texts read, parsed
// in a known language version), and cover the schema only as the variant
// used: a Builds is for one schema.
type Builds interface {
	// Built reports whether the package with this key was found to build.
	Built(key string) bool
	// Learned records that it builds.
	Learned(key string)
}

// SetBuilds has l take from b whether packages build, and tell b those it
// finds do.
func (l *Loader) SetBuilds(b Builds) { l.builds = b }

// compilesKnown is compiles(inst), taken from l.builds when it knows the
// package's key and told to it when it builds.
func (l *Loader) compilesKnown(inst *build.Instance, hosts []string, sources map[string][]byte, direct *schemaSource) bool {
	if l.builds == nil || direct == nil {
		return compiles(inst, hosts)
	}
	h := sha256.New()
	word(h, "compiles")
	word(h, direct.version)
	word(h, strconv.FormatBool(direct.lean))
	for _, f := range inst.Files {
		data, ok := sources[f.Filename]
		if !ok {
			return compiles(inst, hosts)
		}
		word(h, f.Filename)
		word(h, string(data))
	}
	key := string(h.Sum(nil))
	if l.builds.Built(key) {
		return true
	}
	ok := compiles(inst, hosts)
	if ok {
		l.builds.Learned(key)
	}
	return ok
}

// NewWithSchema returns a loader for the schema whose .cue files are in
// fsys (at its root): the embedded one, or a schema being developed.
func NewWithSchema(fsys fs.FS) (*Loader, error) {
	l := &Loader{ctx: cuecontext.New(), files: map[string][]byte{}, fsys: fsys, kind: Hosts, in: safeio.Disk, disk: safeio.Disk}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".cue") {
			continue
		}
		data, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, err
		}
		l.files[e.Name()] = data
	}
	if len(l.files) == 0 {
		return nil, fmt.Errorf("no .cue files in the schema")
	}
	if l.contract, err = schema.ReadContract(fsys); err != nil {
		return nil, err
	}
	return l, nil
}

// SetKind makes the loader read entries of kind k (Hosts by default).
func (l *Loader) SetKind(k *Kind) { l.kind = k }

// SetFiles makes the loader read entry files (hosts, users and their
// packages) from in rather than from the disk.
func (l *Loader) SetFiles(in safeio.Files) { l.in = in }

// SetGuess makes the loader take a package whose hosts its syntax names
// to build (compiles) and to be evaluated in chunks, finding out whether
// it does on another core while the caller evaluates them: the caller
// must ask Result.Confirmed before it uses what it found, and load again
// without guessing when the guess was wrong. For the language server,
// where a change to one host of a large package is evaluated alone and
// the package almost always builds: the check of it (a build of every
// host of the file) then costs no time of the change's.
func (l *Loader) SetGuess(on bool) { l.guess = on }

// Confirmed reports whether the guesses of r's loader (SetGuess) were
// right, waiting for them: when not, r is not what Load without guessing
// would have read, and is to be thrown away.
func (r *Result) Confirmed() bool {
	for _, c := range r.guessed {
		r.wrong = !<-c || r.wrong
	}
	r.guessed = nil
	return !r.wrong
}

// SetDisk makes the loader read the files around the entries (the
// module file, the vendored schema) from disk rather than safeio.Disk: a
// long-lived process gives one that keeps them (safeio.CachingDisk), and
// a check then costs a stat of each, not a read.
func (l *Loader) SetDisk(disk safeio.Files) { l.disk = disk }

// Kind is what the loader reads.
func (l *Loader) Kind() *Kind { return l.kind }

// Contract is the host contract of the loader's schema.
func (l *Loader) Contract() *schema.Contract { return l.contract }

// SchemaFS is the schema the loader uses.
func (l *Loader) SchemaFS() fs.FS { return l.fsys }

// buildSchema evaluates the loader's schema in its context.
func (l *Loader) buildSchema() cue.Value { return buildSchema(l.ctx, l.files) }

// buildSchema evaluates the schema files in ctx.
func buildSchema(ctx *cue.Context, files map[string][]byte) cue.Value {
	inst, err := schemaInstance(build.NewContext(), schemaSource{files: files, cfg: parser.NewConfig(), dir: "schema"})
	if err != nil {
		// Tested: the embedded files parse (schema tests).
		return ctx.CompileString(fmt.Sprintf("error(%q)", "schema: "+err.Error()))
	}
	return ctx.BuildInstance(inst)
}

// Context is the CUE context of the loader's own values (the schema, for
// suggestions) and of small packages' hosts. JSON/YAML hosts and hosts of
// packages of lazyMin hosts or more are evaluated in contexts of their own
// (see Result.Each).
func (l *Loader) Context() *cue.Context { return l.ctx }

// Schema is the embedded schema package.
func (l *Loader) Schema() cue.Value {
	if !l.schema.Exists() {
		l.schema = l.buildSchema()
		l.hostDef = l.ctx.CompileString(l.kind.Def, cue.Scope(l.schema))
	}
	return l.schema
}

// HostSchema is the definition entries are unified with: schema.#Host,
// or schema.#User for users.
func (l *Loader) HostSchema() cue.Value {
	l.Schema()
	return l.hostDef
}

// NewHostSchema is HostSchema evaluated in a CUE context of its own, for
// a caller that may use it while hosts are evaluated concurrently in
// theirs (a context is not safe for concurrent use).
func (l *Loader) NewHostSchema() cue.Value {
	ctx := cuecontext.New()
	return ctx.CompileString(l.kind.Def, cue.Scope(buildSchema(ctx, l.files)))
}

// Limits on one input: no host file can make axc read without bound or
// evaluate for long.
const (
	// MaxFileSize is the largest host file axc reads.
	MaxFileSize = 4 << 20
	// MaxDepth is how deeply the values of a host file may nest.
	MaxDepth = 100
	// MaxWidth is how many fields one struct, or items one list, may hold.
	MaxWidth = 1000
)

// hostExts are the file kinds that hold hosts.
var hostExts = map[string]bool{".cue": true, ".json": true, ".yaml": true, ".yml": true}

// Load reads each path: a directory (a CUE package of hosts, and a host per
// JSON or YAML file), a .cue file (its package), or a .json/.yaml/.yml file
// holding one host. A file or package given twice is read once.
func (l *Loader) Load(paths []string) (*Result, error) {
	res := &Result{}
	l.scanCache.begin()
	var inputErrs InputErrors
	byName := map[string]*Host{}
	l.loaded = map[string]bool{}
	l.pkgs = nil
	var hosts []*Host
	record := func(hs []*Host, err error) error {
		if err != nil {
			var ie *InputError
			var ies InputErrors
			switch {
			case errors.As(err, &ies):
				inputErrs = append(inputErrs, ies...)
				return nil
			case errors.As(err, &ie):
				inputErrs = append(inputErrs, ie)
				return nil
			}
			return err
		}
		hosts = append(hosts, hs...)
		return nil
	}
	for _, p := range paths {
		if err := record(l.loadPath(p, res)); err != nil {
			return nil, err
		}
	}
	if err := record(l.loadReach(res)); err != nil {
		return nil, err
	}
	// Packages are loaded once all paths are known: a directory and files
	// of it may all be named, and only the hosts of the named files are
	// evaluated unless the directory is.
	for _, req := range l.mergedRequests() {
		if err := record(l.loadPackage(req, res)); err != nil {
			return nil, err
		}
	}
	for _, h := range hosts {
		{
			if prev, dup := byName[h.Name]; dup {
				res.Errors = errors.Append(res.Errors, errors.Newf(h.Pos, "%s %s is declared twice: here and in %s", l.kind.Noun, h.Name, RelPath(prev.Pos.Filename())))
				continue
			}
			byName[h.Name] = h
			res.Hosts = append(res.Hosts, h)
		}
	}
	if len(inputErrs) > 0 {
		return nil, inputErrs
	}
	sortHosts(res.Hosts)
	return res, nil
}

func (l *Loader) loadPath(p string, res *Result) ([]*Host, error) {
	info, err := l.in.Stat(p)
	if err != nil {
		return nil, &InputError{Path: p, Err: IOReason(err)}
	}
	if info.IsDir() {
		return l.loadDir(p, res)
	}
	ext := strings.ToLower(filepath.Ext(p))
	if !hostExts[ext] {
		return nil, &InputError{Path: p, Err: "not a " + l.kind.Noun + " file: want a directory, .cue, .json, .yaml or .yml"}
	}
	if ext == ".cue" {
		if b := filepath.Base(p); strings.HasPrefix(b, "_") || strings.HasPrefix(b, ".") {
			return nil, &InputError{Path: p, Err: "CUE leaves out files whose names start with _ or .: rename it to check it"}
		}
		// A CUE file is read with the rest of its package: hosts may use
		// fields declared in other files, and pre-commit passes only the
		// files that changed.
		data, err := readInputFile(l.in, p, l.kind)
		if err != nil {
			return nil, err
		}
		f, perr := parser.ParseFile(p, data, parser.PackageClauseOnly)
		if perr != nil {
			res.Errors = errors.Append(res.Errors, syntaxError(perr, p, data))
			return nil, nil
		}
		if f.PackageName() == "" {
			return nil, &InputError{Path: p, Err: noPackageMsg("")}
		}
		return nil, l.requestPackage(filepath.Dir(p), f.PackageName(), p)
	}
	return l.loadDataFile(p, ext, res)
}

// loadDir reads a directory: its CUE package, and each JSON or YAML file as
// a host of its own.
func (l *Loader) loadDir(dir string, res *Result) ([]*Host, error) {
	entries, err := l.in.ReadDir(dir)
	if err != nil {
		return nil, &InputError{Path: dir, Err: IOReason(err)}
	}
	var hosts []*Host
	hasCUE := false
	var data []string
	for _, e := range entries {
		name := e.Name()
		ext := strings.ToLower(filepath.Ext(name))
		if !hostExts[ext] || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
			continue // as the CUE loader does: . and _ files are not sources
		}
		if ext == ".cue" {
			hasCUE = true
		} else {
			data = append(data, filepath.Join(dir, name))
		}
	}
	if !hasCUE && len(data) == 0 {
		return nil, &InputError{Path: dir, Err: "no " + l.kind.Noun + " files in this directory (.cue, .json, .yaml or .yml)"}
	}
	var errs InputErrors
	if hasCUE {
		if err := l.requestPackage(dir, "", ""); err != nil {
			return nil, err
		}
	}
	for _, p := range data {
		hs, err := l.loadDataFile(p, strings.ToLower(filepath.Ext(p)), res)
		if ie, ok := err.(*InputError); ok {
			errs = append(errs, ie)
			continue
		}
		hosts = append(hosts, hs...)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return hosts, nil
}

// readInputFile reads a host or user file: a regular file of bounded size
// (safeio), so that a FIFO, a device or a huge file cannot hang axc or
// exhaust its memory, and text.
func readInputFile(in safeio.Files, p string, k *Kind) ([]byte, error) {
	data, err := in.ReadFile(p, MaxFileSize)
	return checkInput(p, k, data, err)
}

// readInputShared is readInputFile without a copy of what in keeps
// (safeio.ReadFileShared): the bytes must not be modified.
func readInputShared(in safeio.Files, p string, k *Kind) ([]byte, error) {
	data, err := safeio.ReadFileShared(in, p, MaxFileSize)
	return checkInput(p, k, data, err)
}

// checkInput is what reading the host or user file p gave (data, err)
// as readInputFile returns it.
func checkInput(p string, k *Kind, data []byte, err error) ([]byte, error) {
	if errors.Is(err, safeio.ErrTooLarge) {
		return nil, &InputError{Path: p, Err: fmt.Sprintf("larger than %s, the most a %s file may be", safeio.Size(MaxFileSize), k.Noun)}
	}
	if err != nil {
		return nil, &InputError{Path: p, Err: IOReason(err)}
	}
	if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
		return nil, &InputError{Path: p, Err: "binary file, not a " + k.Noun + " file"}
	}
	return data, nil
}

// RelPath shows a file as the user standing in the working directory
// names it: relative to that directory when the file is below it or in
// the same repository (reporoot: ../users/alice.cue from hosts/), else
// absolute (also from /, where a path is written absolute).
func RelPath(name string) string {
	wd, err := os.Getwd()
	if err != nil || !filepath.IsAbs(name) || filepath.Dir(wd) == wd {
		return name
	}
	r, err := filepath.Rel(wd, name)
	if err != nil {
		return name
	}
	if !climbs(r) {
		return r
	}
	if root := wdRoot(wd); root != "" {
		if in, err := filepath.Rel(root, name); err == nil && !climbs(in) {
			return r
		}
	}
	return name
}

// climbs reports whether the relative path r leaves its base.
func climbs(r string) bool {
	return r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator))
}

// wdRoot is the repository of the working directory wd, looked up once
// for as long as wd stays the working directory.
func wdRoot(wd string) string {
	wdRootCache.Lock()
	defer wdRootCache.Unlock()
	if wdRootCache.wd != wd {
		wdRootCache.root, _ = reporoot.Find(wd)
		wdRootCache.wd = wd
	}
	return wdRootCache.root
}

var wdRootCache struct {
	sync.Mutex
	wd, root string
}

// IOReason says in a few words why a file could not be read.
func IOReason(err error) string { return safeio.Reason(err) }

// loadDataFile reads one JSON or YAML host, once however often it is named.
func (l *Loader) loadDataFile(p, ext string, res *Result) ([]*Host, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return nil, &InputError{Path: p, Err: err.Error()}
	}
	if l.loaded[abs] {
		return nil, nil
	}
	l.loaded[abs] = true
	data, err := readInputFile(l.in, p, l.kind)
	if err != nil {
		return nil, err
	}
	var expr ast.Expr
	if ext == ".json" {
		expr, err = cuejson.Extract(p, data)
	} else {
		var f *ast.File
		f, err = cueyaml.Extract(p, data)
		if err == nil {
			keepYAMLNumbers(f, data)
			expr = fileExpr(f)
		}
	}
	if err != nil {
		res.Errors = errors.Append(res.Errors, syntaxError(err, p, data))
		return nil, nil
	}
	if pos, msg, big := tooBig(expr); big {
		res.Errors = errors.Append(res.Errors, errors.Newf(pos, "%s", msg))
		return nil, nil
	}
	name := strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))
	start := token.NewFile(p, -1, len(data)).Pos(0, token.NoRelPos)
	st, ok := expr.(*ast.StructLit)
	if !ok {
		pos := expr.Pos()
		if !pos.IsValid() {
			pos = start // an empty file
		}
		res.Errors = errors.Append(res.Errors, errors.Newf(pos, "a %s file holds one %s, an object; this is not", l.kind.Noun, l.kind.Noun))
		return nil, nil
	}
	idx := newFieldIndex()
	idx.addStruct(st)
	h := &Host{
		Name:   name,
		Dir:    filepath.Dir(abs),
		Pos:    start,
		Fields: idx,
		Depth:  1,
	}
	if fp := st.Pos(); fp.IsValid() {
		h.Pos = fp
	}
	idx.Label, idx.Value = h.Pos, h.Pos
	// Evaluated by Result.Each, in chunks like a large package's hosts.
	h.data = st
	res.schema, res.kind = l.files, l.kind
	return []*Host{h}, nil
}

// A pkgRequest is a CUE package some paths named: the whole of it (a
// directory), or some of its files.
type pkgRequest struct {
	dir     string // as first named
	absDir  string
	pkgName string // "" for a directory: its files say
	all     bool
	files   map[string]bool // absolute paths of the .cue files named
	sources map[string][]byte
}

// requestPackage notes that the package pkgName in dir is wanted: whole
// (file empty) or for the hosts declared in file.
func (l *Loader) requestPackage(dir, pkgName, file string) error {
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return &InputError{Path: dir, Err: err.Error()}
	}
	if !utf8.ValidString(absDir) {
		return &InputError{Path: dir, Err: "the directory's path is not valid UTF-8, which CUE cannot load: rename it"}
	}
	for _, r := range l.pkgs {
		if r.absDir == absDir && r.pkgName == pkgName {
			r.all = r.all || file == ""
			if file != "" {
				abs, _ := filepath.Abs(file)
				r.files[abs] = true
			}
			return nil
		}
	}
	r := &pkgRequest{dir: dir, absDir: absDir, pkgName: pkgName, all: file == "", files: map[string]bool{}}
	if file != "" {
		abs, _ := filepath.Abs(file)
		r.files[abs] = true
	}
	l.pkgs = append(l.pkgs, r)
	return nil
}

// mergedRequests resolves the package of each directory request and merges
// the file requests of the same package into it.
func (l *Loader) mergedRequests() []*pkgRequest {
	var out []*pkgRequest
	for _, r := range l.pkgs {
		if r.pkgName == "" {
			name, sources, err := readPackage(l.in, r.dir, r.absDir, "", l.kind, l.scanCache)
			if err == nil {
				r.pkgName, r.sources = name, sources // errors are loadPackage's to report
			}
		}
		merged := false
		for _, o := range out {
			if o.absDir == r.absDir && o.pkgName == r.pkgName && r.pkgName != "" {
				o.all = o.all || r.all
				for f := range r.files {
					o.files[f] = true
				}
				merged = true
			}
		}
		if !merged {
			out = append(out, r)
		}
	}
	return out
}

// loadPackage loads a requested CUE package and returns its regular
// top-level fields as hosts: all of them, or those declared in the
// requested files.
func (l *Loader) loadPackage(req *pkgRequest, res *Result) ([]*Host, error) {
	dir, absDir := req.dir, req.absDir
	pkgName, sources := req.pkgName, req.sources
	if sources == nil {
		var err error
		if pkgName, sources, err = readPackage(l.in, dir, absDir, req.pkgName, l.kind, l.scanCache); err != nil {
			return nil, err
		}
	}
	if pkgName == "" {
		// No file's package clause parsed: their syntax errors are all
		// there is to say.
		for _, name := range slices.Sorted(maps.Keys(sources)) {
			if _, err := parser.ParseFile(name, sources[name], parser.PackageClauseOnly); err != nil {
				res.Errors = errors.Append(res.Errors, syntaxError(err, RelPath(name), sources[name]))
			}
		}
		return nil, nil
	}
	cfg, warn, err := l.config(absDir)
	if err != nil {
		return nil, err
	}
	if warn != nil {
		res.Warnings = append(res.Warnings, *warn)
	}
	cfg.Package = pkgName
	for f, data := range sources {
		cfg.Overlay[f] = cueload.FromBytes(data) // read once: the loader need not again
	}
	// Every top-level field is a host: the pattern, served beside the
	// author's files, lets the package's own evaluation apply #Host once
	// (CUE merges it with an identical pattern the author may have).
	patternFile := unusedName(absDir, "axc_hosts_pattern.cue")
	pattern := []byte(fmt.Sprintf(entriesPattern, pkgName, schema.ImportPath, l.kind.pattern("axcschema.")))
	cfg.Overlay[patternFile] = cueload.FromBytes(pattern)
	args := []string{"."}
	if !req.all {
		// A few files of the package named: vet the hosts the change of
		// them reaches (their own, and those of the files that refer to
		// what they declare or declared), and load only the files those
		// hosts need (the rest are scanned, not parsed).
		gone, strs := l.reachFor(absDir)
		req.files = reachedFiles(req.files, sources, gone, strs, l.scanCache)
		if len(req.files) == 0 {
			return nil, nil // nothing of the package is reached
		}
		if files := fileSubset(req.files, sources, l.scanCache); len(files) < len(sources) {
			args = append(files, patternFile)
		}
	}
	inst, direct := l.directInstance(absDir, pkgName, loadOrder(args, sources, patternFile, pattern))
	if inst == nil {
		served := maps.Clone(sources)
		served[patternFile] = pattern
		if err := serveModuleFiles(cfg, absDir, served); err != nil {
			return nil, err
		}
		inst = cueload.Instances(args, cfg)[0]
		if inst.Err != nil {
			res.Errors = errors.Append(res.Errors, explainSyntax(inst.Err, sources))
			return nil, nil
		}
	}
	idx := newFieldIndex()
	for _, f := range inst.Files {
		if f.Filename == patternFile {
			continue
		}
		if pos, msg, big := tooBig(f); big {
			res.Errors = errors.Append(res.Errors, errors.Newf(pos, "%s", msg))
			return nil, nil
		}
		if _, ok := sources[f.Filename]; !ok {
			// A file of the same package in a parent directory, which CUE
			// includes in the package: chunks re-read it like the others.
			data, err := readInputFile(l.in, f.Filename, l.kind)
			if err != nil {
				return nil, err
			}
			sources[f.Filename] = data
		}
		idx.addStruct(&ast.StructLit{Elts: f.Decls})
	}
	if err := expansion(authorFiles(inst.Files, patternFile), l.kind.Noun); err != nil {
		res.Errors = errors.Append(res.Errors, err)
		return nil, nil
	}
	if pos, name, found := builtFromEntry(inst.Files); found {
		res.Errors = errors.Append(res.Errors, errors.Newf(pos, "the top level of a %ss package is built here from %s %s: its fields would become %ss too, which CUE does not finish evaluating; declare each %s as a field (NAME: {…})", l.kind.Noun, l.kind.Noun, name, l.kind.Noun, l.kind.Noun))
		return nil, nil
	}
	authorFiles := maps.Clone(sources) // without the pattern file
	sources[patternFile] = pattern
	newHost := func(name string) *Host {
		h := &Host{Name: name, Dir: absDir, Fields: idx.Child(name), Depth: 1, files: authorFiles}
		if h.Fields == nil {
			h.Fields = newFieldIndex() // a host made by a comprehension
		}
		h.Pos = h.Fields.Label
		if f := h.Pos.Filename(); f != "" {
			h.Dir = filepath.Dir(f)
		}
		return h
	}

	selected := selectedHosts(req, inst.Files)
	names, chunked := inChunks(inst.Files)
	if chunked && l.guess {
		built := make(chan bool, 1)
		go func() {
			defer func() {
				if recover() != nil {
					// Not a guess to keep: loading again without guessing
					// meets the panic where it is reported.
					built <- false
				}
			}()
			built <- compiles(inst, names)
		}()
		res.guessed = append(res.guessed, built)
	}
	if chunked && (l.guess || l.compilesKnown(inst, names, sources, direct)) {
		// Hosts all known from the syntax: evaluate them later, in chunks,
		// each in a context of its own with the other hosts left out
		// (Result.Each), and only those asked for.
		lp := newLazyPackage(inst, names, sources, direct)
		var hosts []*Host
		for _, name := range names {
			if selected != nil && !selected[name] {
				continue
			}
			h := newHost(name)
			h.lazy = lp
			hosts = append(hosts, h)
		}
		lp.evalKeys(l.kind, hosts, inst.Files)
		res.lazy = append(res.lazy, lp)
		return hosts, nil
	}

	whole := inst
	if direct != nil && direct.lean {
		// Put together for chunks, but the package does not build: whole,
		// against the full schema, for CUE's own words.
		schemaInst, err := direct.variant(inst.Context(), false)
		if err != nil {
			return nil, err
		}
		c := *inst
		c.Imports = withImport(c.Imports, schemaInst)
		whole = &c
	}
	pkg := l.ctx.BuildInstance(whole)
	iter, err := pkg.Fields()
	if err != nil {
		res.Errors = errors.Append(res.Errors, notHosts(errors.Promote(err, ""), patternFile, inst.Files, l.kind))
		return nil, nil
	}
	var hosts []*Host
	for iter.Next() {
		name := iter.Selector().Unquoted()
		if selected != nil && !selected[name] {
			continue // a host of a file loaded for the named ones
		}
		h := newHost(name)
		h.value = iter.Value()
		if !h.Pos.IsValid() {
			// Made by a comprehension or an embedding: declared where
			// the author's part of its value is.
			_, parts := h.value.Expr()
			for _, p := range parts {
				if pos := p.Pos(); pos.IsValid() && h.IsAuthorFile(pos.Filename()) {
					h.Pos, h.Dir = pos, filepath.Dir(pos.Filename())
					break
				}
			}
		}
		hosts = append(hosts, h)
	}
	return hosts, nil
}

// authorFiles are files without the pattern file axc adds.
func authorFiles(files []*ast.File, patternFile string) []*ast.File {
	out := make([]*ast.File, 0, len(files))
	for _, f := range files {
		if f.Filename != patternFile {
			out = append(out, f)
		}
	}
	return out
}

// selectedHosts is the set of hosts declared in the files req names, or
// nil for all hosts: when req names the directory, or a named file makes
// hosts in ways its syntax does not show (a comprehension, an embedding, a
// dynamic label; see declares). Hosts that other files make that way are
// not selected: they are not declared in the named files.
func selectedHosts(req *pkgRequest, files []*ast.File) map[string]bool {
	if req.all {
		return nil
	}
	sel := map[string]bool{}
	for _, f := range files {
		if !req.files[f.Filename] {
			continue
		}
		for _, d := range f.Decls {
			name, host, fixed := declares(d)
			if !fixed {
				return nil
			}
			if host {
				sel[name] = true
			}
		}
	}
	return sel
}

func sortHosts(hosts []*Host) {
	sort.SliceStable(hosts, func(i, j int) bool { return hosts[i].Name < hosts[j].Name })
}

// entriesPattern makes every regular top-level field of package %s an
// entry of the loader's kind (a #Host, a #User) named by its key.
const entriesPattern = `package %s

import axcschema %q

[axcName=string]: %s
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

// readPackage reads the .cue files of a directory before the CUE loader
// does, so that unreadable, binary or special files, files without a package
// clause and two packages in one directory are reported in plain words. It
// returns the package's name (pkgName, when given) and the sources of its
// files. The package clauses are kept in sc (nil: none kept).
func readPackage(in safeio.Files, dir, absDir, pkgName string, k *Kind, sc *ScanCache) (string, map[string][]byte, error) {
	entries, err := in.ReadDir(absDir)
	if err != nil {
		return "", nil, &InputError{Path: dir, Err: IOReason(err)}
	}
	var names []string
	for _, e := range entries {
		name := e.Name()
		if strings.HasSuffix(name, ".cue") && !strings.HasPrefix(name, ".") && !strings.HasPrefix(name, "_") {
			names = append(names, name)
		}
	}
	// Reading and opening the files is most of a one-file vet's load of a
	// large package: spread it over the cores, then judge them in order.
	type read struct {
		data []byte
		err  error
		cl   clause
	}
	reads := make([]read, len(names))
	parallel(len(names), func(i int) {
		r := &reads[i]
		shown := filepath.Join(dir, names[i])
		if strings.ContainsAny(names[i], `:\`) {
			r.err = &InputError{Path: shown, Err: `a name with ":" or "\" cannot be loaded by CUE: rename it`}
			return
		}
		// Shared: the sources of a package are only read (parsed,
		// scanned, served to CUE; a chunk copies what it blanks out).
		r.data, r.err = readInputShared(in, shown, k)
		if r.err == nil {
			r.cl, r.err = sc.packageClause(filepath.Join(absDir, names[i]), r.data)
		}
	})
	sources := map[string][]byte{}
	var errs InputErrors
	var noPackage []string
	first := "" // the file that declared pkgName first
	given := pkgName != ""
	for i, name := range names {
		shown := filepath.Join(dir, name)
		data, cl, err := reads[i].data, reads[i].cl, reads[i].err
		if ierr, ok := err.(*InputError); ok {
			errs = append(errs, ierr)
			continue
		}
		if err != nil {
			// A syntax error is the loader's to report, with its position.
			sources[filepath.Join(absDir, name)] = data
			continue
		}
		if cl.extern {
			errs = append(errs, &InputError{Path: fmt.Sprintf("%s:%d:%d", shown, cl.externLine, cl.externCol), Err: "@extern is not allowed in host files: it would let a host read other files (@embed), which axc does not allow"})
			continue
		}
		switch pkg := cl.pkg; {
		case pkg == "":
			noPackage = append(noPackage, shown)
		case pkgName == "":
			pkgName, first = pkg, shown
		case pkg != pkgName:
			if !given {
				errs = append(errs, &InputError{Path: shown, Err: fmt.Sprintf("package %s, but %s is package %s: the .cue files of one hosts directory are one package", pkg, first, pkgName)})
			}
			continue // another package beside the one asked for
		case first == "":
			first = shown
		}
		sources[filepath.Join(absDir, name)] = data
	}
	for _, f := range noPackage {
		errs = append(errs, &InputError{Path: f, Err: noPackageMsg(pkgName)})
	}
	if len(errs) > 0 {
		return "", nil, errs
	}
	return pkgName, sources, nil
}

func noPackageMsg(pkgName string) string {
	if pkgName == "" {
		pkgName = "hosts"
	}
	return fmt.Sprintf("no package clause: start the file with \"package %s\"", pkgName)
}

// config finds the CUE module around dir and serves the embedded schema to it
// as an overlay, so that `import "axc.dev/axc/schema"` resolves with nothing
// on disk. A vendored copy that differs from the embedded one is reported.
// The module file is served as read (safeio), so that cue/load does not
// open it.
func (l *Loader) config(dir string) (*cueload.Config, *Warning, error) {
	cfg := &cueload.Config{Dir: dir, Overlay: map[string]cueload.Source{}}
	root := findModuleRoot(dir)
	var mod []byte
	if root != "" {
		var err error
		if mod, err = readModuleFile(l.disk, root); err != nil {
			return nil, nil, err
		}
	}
	if root == "" {
		root = dir
		cfg.Overlay[filepath.Join(root, "cue.mod", "module.cue")] = cueload.FromString("module: \"axc.local/hosts@v0\"\nlanguage: version: \"" + schemaLanguage + "\"\n")
	} else if isSchemaModule(mod) {
		// axc's own repository: the schema package is on disk; the one
		// being checked against is served over it.
		cfg.Overlay[filepath.Join(root, "cue.mod", "module.cue")] = cueload.FromBytes(mod)
		for name, data := range l.files {
			cfg.Overlay[filepath.Join(root, "schema", name)] = cueload.FromBytes(data)
		}
		return cfg, nil, nil
	}
	cfg.ModuleRoot = root
	if mod != nil {
		// Served as read: CUE does not open the file again.
		if raised, ok := raiseLanguage(mod); ok {
			mod = raised
		}
		cfg.Overlay[filepath.Join(root, "cue.mod", "module.cue")] = cueload.FromBytes(mod)
	}
	vendored := filepath.Join(root, "cue.mod", "pkg", filepath.FromSlash(schema.ImportPath))
	if theirs, ok := releaseOf(l.disk, filepath.Join(vendored, schema.HostFile)); ok {
		if ours, _ := releaseOfData(l.files[schema.HostFile]); theirs != ours {
			// The author's CUE (cue eval) sees one release, the lock says
			// another: which one the hosts are meant for is not ours to guess.
			// axc init --upgrade vendors a release's schema: name the
			// command that does it, for the module it is in.
			upgrade := "axc init --upgrade --axios " + ours
			if dir := RelPath(root); dir != "." {
				upgrade += " " + shellWord(dir)
			}
			return nil, nil, &InputError{Path: RelPath(vendored), Err: fmt.Sprintf("the hosts' CUE imports the schema of release %s, but axc is checking against %s (from --axios or flake.lock): vendor %s's schema there (%s), or pin %s", theirs, ours, ours, upgrade, theirs)}
		}
	}
	var warn *Warning
	differs, extra := vendoredDiffers(l.disk, vendored, l.files)
	if differs {
		warn = &Warning{Path: vendored, Msg: "differs from the schema built into axc; axc uses its own"}
	}
	for name, data := range l.files {
		if strings.HasSuffix(name, ".cue") {
			cfg.Overlay[filepath.Join(vendored, name)] = cueload.FromBytes(data)
		}
	}
	// cue/load reads the directory: a CUE file of the vendored copy that
	// the embedded schema lacks would join the schema axc checks against.
	for _, name := range extra {
		cfg.Overlay[filepath.Join(vendored, name)] = cueload.FromString("package schema\n")
	}
	return cfg, warn, nil
}

// vendoredDiffers reports whether the vendored schema directory exists and
// is not the embedded schema's CUE files: one differs, is missing or cannot
// be read (a special file), or the directory holds CUE files the embedded
// schema does not (extra). Any of these makes the author's cue eval see
// another schema than axc checks against.
func vendoredDiffers(disk safeio.Files, vendored string, files map[string][]byte) (differs bool, extra []string) {
	entries, err := disk.ReadDir(vendored)
	if err != nil {
		return false, nil // no vendored copy (or not a directory: CUE will say)
	}
	for _, e := range entries {
		if _, ok := files[e.Name()]; !ok && strings.HasSuffix(e.Name(), ".cue") {
			extra = append(extra, e.Name())
		}
	}
	differs = len(extra) > 0
	for name, data := range files {
		if !strings.HasSuffix(name, ".cue") || differs {
			continue
		}
		onDisk, err := safeio.ReadFileShared(disk, filepath.Join(vendored, name), MaxFileSize)
		differs = err != nil || !bytes.Equal(onDisk, data)
	}
	return differs, extra
}

// schemaLanguage is the CUE language version the embedded schema is
// written in.
const schemaLanguage = schema.Language

var languageVersion = regexp.MustCompile(`(\bversion:\s*)"v0\.(\d+)\.[^"]*"`)

// raiseLanguage returns an author's module.cue with its language version
// raised to the schema's when it is older: the schema is evaluated as part
// of the author's module, and must not depend on the version the author
// chose for their own files.
func raiseLanguage(mod []byte) ([]byte, bool) {
	m := languageVersion.FindSubmatchIndex(mod)
	if m == nil {
		if bytes.Contains(mod, []byte("language")) {
			return nil, false // written some other way: CUE will say
		}
		return append(append([]byte{}, mod...), "\nlanguage: version: \""+schemaLanguage+"\"\n"...), true
	}
	minor, err := strconv.Atoi(string(mod[m[4]:m[5]]))
	if err != nil || minor >= 17 {
		return nil, false
	}
	out := append([]byte{}, mod[:m[3]]...)
	out = append(out, '"')
	out = append(out, schemaLanguage...)
	out = append(out, '"')
	return append(out, mod[m[1]:]...), true
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

// readModuleFile reads the cue.mod/module.cue of the module at root: nil
// when there is none; an *InputError when it cannot be read (a FIFO, a
// device, too large), which stops the load rather than leave the file to
// CUE.
func readModuleFile(disk safeio.Files, root string) ([]byte, error) {
	p := filepath.Join(root, "cue.mod", "module.cue")
	data, err := disk.ReadFile(p, MaxFileSize)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, &InputError{Path: RelPath(p), Err: IOReason(err)}
	}
	return data, nil
}

// isSchemaModule reports whether mod is the module file of the module that
// holds the schema.
func isSchemaModule(mod []byte) bool {
	return bytes.Contains(mod, []byte(`module: "axc.dev/axc`))
}

// fileExpr is the value of a YAML file: its one embedded value, or its
// fields.
func fileExpr(f *ast.File) ast.Expr {
	if len(f.Decls) == 1 {
		if e, ok := f.Decls[0].(*ast.EmbedDecl); ok {
			return e.Expr
		}
	}
	return &ast.StructLit{Elts: f.Decls}
}

// externAttr finds a file-level @extern attribute, which turns on CUE's
// @embed: a host could then read any file (symlinks included) into its
// value, and so into the generated Nix.
func externAttr(f *ast.File) (token.Pos, bool) {
	for _, d := range f.Decls {
		if a, ok := d.(*ast.Attribute); ok {
			if key, _ := a.Split(); key == "extern" {
				return a.Pos(), true
			}
		}
	}
	return token.NoPos, false
}

// notHosts rewrites errors that CUE places in axc's own pattern file: they
// mean that the package as a whole is not a struct of hosts (its top level
// embeds a string, a list, …). They are placed at the author's first
// top-level embedding, or the package clause.
func notHosts(err errors.Error, patternFile string, files []*ast.File, k *Kind) errors.Error {
	var at token.Pos
	for _, f := range files {
		if f.Filename == patternFile {
			continue
		}
		for _, d := range f.Decls {
			if e, ok := d.(*ast.EmbedDecl); ok && !at.IsValid() {
				at = e.Pos()
			}
		}
		if !at.IsValid() && len(f.Decls) > 0 {
			at = f.Decls[0].Pos()
		}
	}
	var out errors.Error
	for _, e := range errors.Errors(err) {
		if slices.ContainsFunc(errors.Positions(e), func(p token.Pos) bool { return p.Filename() == patternFile }) {
			out = errors.Append(out, errors.Newf(at, "a %ss package is a struct of %ss (name: {…}); its top level is not a struct here", k.Noun, k.Noun))
			continue
		}
		out = errors.Append(out, e)
	}
	return out
}

// releaseDecl is the #Release declaration of a schema's host.cue.
var releaseDecl = regexp.MustCompile(`(?m)^#Release:\s*"([^"]+)"`)

// releaseOf is the release a schema's host.cue (on disk) is of.
func releaseOf(disk safeio.Files, hostFile string) (string, bool) {
	data, err := safeio.ReadFileShared(disk, hostFile, MaxFileSize)
	if err != nil {
		return "", false
	}
	return releaseOfData(data)
}

func releaseOfData(data []byte) (string, bool) {
	m := releaseDecl.FindSubmatch(data)
	if m == nil {
		return "", false
	}
	return string(m[1]), true
}

// shellWord is s as one word of a shell command line: as it is when it
// holds only characters no shell treats specially, else single-quoted.
func shellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./+,:@%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
