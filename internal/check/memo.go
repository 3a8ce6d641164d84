package check

import (
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/vet"
)

// Memo keeps what the last check of some hosts found of each host that
// was evaluated apart from the others (load.Host.EvalKey), for the next
// check of the same hosts (Options.Memo): a host whose key is unchanged,
// in a check against the same schema for the same repository, whose files
// on disk are as they were, is not evaluated again. The language server
// keeps one per open document, so that a change to one host of a file
// evaluates that host alone. Run replaces its contents each time: it holds
// the hosts of the last check only.
//
// A Memo is not for concurrent use.
type Memo struct {
	run   string // the schema and repository of the check that filled it
	hosts map[string]keptHost
	// store, when set, is where m was read from and is written back to
	// (MemoStore): m then keeps the hosts of earlier checks too, for
	// memoAge writes; gen counts the writes, changed says the last check
	// evaluated a host.
	store   *MemoStore
	gen     int
	changed bool
	// builds are the packages found to build (load.Builds), by key, with
	// the gen that last used each; used are those this check asked or
	// learned. Kept with store only; buildsMu guards both, as packages
	// load in parallel.
	buildsMu sync.Mutex
	builds   map[string]int
	used     map[string]bool
}

// Built reports whether the package with this key was found to build by
// an earlier check of m (load.Builds).
func (m *Memo) Built(key string) bool {
	m.buildsMu.Lock()
	defer m.buildsMu.Unlock()
	if _, ok := m.builds[key]; !ok {
		return false
	}
	m.usedBuild(key)
	return true
}

// Learned records that the package with this key builds.
func (m *Memo) Learned(key string) {
	m.buildsMu.Lock()
	defer m.buildsMu.Unlock()
	if m.builds == nil {
		m.builds = map[string]int{}
	}
	m.builds[key] = m.gen
	m.usedBuild(key)
	m.changed = true
}

func (m *Memo) usedBuild(key string) {
	if m.used == nil {
		m.used = map[string]bool{}
	}
	m.used[key] = true
}

// keptHost is what a check found of one host.
type keptHost struct {
	line  int // where its declaration started
	file  string
	seen  int // the Memo's gen when it was last used (MemoStore)
	refs  vet.UserRef
	found vet.Kept
	// disk is the state of the files the host's problems depend on
	// (compile.Compiler.Reads), by path.
	disk map[string]string
}

// Clear forgets everything: files the memo cannot see changed (the
// client said so).
func (m *Memo) Clear() {
	m.run, m.hosts = "", nil
}

// use is what m kept of host h of a check whose run key is run: ok when
// h can be taken from it rather than evaluated.
// disk holds the states of the files seen so far in this check.
func (m *Memo) use(run string, h *load.Host, disk *diskStates) (keptHost, bool) {
	key := h.EvalKey()
	if m == nil || key == "" || m.run != run {
		return keptHost{}, false
	}
	k, ok := m.hosts[key]
	if !ok || k.file != h.Pos.Filename() {
		return keptHost{}, false
	}
	if k.line != h.Pos.Line() && !k.found.Movable {
		return keptHost{}, false
	}
	for p, state := range k.disk {
		if disk.of(p) != state {
			return keptHost{}, false
		}
	}
	return k, true
}

// keep replaces m's contents with what the check run found of the hosts
// of res (skip: those taken from m), before CheckUsers adds what depends
// on the users.
func (m *Memo) keep(run string, res *load.Result, chk *vet.Checker, refs []vet.UserRef, skip []bool, reads *diskReads) {
	old := m.hosts
	if m.store != nil {
		m.gen++ // changed: since open, by Learned or below
	}
	m.run, m.hosts = run, map[string]keptHost{}
	for i, h := range res.Hosts {
		key := h.EvalKey()
		if key == "" {
			continue
		}
		k := keptHost{line: h.Pos.Line(), file: h.Pos.Filename(), refs: refs[i], seen: m.gen}
		if skip[i] {
			k.found, k.disk = old[key].found, old[key].disk
		} else {
			k.found, k.disk = chk.Keep(i), reads.states(h)
			m.changed = m.changed || k.found.Movable
		}
		m.hosts[key] = k
	}
	if m.store == nil {
		return
	}
	for key, k := range old {
		if _, ok := m.hosts[key]; !ok && m.gen-k.seen < memoAge {
			m.hosts[key] = k
		}
	}
	for key, seen := range m.builds {
		switch {
		case m.used[key]:
			m.builds[key] = m.gen
		case m.gen-seen >= memoAge:
			delete(m.builds, key)
		}
	}
	m.used = nil
}

