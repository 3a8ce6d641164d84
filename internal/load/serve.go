package load

import (
	"cmp"
	"errors"
	"io/fs"
	"path/filepath"
	"strings"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/literal"
	cueload "cuelang.org/go/cue/load"
	"cuelang.org/go/cue/parser"

	"github.com/axc-dev/axc/internal/safeio"
)

// serveModuleFiles reads, with safeio, the .cue files that cue/load may read
// for the package in dir beyond those cfg already serves, and serves them
// too, so that cue/load opens no file of the module itself: cue/load would
// block on a FIFO (and read a device without end) where axc refuses it. The
// files are those of the directories from dir up to the module root (cue/load
// adds those of the same package), and of the packages the files import
// from the module or from cue.mod/gen, pkg and usr, with their imports in
// turn. sources are the files already served, whose imports count.
func serveModuleFiles(cfg *cueload.Config, dir string, sources map[string][]byte) error {
	root := cmp.Or(cfg.ModuleRoot, findModuleRoot(dir), dir)
	modPath := ""
	if mod, err := readModuleFile(safeio.Disk, root); err == nil && mod != nil {
		modPath = modulePathOf(mod)
	}
	s := &server{cfg: cfg, root: root, modPath: modPath, scanned: map[string]bool{}}
	for d := dir; ; d = filepath.Dir(d) {
		if err := s.scan(d, true); err != nil {
			return err
		}
		if d == root || filepath.Dir(d) == d || !strings.HasPrefix(d, root) {
			break
		}
	}
	for name, data := range sources {
		s.imports(name, data)
	}
	for len(s.queue) > 0 {
		p := s.queue[0]
		s.queue = s.queue[1:]
		if err := s.importPackage(p); err != nil {
			return err
		}
	}
	return nil
}

type server struct {
	cfg           *cueload.Config
	root, modPath string
	scanned       map[string]bool // directories
	queued        map[string]bool // import paths
	queue         []string
}

// imports queues the packages the file name imports.
func (s *server) imports(name string, data []byte) {
	f, err := parser.ParseFile(name, data, parser.ImportsOnly)
	if err != nil {
		return // cue/load reports it
	}
	for spec := range f.ImportSpecs() {
		p, err := literal.Unquote(spec.Path.Value)
		if err != nil {
			continue
		}
		path := ast.ParseImportPath(p).Path
		if first, _, _ := strings.Cut(path, "/"); !strings.Contains(first, ".") {
			continue // the standard library
		}
		if s.queued == nil {
			s.queued = map[string]bool{}
		}
		if !s.queued[path] {
			s.queued[path] = true
			s.queue = append(s.queue, path)
		}
	}
}

// importPackage serves the files of every directory that may hold package
// path: in the module itself, and in cue.mod/gen, pkg and usr, with the
// directories between each and its base.
func (s *server) importPackage(path string) error {
	rel := filepath.FromSlash(path)
	bases := []string{
		filepath.Join(s.root, "cue.mod", "gen"),
		filepath.Join(s.root, "cue.mod", "pkg"),
		filepath.Join(s.root, "cue.mod", "usr"),
	}
	rels := []string{rel, rel, rel}
	if s.modPath != "" && (path == s.modPath || strings.HasPrefix(path, s.modPath+"/")) {
		bases = append(bases, s.root)
		rels = append(rels, filepath.FromSlash(strings.TrimPrefix(strings.TrimPrefix(path, s.modPath), "/")))
	}
	for i, base := range bases {
		for d := filepath.Join(base, rels[i]); strings.HasPrefix(d, base); d = filepath.Dir(d) {
			if err := s.scan(d, d == base); err != nil {
				return err
			}
			if d == base {
				break
			}
		}
	}
	return nil
}

// scan serves the .cue files of directory d that cue/load would read and
// that are not served yet. A d that does not exist is no error; one that is
// not a directory is, unless lenient (a base directory, which cue/load
// only states).
func (s *server) scan(d string, lenient bool) error {
	if s.scanned[d] {
		return nil
	}
	s.scanned[d] = true
	entries, err := safeio.ReadDir(d)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case errors.Is(err, safeio.ErrNotDir) && lenient:
		return nil
	case err != nil:
		return &InputError{Path: RelPath(d), Err: IOReason(err)}
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".cue") || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || e.IsDir() {
			continue
		}
		p := filepath.Join(d, name)
		if _, ok := s.cfg.Overlay[p]; ok {
			continue
		}
		data, err := safeio.ReadFile(p, MaxFileSize)
		if err != nil {
			return &InputError{Path: RelPath(p), Err: IOReason(err)}
		}
		s.cfg.Overlay[p] = cueload.FromBytes(data)
		s.imports(p, data)
	}
	return nil
}

// modulePathOf is the module path a module.cue declares, without its major
// version: "" when it declares none that parses.
func modulePathOf(mod []byte) string {
	f, err := parser.ParseFile("module.cue", mod)
	if err != nil {
		return ""
	}
	for _, d := range f.Decls {
		field, ok := d.(*ast.Field)
		if !ok {
			continue
		}
		if name, _, _ := ast.LabelName(field.Label); name == "module" {
			if s, ok := stringLit(field.Value); ok {
				p, _, _ := strings.Cut(s, "@")
				return p
			}
		}
	}
	return ""
}
