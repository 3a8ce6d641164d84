package check

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/axc-dev/axc/bench/hostgen"
	"github.com/axc-dev/axc/internal/vet"
)

// storedMemo writes a memo file for run in s holding one host, as save
// would, and returns its key.
func storedMemo(t testing.TB, s *MemoStore, run string, f memoFile) string {
	t.Helper()
	key := sha256.Sum256([]byte("host"))
	var found vet.Kept
	if err := json.Unmarshal([]byte(`[{"path":["hostname"],"msg":"wrong","sev":"error"}]`), &found); err != nil {
		t.Fatal(err)
	}
	f.Hosts = append(f.Hosts, memoEntry{Key: key[:], File: "hosts/a.cue", Line: 3, Found: found, Disk: map[string]string{}})
	data, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(s.Dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.path(run), data, 0o644); err != nil {
		t.Fatal(err)
	}
	return string(key[:])
}

// A memo file is used only by the program that wrote it, for the run it
// was written for, in the layout this program reads: another axc (a
// rebuilt one keeps its version, not its executable), another run whose
// name hashes alike, another layout or a damaged file is no entry.
func TestMemoStoreTakesOnlyItsOwn(t *testing.T) {
	dir := t.TempDir()
	s := &MemoStore{Dir: dir, Identity: "axc 1"}
	run := storeRun("axios 96990f9\x00/repo\x00/repo\x00false")
	good := memoFile{Format: memoFormat, Identity: s.Identity, Run: run}
	key := storedMemo(t, s, run, good)
	if m := s.open(run); len(m.hosts) != 1 || m.hosts[key].line != 3 {
		t.Fatalf("its own file: %d hosts, want the one written", len(m.hosts))
	}
	if m := (&MemoStore{Dir: dir, Identity: "axc 2"}).open(run); len(m.hosts) != 0 {
		t.Errorf("another program took %d hosts", len(m.hosts))
	}
	for name, f := range map[string]memoFile{
		"another program's file": {Format: memoFormat, Identity: "axc 2", Run: run},
		"another run's file":     {Format: memoFormat, Identity: s.Identity, Run: run + "x"},
		"another layout":         {Format: memoFormat + 1, Identity: s.Identity, Run: run},
	} {
		storedMemo(t, s, run, f)
		if m := s.open(run); len(m.hosts) != 0 {
			t.Errorf("%s: took %d hosts", name, len(m.hosts))
		}
	}
	for _, damaged := range []string{"", "{", `{"format": 1, "hosts": [{"key": "AAAA"}]}`, strings.Repeat("[", 1<<16)} {
		if err := os.WriteFile(s.path(run), []byte(damaged), 0o644); err != nil {
			t.Fatal(err)
		}
		if m := s.open(run); len(m.hosts) != 0 {
			t.Errorf("damaged file %.20q: took %d hosts", damaged, len(m.hosts))
		}
	}
}

// A file that cannot be written is no cache, and no error.
func TestMemoStoreUnwritable(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/file", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	s := &MemoStore{Dir: dir + "/file/memo", Identity: "axc"}
	m := s.open("run")
	m.changed = true
	s.save(m) // no panic, nothing to say
	if _, err := os.Stat(s.Dir); err == nil {
		t.Errorf("%s made", s.Dir)
	}
}

