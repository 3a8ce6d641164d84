package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	cuecmd "cuelang.org/go/cmd/cue/cmd"
	"cuelang.org/go/cue"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/axc-dev/axc/cmd/axc/cmd"
	"github.com/axc-dev/axc/internal/compile"
	"github.com/axc-dev/axc/internal/jsonschema/yamlls"
	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/nix/nixtest"
	"github.com/axc-dev/axc/schema"
)

// -update rewrites the golden files in testdata/scripts from actual output.
var update = flag.Bool("update", false, "update testscript golden files")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"axc": func() {
			// AXC_TEST_SCHEMA points axc at another schema: the test that
			// the goldens judge the schema uses it.
			args := os.Args[1:]
			if dir := os.Getenv("AXC_TEST_SCHEMA"); dir != "" {
				args = append([]string{"--schema", dir}, args...)
			}
			// AXC_TEST_VERSION and AXC_TEST_REVISION stand for what the
			// linker sets (-X …cmd.Version, …cmd.Revision): the test
			// binary records neither a module version nor a commit.
			cmd.Version = os.Getenv("AXC_TEST_VERSION")
			cmd.Revision = os.Getenv("AXC_TEST_REVISION")
			tuneGC() // as main does: the heap's cap too
			adviseHugePages()
			os.Exit(cmd.Run(args, os.Stdout, os.Stderr))
		},
		// The real cue command, from the module axc depends on.
		"cue": func() { os.Exit(cuecmd.Main()) },
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, scriptParams(filepath.Join("..", "..", "testdata", "scripts"), ""))
}

// scriptParams runs the scripts in dir, against the schema in schemaDir
// when it is not empty.
func scriptParams(dir, schemaDir string) testscript.Params {
	return testscript.Params{
		Dir:                 dir,
		UpdateScripts:       *update && schemaDir == "",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("AXC_REQUIRE_NIX", os.Getenv("AXC_REQUIRE_NIX"))
			env.Setenv("AXC_TEST_SCHEMA", schemaDir)
			// The real cue command keeps a cache and a configuration:
			// each script has its own, as cmd/cue's own tests do.
			env.Setenv("CUE_CACHE_DIR", filepath.Join(env.WorkDir, ".tmp", "cue-cache"))
			env.Setenv("CUE_CONFIG_DIR", filepath.Join(env.WorkDir, ".tmp", "cue-config"))
			// axc's own cache (what vet found of each host, Nix's
			// verdicts) is the script's too, where the user's would be:
			// a script that vets twice takes the second from it.
			env.Setenv("XDG_CACHE_HOME", filepath.Join(env.WorkDir, ".tmp", "cache"))
			// Every script runs in an author's repository whose flake.lock
			// pins axios 96990f9 (the example fleet's lock), the contract
			// the scripts were written for (a script may write its own, or
			// pass --axios).
			lock, err := os.ReadFile(filepath.Join("..", "..", "testdata", "fleet-2025.11", "flake.lock"))
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(env.WorkDir, "flake.lock"), lock, 0o644)
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "nix":
				return nixtest.Available()
			case "root":
				return os.Geteuid() == 0, nil
			case "precommit":
				return preCommitAvailable()
			case "npm":
				// node and npm, to run yaml-language-server (an error
				// under AXC_REQUIRE_NPM=1 when they are absent).
				return yamlls.Available()
			case "nvim":
				return nvimAvailable()
			case "emacs":
				return emacsAvailable()
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"vendorschema":  vendorSchema,
			"nixeq":         nixEqual,
			"nixlock":       nixLock,
			"withoutonpath": withoutOnPath,
			"copyrepo":      copyRepo,
			"copytree":      copyTree,
			"precommithook": preCommitConfig,
			"yamlls":        yamlLanguageServer,
		},
	}
}

// vendorSchema sets up $WORK as a CUE module with the schema vendored under
// cue.mod/pkg, as an author's repository would, so that the real cue
// command can vet host files that import it.
func vendorSchema(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) > 1 {
		ts.Fatalf("usage: vendorschema [TAG]")
	}
	tag := pinnedRelease // what Setup's flake.lock pins
	if len(args) == 1 {
		tag = args[0]
	}
	ts.Check(writeSchema(ts.MkAbs(filepath.Join("cue.mod", "pkg", filepath.FromSlash(schema.ImportPath))), tag))
	mod := ts.MkAbs(filepath.Join("cue.mod", "module.cue"))
	if _, err := os.Stat(mod); os.IsNotExist(err) {
		ts.Check(os.WriteFile(mod, []byte("module: \"example.com/flake@v0\"\nlanguage: version: \"v0.17.0\"\n"), 0o644))
	}
}

