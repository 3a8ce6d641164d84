package load

import (
	"errors"
	"io/fs"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/build"
	"cuelang.org/go/cue/literal"
	"cuelang.org/go/cue/parser"
	"cuelang.org/go/cue/token"

	"github.com/axc-dev/axc/schema"
)

// directLoading is whether packages that allow it are put together without
// cue/load (see directInstance). The test that holds the two ways to each
// other turns it off.
var directLoading = true

// directLoads counts the packages loaded directly, for that test to know
// the direct way was taken.
var directLoads atomic.Int64

// directInstance is the instance cue/load would build for a package of
// entries, built without cue/load; nil when the package needs something
// only cue/load does. cue/load reads the module file by evaluating it
// against CUE's module schema and resolves imports through the module
// system: for one host that is a sixth of a vet. A package in a plain
// module (see plainModule) whose files parse, import only the schema and
// the standard library and have no file attributes needs none of that: its
// files and the embedded schema are parsed as cue/load parses them (with
// comments, in the module's language version, under the same file names)
// and put together here. Anything else goes to cue/load, which says what
// is wrong in its own words.
//
// files are the package's files to load, in the order cue/load takes them.
// TestDirectInstanceMatchesLoader holds the result to cue/load's on every
// package of the test scripts.
//
// The schema source is returned too: the schema is imported lean when the
// package will be evaluated in chunks (see makeLean), and the other one
// can be made from it.
func (l *Loader) directInstance(absDir, pkgName string, files []source) (*build.Instance, *schemaSource) {
	if !directLoading {
		return nil, nil
	}
	mod, ok := l.plainModule(absDir)
	if !ok {
		return nil, nil
	}
	cfg := sourceConfig(mod.version)
	// Parsed over the cores: parsing is most of putting a large package
	// together, before any host is evaluated (1000 hosts in 100 files:
	// 70 ms of CPU).
	parsed := make([]*ast.File, len(files))
	plain := make([]bool, len(files))
	parallel(len(files), func(i int) {
		// The scans of this Load parsed the changed files already.
		f, err := l.scanCache.parse(files[i].name, files[i].data, mod.version)
		parsed[i], plain[i] = f, err == nil && plainFile(f, pkgName)
	})
	if slices.Contains(plain, false) {
		return nil, nil
	}
	// The schema as the package's evaluation will mostly want it: lean
	// for one evaluated in chunks (EachLean), full for one evaluated
	// whole; the other is parsed only if needed.
	_, chunked := inChunks(parsed)
	src := schemaSource{files: l.files, cfg: cfg, dir: mod.schemaDir, lean: chunked, version: mod.version, cache: l.schemaCache}
	inst, schemaErr := importingSchema(build.NewContext(), absDir, src)
	inst.PkgName = pkgName
	for _, f := range parsed {
		if inst.AddSyntax(f) != nil {
			return nil, nil
		}
	}
	if inst.Complete() != nil || schemaErr() != nil {
		return nil, nil
	}
	directLoads.Add(1)
	return inst, &src
}

// source is a file to load: its absolute name and its text.
type source struct {
	name string
	data []byte
}

// loadOrder is the files cue/load takes for args (the package directory,
// ".", or some of its files, patternFile last): the directory's by name,
// the files in the order given.
func loadOrder(args []string, sources map[string][]byte, patternFile string, pattern []byte) []source {
	var names []string
	if len(args) == 1 && args[0] == "." {
		names = append(slices.Collect(maps.Keys(sources)), patternFile)
		slices.Sort(names)
	} else {
		names = args
	}
	out := make([]source, len(names))
	for i, n := range names {
		data := sources[n]
		if n == patternFile {
			data = pattern
		}
		out[i] = source{n, data}
	}
	return out
}

// plainFile reports whether f is a file of package pkgName that cue/load
// would take as it is: no file attribute (@if, @extern, @experiment) and
// no import but the schema and the standard library.
func plainFile(f *ast.File, pkgName string) bool {
	if f.PackageName() != pkgName {
		return false
	}
	for _, d := range f.Decls {
		if _, ok := d.(*ast.Attribute); ok {
			return false
		}
	}
	for spec := range f.ImportSpecs() {
		path, err := literal.Unquote(spec.Path.Value)
		if err != nil || path != schema.ImportPath && !stdlib[path] {
			return false
		}
	}
	return true
}