// FuzzMemoFile: whatever the file holds, reading it neither panics nor
// yields an entry the check could not use as a key, or a finding of no
// severity vet knows.
func FuzzMemoFile(f *testing.F) {
	s := &MemoStore{Dir: f.TempDir(), Identity: "axc"}
	run := "run"
	storedMemo(f, s, run, memoFile{Format: memoFormat, Identity: s.Identity, Run: run})
	good, err := os.ReadFile(s.path(run))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte(strings.Replace(string(good), `"error"`, `"fatal"`, 1)))
	f.Add([]byte(`{"format":1,"identity":"axc","run":"run","hosts":[{"key":null,"file":""}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := os.WriteFile(s.path(run), data, 0o644); err != nil {
			t.Fatal(err)
		}
		m := s.open(run)
		for key, k := range m.hosts {
			if len(key) != sha256.Size || k.file == "" || !k.found.Movable {
				t.Fatalf("entry %x: file %q, movable %v", key, k.file, k.found.Movable)
			}
		}
	})
}

// A vet by a new process takes each unchanged host from the store, and
// evaluates again exactly the hosts whose text changed: shown by a
// finding put into every stored entry, which the hosts taken from the
// store say and the changed one does not.
func TestStoreSkipsUnchangedHosts(t *testing.T) {
	dir := fleetRepo(t, hostgen.Write, 12)
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	store := &MemoStore{Dir: t.TempDir(), Identity: "test"}
	vetted := func() []string {
		t.Helper()
		_, ds, err := Run(Options{Store: store}, []string{"hosts"}, "", &Reach{})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, d := range ds {
			out = append(out, d.Host+": "+d.Message)
		}
		return out
	}
	if got := vetted(); len(got) != 0 {
		t.Fatalf("the generated hosts: %q", got)
	}
	files, err := filepath.Glob(filepath.Join(store.Dir, "*.json"))
	if err != nil || len(files) != 1 {
		t.Fatalf("memo files: %q, %v", files, err)
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	var f memoFile
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Hosts) != 12 {
		t.Fatalf("%d hosts stored, want 12", len(f.Hosts))
	}
	for i := range f.Hosts {
		if err := json.Unmarshal([]byte(`[{"path":[],"msg":"from the store","label":true,"sev":"warning"}]`), &f.Hosts[i].Found); err != nil {
			t.Fatal(err)
		}
	}
	if data, err = json.Marshal(f); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(files[0], data, 0o644); err != nil {
		t.Fatal(err)
	}
	if got := vetted(); len(got) != 12 || !strings.HasSuffix(got[0], ": from the store") {
		t.Fatalf("unchanged hosts: %q, want each from the store", got)
	}

	// One host of hosts_000.cue changed: it alone is evaluated.
	path := filepath.Join("hosts", "hosts_000.cue")
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	first := "desktop-0000" // hostgen's first host, the first of the file to set a time zone
	changed := strings.Replace(string(text), `timeZone: "UTC"`, `timeZone: "Etc/UTC"`, 1)
	if !strings.Contains(string(text), `"`+first+`": {`) || changed == string(text) {
		t.Fatalf("no host %s in %s", first, path)
	}
	if err := os.WriteFile(path, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	got := vetted()
	if len(got) != 11 || slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, first+":") }) {
		t.Errorf("after %s changed: %q, want the other 11 from the store", first, got)
	}
}

// Memo files unused for two weeks go, once a day at most; a file a vet
// reads is used, though nothing in it changes; other files stay.
func TestMemoStoreTrims(t *testing.T) {
	s := &MemoStore{Dir: t.TempDir(), Identity: "axc"}
	now := time.Now()
	at := func(name string, age time.Duration) string {
		t.Helper()
		p := filepath.Join(s.Dir, name)
		if _, err := os.Stat(p); err != nil {
			if err := os.WriteFile(p, nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Chtimes(p, now.Add(-age), now.Add(-age)); err != nil {
			t.Fatal(err)
		}
		return p
	}
	day := 24 * time.Hour
	old, recent, other := at("old.json", 20*day), at("recent.json", 2*day), at("other.txt", 20*day)
	run := "run"
	storedMemo(t, s, run, memoFile{Format: memoFormat, Identity: s.Identity, Run: run})
	used := at(filepath.Base(s.path(run)), 20*day)
	if m := s.open(run); len(m.hosts) != 1 {
		t.Fatalf("the used file: %d hosts", len(m.hosts))
	}
	s.trim(now)
	for p, want := range map[string]bool{old: false, recent: true, other: true, used: true} {
		if _, err := os.Stat(p); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", filepath.Base(p), err == nil, want)
		}
	}
	// Within a day of the last trim, nothing is looked at.
	again := at("again.json", 20*day)
	s.trim(now.Add(time.Hour))
	if _, err := os.Stat(again); err != nil {
		t.Errorf("trimmed twice in a day: %v", err)
	}
	s.trim(now.Add(25 * time.Hour))
	if _, err := os.Stat(again); err == nil {
		t.Errorf("%s: not trimmed a day later", again)
	}
}

// A build is one program wherever its copies are and whenever they were
// made (go run, an installed copy); another build is another.
func TestExeIdentity(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	copyOf := filepath.Join(t.TempDir(), "copy")
	if err := os.WriteFile(copyOf, data, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(copyOf, time.Now().Add(time.Hour), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	id := exeIdentity(exe)
	if !strings.HasPrefix(id, "build ") {
		t.Fatalf("the test binary's identity %q: want its Go build ID", id)
	}
	if got := exeIdentity(copyOf); got != id {
		t.Errorf("a copy: %q, want %q", got, id)
	}
	// Another build: the same bytes with another build ID.
	other := bytes.Replace(data, []byte(strings.TrimPrefix(id, "build ")[4:20]), []byte(strings.Repeat("x", 16)), -1)
	otherPath := filepath.Join(t.TempDir(), "other")
	if err := os.WriteFile(otherPath, other, 0o755); err != nil {
		t.Fatal(err)
	}
	if got := exeIdentity(otherPath); got == id || !strings.HasPrefix(got, "build ") {
		t.Errorf("another build: %q, want a build ID other than %q", got, id)
	}
	// No ELF: where and what the file is.
	script := filepath.Join(t.TempDir(), "script")
	if err := os.WriteFile(script, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if got := exeIdentity(script); !strings.HasPrefix(got, script+"\x00") {
		t.Errorf("a script: %q", got)
	}
}
