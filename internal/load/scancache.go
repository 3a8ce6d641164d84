package load

import (
	"strings"
	"sync"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/parser"
)

// ScanCache keeps what the scans of a package's files (their top-level
// labels; whether they hold some words) found, by file name and content,
// for the next Load of the same package: a long-lived process (the
// language server) that loads one file of a large package on every change
// scans the other files once, not on every change. Entries no Load used
// since the one before last are dropped. Safe for concurrent use.
type ScanCache struct {
	mu    sync.Mutex
	gen   int
	files map[string]*scanned
}

type scanned struct {
	src      string
	gen      int
	labelsOK bool
	labels   []string
	patterns bool
	complex  bool
	holds    map[string]bool // by the words, joined by NUL
	clauseOK bool
	clause   clause
	// parsed is the file parsed whole (sourceConfig, in language
	// version parsedIn), for the Load that parsed it alone (its scans,
	// and the package's instance: see parse): an AST is many times its
	// text.
	parsedOK bool
	parsedIn string
	parsed   *ast.File
	parseErr error
}

// clause is what a PackageClauseOnly parse of a file says: its package
// name and where its file-level @extern attribute is, if it has one.
type clause struct {
	pkg                   string
	extern                bool
	externLine, externCol int
}

// NewScanCache returns an empty cache.
func NewScanCache() *ScanCache { return &ScanCache{files: map[string]*scanned{}} }

// SetScanCache makes l keep its scans in c (nil: none kept).
func (l *Loader) SetScanCache(c *ScanCache) { l.scanCache = c }

// begin starts a Load: entries the last two Loads did not use go.
func (c *ScanCache) begin() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for name, e := range c.files {
		if e.gen < c.gen-1 {
			delete(c.files, name)
		}
		e.parsedOK, e.parsedIn, e.parsed, e.parseErr = false, "", nil, nil
	}
}

// entry is the entry of the file name holding src, made when missing or
// when the file changed; c.mu is held.
func (c *ScanCache) entry(name string, src []byte) *scanned {
	e := c.files[name]
	if e == nil || e.src != string(src) {
		e = &scanned{src: string(src), holds: map[string]bool{}}
		c.files[name] = e
	}
	e.gen = c.gen
	return e
}

// topLevelLabels is topLevelLabels(name, src), kept.
func (c *ScanCache) topLevelLabels(name string, src []byte) (labels []string, patterns, complex bool) {
	if c == nil {
		return topLevelLabels(name, src)
	}
	c.mu.Lock()
	e := c.entry(name, src)
	if e.labelsOK {
		defer c.mu.Unlock()
		return e.labels, e.patterns, e.complex
	}
	c.mu.Unlock()
	labels, patterns, complex = topLevelLabels(name, src)
	c.mu.Lock()
	defer c.mu.Unlock()
	e = c.entry(name, src)
	e.labels, e.patterns, e.complex, e.labelsOK = labels, patterns, complex, true
	return labels, patterns, complex
}

// containsAny is containsAny(src, words) of the file name, kept.
func (c *ScanCache) containsAny(name string, src []byte, words []string) bool {
	if c == nil {
		return containsAny(src, words)
	}
	key := strings.Join(words, "\x00")
	c.mu.Lock()
	e := c.entry(name, src)
	if held, ok := e.holds[key]; ok {
		c.mu.Unlock()
		return held
	}
	c.mu.Unlock()
	held := containsAny(src, words)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entry(name, src).holds[key] = held
	return held
}

// packageClause parses the package clause of the file name holding src
// (parser.PackageClauseOnly) and finds its @extern attribute. A file that
// does not parse gives the parser's error; only what parsed is kept, so
// the error's positions are always the parser's own.
func (c *ScanCache) packageClause(name string, src []byte) (clause, error) {
	if c != nil {
		c.mu.Lock()
		e := c.entry(name, src)
		if e.clauseOK {
			defer c.mu.Unlock()
			return e.clause, nil
		}
		c.mu.Unlock()
	}
	f, err := parser.ParseFile(name, src, parser.PackageClauseOnly)
	if err != nil {
		return clause{}, err
	}
	cl := clause{pkg: f.PackageName()}
	if pos, ok := externAttr(f); ok {
		p := pos.Position()
		cl.extern, cl.externLine, cl.externCol = true, p.Line, p.Column
	}
	if c != nil {
		c.mu.Lock()
		defer c.mu.Unlock()
		e := c.entry(name, src)
		e.clause, e.clauseOK = cl, true
	}
	return cl, nil
}

// parse is parser.ParseFile(name, src, sourceConfig(version)), kept for
// the rest of this Load: the scans of a Load (fileSubset, reachedFiles)
// parse the same files, the changed one first of all, and the package's
// instance (directInstance) is made of the same parses, as cue/load
// parses: a change of one file of a large package parses it once, not
// twice. The file must only be read, and be in one instance only (a
// Load puts a file in the instance of its package, once).
func (c *ScanCache) parse(name string, src []byte, version string) (*ast.File, error) {
	if c == nil {
		return parser.ParseFile(name, src, sourceConfig(version))
	}
	c.mu.Lock()
	if e := c.entry(name, src); e.parsedOK && e.parsedIn == version {
		defer c.mu.Unlock()
		return e.parsed, e.parseErr
	}
	c.mu.Unlock()
	f, err := parser.ParseFile(name, src, sourceConfig(version))
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entry(name, src)
	e.parsedOK, e.parsedIn, e.parsed, e.parseErr = true, version, f, err
	return f, err
}

// sourceConfig is how the files of a package are parsed: as cue/load
// parses them, with their comments, in the language version version.
func sourceConfig(version string) parser.Config {
	return parser.NewConfig(parser.ParseComments).Apply(parser.Version(version))
}
