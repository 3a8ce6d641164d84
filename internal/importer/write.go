package importer

import (
	"fmt"
	"maps"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/nix/syntax"
	"github.com/axc-dev/axc/internal/output"
	"github.com/axc-dev/axc/internal/scaffold"
	"github.com/axc-dev/axc/schema"
)

// Packages and directories of the files import writes.
const (
	hostsPkg = "hosts"
	usersPkg = "users"
)

// sharedFile is the file of a package's hidden shared values, unless a
// host or user has that name.
const sharedFile = "shared"

// Layout is the set of files axc import writes in its output directory,
// as one transaction (internal/output): the hosts and users
// (hosts/NAME.cue, users/NAME.cue, NAME a name fileNames gives), the files
// of scaffold.Base the output lacks (the CUE module, the vendored schema,
// the pattern files hosts/hosts.cue and users/users.cue, flake.lock), and
// the copies of the files the configuration names (Result.Copies), each at
// its place below DIR: any file but version-control metadata and axc's
// own journals and temporary files (outputPath). No existing file is
// import's own: an existing file is never overwritten without --force, and
// nothing is removed as stale.
var Layout = &output.Layout{
	Command: "axc import",
	Journal: ".axc-import.journal",
	Dirs:    []string{hostsPkg, usersPkg},
	Writes:  outputPath,
}

// outputPath reports whether rel (slash separated, relative to the output
// directory) is a path import may write: each of its names one outputName
// accepts.
func outputPath(rel string) bool {
	if rel == "" {
		return false
	}
	for _, name := range strings.Split(rel, "/") {
		if !outputName(name) {
			return false
		}
	}
	return true
}

// axcTemp matches the names axc gives its own files in an output
// directory: temporary files (.NAME.axc-new, .NAME.axc-old, .NAME.tmpN),
// journals and init's staging directories (.axc-…).
var axcTemp = regexp.MustCompile(`^\.(axc-.*|.+\.axc-new|.+\.axc-old|.+\.tmp[0-9]+)$`)

