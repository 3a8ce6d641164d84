package importer

import (
	"path/filepath"
	"slices"
	"strings"

	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/nix/syntax"
	"github.com/axc-dev/axc/schema"
)

// Users are read from the modules the hosts import, as the release reads
// them (the schema's contract says how): up to v2026.01.13 one module a
// host, by userModulePath, that sets axios.user = { name; … }; from
// v2026.03.07 configDir/users/NAME.nix for each NAME a host lists, setting
// axios.users.users.NAME. A user is what the release's option for a person
// holds, and their home-manager.users.NAME (home). What else a module sets
// cannot be a user's: it goes to the extraConfig of every host that imports
// the module, which means the same to NixOS (a module's definitions merge
// with extraConfig's).

// userIn is a user found in a module.
type userIn struct {
	name   string
	file   *source
	person []*entry // the person's fields (the option's attributes)
	home   []*entry // home-manager.users.NAME
	// wholes are the bindings that set the person or home as a whole,
	// for their comments.
	wholes     []syntax.Node
	homeWholes []syntax.Node
}

// extraSet is what a user module sets besides its user, for the
// extraConfig of the hosts importing it.
type extraSet struct {
	file  *source
	user  string // "" for a module without an axios user
	set   *attrSet
	hosts []string
}

// resolveUsers finds each host's users and what their modules set besides.
func (im *importer) resolveUsers() {
	us, u := im.contract.Users, im.contract.User
	if us.Field == "" || u == nil {
		return // a schema without users: hosts keep what they have
	}
	for _, h := range im.hosts {
		if m := im.old; m != nil {
			// The user module field of older releases: its user is a
			// user of this one (userModuleField).
			if v, ok := im.ev.lookup(h.cfg, m.Field); ok {
				if _, both := im.ev.lookup(h.cfg, us.Field); both {
					im.report.problemf(h.file, h.node, "cannot import host %s: it has %s, of releases up to %s, and %s: keep %s, with configDir/users/NAME.nix for each user", h.name, m.Field, m.Last, us.Field, us.Field)
				} else if abs, ok := im.moduleFile(v, h.file, h.node, m.Field); ok {
					im.hostModule(h, abs, "", m.User)
				}
			}
		}
		switch {
		case us.Module != "":
			v, ok := im.ev.lookup(h.cfg, us.Module)
			if !ok {
				continue
			}
			abs, ok := im.moduleFile(v, h.file, h.node, us.Module)
			if !ok {
				continue // the root field rewrite says why
			}
			im.hostModule(h, abs, "", u)
		case us.ConfigDir != "":
			lv, ok := im.ev.lookup(h.cfg, us.Field)
			if !ok {
				continue
			}
			list, ok := lv.(*listVal)
			if !ok {
				continue // kept as it is: vet says what is wrong with it
			}
			dir, ok := im.configDir(h)
			if !ok {
				continue
			}
			for _, t := range list.elems {
				name, ok := im.ev.force(t).(strVal)
				if !ok {
					continue
				}
				if !fileNameRe.MatchString(string(name)) {
					im.report.problemf(t.file, t.expr, "cannot import user %q: the name cannot name a file (users/NAME.nix)", name)
					continue
				}
				p := dir.plus("/users/" + string(name) + ".nix")
				if !isFile(p.abs) {
					im.report.problemf(t.file, t.expr, "host %s lists user %s, but %s does not exist", h.name, name, load.RelPath(p.abs))
					continue
				}
				abs, why := im.ev.readFile(p)
				if why != "" {
					im.report.problemf(t.file, t.expr, "cannot read user %s: %s", name, why)
					continue
				}
				im.hostModule(h, abs, string(name), u)
			}
		}
	}
}

// configDir is where a host's users/NAME.nix files are: its configDir, or
// where upstream's flake points it (self.outPath): the directory holding
// the hosts directory of its file, or the top of its tree.
func (im *importer) configDir(h *hostIn) (pathVal, bool) {
	v, ok := im.ev.lookup(h.cfg, im.contract.Users.ConfigDir)
	if !ok {
		t := im.ev.treeOf(h.file)
		dir := t.root
		if d := h.file.dir(); filepath.Base(d) == hostsPkg {
			dir = filepath.Dir(d)
		}
		rel, _ := filepath.Rel(t.root, dir)
		return pathVal{abs: dir, in: t, place: filepath.ToSlash(rel)}, true
	}
	if p, ok := asPath(v); ok {
		return p, true
	}
	im.report.problemf(h.file, h.node, "cannot read host %s's users: its %s is not a path import can read", h.name, im.contract.Users.ConfigDir)
	return pathVal{}, false
}

// moduleFile is the file a host's field (its user module) names, as Nix
// reads it, if import can read it; a path outside its tree is a problem
// at the path (at file and node when it was computed).
func (im *importer) moduleFile(v value, file *source, node syntax.Node, field string) (string, bool) {
	p, ok := asPath(v)
	if !ok {
		return "", false
	}
	abs, why := im.ev.readFile(p)
	if why == "" {
		return abs, true
	}
	if p.lit != nil {
		file, node = p.file, p.lit
	}
	im.report.problemf(file, node, "cannot import %s: %s", field, why)
	return "", false
}

// hostModule reads the user module abs for host h (name is the user it
// is for, "" when the module names its user), a user set as uc says.
func (im *importer) hostModule(h *hostIn, abs, name string, uc *schema.UserContract) {
	u, extra := im.moduleUser(abs, name, uc)
	if u != nil {
		h.users = append(h.users, u)
	}
	if extra != nil {
		extra.hosts = append(extra.hosts, h.name)
		h.extras = append(h.extras, extra)
	}
}

