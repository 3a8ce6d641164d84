package load

import (
	"bytes"
	"path/filepath"
	"strings"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/literal"
	"cuelang.org/go/cue/token"
)

// Reach widens a vet of some files to what a change reaches beyond them:
// the entries of a package whose meaning the change can alter although
// their own files did not change. A named file reaches the files that
// refer to what it declares by itself (Load follows that); a Reach says
// what the files on disk no longer show: the declarations a change
// removed, and the users it declared or removed.
type Reach struct {
	// Dir is the package's directory.
	Dir string
	// Names are top-level names whose declarations the change removed or
	// altered beyond the files that exist now (declared by a deleted file,
	// or by a changed file before the change). A file that refers to one,
	// or declares one too (the rest of a host split across files), is
	// vetted, and so, in turn, is every file referring to what it declares.
	Names []string
	// Strings are values whose meaning changed elsewhere: the names of the
	// users a change declared or removed. A file holding one as a string is
	// vetted (the hosts that list the user).
	Strings []string
	// Whole: the change cannot be followed by name (a deleted file whose
	// top level could declare anything): the whole package is vetted.
	Whole bool
}

// SetReach sets what the next Loads reach besides their paths: each
// Reach's package is read for the entries the change reaches, even when
// no path names it.
func (l *Loader) SetReach(r []Reach) { l.reach = r }

// reachFor is what l.reach says of the package in absDir.
func (l *Loader) reachFor(absDir string) (names, strs []string) {
	for _, r := range l.reach {
		if abs, err := filepath.Abs(r.Dir); err == nil && abs == absDir {
			names = append(names, r.Names...)
			strs = append(strs, r.Strings...)
		}
	}
	return names, strs
}

// loadReach requests the packages of l.reach that no path named, for the
// entries their changes reach, and reads the JSON and YAML entries of
// their directories that hold one of the strings.
func (l *Loader) loadReach(res *Result) ([]*Host, error) {
	var hosts []*Host
	var errs InputErrors
	for _, r := range l.reach {
		if info, err := l.in.Stat(r.Dir); err != nil || !info.IsDir() {
			continue // removed with the change: nothing there to reach
		}
		if r.Whole {
			hs, err := l.loadDir(r.Dir, res)
			if err != nil {
				return nil, err
			}
			hosts = append(hosts, hs...)
			continue
		}
		entries, err := l.in.ReadDir(r.Dir)
		if err != nil {
			return nil, &InputError{Path: r.Dir, Err: IOReason(err)}
		}
		hasCUE := false
		for _, e := range entries {
			name := e.Name()
			ext := strings.ToLower(filepath.Ext(name))
			if e.IsDir() || !hostExts[ext] || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
				continue
			}
			if ext == ".cue" {
				hasCUE = true
				continue
			}
			if len(r.Strings) == 0 {
				continue
			}
			p := filepath.Join(r.Dir, name)
			data, err := readInputFile(l.in, p, l.kind)
			if err != nil {
				errs = append(errs, err.(*InputError))
				continue
			}
			// JSON and YAML hold no references: only a string can reach
			// them. A string written with escapes is missed here and read
			// when the directory is.
			if containsAny(data, r.Strings) {
				hs, err := l.loadDataFile(p, ext, res)
				if ie, ok := err.(*InputError); ok {
					errs = append(errs, ie)
					continue
				}
				hosts = append(hosts, hs...)
			}
		}
		if hasCUE {
			if err := l.requestReached(r.Dir); err != nil {
				return nil, err
			}
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return hosts, nil
}

// requestReached notes that the package in dir is wanted for the files a
// Reach reaches, when no path asked for it.
func (l *Loader) requestReached(dir string) error {
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return &InputError{Path: dir, Err: err.Error()}
	}
	for _, r := range l.pkgs {
		if r.absDir == absDir {
			return nil // named: the reach widens that request
		}
	}
	l.pkgs = append(l.pkgs, &pkgRequest{dir: dir, absDir: absDir, files: map[string]bool{}})
	return nil
}

func containsAny(data []byte, words []string) bool {
	for _, w := range words {
		if w != "" && bytes.Contains(data, []byte(w)) {
			return true
		}
	}
	return false
}