// pinnedRelease is the release the scripts and most Go tests are written
// for: the pinned commit.
const pinnedRelease = "96990f9"

// writeSchema writes the schema of release tag into dir, as an author's
// repository vendors it.
func writeSchema(dir, tag string) error {
	fsys, err := schema.Release(tag)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// nixEqual checks, with real Nix, every host built from PATH... into DIR:
// its file parses, and its hostConfig evaluates to what cue export gives
// for the host. Usage: nixeq DIR PATH...
func nixEqual(ts *testscript.TestScript, neg bool, args []string) {
	// -axios TAG: the hosts were built against that release's schema (by
	// default the pinned commit's, which Setup's lock pins).
	tag := pinnedRelease
	if len(args) > 2 && args[0] == "-axios" {
		tag, args = args[1], args[2:]
	}
	fsys, err := schema.Release(tag)
	ts.Check(err)
	if neg || len(args) < 2 {
		ts.Fatalf("usage: nixeq [-axios TAG] DIR PATH...")
	}
	contract, err := schema.ReadContract(fsys)
	ts.Check(err)
	var hostPaths, userPaths []string
	for _, p := range args[1:] {
		if filepath.Base(p) == "users" || filepath.Base(filepath.Dir(p)) == "users" {
			userPaths = append(userPaths, ts.MkAbs(p))
		} else {
			hostPaths = append(hostPaths, ts.MkAbs(p))
		}
	}
	out := ts.MkAbs(args[0])
	ctx := context.Background()
	for _, h := range exportAll(ts, fsys, load.Hosts, hostPaths) {
		file := filepath.Join(out, compile.HostFile(h.name))
		ts.Check(nixtest.ParseFile(ctx, file))
		got, err := nixtest.HostConfig(ctx, file)
		ts.Check(err)
		// Build writes what the author set (and hostname, hardware, the
		// users wiring), not the release's defaults. Two checks keep that
		// honest: every field written evaluates in Nix to what cue export
		// gives for it (and nothing else is written); and the fields left
		// out are defaults: the author's export with only the written
		// fields, checked again against the schema (as a JSON host), gives
		// the whole export back.
		orig := h.export.(map[string]any)
		want := nixtest.DeepCopy(orig).(map[string]any)
		written := map[string]bool{} // top-level fields that stand for the export's
		if u := contract.Users; u.Module != "" {
			// Releases that import one user module by path: users becomes
			// that path, to the user file build wrote.
			if names, ok := want[u.Field].([]any); ok {
				delete(want, u.Field)
				if len(names) == 1 {
					rel, err := filepath.Rel(h.dir, filepath.Join(out, compile.UserFile(names[0].(string))))
					ts.Check(err)
					want[u.Module] = "./" + filepath.ToSlash(rel)
				}
				if _, ok := got.(map[string]any)[u.Module]; ok || len(names) != 1 {
					written[u.Field] = true
				}
			}
		}
		kept := nixtest.KeepWritten(want, got).(map[string]any)
		if diff := nixtest.CompareExport(ctx, kept, got, h.dir, filepath.Dir(file)); diff != "" {
			ts.Fatalf("%s: Nix and cue export differ: %s", h.name, diff)
		}
		for k := range kept {
			written[k] = true
		}
		authored := map[string]any{}
		for k, v := range orig {
			if written[k] {
				authored[k] = nixtest.KeepWritten(v, kept[k])
				if _, ok := kept[k]; !ok {
					authored[k] = v // users, which stands for the module path
				}
			}
		}
		again, err := nixtest.Defaulted(fsys, h.dir, h.name, authored)
		ts.Check(err)
		if !reflect.DeepEqual(again, any(orig)) {
			a, _ := json.Marshal(again)
			o, _ := json.Marshal(orig)
			ts.Fatalf("%s: what build left out is not the schema's defaults:\nwritten fields, defaulted again: %s\ncue export: %s", h.name, a, o)
		}
	}
	uc := contract.User
	for _, u := range exportAll(ts, fsys, load.Users, userPaths) {
		file := filepath.Join(out, compile.UserFile(u.name))
		ts.Check(nixtest.ParseFile(ctx, file))
		got, err := nixtest.UserModule(ctx, file)
		ts.Check(err)
		want := userModuleWant(uc, u.name, u.export.(map[string]any))
		if diff := nixtest.CompareExport(ctx, want, got, u.dir, filepath.Dir(file)); diff != "" {
			ts.Fatalf("user %s: Nix and cue export differ: %s", u.name, diff)
		}
	}
}

// userModuleWant is what the users/NAME.nix module built for user name,
// whose cue export is person, evaluates to: the release's user option set
// to the person's fields, and home-manager.users.NAME to the home.
func userModuleWant(uc *schema.UserContract, name string, person map[string]any) any {
	home, hasHome := person[uc.HomeField]
	delete(person, uc.HomeField)
	if uc.NameField != "" {
		person[uc.NameField] = name
	}
	var want any = person
	for i := len(uc.Option) - 1; i >= 0; i-- {
		key := uc.Option[i]
		if key == "<name>" {
			key = name
		}
		want = map[string]any{key: want}
	}
	if hasHome {
		want.(map[string]any)["home-manager"] = map[string]any{"users": map[string]any{name: home}}
	}
	return want
}

// exported is one host or user as cue export gives it.
type exported struct {
	name, dir string
	export    any
}

// exportAll loads the hosts or users at paths and exports each, as cue
// export would.
func exportAll(ts *testscript.TestScript, fsys fs.FS, k *load.Kind, paths []string) []exported {
	if len(paths) == 0 {
		return nil
	}
	l, err := load.NewWithSchema(fsys)
	ts.Check(err)
	l.SetKind(k)
	res, err := l.Load(paths)
	ts.Check(err)
	if len(res.Hosts) == 0 {
		ts.Fatalf("no %ss in %v", k.Noun, paths)
	}
	out := make([]exported, len(res.Hosts))
	errs := make([]error, len(res.Hosts))
	res.Each(func(i int, h *load.Host, v cue.Value) {
		js, err := v.MarshalJSON() // what cue export gives
		if err != nil {
			errs[i] = err
			return
		}
		dec := json.NewDecoder(bytes.NewReader(js))
		dec.UseNumber()
		out[i] = exported{name: h.Name, dir: h.Dir}
		errs[i] = dec.Decode(&out[i].export)
	})
	for _, err := range errs {
		ts.Check(err)
	}
	return out
}

// copyRepo copies the repository's CUE module (cue.mod, schema) and the
// example fleet's hosts and users (examples/fleet, inside that module) into
// $WORK/repo, so that scripts can run the real cue command on them.
// copyTree copies files and directories of this repository, whole, to
// the same paths under $WORK: what a fresh clone holds there, for the
// README's commands run as written.
func copyTree(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: copytree PATH...")
	}
	root := filepath.Join("..", "..")
	for _, p := range args {
		ts.Check(os.CopyFS(ts.MkAbs(p), os.DirFS(filepath.Join(root, p))))
	}
}

func copyRepo(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) > 1 {
		ts.Fatalf("usage: copyrepo [FLEET]")
	}
	root := filepath.Join("..", "..")
	if len(args) == 1 {
		// An example fleet of testdata, whole: its hosts, the files their
		// paths name, its flake.lock.
		src := filepath.Join(root, "testdata", args[0])
		ts.Check(os.CopyFS(ts.MkAbs("repo"), os.DirFS(src)))
		return
	}
	for _, dir := range []string{"cue.mod", "schema", "examples/fleet/hosts", "examples/fleet/users"} {
		entries, err := os.ReadDir(filepath.Join(root, dir))
		ts.Check(err)
		dst := ts.MkAbs(filepath.Join("repo", filepath.Base(dir)))
		ts.Check(os.MkdirAll(dst, 0o755))
		for _, e := range entries {
			if e.IsDir() || filepath.Ext(e.Name()) != ".cue" {
				continue
			}
			data, err := os.ReadFile(filepath.Join(root, dir, e.Name()))
			ts.Check(err)
			ts.Check(os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644))
		}
	}
}
