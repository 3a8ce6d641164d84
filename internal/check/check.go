// Package check is axc's one pipeline from input paths to findings and Nix
// files: it chooses the schema (release) a run checks against, loads the
// hosts and users the paths name and what a change of them reaches, vets
// them and compiles them, in one pass each. vet and build on the command
// line and the language server (axc lsp) on an editor's unsaved texts are
// front-ends of it: they see exactly the same findings.
package check

import (
	"cmp"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"cuelang.org/go/cue"

	"github.com/axc-dev/axc/internal/compile"
	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/release"
	"github.com/axc-dev/axc/internal/safeio"
	"github.com/axc-dev/axc/internal/vet"
	"github.com/axc-dev/axc/schema"
)

// Options are how a front-end runs the pipeline.
type Options struct {
	// SchemaDir is a schema directory to check against instead of a
	// release (--schema, for schema development).
	SchemaDir string
	// Axios is the release tag or commit to check against instead of the
	// one flake.lock pins (--axios).
	Axios string
	// Files is where hosts and users are read: nil for the disk; the
	// language server gives the disk under the editor's unsaved texts.
	Files safeio.Files
	// Warn, when set, is told the schema choice's warning (a lock pinning
	// a rev axc does not know) before anything is loaded.
	Warn func(msg string)
	// Render: print each host's file as build would write it in the
	// default output directory even when only checking (vet --nix has
	// Nix evaluate it): Compiled.Files holds it.
	Render bool
	// Cache, when set, keeps what runs share (each release's schema,
	// parsed) for the next run: for a long-lived process.
	Cache *Cache
	// Memo, when set, keeps what a check (no outDir) found of each host
	// for the next check of the same hosts: hosts unchanged since are not
	// evaluated again. For a long-lived process, one per set of hosts
	// checked again and again (an open document).
	Memo *Memo
	// Store, when set and Memo is not, keeps what a check (no outDir,
	// no Render) found of each host on disk for the next process's check
	// of the same hosts (MemoStore).
	Store *MemoStore

	// noGuess: the hosts are loaded without guessing that their packages
	// build (load.Loader.SetGuess), after a guess was wrong.
	noGuess bool
}

// Cache keeps what does not change between the runs of a long-lived
// process (the language server): each schema's parsed instances, so that a
// run pays for loading and evaluating its entries alone.
type Cache struct {
	mu      sync.Mutex
	schemas map[string]*load.SchemaCache // by Schema.Name
	// scans keeps the scans of the files of the packages loaded.
	scans *load.ScanCache
	// table is the built-in release table, parsed once (a seventh of a
	// language server's check of one file of a large package).
	table *release.Table
	// disk keeps the files around the entries (the module file, the
	// vendored schema) while unchanged (safeio.CachingDisk): a check
	// stats them rather than reading them.
	disk safeio.Files
}

