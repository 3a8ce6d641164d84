package cmd

import (
	"cmp"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"cuelang.org/go/cue"
	"github.com/spf13/cobra"

	"github.com/axc-dev/axc/internal/compile"
	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/release"
	"github.com/axc-dev/axc/internal/safeio"
	"github.com/axc-dev/axc/internal/termtext"
	"github.com/axc-dev/axc/internal/vet"
	"github.com/axc-dev/axc/schema"
)

// loadEntries reads the hosts or users at paths, and those r reaches,
// against the schema fsys; unreadable input is a usage error.
func loadEntries(paths []string, fsys fs.FS, k *load.Kind, r []load.Reach) (*load.Loader, *load.Result, error) {
	l, err := load.NewWithSchema(fsys)
	if err != nil {
		return nil, nil, &exitError{code: exitUsage, records: prefixed("schema: ", err)}
	}
	l.SetKind(k)
	l.SetReach(r)
	res, err := l.Load(paths)
	if err != nil {
		// Unreadable input (load.InputErrors) and anything else that stops
		// loading are usage or I/O errors.
		return nil, nil, exitErr(exitUsage, err)
	}
	return l, res, nil
}

// checked is the schema a run checks against: an axios release, or a
// schema directory (--schema).
type checked struct {
	fsys    fs.FS
	release *release.Release // nil with --schema
	table   *release.Table   // every release (nil with --schema)
	name    string           // what the summary says: "axios 96990f9"
	warning string
	// approx: the lock pins a commit whose stand-in is checked; vet and
	// build make it a finding at the lock (the others print warning).
	approx *release.Approximation
}

// warn prints the choice's warning, if any (a lock pinning a rev axc does
// not know), to the command's stderr.
func (c *checked) warn(cmd *cobra.Command) {
	if c.warning != "" {
		termtext.Printf(cmd.ErrOrStderr(), "axc: warning: %s", c.warning)
	}
}

