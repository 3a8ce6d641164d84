// Package scaffold makes a new axc configuration repository (axc init) and
// refreshes the schema such a repository vendors (axc init --upgrade).
//
// A repository holds, besides the hosts and users, what makes it work with
// nothing else installed but axc and the cue command:
//
//	cue.mod/module.cue                    the CUE module
//	cue.mod/pkg/axc.dev/axc/schema/*.cue  the schema of one release, vendored
//	flake.lock                            pins that release, so axc vet checks
//	                                      against the release the CUE imports
//	.pre-commit-config.yaml               the axc-vet hook
//	.github/workflows/axc.yml             axc vet and axc build --check in CI
//
// The flake.lock is the minimal lock axc reads (the framework's input at the
// release's rev, as upstream's own lock records it, without narHash and the
// framework's inputs): `nix flake lock` completes it once axc build has
// written flake.nix, keeping the pinned rev.
package scaffold

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
	"text/template"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/format"
	"cuelang.org/go/cue/literal"
	"cuelang.org/go/mod/module"

	"github.com/axc-dev/axc/internal/compile"
	"github.com/axc-dev/axc/internal/release"
	"github.com/axc-dev/axc/internal/tzdb"
	"github.com/axc-dev/axc/schema"
)

// Paths of the files a repository holds, relative to its root, slash
// separated.
var (
	ModuleFile   = "cue.mod/module.cue"
	SchemaDir    = path.Join("cue.mod/pkg", schema.ImportPath)
	LockFile     = "flake.lock"
	PreCommit    = ".pre-commit-config.yaml"
	Workflow     = ".github/workflows/axc.yml"
	HostsPattern = "hosts/hosts.cue"
	UsersPattern = "users/users.cue"
)

// Language is the CUE language version of the module: the one the schema is
// written in, which the cue command needs.
const Language = schema.Language

// The values the host flags take. Each is one every release's #Host
// accepts (the tests vet a host of each value against every release);
// GPU "none" leaves hardware.gpu unset and the graphics module off.
var (
	FormFactors = []string{"desktop", "laptop"}
	CPUs        = []string{"amd", "intel"}
	GPUs        = []string{"amd", "nvidia", "intel", "none"}
)

// NoGPU is the GPU value of a host without one.
const NoGPU = "none"

// Host is the one host a new repository starts with.
type Host struct {
	Name       string // its key in package hosts, which hostname defaults to
	FormFactor string // one of FormFactors
	CPU        string // one of CPUs
	GPU        string // one of GPUs
	SSD        bool
	TimeZone   string // IANA name
}

// User is the person a new repository starts with.
type User struct {
	Name     string // NixOS user name: the key in package users
	FullName string
}

// Repo is what a new repository is made from.
type Repo struct {
	Release release.Release
	Module  string // CUE module path, with its major version (@v0)
	Host    Host
	User    *User // nil: no user
	// Pin is the axc the pre-commit hook and CI run: the one that writes
	// the files (PinFor).
	Pin Pin
}

// Problem is what is wrong with one field of a Repo.
type Problem struct {
	// Field is what the problem is with, named as axc init's flag that
	// sets it: hostname, form-factor, cpu, gpu, timezone, module, user,
	// full-name.
	Field string
	Err   error
}

// Problems are everything that is wrong with r.
func (r Repo) Problems() []Problem {
	var ps []Problem
	add := func(field string, err error) {
		if err != nil {
			ps = append(ps, Problem{field, err})
		}
	}
	add("hostname", compile.CheckHostName(r.Host.Name))
	add("form-factor", CheckChoice("form factor", r.Host.FormFactor, FormFactors))
	add("cpu", CheckChoice("cpu", r.Host.CPU, CPUs))
	add("gpu", CheckChoice("gpu", r.Host.GPU, GPUs))
	add("timezone", CheckTimeZone(r.Host.TimeZone))
	add("module", CheckModule(r.Module))
	if r.User != nil {
		add("user", compile.CheckUserName(r.User.Name))
		if strings.ContainsRune(r.User.FullName, 0) {
			add("full-name", fmt.Errorf("full name %q holds a NUL byte", r.User.FullName))
		}
	}
	return ps
}