// stdlib is the standard library packages a directly loaded file may
// import; files importing others go through cue/load, which knows them all.
var stdlib = map[string]bool{
	"crypto/sha256": true, "encoding/base64": true, "encoding/hex": true,
	"encoding/json": true, "encoding/yaml": true, "list": true, "math": true,
	"net": true, "path": true, "regexp": true, "strconv": true, "strings": true,
	"struct": true, "time": true,
}

// schemaSource is how the schema files are made a package the entries
// import: each file parsed with cfg and named dir/NAME (config serves them
// to cue/load under those names), lean or not (see makeLean).
type schemaSource struct {
	files map[string][]byte
	cfg   parser.Config
	dir   string
	lean  bool
	// version is the language version cfg parses in (the key of cache).
	version string
	// cache, when set, keeps the instances made from these files.
	cache *SchemaCache
}

// SchemaCache keeps one schema parsed, as the complete build instances the
// entries' packages import, for a process that checks against it again and
// again (the language server): a check then pays for its package, not for
// parsing the schema. Sharing a complete instance is safe: the chunks of
// one package already share theirs (see schemaInstance).
type SchemaCache struct {
	mu    sync.Mutex
	insts map[schemaKey]*build.Instance
}

// schemaKey is what a schema instance depends on beyond its files.
type schemaKey struct {
	dir, version string
	lean         bool
}

// NewSchemaCache returns an empty cache for one schema's files.
func NewSchemaCache() *SchemaCache { return &SchemaCache{insts: map[schemaKey]*build.Instance{}} }

// SetSchemaCache makes the loader take the schema's instances from c, and
// keep them there: c must be used with one schema (one release) only.
func (l *Loader) SetSchemaCache(c *SchemaCache) { l.schemaCache = c }

// schemaInstance is the schema of src as a package of ctx, or, with a
// cache, as the cache keeps it.
func schemaInstance(ctx *build.Context, src schemaSource) (*build.Instance, error) {
	if src.cache == nil || src.version == "" {
		return parseSchema(ctx, src)
	}
	key := schemaKey{dir: src.dir, version: src.version, lean: src.lean}
	src.cache.mu.Lock()
	defer src.cache.mu.Unlock()
	if inst, ok := src.cache.insts[key]; ok {
		return inst, nil
	}
	inst, err := parseSchema(build.NewContext(), src)
	if err != nil {
		return nil, err
	}
	src.cache.insts[key] = inst
	return inst, nil
}

// parseSchema parses the schema of src as a package of ctx.
func parseSchema(ctx *build.Context, src schemaSource) (*build.Instance, error) {
	inst := ctx.NewInstance(src.dir, nil)
	inst.ImportPath = schema.ImportPath
	for _, name := range slices.Sorted(maps.Keys(src.files)) {
		if !strings.HasSuffix(name, ".cue") {
			continue
		}
		f, err := parser.ParseFile(filepath.Join(src.dir, name), src.files[name], src.cfg)
		if err == nil {
			if src.lean {
				makeLean(f)
			}
			err = inst.AddSyntax(f)
		}
		if err != nil {
			return nil, err
		}
	}
	// Completed here, once: chunks evaluated at the same time share the
	// instance, and CUE completes an import it finds incomplete in place
	// (resolving identifiers in its syntax), which would race.
	if err := inst.Complete(); err != nil {
		return nil, err
	}
	return inst, nil
}

// variant is the schema of src, lean or not, whichever src is.
func (src schemaSource) variant(ctx *build.Context, lean bool) (*build.Instance, error) {
	src.lean = lean
	return schemaInstance(ctx, src)
}

// importingSchema is a new instance in ctx, for dir, whose import of the
// schema is served by schemaInstance (parsed once, when first imported);
// schemaErr says whether that went wrong.
func importingSchema(ctx *build.Context, dir string, src schemaSource) (inst *build.Instance, schemaErr func() error) {
	var schemaInst *build.Instance
	var err error
	inst = ctx.NewInstance(dir, func(_ token.Pos, path string) *build.Instance {
		if path != schema.ImportPath {
			return nil // the standard library: the runtime has it
		}
		if schemaInst == nil && err == nil {
			schemaInst, err = schemaInstance(ctx, src)
		}
		return schemaInst
	})
	return inst, func() error { return err }
}

