package pipeline

import (
	"cmp"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"cuelang.org/go/cue"

	"github.com/axc-dev/axc/internal/compile"
	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/release"
	"github.com/axc-dev/axc/internal/vet"
	"github.com/axc-dev/axc/schema"
)

// ErrorKind says what stopped a run, for the caller's exit code and
// wording.
type ErrorKind int

const (
	// Usage: a release that cannot be chosen, input that cannot be read.
	Usage ErrorKind = iota + 1
	// Schema: the schema checked against does not read (--schema DIR).
	Schema
	// IO: the output directory cannot be used.
	IO
)

// Error is an error that stops a run before anything is vetted.
type Error struct {
	Kind ErrorKind
	Err  error
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Checked is the schema a run checks against: an axios release, or a
// schema directory (axc's --schema).
type Checked struct {
	FS      fs.FS
	Release *release.Release // nil for a schema directory
	Table   *release.Table   // every release (nil for a schema directory)
	Name    string           // what the summary says: "axios 96990f9"
	Warning string           // the choice's warning (a lock pinning a rev axc does not know)
}

// Choose picks the release: the one flag (axc's --axios) names; else the
// one the flake.lock beside or above the first of paths pins (the default
// host paths when there are none); else the newest release. An unknown
// flag or a lock that cannot be used is a Usage error.
func Choose(flag string, paths []string) (*Checked, error) {
	table, err := release.Builtin()
	if err != nil {
		return nil, err
	}
	opts := release.Options{Flag: flag}
	if opts.Flag == "" {
		if len(paths) == 0 {
			paths = DefaultHostPaths()
		}
		dir := paths[0]
		if info, err := os.Stat(dir); err == nil && !info.IsDir() {
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
		return nil, &Error{Kind: Usage, Err: err}
	}
	fsys, err := schema.Release(choice.Release.Tag)
	if err != nil {
		return nil, fmt.Errorf("internal error: %v", err) // tested: every release has its schema
	}
	r := choice.Release
	return &Checked{FS: fsys, Release: &r, Table: table, Name: r.Namespace + " " + r.Tag, Warning: choice.Warning}, nil
}

// Config is one run: what to read, what to check it against, and where
// the files are for.
type Config struct {
	Inputs
	// HostReach and UserReach are what a change reaches beyond the files
	// named (axc vet of some files, --staged); nil for a build.
	HostReach, UserReach []load.Reach
	Checked              *Checked
	// OutDir is the directory the files are for (relative paths are
	// rebased to it); "" checks only: the files are not made, and paths
	// are judged for the top of the hosts' repository, build's default.
	OutDir string
}

// Output is what the hosts and users compile to: file contents by path
// relative to the output directory (hosts/NAME.nix, users/NAME.nix), the
// hosts of the flake in order, and how many users were checked.
type Output struct {
	Files map[string][]byte
	Hosts []compile.FlakeHost
	Users int
	Args  []string // the host files' arguments
}

// Run loads the hosts and users of cfg, vets them and compiles them for
// cfg.OutDir, in one pass each: vet and build check exactly the same
// things. The files are complete only when the diagnostics hold no error.
func Run(cfg Config) (*Output, []vet.Diagnostic, error) {
	in := cfg.Inputs
	chk0 := cfg.Checked
	contract, err := schema.ReadContract(chk0.FS)
	if err != nil {
		return nil, nil, &Error{Kind: Schema, Err: err}
	}
	if contract.User == nil {
		in.Users = nil // a schema without #User (--schema): no users
	}
	var l *load.Loader
	var res *load.Result
	if len(in.Hosts) > 0 || len(cfg.HostReach) > 0 {
		if l, res, err = LoadEntries(in.Hosts, chk0.FS, load.Hosts, cfg.HostReach); err != nil {
			return nil, nil, err
		}
	}
	var ul *load.Loader
	var ures *load.Result
	if len(in.Users) > 0 {
		if ul, ures, err = LoadEntries(in.Users, chk0.FS, load.Users, cfg.UserReach); err != nil {
			return nil, nil, err
		}
	}
	outDir := cfg.OutDir
	// vet checks for the directory build writes by default: the top of
	// the hosts' repository.
	comp, err := compile.New(cmp.Or(outDir, in.Root, "."), chk0.FS)
	if err != nil {
		return nil, nil, &Error{Kind: IO, Err: err}
	}
	comp.CheckOnly = outDir == ""
	out := &Output{Files: map[string][]byte{}, Args: comp.FileArgs()}

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
		// A host with errors is seen again with the full schema's messages
		// (EachLean).
		res.EachLean(func(i int, h *load.Host, v cue.Value) bool {
			refs[i] = vet.HostUserRef(v, contract)
			if !chk.Host(i, h, v) {
				// Not compiled: what compiling would find that CUE cannot
				// is looked for on its own, so that every problem is said.
				addProblems(chk, i, comp.DottedKeys(h, v, false))
				return false
			}
			data[i], _ = compileOne(chk, i, comp.Host, h, v, SourceName(outDir, h.Pos.Filename()))
			return true
		})
		for i, h := range res.Hosts {
			out.Files[compile.HostFile(h.Name)] = data[i]
			fh := compile.FlakeHost{Name: h.Name}
			if len(refs[i].Names) > 0 {
				fh.ConfigDir = contract.Users.ConfigDir
			}
			out.Hosts = append(out.Hosts, fh)
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
			data[i], _ = compileOne(uchk, i, comp.User, u, v, SourceName(outDir, u.Pos.Filename()))
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
			if info, err := os.Stat(p); err != nil || info.IsDir() || seen[filepath.Dir(p)] {
				continue
			}
			seen[filepath.Dir(p)] = true
			uc.UsersDir = filepath.Dir(p)
			names, complete, err := load.DeclaredNames(filepath.Dir(p))
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
	return out, vet.Sorted(ds), nil
}

// LoadEntries reads the hosts or users at paths, and those r reaches,
// against the schema fsys; a schema that does not read is a Schema error,
// unreadable input a Usage error.
func LoadEntries(paths []string, fsys fs.FS, k *load.Kind, r []load.Reach) (*load.Loader, *load.Result, error) {
	l, err := load.NewWithSchema(fsys)
	if err != nil {
		return nil, nil, &Error{Kind: Schema, Err: err}
	}
	l.SetKind(k)
	l.SetReach(r)
	res, err := l.Load(paths)
	if err != nil {
		// Unreadable input (load.InputErrors) and anything else that stops
		// loading.
		return nil, nil, &Error{Kind: Usage, Err: err}
	}
	return l, res, nil
}

// Flake is the flake.nix of out's hosts, pinned to the release checked
// (its tag, or the rev of an untagged commit), its header naming the
// sources (SourceList).
func Flake(out *Output, chk *Checked, sources string) ([]byte, error) {
	var in compile.FlakeInput
	if r := chk.Release; r != nil {
		ref := r.Tag
		if r.Untagged {
			ref = r.Rev
		}
		in = compile.FlakeInput{Name: r.Namespace, URL: "github:" + r.Repo + "/" + ref}
	}
	return compile.Flake(out.Hosts, sources, in, out.Args)
}

// SourceName names a host's file relative to the output directory, so
// that the header does not depend on where axc ran.
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
// default host paths when there are none).
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