// moduleUser reads a user module once: its user (nil if it sets none) and
// what it sets besides (nil if nothing), the user set as uc says.
func (im *importer) moduleUser(abs, name string, uc *schema.UserContract) (*userIn, *extraSet) {
	key := abs + "\x00" + name + "\x00" + strings.Join(uc.Option, ".")
	if c, ok := im.cache[key]; ok {
		return c.user, c.extra
	}
	u, extra := im.readModule(abs, name, uc)
	if im.cache == nil {
		im.cache = map[string]moduleRead{}
	}
	im.cache[key] = moduleRead{u, extra}
	if u != nil {
		if o := im.users[u.name]; o != nil && o.file != u.file {
			im.report.problemf(u.file, nil, "user %s is also defined by %s: import keeps one definition of each user", u.name, o.file.name)
		} else {
			im.users[u.name] = u
		}
	}
	return u, extra
}

type moduleRead struct {
	user  *userIn
	extra *extraSet
}

func (im *importer) readModule(abs, name string, uc *schema.UserContract) (*userIn, *extraSet) {
	s, set := im.readModuleFile(abs)
	if set == nil {
		im.report.problemf(s, s.file.Expr, "cannot read this user module: it is not an attribute set (or a function returning one) import can read")
		return nil, nil
	}
	opt := slices.Clone(uc.Option)
	for i, p := range opt {
		if p == "<name>" {
			opt[i] = name
		}
	}
	person, rest := im.ev.split(im.ev.flatEntries(set, nil), opt)
	person, wholes := im.expand(s, person)
	if uc.NameField != "" {
		var others []*entry
		for _, e := range person {
			if len(e.path) == 1 && e.path[0] == uc.NameField {
				if n, ok := im.ev.force(e.val).(strVal); ok {
					name = string(n)
				}
				continue
			}
			others = append(others, e)
		}
		person = others
	}
	if name == "" {
		// No axios user: the module is only settings, for the hosts.
		return nil, im.extras(s, "", rest)
	}
	home, rest := im.ev.split(rest, []string{"home-manager", "users", name})
	u := &userIn{name: name, file: s, person: person, wholes: wholes}
	u.home, u.homeWholes = im.expand(s, home)
	if !fileNameRe.MatchString(name) {
		im.report.problemf(s, nil, "cannot import user %q: the name cannot name a file (users/NAME.cue)", name)
		return nil, nil
	}
	return u, im.extras(s, name, rest)
}

func (im *importer) extras(s *source, user string, entries []*entry) *extraSet {
	if len(entries) == 0 {
		return nil
	}
	name := user
	if name == "" {
		name = fileBase(s.abs)
	}
	set := &attrSet{entries: entries, file: s, origin: &origin{name: name + "Module", file: s}}
	return &extraSet{file: s, user: user, set: set}
}

// expand replaces the entries that set a whole (path cut to nothing) by
// the entries of the set they set, and returns those bindings apart.
func (im *importer) expand(s *source, entries []*entry) (out []*entry, wholes []syntax.Node) {
	for _, e := range entries {
		if len(e.path) > 0 {
			out = append(out, e)
			continue
		}
		wholes = append(wholes, e.def)
		switch v := im.ev.force(e.val).(type) {
		case *attrSet:
			out = append(out, im.ev.flatEntries(v, nil)...)
		default:
			out = append(out, e) // kept whole: a module function, say
		}
	}
	return out, wholes
}

// split divides entries into those setting what is under path p (with p
// cut from their paths) and the rest. A binding above p (axios = { user =
// …; … }) is split into its own entries.
func (ev *evaluator) split(entries []*entry, p []string) (under, rest []*entry) {
	for _, e := range entries {
		n := 0
		for n < len(e.path) && n < len(p) && e.path[n] == p[n] {
			n++
		}
		switch {
		case n == len(p):
			under = append(under, &entry{path: e.path[n:], val: e.val, def: e.def, file: e.file})
		case n == len(e.path):
			set, ok := ev.force(e.val).(*attrSet)
			if !ok {
				rest = append(rest, e)
				continue
			}
			u, r := ev.split(ev.flatEntries(set, nil), p[n:])
			under = append(under, u...)
			for _, x := range r {
				rest = append(rest, &entry{path: append(slices.Clone(e.path), x.path...), val: x.val, def: x.def, file: x.file})
			}
		default:
			rest = append(rest, e)
		}
	}
	return under, rest
}

// readUserModule reads a user module given on its own (not through a
// host): its user is written, but what it sets besides has no host to go
// to. A file found in a directory that is no user module is skipped.
func (im *importer) readUserModule(in input) {
	abs, scanned := in.file, in.scanned
	for key := range im.cache {
		if strings.HasPrefix(key, abs+"\x00") {
			return // read for a host already
		}
	}
	s := im.source(abs)
	if im.contract.User == nil {
		im.report.problemf(s, nil, "not a flake, a host file or a user module (this release has no users)")
		return
	}
	name := ""
	if im.contract.User.NameField == "" {
		name = fileBase(in.abs) // users/NAME.nix, as named
	}
	u, extra := im.moduleUser(abs, name, im.contract.User)
	if u == nil && extra == nil || u == nil && scanned {
		if scanned {
			im.report.note(s, nil, "skipped: not a host file or a user module")
			return
		}
		im.report.problemf(s, nil, "not a flake, a host file or a user module")
		return
	}
	if extra != nil {
		for _, e := range extra.set.entries {
			im.report.problemf(e.file, e.def, "cannot import %s: a user holds only what %s set, and no host imported here imports this module to carry the rest in its extraConfig (import the hosts too)",
				strings.Join(e.path, "."), im.userHolds(extra.user))
		}
	}
}