// chooseSchema picks the schema: --schema DIR; else the release --axios
// names; else the one the flake.lock beside or above the first input pins;
// else the newest release.
func chooseSchema(cmd *cobra.Command, paths []string) (*checked, error) {
	if dir, _ := cmd.Flags().GetString("schema"); dir != "" {
		return &checked{fsys: safeio.DirFS(dir, load.MaxFileSize), name: "schema " + dir}, nil
	}
	table, err := release.Builtin()
	if err != nil {
		return nil, err
	}
	opts := release.Options{}
	opts.Flag, _ = cmd.Flags().GetString("axios")
	if opts.Flag == "" {
		if len(paths) == 0 {
			paths = defaultHostPaths()
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
		return nil, usageErrorf("%v", err)
	}
	fsys, err := schema.Release(choice.Release.Tag)
	if err != nil {
		return nil, fmt.Errorf("internal error: %v", err) // tested: every release has its schema
	}
	r := choice.Release
	return &checked{fsys: fsys, release: &r, table: table, name: r.Namespace + " " + r.Tag, warning: choice.Warning, approx: choice.Approx}, nil
}

// compiled is what the hosts and users compile to: file contents by path
// relative to the output directory, the hosts of the flake in order, and
// the schema they were checked against.
type compiled struct {
	files   map[string][]byte
	hosts   []compile.FlakeHost
	users   int // how many users were checked
	checked *checked
	args    []string // the host files' arguments
	approx  *vet.Approximation
	sources []string // the paths read: hosts, then users
}

// vetAndCompile loads the hosts and users at paths, vets them and compiles
// them for outDir, in one pass each: vet and build check exactly the same
// things. The files are complete only when the diagnostics hold no error.
// With outDir empty, hosts are only checked: nothing is printed.
//
// vet passes rc, what its files reach beyond themselves (the staged change
// adds to it); build, which writes what it is given, passes nil.
func vetAndCompile(cmd *cobra.Command, paths []string, outDir string, rc *reach) (*compiled, []vet.Diagnostic, error) {
	var in inputs
	var hostReach, userReach []load.Reach
	if rc != nil && len(paths) == 0 && !rc.empty() {
		// Only what the staged change removed: its packages' entries
		// that it reaches, with every user (to know them).
		in = reachInputs(rc)
	} else {
		in = splitInputs(paths)
	}
	if rc != nil {
		hostReach = append(append(hostReach, rc.hosts...), namedUsersReach(in.users)...)
		userReach = rc.users
	}
	if len(in.hosts) == 0 && outDir != "" {
		// The flake is the hosts': built from users alone it would drop
		// every host.
		return nil, nil, usageErrorf("build writes the hosts and their users together: name the hosts too (or no PATH, for ./hosts and ./users)")
	}
	first := in.hosts
	if len(first) == 0 {
		first = in.users
	}
	if len(first) == 0 && len(hostReach) > 0 {
		first = []string{hostReach[0].Dir}
	}
	chk0, err := chooseSchema(cmd, first)
	if err != nil {
		return nil, nil, err
	}
	if chk0.approx == nil {
		chk0.warn(cmd) // what is a finding is said as one, below
	}
	contract, err := schema.ReadContract(chk0.fsys)
	if err != nil {
		return nil, nil, &exitError{code: exitUsage, records: prefixed("schema: ", err)}
	}
	if contract.User == nil {
		in.users = nil // a schema without #User (--schema): no users
	}
	var l *load.Loader
	var res *load.Result
	if len(in.hosts) > 0 || len(hostReach) > 0 {
		if l, res, err = loadEntries(in.hosts, chk0.fsys, load.Hosts, hostReach); err != nil {
			return nil, nil, err
		}
	}
	var ul *load.Loader
	var ures *load.Result
	if len(in.users) > 0 {
		if ul, ures, err = loadEntries(in.users, chk0.fsys, load.Users, userReach); err != nil {
			return nil, nil, err
		}
	}
	// vet checks for the directory build writes by default: the top of
	// the hosts' repository.
	comp, err := compile.New(cmp.Or(outDir, in.root, "."), chk0.fsys)
	if err != nil {
		return nil, nil, ioError(err)
	}
	comp.CheckOnly = outDir == ""
	out := &compiled{files: map[string][]byte{}, checked: chk0, args: comp.FileArgs(), sources: append(append([]string{}, in.hosts...), in.users...)}

	var chk, uchk *vet.Checker
	var refs []vet.UserRef
	if res != nil {
		// One pass over the hosts, while each is evaluated: vet it, and
		// compile the hosts without error (their problems are findings too).
		data := make([][]byte, len(res.Hosts))
		refs = make([]vet.UserRef, len(res.Hosts))
		chk = vet.NewChecker(l, res)
		if chk0.release != nil {
			// Unknown names that another release has say so.
			chk.Release, chk.Releases = chk0.release.Tag, chk0.table
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
			data[i], _ = compileOne(chk, i, comp.Host, h, v, sourceName(outDir, h.Pos.Filename()))
			return true
		})
		for i, h := range res.Hosts {
			out.files[compile.HostFile(h.Name)] = data[i]
			fh := compile.FlakeHost{Name: h.Name}
			if len(refs[i].Names) > 0 {
				fh.ConfigDir = contract.Users.ConfigDir
			}
			out.hosts = append(out.hosts, fh)
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
			data[i], _ = compileOne(uchk, i, comp.User, u, v, sourceName(outDir, u.Pos.Filename()))
			return true
		})
		for i, u := range ures.Hosts {
			out.files[compile.UserFile(u.Name)] = data[i]
		}
		out.users = len(ures.Hosts)
	}
	if chk != nil {
		// A package that does not load whole (a syntax error) may hide
		// hosts or users: saying that a user is on no host, or that a
		// name is no user, would only repeat that error.
		uc := vet.UserCheck{Contract: contract, Users: ures, Checker: uchk, AllHosts: in.allHosts && res.Errors == nil}
		if ures != nil && ures.Errors != nil {
			uc.Unseen = true
		}
		if chk0.release != nil {
			uc.Release = chk0.release.Tag
		}
		if len(in.users) > 0 {
			uc.UsersDir = in.users[0]
		}
		// Some user files named: the others of their package exist too.
		seen := map[string]bool{}
		for _, p := range in.users {
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
	if chk0.approx != nil {
		// The release checked is a stand-in: a warning (--strict fails
		// on it), at the rev the lock pins.
		var d vet.Diagnostic
		out.approx, d = vet.ApproximationOf(chk0.approx)
		ds = append(ds, d)
	}
	return out, vet.Sorted(ds), nil
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