// diskReads records the files each host's problems depend on.
type diskReads struct {
	mu    sync.Mutex
	paths map[*load.Host]map[string]bool
}

func (d *diskReads) add(h *load.Host, path string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.paths == nil {
		d.paths = map[*load.Host]map[string]bool{}
	}
	if d.paths[h] == nil {
		d.paths[h] = map[string]bool{}
	}
	d.paths[h][path] = true
}

// states are the states of the files host h's problems depend on.
func (d *diskReads) states(h *load.Host) map[string]string {
	d.mu.Lock()
	paths := d.paths[h]
	d.mu.Unlock()
	out := map[string]string{}
	disk := &diskStates{}
	for p := range paths {
		out[p] = disk.of(p)
	}
	return out
}

// diskStates are the states (diskState) of files, seen once in one check:
// the hosts of a file share directories, and most of their files, and a
// check of one host of a large file would stat them again for each host
// it takes from the memo. Made anew for each check, so that it sees what
// changed since the last; not for concurrent use. A nil one sees each
// time.
type diskStates struct {
	files map[string]string // diskState, by path
	links map[string]string // the link part of diskState, by directory
}

// of is diskState(path), seen once.
func (d *diskStates) of(path string) string {
	if d == nil {
		return diskState(path)
	}
	if s, ok := d.files[path]; ok {
		return s
	}
	if d.files == nil {
		d.files, d.links = map[string]string{}, map[string]string{}
	}
	plain := filepath.IsAbs(path) && filepath.Clean(path) == path
	s := diskStateWith(path, func(p string) string {
		s, ok := d.links[p]
		if !ok {
			s = linkState(p)
			d.links[p] = s
		}
		plain = plain && !strings.HasPrefix(s, "!") && !strings.HasPrefix(s, "@")
		return s
	}, func(b *strings.Builder) bool {
		if !plain {
			return false
		}
		// No link on the way, nothing missing: the path is where its
		// links lead (EvalSymlinks), and the file is what Lstat saw.
		b.WriteString(path)
		b.WriteByte(0)
		b.WriteString(d.links[path])
		return true
	})
	d.files[path] = s
	return s
}

// diskState is what compile can learn of the file at path: whether each
// directory on the way exists and is a symbolic link (and to what), where
// its links lead, and what the file is.
func diskState(path string) string {
	return diskStateWith(path, linkState, nil)
}

// diskStateWith is diskState, with the state of each step of the way
// (linkState) from link, and the rest written by rest when it can
// (reports true).
func diskStateWith(path string, link func(string) string, rest func(*strings.Builder) bool) string {
	var b strings.Builder
	for p := filepath.Clean(path); ; p = filepath.Dir(p) {
		b.WriteString(link(p))
		b.WriteByte(0)
		if filepath.Dir(p) == p {
			break
		}
	}
	if rest != nil && rest(&b) {
		return b.String()
	}
	if r, err := filepath.EvalSymlinks(path); err != nil {
		b.WriteString("!" + err.Error())
	} else {
		b.WriteString(r)
	}
	b.WriteByte(0)
	if fi, err := os.Stat(path); err != nil {
		b.WriteString("!" + err.Error())
	} else {
		b.WriteString(fi.Mode().Type().String())
	}
	return b.String()
}

// linkState is what os.Lstat says of p: an error, where the symbolic link
// p leads, or the type of file p is.
func linkState(p string) string {
	fi, err := os.Lstat(p)
	switch {
	case err != nil:
		return "!" + err.Error()
	case fi.Mode()&os.ModeSymlink != 0:
		target, err := os.Readlink(p)
		if err != nil {
			return "@" + target + "!" + err.Error()
		}
		return "@" + target
	default:
		return fi.Mode().Type().String()
	}
}
