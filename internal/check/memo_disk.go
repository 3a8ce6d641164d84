package check

import (
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/axc-dev/axc/internal/atomicfile"
	"github.com/axc-dev/axc/internal/safeio"
	"github.com/axc-dev/axc/internal/vet"
)

// MemoStore keeps Memos on disk, so that a process checks again only the
// hosts that changed since an earlier process checked them: a fleet vet
// that CUE's evaluation of every host would hold above its targets (see
// bench/run.sh) pays for loading the hosts and evaluating the changed
// ones. One file a run (the schema, the output directory and repository,
// the working directory), named by the hash of the run and of Identity;
// inside, the hosts by load.Host.EvalKey, as Memo keeps them, with the
// states of the files their problems depend on, looked at again before an
// entry is used. Only hosts whose findings are placed by their syntax
// alone (vet.Kept.Movable) are kept: the others hold positions of one
// process's parse.
//
// A file that cannot be read or decoded, or holds another run, is no
// entry; a file that cannot be written is no cache. Writes are atomic; two
// processes writing at once leave one's entries.
type MemoStore struct {
	Dir string
	// Identity is the program that checks: its version and its build
	// (exeIdentity), so that a rebuilt axc (a development build keeps its
	// version) never takes another's findings. Part of each file's name
	// and checked inside it.
	Identity string
}

// NewMemoStore is a store in dir for this program, whose version is
// version.
func NewMemoStore(dir, version string) *MemoStore {
	id := version
	if exe, err := os.Executable(); err == nil {
		id += "\x00" + exeIdentity(exe)
	}
	return &MemoStore{Dir: dir, Identity: id}
}

// exeIdentity names the program in the executable exe: the Go build ID
// its ELF notes hold (a hash of what it was built from, the same for
// every copy of one build, so that `go run` and an installed copy share a
// cache and a rebuilt axc does not), else its path, size and time. The
// executable is axc's own file, not input: read with debug/elf, which
// reads its headers and the one note.
func exeIdentity(exe string) string {
	if f, err := elf.Open(exe); err == nil {
		defer f.Close()
		if s := f.Section(".note.go.buildid"); s != nil && s.Size > 16 && s.Size < 1<<12 {
			if data, err := s.Data(); err == nil {
				return "build " + string(data)
			}
		}
	}
	if fi, err := os.Stat(exe); err == nil {
		return exe + "\x00" + strconv.FormatInt(fi.Size(), 10) + "\x00" + fi.ModTime().UTC().String()
	}
	return exe
}

// memoFormat is the version of the file's layout.
const memoFormat = 1

// maxMemoFile bounds a memo file read: 10,000 hosts take about 5 MiB.
const maxMemoFile = 256 << 20

// memoAge is how many writes of a run's file an entry outlives unused: a
// run over a few files keeps the entries of a run over all of them.
const memoAge = 16

// memoFile is the on-disk form of a Memo.
type memoFile struct {
	Format   int         `json:"format"`
	Identity string      `json:"identity"`
	Run      string      `json:"run"`
	Gen      int         `json:"gen"`
	Hosts    []memoEntry `json:"hosts"`
	// Builds are the packages found to build (load.Builds).
	Builds []memoBuild `json:"builds,omitempty"`
}

type memoBuild struct {
	Key  []byte `json:"key"`
	Seen int    `json:"seen"`
}

type memoEntry struct {
	Key   []byte            `json:"key"`
	File  string            `json:"file"`
	Line  int               `json:"line"`
	Seen  int               `json:"seen"`
	Refs  vet.UserRef       `json:"refs"`
	Found vet.Kept          `json:"found"`
	Disk  map[string]string `json:"disk"`
}

// storeRun is the run key of a stored memo: run, and where the process
// stands (host files are named relative to it).
func storeRun(run string) string {
	wd, _ := os.Getwd()
	return run + "\x00" + wd
}

func (s *MemoStore) path(run string) string {
	sum := sha256.Sum256([]byte(s.Identity + "\x00" + run))
	return filepath.Join(s.Dir, hex.EncodeToString(sum[:16])+".json")
}

// open is the memo s keeps for run (a storeRun): empty when none can be
// read.
func (s *MemoStore) open(run string) *Memo {
	m := &Memo{run: run, hosts: map[string]keptHost{}, store: s}
	stat, err := os.Stat(s.path(run))
	if err != nil {
		return m
	}
	data, err := safeio.ReadFile(s.path(run), maxMemoFile)
	if err != nil {
		return m
	}
	var f memoFile
	if json.Unmarshal(data, &f) != nil || f.Format != memoFormat || f.Identity != s.Identity || f.Run != run {
		return m
	}
	m.gen = f.Gen
	// Used: not one of the files trim removes, though nothing in it
	// changes.
	if now := time.Now(); now.Sub(stat.ModTime()) > time.Hour {
		_ = os.Chtimes(s.path(run), now, now)
	}
	for _, e := range f.Hosts {
		if len(e.Key) != sha256.Size || e.File == "" {
			continue
		}
		m.hosts[string(e.Key)] = keptHost{line: e.Line, file: e.File, seen: e.Seen, refs: e.Refs, found: e.Found, disk: e.Disk}
	}
	for _, b := range f.Builds {
		if len(b.Key) == sha256.Size {
			if m.builds == nil {
				m.builds = map[string]int{}
			}
			m.builds[string(b.Key)] = b.Seen
		}
	}
	return m
}

// save writes m where it was read from, when the last check evaluated a
// host it can keep or found a package to build.
func (s *MemoStore) save(m *Memo) {
	if !m.changed {
		return
	}
	f := memoFile{Format: memoFormat, Identity: s.Identity, Run: m.run, Gen: m.gen}
	for key, k := range m.hosts {
		if !k.found.Movable {
			continue
		}
		f.Hosts = append(f.Hosts, memoEntry{Key: []byte(key), File: k.file, Line: k.line, Seen: k.seen, Refs: k.refs, Found: k.found, Disk: k.disk})
	}
	for key, seen := range m.builds {
		f.Builds = append(f.Builds, memoBuild{Key: []byte(key), Seen: seen})
	}
	data, err := json.Marshal(f)
	if err != nil {
		return
	}
	if atomicfile.Write(s.path(m.run), data) == nil {
		s.trim(time.Now())
	}
}

// memoUnused is how long a memo file lives unused: each axc build and
// each repository and release has its own, and an upgrade of axc leaves
// the old ones behind.
const memoUnused = 14 * 24 * time.Hour

// trimMark is the file whose time says when s was last trimmed.
const trimMark = "trimmed"

// trim removes the memo files of s unused for memoUnused, once a day at
// most (as the go command trims its build cache).
func (s *MemoStore) trim(now time.Time) {
	mark := filepath.Join(s.Dir, trimMark)
	if fi, err := os.Stat(mark); err == nil && now.Sub(fi.ModTime()) < 24*time.Hour {
		return
	}
	entries, err := safeio.ReadDir(s.Dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || filepath.Ext(e.Name()) != ".json" {
			continue
		}
		if fi, err := e.Info(); err == nil && now.Sub(fi.ModTime()) > memoUnused {
			os.Remove(filepath.Join(s.Dir, e.Name()))
		}
	}
	_ = os.WriteFile(mark, nil, 0o644)
	_ = os.Chtimes(mark, now, now)
}
