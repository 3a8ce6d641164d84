package load

import (
	"maps"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/literal"
	"cuelang.org/go/cue/scanner"
	"cuelang.org/go/cue/token"

	"github.com/axc-dev/axc/internal/safeio"
)

// fileSubset picks the files of a package that vetting the hosts declared
// in the named files needs: the named files, every file that declares one
// of those hosts too (a host split across files), every file declaring a
// top-level name that an included file refers to (transitively), and every
// file whose top level does more than declare fixed names (patterns,
// comprehensions, embeddings, dynamic labels), which could touch any host.
// The other files are only scanned for their top-level names, not parsed:
// a one-file vet of a large package costs that file. sources holds every
// file of the package by absolute name.
func fileSubset(named map[string]bool, sources map[string][]byte, sc *ScanCache) []string {
	type fileInfo struct {
		labels  []string
		complex bool
	}
	var others []string
	for name := range sources {
		if !named[name] {
			others = append(others, name)
		}
	}
	// Scanning is the cost of a one-file vet of a large package: spread it
	// over the cores.
	scanned := make([]fileInfo, len(others))
	parallel(len(others), func(i int) {
		labels, patterns, complex := sc.topLevelLabels(others[i], sources[others[i]])
		scanned[i] = fileInfo{labels, patterns || complex}
	})
	info := map[string]fileInfo{}
	for i, name := range others {
		info[name] = scanned[i]
	}
	included := map[string]bool{}
	wanted := map[string]bool{} // top-level names the included files need
	var queue []string
	include := func(name string) {
		if !included[name] {
			included[name] = true
			queue = append(queue, name)
		}
	}
	for name := range named {
		if _, ok := sources[name]; ok {
			include(name)
		}
	}
	for name, fi := range info {
		if fi.complex {
			include(name)
		}
	}
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		f, err := sc.parse(name, sources[name], schemaLanguage)
		if err != nil {
			continue // its errors are reported when the package loads
		}
		for _, d := range f.Decls {
			if label, ok := hostLabel(d); ok && named[name] {
				wanted[label] = true // the same host elsewhere
			}
			refIdents(d, func(id *ast.Ident) { wanted[id.Name] = true })
		}
		for other, fi := range info {
			if included[other] {
				continue
			}
			for _, l := range fi.labels {
				if wanted[l] {
					include(other)
					break
				}
			}
		}
	}
	return slices.Sorted(maps.Keys(included))
}