// reachedFiles are the files of a package (sources, by absolute name) whose
// entries a change reaches: the named files; files holding one of strs as
// a string; files declaring one of gone too, or referring to one; and, in
// turn, files referring to a top-level name declared by a file reached.
// Only files whose bytes hold such a name are parsed: a change of one file
// that nothing refers to costs that file.
func reachedFiles(named map[string]bool, sources map[string][]byte, gone, strs []string, sc *ScanCache) map[string]bool {
	out := map[string]bool{}
	parsed := map[string]*ast.File{}
	parse := func(name string) *ast.File {
		f, ok := parsed[name]
		if !ok {
			var err error
			if f, err = sc.parse(name, sources[name], schemaLanguage); err != nil {
				f = nil // not read as a whole: reached, for its errors
			}
			parsed[name] = f
		}
		return f
	}
	var queue []string
	add := func(name string) {
		if !out[name] {
			out[name] = true
			queue = append(queue, name)
		}
	}
	for name := range named {
		if _, ok := sources[name]; ok {
			add(name)
		}
	}
	if len(strs) > 0 {
		for name, src := range sources {
			if !out[name] && sc.containsAny(name, src, strs) {
				// A file that does not parse is reached: its errors are the
				// package's, and loading it says them.
				if f := parse(name); f == nil || holdsString(f, strs) {
					add(name)
				}
			}
		}
	}
	isGone := map[string]bool{}
	wanted := map[string]bool{}
	var pending []string
	want := func(n string) {
		if n != "" && !wanted[n] {
			wanted[n] = true
			pending = append(pending, n)
		}
	}
	for _, n := range gone {
		isGone[n] = true
		want(n)
	}
	for {
		for len(queue) > 0 {
			name := queue[0]
			queue = queue[1:]
			if f := parse(name); f != nil {
				for _, d := range f.Decls {
					if field, ok := d.(*ast.Field); ok {
						want(topName(field.Label))
					}
				}
			}
		}
		if len(pending) == 0 {
			return out
		}
		names := map[string]bool{}
		for _, n := range pending {
			names[n] = true
		}
		words := pending
		pending = nil
		for name, src := range sources {
			if out[name] || !sc.containsAny(name, src, words) {
				continue
			}
			f := parse(name)
			if f == nil || refersTo(f, names) {
				add(name)
				continue
			}
			for _, d := range f.Decls {
				if field, ok := d.(*ast.Field); ok && isGone[topName(field.Label)] && names[topName(field.Label)] {
					add(name) // the rest of an entry split across files
					break
				}
			}
		}
	}
}

// topName is the name a top-level field's label declares (an identifier,
// hidden or a definition too, or a string), or "".
func topName(l ast.Label) string {
	switch l := l.(type) {
	case *ast.Ident:
		return l.Name
	case *ast.BasicLit:
		if l.Kind == token.STRING {
			if s, err := literal.Unquote(l.Value); err == nil {
				return s
			}
		}
	case *ast.Alias:
		if e, ok := l.Expr.(ast.Label); ok {
			return topName(e)
		}
	}
	return ""
}

// refersTo reports whether n holds an identifier named in names anywhere
// but as a plain field label: a reference, or a name a reference could be
// (a selector, an alias, a comprehension's variable: more than refers,
// never less). Labels computed from values, (x): and "\(x)":, count.
func refersTo(n ast.Node, names map[string]bool) bool {
	found := false
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		ast.Walk(n, func(n ast.Node) bool {
			if found {
				return false
			}
			switch n := n.(type) {
			case *ast.Field:
				switch n.Label.(type) {
				case *ast.Ident, *ast.BasicLit:
				default:
					walk(n.Label)
				}
				if n.Value != nil {
					walk(n.Value)
				}
				return false
			case *ast.Ident:
				found = names[n.Name]
			}
			return true
		}, nil)
	}
	walk(n)
	return found
}

// holdsString reports whether f holds one of strs as a string literal, or
// as the text of an interpolated string.
func holdsString(f *ast.File, strs []string) bool {
	found := false
	ast.Walk(f, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.BasicLit:
			if n.Kind != token.STRING {
				return true
			}
			if s, err := literal.Unquote(n.Value); err == nil {
				for _, w := range strs {
					found = found || s == w
				}
			} else {
				found = containsAny([]byte(n.Value), strs) // a part of an interpolation
			}
		}
		return true
	}, nil)
	return found
}
