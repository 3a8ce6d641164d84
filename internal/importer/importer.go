package importer

import (
	"errors"
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/axc-dev/axc/internal/nix/syntax"
	"github.com/axc-dev/axc/schema"
)

// Options say what to import and for which release.
type Options struct {
	// Inputs are flake.nix files, host files, user modules, or
	// directories holding them.
	Inputs []string
	// OutDir is where the CUE files go (hosts/ and users/ below it).
	OutDir string
	// Schema is the schema of the release imported for (schema.Release).
	Schema fs.FS
	// Release is that release's tag, "" when the schema is no release's
	// (--schema).
	Release string
}

// File is a file to write, by its slash-separated path below OutDir.
type File struct {
	Path string
	Data []byte
}

// Result is what an import writes and says.
type Result struct {
	Files []File
	// Copies are the files the configuration names (a hardware
	// configuration, a disk layout, a secrets directory), copied to their
	// places below OutDir, where the files written point (land.go).
	Copies []Copy
	// Notes say what was kept as Nix, moved or left out, and where.
	Notes []Note
	Hosts []string
	Users []string
}

// Import reads the inputs and returns the CUE files for them. The errors
// are *Error (problems in the Nix: a syntax error, something a built file
// cannot mean), *IOError (an input that cannot be read) or others (a
// broken schema).
func Import(opts Options) (res *Result, err error) {
	contract, err := schema.ReadContract(opts.Schema)
	if err != nil {
		return nil, err
	}
	pt, err := newPathTypes(opts.Schema, contract)
	if err != nil {
		return nil, err
	}
	hist, err := readHistory(opts.Release, contract)
	if err != nil {
		return nil, err
	}
	pt.others = hist.pathFields
	outDir, err := filepath.Abs(opts.OutDir)
	if err != nil {
		return nil, &IOError{err}
	}
	inputs, err := resolveInputs(opts.Inputs)
	if err != nil {
		return nil, err
	}
	ev := newEvaluator()
	ev.land = newLanding(outDir)
	im := &importer{
		ev:       ev,
		contract: contract,
		outDir:   outDir,
		flakes:   map[*source]bool{},
		users:    map[string]*userIn{},
		old:      hist.module,
		release:  opts.Release,
	}
	im.em = &emitter{ev: im.ev, pt: pt, report: &im.report, shared: map[*attrSet]*sharedVal{},
		placed: map[syntax.Node][]target{}, rawSpans: map[*source][][2]int{}}
	defer func() {
		// A syntax error in a file that is imported stops everything.
		if r := recover(); r != nil {
			f, ok := r.(fatal)
			if !ok {
				panic(r)
			}
			res, err = nil, asImportError(f.err)
		}
	}()
	var modules []input
	for _, in := range inputs {
		var ok bool
		if in.file, ok = im.file(in); !ok {
			continue
		}
		if in.flake {
			im.readFlake(in)
		} else if !im.readHostFile(in) {
			modules = append(modules, in)
		}
	}
	im.resolveUsers()
	for _, in := range modules {
		im.readUserModule(in)
	}
	if len(im.hosts) == 0 && len(im.users) == 0 && len(im.report.problems) == 0 {
		return nil, &IOError{errors.New("found no host (a flake's mkSystem, or a file with hostConfig or hostname) and no user module to import")}
	}
	files := im.write()
	var copies []Copy
	if len(im.report.problems) == 0 {
		copies = im.copyFiles(im.takenBy(files))
	}
	if len(im.report.problems) > 0 {
		sortNotes(im.report.problems)
		return nil, &Error{Problems: im.report.problems}
	}
	sortNotes(im.report.notes)
	res = &Result{Files: files, Copies: copies, Notes: im.report.notes}
	for _, h := range im.hosts {
		res.Hosts = append(res.Hosts, h.name)
	}
	for name := range im.users {
		res.Users = append(res.Users, name)
	}
	sort.Strings(res.Users)
	return res, nil
}

// takenBy says whether a copy may not be at rel (slash separated, below
// the output directory), and why: the files import writes, the files axc
// build writes for these hosts and users, the repository's own files
// (flake.nix, flake.lock, the CUE module's directory), and any file axc
// vet would read as a host or user.
func (im *importer) takenBy(files []File) func(rel string) string {
	written := map[string]bool{}
	for _, f := range files {
		written[strings.ToLower(f.Path)] = true
	}
	built := map[string]string{}
	for _, h := range im.hosts {
		built[strings.ToLower(hostsPkg+"/"+h.name+".nix")] = "where axc build writes host " + h.name
	}
	for name := range im.users {
		built[strings.ToLower(usersPkg+"/"+name+".nix")] = "where axc build writes user " + name
	}
	return func(rel string) string {
		lower := strings.ToLower(rel)
		dir, file := path.Split(lower)
		switch {
		case written[lower]:
			return "a file import writes"
		case built[lower] != "":
			return built[lower]
		case lower == "flake.nix" || lower == "flake.lock":
			return "the repository's " + lower
		case lower == "cue.mod" || strings.HasPrefix(lower, "cue.mod/"):
			return "in the directory of the CUE module"
		case dir == hostsPkg+"/" || dir == usersPkg+"/":
			switch path.Ext(file) {
			case ".cue", ".json", ".yaml", ".yml":
				return "which axc vet would read as " + strings.TrimSuffix(dir, "/")
			}
		}
		return ""
	}
}

// asImportError makes a syntax error an *Error; other errors (unreadable
// files) stay as they are.
func asImportError(err error) error {
	var se *syntax.Error
	if errors.As(err, &se) {
		return &Error{Problems: []Note{{File: se.Filename, Line: se.Line, Col: se.Col, Msg: se.Msg}}}
	}
	return err
}

// importer is one import's state.
type importer struct {
	ev       *evaluator
	em       *emitter
	contract *schema.Contract
	outDir   string
	report   report
	flakes   map[*source]bool
	hosts    []*hostIn
	// users by name, and the users each module file defines.
	users map[string]*userIn
	// cache holds the modules read, by file and user name.
	cache map[string]moduleRead
	// old is the user module field of older releases, when the release
	// imported for has users by configDir (history); release is its tag.
	old     *oldModule
	release string
}