// builtin is the built-in release table: c's, parsed on first use (a
// nil c parses it each time).
func (c *Cache) builtin() (*release.Table, error) {
	if c == nil {
		return release.Builtin()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.table == nil {
		t, err := release.Builtin()
		if err != nil {
			return nil, err
		}
		c.table = t
	}
	return c.table, nil
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{schemas: map[string]*load.SchemaCache{}, scans: load.NewScanCache(), disk: safeio.CachingDisk()}
}

// scanCache is c's scans of files (nil for a nil c).
func (c *Cache) scanCache() *load.ScanCache {
	if c == nil {
		return nil
	}
	return c.scans
}

// around is where the files around the entries are read: c's caching
// disk (safeio.Disk for a nil c).
func (c *Cache) around() safeio.Files {
	if c == nil {
		return safeio.Disk
	}
	return c.disk
}

// schema is the cache of the schema named name; nil for a nil c, and for
// a schema directory (--schema), whose files may change between runs.
func (c *Cache) schema(chk *Schema) *load.SchemaCache {
	if c == nil || chk.Release == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	sc := c.schemas[chk.Name]
	if sc == nil {
		sc = load.NewSchemaCache()
		c.schemas[chk.Name] = sc
	}
	return sc
}

func (o *Options) files() safeio.Files {
	if o.Files == nil {
		return safeio.Disk
	}
	return o.Files
}

// Schema is the schema a run checks against: an axios release, or a
// schema directory (Options.SchemaDir).
type Schema struct {
	FS      fs.FS
	Release *release.Release // nil with SchemaDir
	Table   *release.Table   // every release (nil with SchemaDir)
	Name    string           // what the summary says: "axios 96990f9"
	Warning string
	// Approx: the lock pins a commit whose stand-in is checked; vet and
	// build make it a finding at the lock (the other commands print
	// Warning).
	Approx *release.Approximation
	// Lock and Node: the flake.lock read and the key of its node that
	// pins the release ("" when none was read).
	Lock, Node string
}

// UsageError is a choice the run cannot make (an --axios no release
// has): a usage error, not an I/O one.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// ChooseSchema picks the schema: Options.SchemaDir; else the release
// Options.Axios names; else the one the flake.lock beside or above the
// first input pins; else the newest release.
func ChooseSchema(o Options, paths []string) (*Schema, error) {
	if o.SchemaDir != "" {
		return &Schema{FS: safeio.DirFS(o.SchemaDir, load.MaxFileSize), Name: "schema " + o.SchemaDir}, nil
	}
	table, err := o.Cache.builtin()
	if err != nil {
		return nil, err
	}
	opts := release.Options{Flag: o.Axios}
	if opts.Flag == "" {
		if len(paths) == 0 {
			paths = DefaultHostPaths()
		}
		dir := paths[0]
		if info, err := o.files().Stat(dir); err == nil && !info.IsDir() {
			dir = filepath.Dir(dir)
		}
		// An input that cannot be read has no lock to find: loading it
		// says what is wrong with it.
		if lock, _ := release.FindLock(dir); lock != "" {
			opts.LockFile = load.RelPath(lock) // as messages show it
		}
	}
	choice, err := table.Choose(opts)
	if err != nil {
		return nil, &UsageError{Msg: err.Error()}
	}
	return SchemaOf(table, choice)
}

// SchemaOf is the schema of the release choice made from table.
func SchemaOf(table *release.Table, choice release.Choice) (*Schema, error) {
	fsys, err := schema.Release(choice.Release.Tag)
	if err != nil {
		return nil, fmt.Errorf("internal error: %v", err) // tested: every release has its schema
	}
	r := choice.Release
	return &Schema{FS: fsys, Release: &r, Table: table, Name: r.Namespace + " " + r.Tag, Warning: choice.Warning, Approx: choice.Approx, Lock: choice.Lock, Node: choice.Node}, nil
}

// LoadEntries reads the hosts or users at paths, and those r reaches,
// against the schema fsys; unreadable input is an error.
// sc, when set, keeps the schema parsed across runs (Cache).
func LoadEntries(files safeio.Files, sc *load.SchemaCache, paths []string, fsys fs.FS, k *load.Kind, r []load.Reach) (*load.Loader, *load.Result, error) {
	return loadEntries(files, sc, nil, false, nil, paths, fsys, k, r)
}

// loadEntries is LoadEntries keeping the scans of files, and the files
// around the entries, in c (nil: none kept); guess and builds (nil: none)
// are the loader's (load.Loader.SetGuess, SetBuilds).
func loadEntries(files safeio.Files, sc *load.SchemaCache, c *Cache, guess bool, builds load.Builds, paths []string, fsys fs.FS, k *load.Kind, r []load.Reach) (*load.Loader, *load.Result, error) {
	l, err := load.NewWithSchema(fsys)
	if err != nil {
		return nil, nil, Prefixed("schema: ", err)
	}
	if files != nil {
		l.SetFiles(files)
	}
	if sc != nil {
		l.SetSchemaCache(sc)
	}
	l.SetScanCache(c.scanCache())
	l.SetDisk(c.around())
	l.SetGuess(guess)
	if builds != nil {
		l.SetBuilds(builds)
	}
	l.SetKind(k)
	l.SetReach(r)
	res, err := l.Load(paths)
	if err != nil {
		// Unreadable input (load.InputErrors) and anything else that stops
		// loading.
		return nil, nil, err
	}
	return l, res, nil
}

// Compiled is what the hosts and users compile to: file contents by path
// relative to the output directory, the hosts of the flake in order, and
// the schema they were checked against.
type Compiled struct {
	Files  map[string][]byte
	Hosts  []compile.FlakeHost
	Users  int // how many users were checked
	Schema *Schema
	// Args are the host files' arguments.
	Args []string
	// Sources are the paths read: hosts, then users.
	Sources []string
	// Approx: the release checked is a stand-in for the commit the lock
	// pins (also a finding among the diagnostics), for --format json.
	Approx *vet.Approximation
	// Entries are the hosts loaded, in order; OutDir is the directory
	// the files are for (the default output directory when checking).
	Entries []*load.Host
	OutDir  string
}

// Run loads the hosts and users at paths, vets them and compiles them for
// outDir, in one pass each: vet and build check exactly the same things.
// The files are complete only when the diagnostics hold no error. With
// outDir empty, hosts are only checked.
//
// vet passes rc, what its files reach beyond themselves (the staged change
// adds to it); build, which writes what it is given, passes nil.
//
// Every error is the run's failing to check (unreadable input, an unknown
// release, a broken schema): exit 2 on the command line. Its records are
// those of Records.
func Run(o Options, paths []string, outDir string, rc *Reach) (*Compiled, []vet.Diagnostic, error) {
	files := o.files()
	var in Inputs
	var hostReach, userReach []load.Reach
	if rc != nil && len(paths) == 0 && !rc.Empty() {
		// Only what the staged change removed: its packages' entries
		// that it reaches, with every user (to know them).
		in = reachInputs(files, rc)
	} else {
		in = SplitInputs(files, paths)
	}
	if rc != nil {
		hostReach = append(append(hostReach, rc.Hosts...), namedUsersReach(files, in.Users)...)
		userReach = rc.Users
	}
	if len(in.Hosts) == 0 && outDir != "" {
		// The flake is the hosts': built from users alone it would drop
		// every host.
		return nil, nil, &UsageError{Msg: "build writes the hosts and their users together: name the hosts too (or no PATH, for ./hosts and ./users)"}
	}
	first := in.Hosts
	if len(first) == 0 {
		first = in.Users
	}
	if len(first) == 0 && len(hostReach) > 0 {
		first = []string{hostReach[0].Dir}
	}
	chk0, err := ChooseSchema(o, first)
	if err != nil {
		return nil, nil, err
	}
	if chk0.Warning != "" && o.Warn != nil && chk0.Approx == nil { // an approximation is a finding, below
		o.Warn(chk0.Warning)
	}
	contract, err := schema.ReadContract(chk0.FS)
	if err != nil {
		return nil, nil, Prefixed("schema: ", err)
	}
	if contract.User == nil {
		in.Users = nil // a schema without #User (--schema): no users
	}
	// vet checks for the directory build writes by default: the top of
	// the hosts' repository.
	comp, err := compile.New(cmp.Or(outDir, in.Root, "."), chk0.FS)
	if err != nil {
		return nil, nil, err
	}
	comp.CheckOnly = outDir == ""
	comp.Render = o.Render
	// What SourceName names the hosts' files from, absolute once rather
	// than once a host (each asks the system for the working directory).
	sourceDir, err := filepath.Abs(outDir)
	if err != nil {
		sourceDir = outDir
	}
	// What an earlier check found of each host, as a long-lived process
	// keeps it (Options.Memo) or on disk (Options.Store); not for build,
	// which writes every host, nor for a schema directory, which may
	// change between checks.
	memo := o.Memo
	run := chk0.Name + "\x00" + comp.OutDir + "\x00" + comp.Repo + "\x00" + strconv.FormatBool(o.Render)
	if memo == nil && o.Store != nil && !o.Render {
		// Render: every host's file is wanted (Nix evaluates them).
		run = storeRun(run)
		memo = o.Store.open(run)
	}
	if outDir != "" || chk0.Release == nil {
		memo = nil
	}
	var builds load.Builds
	if memo != nil && memo.store != nil {
		builds = memo
	}
	var l *load.Loader
	var res *load.Result
	if len(in.Hosts) > 0 || len(hostReach) > 0 {
		// In a long-lived process (the language server), the hosts'
		// packages are taken to build while the changed hosts are
		// evaluated: the check of it runs beside the evaluation, not
		// before it.
		guess := o.Cache != nil && outDir == "" && !o.noGuess
		if l, res, err = loadEntries(files, o.Cache.schema(chk0), o.Cache, guess, builds, in.Hosts, chk0.FS, load.Hosts, hostReach); err != nil {
			return nil, nil, err
		}
	}
	var ul *load.Loader
	var ures *load.Result
	if len(in.Users) > 0 {
		if ul, ures, err = loadEntries(files, o.Cache.schema(chk0), o.Cache, false, nil, in.Users, chk0.FS, load.Users, userReach); err != nil {
			return nil, nil, err
		}
	}
	out := &Compiled{Files: map[string][]byte{}, Schema: chk0, Args: comp.FileArgs(), Sources: append(append([]string{}, in.Hosts...), in.Users...), OutDir: comp.OutDir}

	var chk, uchk *vet.Checker
	var refs []vet.UserRef
	if res != nil {
		// One pass over the hosts, while each is evaluated: vet it, and
		// compile the hosts without error (their problems are findings too).
		data := make([][]byte, len(res.Hosts))
		refs = make([]vet.UserRef, len(res.Hosts))
		chk = vet.NewChecker(l, res)
		if chk0.Release != nil {
			// Unknown names that another release has say so.
			chk.Release, chk.Releases = chk0.Release.Tag, chk0.Table
		}
		var skip []bool
		var reads *diskReads
		if memo != nil {
			skip = make([]bool, len(res.Hosts))
			reads = &diskReads{}
			comp.Reads = reads.add
			disk := &diskStates{}
			for i, h := range res.Hosts {
				if k, ok := memo.use(run, h, disk); ok {
					skip[i], refs[i] = true, k.refs
					chk.Restore(i, k.found)
				}
			}
		}
		// A host with errors is seen again with the full schema's messages
		// (EachLean).
		evaluated := guarded(res, func() {
			res.EachLeanSkipping(skip, func(i int, h *load.Host, v cue.Value) bool {
				refs[i] = vet.HostUserRef(v, contract)
				if !chk.Host(i, h, v) {
					// Not compiled: what compiling would find that CUE
					// cannot is looked for on its own, so that every
					// problem is said.
					addProblems(chk, i, comp.DottedKeys(h, v, false))
					return false
				}
				data[i], _ = compileOne(chk, i, comp.Host, h, v, SourceName(sourceDir, h.Pos.Filename()))
				return true
			})
		})
		if !evaluated || !res.Confirmed() {
			// A package taken to build does not: what was found of its
			// hosts is not what vet finds. Checked again, without the
			// guess, before the memo keeps any of it.
			o.noGuess, o.Warn = true, nil // the warning was given
			return Run(o, paths, outDir, rc)
		}
		out.Entries = res.Hosts
		for i, h := range res.Hosts {
			out.Files[compile.HostFile(h.Name)] = data[i]
			fh := compile.FlakeHost{Name: h.Name}
			if len(refs[i].Names) > 0 {
				fh.ConfigDir = contract.Users.ConfigDir
			}
			out.Hosts = append(out.Hosts, fh)
		}
		if memo != nil {
			// Kept in the author's terms: a host taken from the memo
			// next time needs no suggestions worked out again.
			chk.Explain()
			memo.keep(run, res, chk, refs, skip, reads)
			if memo.store != nil {
				memo.store.save(memo)
			}
		}
	}
	if ures != nil {
		data := make([][]byte, len(ures.Hosts))
		uchk = vet.NewChecker(ul, ures)
		ures.EachLean(func(i int, u *load.Host, v cue.Value) bool {
			if !uchk.Host(i, u, v) {
				addProblems(uchk, i, comp.DottedKeys(u, v, true))
				return false
			}
			data[i], _ = compileOne(uchk, i, comp.User, u, v, SourceName(sourceDir, u.Pos.Filename()))
			return true
		})
		for i, u := range ures.Hosts {
			out.Files[compile.UserFile(u.Name)] = data[i]
		}
		out.Users = len(ures.Hosts)
	}
	if chk != nil {
		// A package that does not load whole (a syntax error) may hide
		// hosts or users: saying that a user is on no host, or that a
		// name is no user, would only repeat that error.
		uc := vet.UserCheck{Contract: contract, Users: ures, Checker: uchk, AllHosts: in.AllHosts && res.Errors == nil}
		if ures != nil && ures.Errors != nil {
			uc.Unseen = true
		}
		if chk0.Release != nil {
			uc.Release = chk0.Release.Tag
		}
		if len(in.Users) > 0 {
			uc.UsersDir = in.Users[0]
		}
		// Some user files named: the others of their package exist too.
		seen := map[string]bool{}
		for _, p := range in.Users {
			if info, err := files.Stat(p); err != nil || info.IsDir() || seen[filepath.Dir(p)] {
				continue
			}
			seen[filepath.Dir(p)] = true
			uc.UsersDir = filepath.Dir(p)
			names, complete, err := load.DeclaredNames(files, filepath.Dir(p))
			uc.Declared = append(uc.Declared, names...)
			uc.Unseen = uc.Unseen || err != nil || !complete
		}
		chk.CheckUsers(refs, uc)
	}
	var ds []vet.Diagnostic
	if chk != nil {
		ds = append(ds, chk.Diagnostics()...)
	}
	if uchk != nil {
		ds = append(ds, uchk.Diagnostics()...)
	}
	if chk0.Approx != nil {
		// The release checked is a stand-in: a warning (--strict fails
		// on it), at the rev the lock pins.
		var d vet.Diagnostic
		out.Approx, d = vet.ApproximationOf(chk0.Approx)
		ds = append(ds, d)
	}
	return out, vet.Sorted(ds), nil
}

// guarded runs the evaluation of res's hosts, eval: it reports false when
// eval panicked on a package its loader wrongly took to build
// (load.Loader.SetGuess), whose evaluation is thrown away; any other panic
// goes on.
func guarded(res *load.Result, eval func()) (ok bool) {
	defer func() {
		if p := recover(); p != nil {
			if res.Confirmed() {
				panic(p)
			}
			ok = false
		}
	}()
	eval()
	return true
}

// compileOne compiles one entry (host or user) that vetted clean; its
// problems become findings of chk.
func compileOne(chk *vet.Checker, i int, fn func(*load.Host, cue.Value, string) ([]byte, []compile.Problem, error), h *load.Host, v cue.Value, source string) ([]byte, bool) {
	out, problems, err := fn(h, v, source)
	if err != nil {
		// A bug (the printer refused a value compile made): say so at
		// the entry rather than write a broken file.
		chk.Add(i, vet.Problem{Msg: "internal error: " + err.Error()})
		return nil, false
	}
	addProblems(chk, i, problems)
	for _, p := range problems {
		if !p.Warning {
			return out, false
		}
	}
	return out, true
}

// addProblems makes compile's problems of entry i findings of chk.
func addProblems(chk *vet.Checker, i int, problems []compile.Problem) {
	for _, p := range problems {
		chk.Add(i, vet.Problem{Path: p.Path, Msg: p.Msg, Warning: p.Warning, Label: p.Label})
	}
}

// Records are the records of err: one for each error it joins (an
// Unwrap() []error, as load.InputErrors), else err's message, whole. A
// message is never split at its newlines: a newline in it is a name's.
func Records(err error) []string {
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		var out []string
		for _, e := range joined.Unwrap() {
			out = append(out, Records(e)...)
		}
		return out
	}
	return []string{err.Error()}
}