// parallel calls fn(0) … fn(n-1), spread over the cores. fn must not
// panic: these are loops over files, not evaluations.
func parallel(n int, fn func(i int)) {
	var wg sync.WaitGroup
	workers := min(runtime.GOMAXPROCS(0), n)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// topLevelLabels scans a CUE file for the names its top level declares.
// patterns reports a pattern constraint ([Name=string]: …), which
// constrains fields of any name; complex reports a top level that does
// anything else that could add fields of other names: a comprehension, an
// embedding, a dynamic or interpolated label, or syntax the scan cannot
// follow.
func topLevelLabels(name string, src []byte) (labels []string, patterns, complex bool) {
	labels, _, patterns, complex = scanTopLevel(name, src)
	return labels, patterns, complex
}

// scanTopLevel is topLevelLabels, also saying which labels were quoted
// ("_x" is a regular field; _x unquoted is hidden).
func scanTopLevel(name string, src []byte) (labels []string, quoted map[string]bool, patterns, complex bool) {
	return scanTopLevelSkipping(name, src, true)
}

// scanTopLevelSkipping is scanTopLevel, skipping top-level values with
// skipNested when skip is set (FuzzSkipNested compares both ways).
func scanTopLevelSkipping(name string, src []byte, skip bool) (labels []string, quoted map[string]bool, patterns, complex bool) {
	quoted = map[string]bool{}
	var s scanner.Scanner
	bad := false
	onError := func(token.Pos, string, []any) { bad = true }
	// Commas are inserted at line ends, as the parser sees them: each
	// top-level declaration ends with one.
	s.Init(token.NewFile(name, -1, len(src)), src, onError, 0)
	base := 0 // where in src the scanner's input starts
	depth := 0
	interp := []int{} // the depths at which string interpolations are open
	opening := 0      // interpolations whose ( is the next LPAREN
	atStart := true   // at the start of a top-level declaration
	var pending string
	pendingOK := false
	for {
		pos, tok, lit := s.Scan()
		if bad || tok == token.ILLEGAL {
			return labels, quoted, patterns, true
		}
		if tok == token.EOF {
			break
		}
		switch tok {
		case token.INTERPOLATION:
			if depth == 0 && atStart {
				return labels, quoted, patterns, true // a label computed from a value
			}
			opening++
			continue
		case token.LPAREN:
			if opening > 0 {
				opening--
				interp = append(interp, depth)
				depth++
				continue
			}
			fallthrough
		case token.LBRACE, token.LBRACK:
			if depth == 0 && atStart {
				if tok != token.LBRACK {
					return labels, quoted, patterns, true // (dynamic):, an embedded struct
				}
				// [pattern]: a constraint, then a value: not a name.
				patterns, atStart = true, false
			}
			depth++
			if depth == 1 && skip {
				// A top-level value: on to the bracket closing it, from
				// which the scanner starts again (so that it sees the
				// bracket and inserts a comma after it as before).
				if end, ok := skipNested(src, base+pos.Offset()+1, closing[tok]); ok {
					base = end
					s.Init(token.NewFile(name, -1, len(src)-end), src[end:], onError, 0)
				}
			}
			continue
		case token.RPAREN:
			depth--
			if n := len(interp); n > 0 && interp[n-1] == depth {
				// The end of \( … ): the string goes on, maybe into
				// another interpolation.
				interp = interp[:n-1]
				if strings.HasSuffix(s.ResumeInterpolation(), "(") {
					opening++
				}
			}
			continue
		case token.RBRACE, token.RBRACK:
			depth--
			continue
		}
		if depth != 0 {
			continue
		}
		switch {
		case tok == token.COMMA:
			if pendingOK {
				return labels, quoted, patterns, true // a lone identifier: an embedding
			}
			atStart = true
			continue
		case !atStart:
			// Inside a top-level declaration: its first label's ? or !
			// and colon, then a value, or more labels (a: b: c).
			if pendingOK && (tok == token.COLON || tok == token.OPTION || tok == token.NOT) {
				if tok == token.COLON {
					labels = append(labels, pending)
					pendingOK = false
				}
				continue
			}
			if pendingOK {
				return labels, quoted, patterns, true // an embedded value: `x & y`, `x.y`
			}
			continue
		}
		// The first token of a top-level declaration.
		atStart = false
		switch tok {
		case token.LET, token.ATTRIBUTE:
			// Not a field: lets are local to their file.
		case token.IDENT:
			if lit == "package" || lit == "import" {
				break // the package clause, imports
			}
			pending, pendingOK = lit, true
		case token.STRING:
			l, err := literal.Unquote(lit)
			if err != nil {
				return labels, quoted, patterns, true
			}
			pending, pendingOK = l, true
			quoted[l] = true
		default:
			return labels, quoted, patterns, true // for, if, an embedded literal, …
		}
	}
	if pendingOK {
		return labels, quoted, patterns, true // a lone identifier: an embedding
	}
	return labels, quoted, patterns, false
}

// closing is the byte that closes each opening bracket token.
var closing = map[token.Token]byte{token.LBRACE: '}', token.LBRACK: ']', token.LPAREN: ')'}

// DeclaredNames lists the entries a directory declares, from its syntax
// alone: the regular top-level names of its CUE files, and the names of its
// JSON and YAML files. complete is false when a CUE file's top level could
// declare names its syntax does not show (a comprehension, an embedding).
// vet uses it to know every user when only some user files are named.
func DeclaredNames(in safeio.Files, dir string) (names []string, complete bool, err error) {
	entries, err := in.ReadDir(dir)
	if err != nil {
		return nil, false, &InputError{Path: dir, Err: IOReason(err)}
	}
	complete = true
	for _, e := range entries {
		name := e.Name()
		ext := strings.ToLower(filepath.Ext(name))
		if e.IsDir() || !hostExts[ext] || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
			continue
		}
		if ext != ".cue" {
			names = append(names, strings.TrimSuffix(name, filepath.Ext(name)))
			continue
		}
		src, err := readInputFile(in, filepath.Join(dir, name), Users)
		if err != nil {
			return nil, false, err
		}
		labels, quoted, _, complex := scanTopLevel(name, src)
		if complex {
			complete = false
		}
		for _, l := range labels {
			// An unquoted _x is hidden, #x a definition: not entries.
			if quoted[l] || !strings.HasPrefix(l, "_") && !strings.HasPrefix(l, "#") {
				names = append(names, l)
			}
		}
	}
	return names, complete, nil
}

// FileNames are the top-level names the file name (holding src) declares,
// from its syntax alone: for a CUE file every top-level label (all:
// entries, hidden fields, definitions) and the regular ones among them
// (entries); for a JSON or YAML file the one entry it is, named by the
// file. complete is false when a CUE file's top level could declare or
// constrain names its syntax does not show (a comprehension, an embedding,
// a pattern). vet uses it to follow a change to the files it reaches.
func FileNames(name string, src []byte) (all, entries []string, complete bool) {
	base := filepath.Base(name)
	ext := strings.ToLower(filepath.Ext(base))
	if ext != ".cue" {
		entry := strings.TrimSuffix(base, filepath.Ext(base))
		return []string{entry}, []string{entry}, true
	}
	labels, quoted, patterns, complex := scanTopLevel(name, src)
	for _, l := range labels {
		all = append(all, l)
		if quoted[l] || !strings.HasPrefix(l, "_") && !strings.HasPrefix(l, "#") {
			entries = append(entries, l)
		}
	}
	return all, entries, !patterns && !complex
}

// ReadFileNames is FileNames of the file at p, read as an entry file of
// kind k is (a regular file, bounded, text).
func ReadFileNames(in safeio.Files, p string, k *Kind) (all, entries []string, complete bool, err error) {
	src, err := readInputFile(in, p, k)
	if err != nil {
		return nil, nil, false, err
	}
	all, entries, complete = FileNames(p, src)
	return all, entries, complete, nil
}