// CheckChoice says why value is not one of choices (what names the value).
func CheckChoice(what, value string, choices []string) error {
	if slices.Contains(choices, value) {
		return nil
	}
	return fmt.Errorf("%s %q: want one of %s", what, value, strings.Join(choices, ", "))
}

// CheckTimeZone says why name is not an IANA time zone name, or returns nil.
// The names are those of the time zone database built into axc.
func CheckTimeZone(name string) error {
	if err := tzdb.Check(name); err != nil {
		return fmt.Errorf("time zone %v", err)
	}
	return nil
}

// CheckModule says why path is not a CUE module path with a major version.
func CheckModule(path string) error {
	if err := module.CheckPath(path); err != nil {
		return fmt.Errorf("module %q: %v", path, strings.TrimPrefix(err.Error(), fmt.Sprintf("malformed module path %q: ", path)))
	}
	if _, _, ok := ast.SplitPackageVersion(path); !ok {
		return fmt.Errorf("module %q: want a major version (%s@v0)", path, path)
	}
	return nil
}

// ModulePath is the module path for what the user gave: "" names the module
// after dirName (the repository's directory) under example.com; a path
// without a major version gets @v0.
func ModulePath(given, dirName string) string {
	if given != "" {
		if _, _, ok := ast.SplitPackageVersion(given); !ok {
			given += "@v0"
		}
		return given
	}
	name := strings.ToLower(dirName)
	if p := "example.com/" + name + "@v0"; module.CheckPath(p) == nil {
		return p
	}
	return "example.com/fleet@v0"
}

// Pin is an axc for the generated pre-commit configuration and CI
// workflow to run, as each names it.
type Pin struct {
	// Rev is the pre-commit rev: a release tag, or a commit (which
	// pre-commit takes as it is, without warning of a mutable reference).
	// "" when the axc is not known.
	Rev string
	// Version is what go install takes after @: the release, the
	// pseudo-version, or the commit.
	Version string
	// Commit: Rev is a commit, not a release (a development build, or one
	// installed at a commit). Dirty: the build had changes on top of it.
	Commit, Dirty bool
}

// PinFor is the pin of the axc of module version v (a release vX.Y.Z, a
// pseudo-version of a commit, or anything else: "devel"), built from VCS
// revision rev (a commit hash, or "") with changes not committed (dirty):
// the release when v is one; the commit of a pseudo-version; else the
// revision. An axc that knows neither (built without VCS information) has
// no pin: the zero Pin.
func PinFor(v, rev string, dirty bool) Pin {
	if m := pseudoVersion.FindStringSubmatch(v); m != nil {
		return Pin{Rev: m[1], Version: v, Commit: true}
	}
	if semver.MatchString(v) {
		return Pin{Rev: v, Version: v}
	}
	if commitHash.MatchString(rev) {
		return Pin{Rev: rev, Version: rev, Commit: true, Dirty: dirty}
	}
	return Pin{}
}

