package importer

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"

	"github.com/axc-dev/axc/internal/compile"
	"github.com/axc-dev/axc/internal/nix/syntax"
)

// Hosts come from a flake's nixosConfigurations (each made by mkSystem) or
// from host files read on their own.

// hostIn is a host found in the inputs.
type hostIn struct {
	name string
	cfg  *attrSet
	file *source
	node syntax.Node // its definition, for messages and its doc comments
	// users are the host's users, extras what their modules set that a
	// user cannot hold (for the host's extraConfig).
	users  []*userIn
	extras []*extraSet
}

// source reads a file, stopping the import on a syntax error.
func (im *importer) source(abs string) *source {
	s, err := im.ev.source(abs)
	if err != nil {
		panic(fatal{err})
	}
	return s
}

// readFlake reads the hosts of a flake: each nixosConfigurations entry
// made by mkSystem, with the flake's inputs standing for themselves.
func (im *importer) readFlake(in input) {
	s := im.source(in.file)
	im.flakes[s] = true
	top, ok := im.ev.eval(s.file.Expr, nil, s).(*attrSet)
	if !ok {
		im.report.problemf(s, s.file.Expr, "a flake is an attribute set with outputs")
		return
	}
	outputs, ok := im.ev.lookup(top, "outputs")
	fn, isFn := outputs.(*closure)
	if !ok || !isFn {
		im.report.problemf(s, s.file.Expr, "cannot read the flake's outputs: it is not a function")
		return
	}
	// The arguments: self, and every input the flake names.
	names := map[string]bool{"self": true}
	if fs := fn.lam.Formals; fs != nil {
		for _, f := range fs.List {
			names[f.Name.Name] = true
		}
	}
	if ins, ok := im.ev.lookup(top, "inputs"); ok {
		if set, ok := ins.(*attrSet); ok {
			for _, n := range set.names() {
				names[n] = true
			}
		}
	}
	args := &attrSet{file: s}
	for _, n := range sortedKeys(names) {
		var v value = inputVal{name: n}
		if n == "self" {
			v = selfVal{in: in.in}
		}
		args.entries = append(args.entries, &entry{path: []string{n}, val: valueThunk(v), file: s})
	}
	out, ok := im.ev.call(fn, valueThunk(args)).(*attrSet)
	if !ok {
		im.report.problemf(s, fn.lam.Body, "cannot read the flake's outputs: they are not an attribute set import can read")
		return
	}
	ncv, ok := im.ev.lookup(out, "nixosConfigurations")
	if !ok {
		im.report.note(s, nil, "left out: the flake has no nixosConfigurations")
		return
	}
	nc, ok := ncv.(*attrSet)
	if !ok {
		if r, isRaw := ncv.(*rawVal); isRaw && r.expr != nil {
			im.report.problemf(r.file, r.expr, "cannot read nixosConfigurations: %s is not an attribute set import can read", summary(r.file.text(r.expr)))
		} else {
			im.report.problemf(s, nil, "cannot read nixosConfigurations: it is not an attribute set")
		}
		return
	}
	for _, name := range nc.names() {
		v, _ := im.ev.lookup(nc, name)
		whole, below := im.ev.defs(nc, name)
		var def syntax.Node
		var defFile *source = s
		if len(whole) > 0 {
			def, defFile = whole[0].def, whole[0].file
		} else if len(below) > 0 {
			def, defFile = below[0].def, below[0].file
		}
		hv, ok := v.(hostVal)
		if !ok {
			im.report.note(defFile, def, fmt.Sprintf("left out: nixosConfigurations.%s is not made by mkSystem", name))
			continue
		}
		cfg, ok := im.ev.force(hv.cfg).(*attrSet)
		if !ok {
			im.report.problemf(defFile, def, "cannot import host %s: the argument of mkSystem is not an attribute set import can read", name)
			continue
		}
		im.addHost(&hostIn{name: name, cfg: cfg, file: defFile, node: def})
	}
}

// readHostFile reads a host file: a set with hostConfig (or a function
// returning one, as upstream's generator writes), or the host itself. It
// reports false for a file that is neither (a user module, perhaps). The
// host is named after the file as named, unless it sets its hostname.
func (im *importer) readHostFile(in input) bool {
	s, set := im.readModuleFile(in.file)
	if set == nil {
		return false
	}
	cfg := set
	if hc, ok := im.ev.lookup(set, "hostConfig"); ok {
		if cfg, ok = hc.(*attrSet); !ok {
			im.report.problemf(s, nil, "cannot import: hostConfig is not an attribute set import can read")
			return true
		}
	} else if _, ok := im.ev.lookup(set, "hostname"); !ok {
		return false
	}
	name := fileBase(in.abs)
	if hn, ok := im.ev.lookup(cfg, "hostname"); ok {
		if str, ok := hn.(strVal); ok && compile.CheckHostName(string(str)) == nil {
			name = string(str)
		}
	}
	im.addHost(&hostIn{name: name, cfg: cfg, file: s, node: s.file.Expr})
	return true
}

// readModuleFile evaluates the file abs as a module is: a function is
// called with the module arguments. set is nil when that is not an
// attribute set.
func (im *importer) readModuleFile(abs string) (s *source, set *attrSet) {
	s = im.source(abs)
	v := im.ev.force(im.ev.fileThunk(abs))
	if c, ok := v.(*closure); ok {
		v = im.ev.call(c, valueThunk(moduleArgs(c, s)))
	}
	set, _ = v.(*attrSet)
	return s, set
}

// moduleArgs are the arguments a file's function is called with when it
// is read on its own: lib is the nixpkgs lib, everything else unknown.
func moduleArgs(c *closure, s *source) *attrSet {
	args := &attrSet{file: s}
	if c.lam.Formals != nil {
		for _, f := range c.lam.Formals.List {
			var v value = argVal{name: f.Name.Name}
			if f.Name.Name == "lib" {
				v = libVal{}
			}
			args.entries = append(args.entries, &entry{path: []string{f.Name.Name}, val: valueThunk(v), file: s})
		}
	}
	return args
}

var fileNameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$`)

func (im *importer) addHost(h *hostIn) {
	if err := compile.CheckHostName(h.name); err != nil {
		im.report.problemf(h.file, h.node, "cannot import: %v", err)
		return
	}
	for _, o := range im.hosts {
		if o.name == h.name {
			im.report.problemf(h.file, h.node, "host %s is defined twice (also at %s)", h.name, noteAt(o.file, o.node, "").String())
			return
		}
	}
	im.hosts = append(im.hosts, h)
}

func fileBase(abs string) string {
	b := filepath.Base(abs)
	return b[:len(b)-len(filepath.Ext(b))]
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