// Prefixed is err with each of its records after prefix ("schema: ").
func Prefixed(prefix string, err error) error {
	var errs joined
	for _, r := range Records(err) {
		errs = append(errs, fmt.Errorf("%s%s", prefix, r))
	}
	return errs
}

// joined is errors, each a record of its own.
type joined []error

func (j joined) Unwrap() []error { return j }

func (j joined) Error() string {
	s := ""
	for i, e := range j {
		if i > 0 {
			s += "\n"
		}
		s += e.Error()
	}
	return s
}

// SourceName names a host's file relative to the output directory, so that
// the header of the file compiled from it does not depend on where axc
// ran. Given an absolute outDir, it does not ask the system for the
// working directory.
func SourceName(outDir, f string) string {
	abs, err := filepath.Abs(outDir)
	if err == nil {
		if r, err := filepath.Rel(abs, f); err == nil {
			return filepath.ToSlash(r)
		}
	}
	return filepath.ToSlash(f)
}

// SourceList names the inputs relative to the output directory (the
// default host paths when there are none), as file headers name them.
func SourceList(outDir string, paths []string) string {
	if len(paths) == 0 {
		paths = DefaultHostPaths()
	}
	names := make([]string, len(paths))
	for i, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			abs = p
		}
		names[i] = SourceName(outDir, abs)
	}
	return strings.Join(names, ", ")
}

// Flake is the flake.nix of a run whose hosts are complete (out, with no
// error among its diagnostics), for outDir: its framework input pinned to
// what was checked, the tag or the rev of an untagged commit.
func Flake(out *Compiled, outDir string) ([]byte, error) {
	var in compile.FlakeInput
	if r := out.Schema.Release; r != nil {
		ref := r.Tag
		if r.Untagged {
			ref = r.Rev
		}
		in = compile.FlakeInput{Name: r.Namespace, URL: "github:" + r.Repo + "/" + ref}
	}
	flake, err := compile.Flake(out.Hosts, SourceList(outDir, out.Sources), in, out.Args)
	if err != nil {
		return nil, fmt.Errorf("internal error: flake.nix: %v", err) // names were vetted
	}
	return flake, nil
}