var (
	// semver is a module version (a tag): vMAJOR.MINOR.PATCH, maybe
	// -prerelease; no +build, which go install does not take.
	semver = regexp.MustCompile(`^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$`)
	// pseudoVersion is a pseudo-version (the forms of go help
	// module-versions); the submatch is its commit.
	pseudoVersion = regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+-(?:[0-9A-Za-z-]+\.)*(?:0\.)?[0-9]{14}-([0-9a-f]{12})(?:\+incompatible)?$`)
	// commitHash is a git commit, SHA-1 or SHA-256, whole.
	commitHash = regexp.MustCompile(`^[0-9a-f]{40}([0-9a-f]{24})?$`)
)

//go:embed templates/*.tmpl
var templates embed.FS

// tmpl is the templates, parsed on first use: every axc run would parse
// them at start-up, and only init and import write files from them.
var tmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("").Funcs(template.FuncMap{
		"str":   literal.String.Quote,
		"label": label,
	}).ParseFS(templates, "templates/*.tmpl"))
})

// label is name as a CUE field label: an identifier when it can be one
// (not hidden, not a definition), else a quoted string.
func label(name string) string {
	if ast.StringLabelNeedsQuoting(name) {
		return literal.Label.Quote(name)
	}
	return name
}

// HostFile is the path of the host's file: hosts/NAME.cue, unless that is
// the pattern file's name (or differs from it only in case).
func HostFile(name string) string { return entryFile("hosts", name, HostsPattern) }

// UserFile is the path of the user's file: users/NAME.cue, unless that is
// the pattern file's name, or a name CUE ignores (a leading "_").
func UserFile(name string) string { return entryFile("users", name, UsersPattern) }

func entryFile(dir, name, pattern string) string {
	base := name
	if strings.HasPrefix(base, "_") {
		base = dir[:len(dir)-1] + base // "user_svc": CUE skips _files
	}
	if strings.EqualFold(base+".cue", path.Base(pattern)) {
		base += "-" + dir[:len(dir)-1]
	}
	return path.Join(dir, base+".cue")
}

// Files are the files of the new repository r, by path relative to its
// root (slash separated): its Base, the host, the user, the pre-commit
// hook and CI. r must have no Problems.
func Files(r Repo) (map[string][]byte, error) {
	if ps := r.Problems(); len(ps) > 0 {
		return nil, fmt.Errorf("%s: %v", ps[0].Field, ps[0].Err)
	}
	out, err := Base(r.Release, r.Module)
	if err != nil {
		return nil, err
	}
	files := []struct{ tmpl, file string }{
		{"host.cue.tmpl", HostFile(r.Host.Name)},
		{"hardware.nix.tmpl", HardwareFile(r.Host.Name)},
		{"pre-commit-config.yaml.tmpl", PreCommit},
		{"axc.yml.tmpl", Workflow},
	}
	if r.User != nil {
		files = append(files, struct{ tmpl, file string }{"user.cue.tmpl", UserFile(r.User.Name)})
	}
	data, err := dataOf(r)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if out[f.file], err = render(f.tmpl, f.file, data); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Base are the files every repository of release r holds whatever its
// hosts, by path relative to its root (slash separated): the CUE module
// (module, a path CheckModule accepts), the release's schema vendored
// under SchemaDir, the pattern files that make every field of package
// hosts a host and of package users a user (HostsPattern, UsersPattern),
// and the minimal flake.lock pinning r (Lock). With them, axc vet checks
// against r and the cue command works offline (cue eval ./hosts shows
// each host with its defaults). axc init writes them in a new repository;
// axc import adds those a repository lacks.
func Base(r release.Release, module string) (map[string][]byte, error) {
	if err := CheckModule(module); err != nil {
		return nil, err
	}
	files, err := SchemaFiles(r.Tag)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{LockFile: Lock(r)}
	for name, data := range files {
		out[path.Join(SchemaDir, name)] = data
	}
	data, err := dataOf(Repo{Release: r, Module: module})
	if err != nil {
		return nil, err
	}
	for _, f := range []struct{ tmpl, file string }{
		{"module.cue.tmpl", ModuleFile},
		{"hosts.cue.tmpl", HostsPattern},
		{"users.cue.tmpl", UsersPattern},
	} {
		if out[f.file], err = render(f.tmpl, f.file, data); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// templateData is what the templates read of a repository.
type templateData struct {
	Repo
	Language, GPU string
	IsLaptop      bool
	// HardwareField is the host field that imports the machine's
	// hardware configuration (a NixOS module), HardwareFile that
	// module's file, and HardwarePath the field's value (relative to
	// the host's file).
	HardwareField, HardwareFile, HardwarePath string
}

// dataOf is the template data of r, made once for all of r's files (the
// hardware field is read from the release's schema).
func dataOf(r Repo) (templateData, error) {
	gpu := r.Host.GPU
	if gpu == NoGPU {
		gpu = ""
	}
	hwField, err := hardwareField(r.Release.Tag)
	if err != nil {
		return templateData{}, err
	}
	hwFile := HardwareFile(r.Host.Name)
	return templateData{r, Language, gpu, r.Host.FormFactor == "laptop", hwField, hwFile, "./" + strings.TrimPrefix(hwFile, "hosts/")}, nil
}

// render executes the template name with data, as the file
// file: a .cue file formatted as cue fmt formats it.
func render(name, file string, data templateData) ([]byte, error) {
	var b bytes.Buffer
	if err := tmpl().ExecuteTemplate(&b, name, data); err != nil {
		return nil, err
	}
	text := b.Bytes()
	if strings.HasSuffix(file, ".cue") {
		// Aligned as cue fmt aligns it, and proof that it parses.
		var err error
		if text, err = format.Source(text, format.Simplify()); err != nil {
			return nil, fmt.Errorf("internal error: %s: %v", file, err)
		}
	}
	return text, nil
}

// HardwareFile is the path of the placeholder of a host's hardware
// configuration: hosts/NAME/hardware.nix, where upstream's template puts
// the machine's hardware-configuration.nix.
func HardwareFile(name string) string { return path.Join("hosts", name, "hardware.nix") }

// hardwareField is the host field of release tag that imports the
// machine's hardware configuration: hardwareConfigPath, or in releases
// before it diskConfigPath (which imports any NixOS module).
func hardwareField(tag string) (string, error) {
	fsys, err := schema.Release(tag)
	if err != nil {
		return "", err
	}
	c, err := schema.ReadContract(fsys)
	if err != nil {
		return "", err
	}
	for _, f := range []string{"hardwareConfigPath", "diskConfigPath"} {
		if c.IsPathField(f) {
			return f, nil
		}
	}
	return "", fmt.Errorf("internal error: release %s has no host field for a hardware configuration", tag)
}

// SchemaFiles are the schema files of release tag, by file name, as a
// repository vendors them in SchemaDir.
func SchemaFiles(tag string) (map[string][]byte, error) {
	fsys, err := schema.Release(tag)
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(fsys, "*.cue")
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, name := range names {
		if out[name], err = fs.ReadFile(fsys, name); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// lockNode and lockRef are the parts of a flake.lock (version 7) that Lock
// writes, in the order and form Nix writes them (keys sorted).
type lockNode struct {
	Inputs   map[string]string `json:"inputs,omitempty"`
	Locked   *lockRef          `json:"locked,omitempty"`
	Original *lockRef          `json:"original,omitempty"`
}

type lockRef struct {
	LastModified int64  `json:"lastModified,omitempty"`
	Owner        string `json:"owner"`
	Ref          string `json:"ref,omitempty"`
	Repo         string `json:"repo"`
	Rev          string `json:"rev,omitempty"`
	Type         string `json:"type"`
}

// Lock is the minimal flake.lock pinning release r: its input (named as
// axc build names it, by the release's namespace) locked at r's rev, with
// the original reference axc build writes in flake.nix (the tag, or the rev
// of an untagged commit). It is what axc reads to choose the release; Nix
// completes it.
func Lock(r release.Release) []byte {
	owner, repo, _ := strings.Cut(r.Repo, "/")
	orig := &lockRef{Owner: owner, Repo: repo, Type: "github", Ref: r.Tag}
	if r.Untagged {
		orig.Ref, orig.Rev = "", r.Rev
	}
	lock := struct {
		Nodes   map[string]lockNode `json:"nodes"`
		Root    string              `json:"root"`
		Version int                 `json:"version"`
	}{
		Nodes: map[string]lockNode{
			r.Namespace: {
				Locked:   &lockRef{LastModified: r.LastModified, Owner: owner, Repo: repo, Rev: r.Rev, Type: "github"},
				Original: orig,
			},
			"root": {Inputs: map[string]string{r.Namespace: r.Namespace}},
		},
		Root:    "root",
		Version: 7,
	}
	data, err := json.MarshalIndent(lock, "", "  ")
	if err != nil {
		panic(err) // plain strings and numbers
	}
	return append(data, '\n')
}

// releaseDecl is the #Release declaration of a schema's host.cue.
var releaseDecl = regexp.MustCompile(`(?m)^#Release:\s*"([^"]+)"`)

// schemaRelease is the release whose host.cue is data, or "".
func schemaRelease(data []byte) string {
	if m := releaseDecl.FindSubmatch(data); m != nil {
		return string(m[1])
	}
	return ""
}