// directModule is what directInstance needs of the module around a
// package: the directory the schema is served in, and the language version
// the files are parsed in.
type directModule struct {
	schemaDir, version string
}

// plainModule is the module around absDir, when cue/load would find in it
// nothing but the package's own files and the schema config serves:
//   - no module at all (config makes one at absDir), or a module file that
//     plainModuleFile accepts;
//   - not axc's own repository, whose schema is a package on disk;
//   - no .cue files in cue.mod/usr or cue.mod/gen for the schema, and none
//     in the vendored copy that the embedded schema lacks (cue/load would
//     add them to the schema);
//   - no .cue files in the directories between the module root and the
//     package (cue/load would add those of the same package to it).
func (l *Loader) plainModule(absDir string) (directModule, bool) {
	root := findModuleRoot(absDir)
	if root == "" {
		return directModule{schemaDir: filepath.Join(absDir, "cue.mod", "pkg", filepath.FromSlash(schema.ImportPath)), version: schemaLanguage}, true
	}
	data, err := readModuleFile(l.disk, root)
	if err != nil || data == nil || !plainModuleFile(data) {
		return directModule{}, false
	}
	mod := directModule{schemaDir: filepath.Join(root, "cue.mod", "pkg", filepath.FromSlash(schema.ImportPath)), version: schemaLanguage}
	for _, sub := range []string{"pkg", "usr", "gen"} {
		entries, err := l.disk.ReadDir(filepath.Join(root, "cue.mod", sub, filepath.FromSlash(schema.ImportPath)))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return directModule{}, false
		}
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".cue") && (sub != "pkg" || l.files[e.Name()] == nil) {
				return directModule{}, false
			}
		}
	}
	for d := absDir; d != root; {
		d = filepath.Dir(d)
		if len(d) < len(root) {
			return directModule{}, false // absDir is not under root
		}
		entries, err := l.disk.ReadDir(d)
		if err != nil {
			return directModule{}, false
		}
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".cue") {
				return directModule{}, false
			}
		}
	}
	return mod, true
}

// plainModuleFile reports whether a module.cue is one cue/load accepts and
// that says nothing but the module's path and a language version that
// config raises to the schema's (or that is the schema's): the two fields
// `cue mod init` writes. Dependencies, sources, newer versions and anything
// else are cue/load's to read.
func plainModuleFile(data []byte) bool {
	f, err := parser.ParseFile("module.cue", data)
	if err != nil {
		return false
	}
	var module, language bool
	for _, d := range f.Decls {
		field, ok := d.(*ast.Field)
		if !ok || field.Constraint != token.ILLEGAL {
			return false
		}
		name, _, _ := ast.LabelName(field.Label)
		switch name {
		case "module":
			s, ok := stringLit(field.Value)
			module = ok && modulePath.MatchString(s)
		case "language":
			language = plainLanguage(field.Value)
		default:
			return false
		}
	}
	return module && language
}

// modulePath is a module path cue/load takes: a domain, a path, a major
// version.
var modulePath = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)+(/[a-z0-9]+([._-][a-z0-9]+)*)*@v[0-9]+$`)

// plainLanguage reports whether v is {version: "v0.N.P"} with a version
// config raises to the schema's, or the schema's own.
func plainLanguage(v ast.Expr) bool {
	st, ok := v.(*ast.StructLit)
	if !ok || len(st.Elts) != 1 {
		return false
	}
	field, ok := st.Elts[0].(*ast.Field)
	if !ok {
		return false
	}
	if name, _, _ := ast.LabelName(field.Label); name != "version" {
		return false
	}
	s, ok := stringLit(field.Value)
	if !ok {
		return false
	}
	m := plainVersion.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	minor, err := strconv.Atoi(m[1])
	return err == nil && (minor >= 9 && minor < 17 || s == schemaLanguage)
}

var plainVersion = regexp.MustCompile(`^v0\.([0-9]+)\.[0-9]+$`)

// stringLit is the value of a simple string literal.
func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING || strings.HasPrefix(lit.Value, "#") || strings.HasPrefix(lit.Value, `"""`) {
		return "", false
	}
	s, err := literal.Unquote(lit.Value)
	return s, err == nil
}