// outputName reports whether name may be a file or directory name below
// the output directory: not empty, . or .., no slash, NUL, control or
// format character (a name is printed), valid UTF-8, and none of axc's
// own names (axcTemp) or version control's metadata.
func outputName(name string) bool {
	switch name {
	case "", ".", "..", ".git", ".hg", ".jj", ".svn":
		return false
	}
	if !utf8.ValidString(name) || axcTemp.MatchString(name) {
		return false
	}
	for _, r := range name {
		if r == '/' || r == '\\' || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	return true
}

// write emits every host, user and shared value, attaches the comments,
// and formats the files.
func (im *importer) write() []File {
	em := im.em
	em.rootField = im.rootField
	hostDir := filepath.Join(im.outDir, hostsPkg)
	userDir := filepath.Join(im.outDir, usersPkg)
	hostCtx := ctx{dir: hostDir}
	userCtx := ctx{user: true, dir: userDir}

	// Find the shared values, as emission will walk the sets.
	var roots []*attrSet
	var ctxs []ctx
	for _, h := range im.hosts {
		roots, ctxs = append(roots, h.cfg), append(ctxs, hostCtx)
		for _, ex := range h.extras {
			roots, ctxs = append(roots, ex.set), append(ctxs, hostCtx.with(im.contract.ConfigField))
		}
	}
	users := im.userList()
	for _, u := range users {
		roots, ctxs = append(roots, &attrSet{entries: u.person}), append(ctxs, userCtx)
		roots, ctxs = append(roots, &attrSet{entries: u.home}), append(ctxs, userCtx.with(im.contract.User.HomeField))
	}
	taken := map[string]bool{}
	shared := em.findShared(roots, ctxs, taken)

	names := im.fileNames(users)
	var files []*outFile
	for _, h := range im.hosts {
		files = append(files, &outFile{
			path: names.hosts[h],
			cue:  &cueFile{pkg: hostsPkg, fields: []*cueField{im.hostField(h, hostCtx)}},
		})
	}
	for _, u := range users {
		files = append(files, &outFile{
			path: names.users[u],
			cue:  &cueFile{pkg: usersPkg, fields: []*cueField{im.userField(u, userCtx)}},
		})
	}
	for _, pkg := range []string{hostsPkg, usersPkg} {
		var fields []*cueField
		for _, sh := range shared {
			if sh.ctx.user == (pkg == usersPkg) {
				fields = append(fields, im.sharedField(sh))
			}
		}
		if len(fields) > 0 {
			files = append(files, &outFile{path: names.free(pkg, sharedFile), cue: &cueFile{pkg: pkg, fields: fields}})
		}
	}
	if len(im.report.problems) > 0 {
		return nil // nothing is written
	}
	em.attachComments(im.flakes)

	var out []File
	for _, f := range files {
		data, err := f.cue.format()
		if err != nil {
			im.report.problemf(nil, nil, "%s: %v", f.path, err)
			continue
		}
		out = append(out, File{Path: f.path, Data: data})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

type outFile struct {
	path string
	cue  *cueFile
}

// outNames are the files of an import's hosts and users, and the names
// taken, in lower case: one file where file names ignore case.
type outNames struct {
	hosts map[*hostIn]string
	users map[*userIn]string
	taken map[string]bool
}

// fileNames gives each host and user its file, as axc init names it
// (scaffold.HostFile, scaffold.UserFile): hosts/NAME.cue, users/NAME.cue,
// but never the pattern file that init writes (hosts/hosts.cue,
// users/users.cue), and never one file for two names where file names
// ignore case: two hosts (or users) whose names differ only in case are a
// problem, as axc vet says; a renamed one takes a name no other has.
func (im *importer) fileNames(users []*userIn) *outNames {
	n := &outNames{hosts: map[*hostIn]string{}, users: map[*userIn]string{}, taken: map[string]bool{}}
	type entry struct {
		name, file string
		src        *source
		node       syntax.Node
		set        func(string)
	}
	var entries []entry
	for _, h := range im.hosts {
		entries = append(entries, entry{h.name, scaffold.HostFile(h.name), h.file, h.node, func(f string) { n.hosts[h] = f }})
	}
	for _, u := range users {
		entries = append(entries, entry{u.name, scaffold.UserFile(u.name), u.file, nil, func(f string) { n.users[u] = f }})
	}
	// Names that are their file's first, then the renamed ones.
	byFile := map[string]entry{}
	var renamed []entry
	for _, e := range entries {
		pkg := path.Dir(e.file)
		if path.Base(e.file) != e.name+".cue" {
			renamed = append(renamed, e)
			continue
		}
		key := strings.ToLower(e.file)
		if prev, ok := byFile[key]; ok {
			im.report.problemf(e.src, e.node, "%s %s (%s) and %s would write one file, %s, where file names ignore case: rename one",
				pkg, prev.name, placeOf(prev.src, prev.node), e.name, e.file)
			continue
		}
		byFile[key] = e
		n.taken[key] = true
		e.set(e.file)
	}
	for _, e := range renamed {
		pkg := path.Dir(e.file)
		e.set(n.free(pkg, strings.TrimSuffix(path.Base(e.file), ".cue")))
	}
	return n
}

// placeOf is where a node is, as messages show it: file:line:col.
func placeOf(s *source, n syntax.Node) string {
	at := noteAt(s, n, "")
	if at.Line == 0 {
		return at.File
	}
	return fmt.Sprintf("%s:%d:%d", at.File, at.Line, at.Col)
}

// free takes and returns the file pkg/BASE.cue, or pkg/BASE2.cue, BASE3…
// when that is taken.
func (n *outNames) free(pkg, base string) string {
	name := base
	for i := 2; n.taken[strings.ToLower(pkg+"/"+name+".cue")]; i++ {
		name = fmt.Sprintf("%s%d", base, i)
	}
	file := pkg + "/" + name + ".cue"
	n.taken[strings.ToLower(file)] = true
	return file
}

// userList is the users in name order.
func (im *importer) userList() []*userIn {
	var out []*userIn
	for _, n := range slices.Sorted(maps.Keys(im.users)) {
		out = append(out, im.users[n])
	}
	return out
}

// hostField is `NAME: { … }`, with the settings of its user modules that
// a user cannot hold added to its extraConfig.
func (im *importer) hostField(h *hostIn, c ctx) *cueField {
	em := im.em
	body := em.expr(h.cfg, c, nil)
	if body == nil {
		body = &cueStruct{} // a problem was reported: nothing is written
	}
	f := &cueField{labels: []string{h.name}, value: body}
	if len(h.extras) > 0 {
		st, ok := body.(*cueStruct)
		if !ok {
			st = &cueStruct{embeds: []string{string(body.(cueRef))}}
			f.value = st
		}
		if x, ok := im.ev.lookup(h.cfg, im.contract.ConfigField); ok {
			_, isSet := x.(*attrSet)
			if c, isFn := x.(*closure); isFn {
				_, isSet = im.ev.splitModule(c)
			}
			if !isSet {
				im.report.problemf(h.file, h.node, "cannot import host %s: its %s is kept as Nix, and what its user modules set besides their users cannot be added to it", h.name, im.contract.ConfigField)
			}
		}
		for _, ex := range h.extras {
			v := em.expr(ex.set, c.with(im.contract.ConfigField), nil)
			if v == nil {
				continue
			}
			xf := &cueField{labels: []string{im.contract.ConfigField}, value: v}
			who := "its module"
			if ex.user != "" {
				who = "user " + ex.user + "'s module"
			}
			xf.doc = [][]string{{fmt.Sprintf("// From %s: what %s sets besides the user.", relFile(im.outDir, ex.file), who)}}
			xf.detach = []bool{false}
			xf.blank = true
			st.fields = append(st.fields, xf)
			for _, e := range ex.set.entries {
				im.report.note(e.file, e.def, fmt.Sprintf("moved to the %s of %s (a user holds only what %s set): %s",
					im.contract.ConfigField, strings.Join(ex.hosts, ", "), im.userHolds(ex.user), strings.Join(e.path, ".")))
			}
		}
	}
	for _, n := range im.spineOf(h.cfg) {
		em.place(n.node, target{field: f, spine: true})
	}
	em.place(h.node, target{field: f, spine: true})
	return f
}

// userHolds names the options a user's fields set, for messages.
func (im *importer) userHolds(name string) string {
	if name == "" {
		name = "NAME"
	}
	opt := strings.ReplaceAll(strings.Join(im.contract.User.Option, "."), "<name>", name)
	return opt + " and home-manager.users." + name
}

// userField is `NAME: { …person…, home: { … } }`.
func (im *importer) userField(u *userIn, c ctx) *cueField {
	em := im.em
	st := &cueStruct{fields: em.fields(u.person, c)}
	if len(u.home) > 0 {
		hc := c.with(im.contract.User.HomeField)
		var hv cueExpr
		if len(u.home) == 1 && len(u.home[0].path) == 0 {
			hv = em.expr(em.ev.force(u.home[0].val), hc, u.home[0].val) // a module function, kept as Nix
		} else {
			hv = &cueStruct{fields: em.fields(u.home, hc)}
		}
		if hv != nil {
			hf := &cueField{labels: []string{im.contract.User.HomeField}, value: hv}
			for _, n := range u.homeWholes {
				em.place(n, target{field: hf})
			}
			st.fields = append(st.fields, hf)
		}
	}
	f := &cueField{labels: []string{u.name}, value: st}
	for _, n := range u.wholes {
		em.place(n, target{field: f, spine: true})
	}
	em.place(u.file.file.Expr, target{field: f, spine: true})
	return f
}

// sharedField is `_name: { … }`, the body of a shared value.
func (im *importer) sharedField(sh *sharedVal) *cueField {
	st := &cueStruct{}
	im.em.partsInto(st, sh.set, sh.exclude, sh.ctx)
	f := &cueField{labels: []string{sh.name}, value: st, hidden: true}
	for _, n := range im.spineOf(sh.set) {
		im.em.place(n.node, target{field: f, spine: true})
	}
	return f
}

type spineNode struct {
	node syntax.Node
	file *source
}

// spineOf are the nodes whose comments document the set s as a whole: the
// binding that named it, and the nodes around its literal up to that
// binding (in a flake) or to the top of its file (a host file), for s and
// the sets it updates that are not shared.
func (im *importer) spineOf(s *attrSet) []spineNode {
	var out []spineNode
	seen := map[*attrSet]bool{}
	var walk func(s *attrSet)
	walk = func(s *attrSet) {
		if seen[s] {
			return
		}
		seen[s] = true
		if s.origin != nil && s.origin.def != nil {
			out = append(out, spineNode{s.origin.def, s.origin.file})
		}
		if s.node != nil {
			for p := s.file.parent(s.node); p != nil; p = s.file.parent(p) {
				if _, isLam := p.(*syntax.Lambda); isLam && im.flakes[s.file] {
					break
				}
				out = append(out, spineNode{p, s.file})
				if _, isDef := p.(*syntax.AttrDef); isDef && im.flakes[s.file] {
					break
				}
			}
		}
		for _, emb := range s.embeds {
			if im.em.shared[emb.base] == nil {
				walk(emb.base)
			}
		}
	}
	walk(s)
	return out
}

// rootField rewrites the user fields at the top of a host: the module
// path of releases with one user a host becomes the list of its users
// (axc build writes the module), and configDir is left to axc build.
func (im *importer) rootField(e *entry, c ctx) (*cueField, bool) {
	us := im.contract.Users
	if c.user || len(e.path) != 1 || us.Field == "" || im.contract.User == nil {
		return nil, false
	}
	switch name := e.path[0]; {
	case name == us.Module && us.Module != "":
		return im.userModuleField(e, im.contract.User, nil), true
	case im.old != nil && name == im.old.Field:
		return im.userModuleField(e, im.old.User, im.old), true
	case name == us.ConfigDir && us.ConfigDir != "":
		im.report.note(e.file, e.def, fmt.Sprintf("left out: %s (axc build passes it; the users are in %s/)", name, usersPkg))
		im.em.drop(e.def)
		return nil, true
	}
	return nil, false
}

// userModuleField is the users field for the host field e that names the
// one user's module (userModulePath), read as uc says a user is set: the
// release's own field, or one of older releases (old, not nil) the
// release replaced by users and configDir, which the note says. nil when
// it is left out (the report says why).
func (im *importer) userModuleField(e *entry, uc *schema.UserContract, old *oldModule) *cueField {
	name := e.path[0]
	v := im.ev.force(e.val)
	if _, isPath := asPath(v); isPath {
		abs, ok := im.moduleFile(v, e.file, e.def, name)
		if !ok {
			im.em.drop(e.def)
			return nil
		}
		u, extra := im.moduleUser(abs, "", uc)
		if u == nil {
			what := "it sets nothing"
			if extra != nil {
				what = fmt.Sprintf("what it sets is in the %s of each host importing it", im.contract.ConfigField)
			}
			if old != nil {
				what += " (" + name + im.replaced(old) + ")"
			}
			im.report.note(e.file, e.def, fmt.Sprintf("left out: %s names %s, which sets no axios user; %s", name, load.RelPath(abs), what))
			im.em.drop(e.def)
			return nil
		}
		if old != nil {
			im.report.note(e.file, e.def, fmt.Sprintf("%s%s: its module %s is user %s, written as %s and listed in this host's %s",
				name, im.replaced(old), load.RelPath(abs), u.name, scaffold.UserFile(u.name), im.contract.Users.Field))
		}
		f := &cueField{labels: []string{im.contract.Users.Field}, value: &cueList{elems: []*cueElem{{value: cueString(u.name, 1)}}}}
		im.em.place(e.def, target{field: f})
		return f
	}
	if a, ok := v.(argVal); ok {
		im.report.note(e.file, e.def, fmt.Sprintf("left out: %s is the argument %s of this file, whose user module only the flake knows: import the flake.nix to bring the user along", name, a.name))
		im.em.drop(e.def)
		return nil
	}
	im.em.problemAt(e.val, fmt.Sprintf("cannot import %s: it is not a path import can read", name))
	return nil
}

// replaced says, after a field of older releases (old), that the release
// imported for replaced it; "" for the release's own field.
func (im *importer) replaced(old *oldModule) string {
	if old == nil {
		return ""
	}
	this := im.release
	if this == "" {
		this = "this release"
	}
	us := im.contract.Users
	return fmt.Sprintf(" is not a host field of %s (%s + %s replaced it in %s)", this, us.Field, us.ConfigDir, old.Next)
}

// relFile names a file for a comment in the output: relative to outDir.
func relFile(outDir string, s *source) string {
	if rel, err := filepath.Rel(outDir, s.abs); err == nil {
		return filepath.ToSlash(rel)
	}
	return s.abs
}
