package scaffold

import (
	"bytes"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/axc-dev/axc/internal/confine"
	"github.com/axc-dev/axc/internal/release"
)

func table(t *testing.T) *release.Table {
	t.Helper()
	tab, err := release.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// The lock init writes selects its release, exactly, and names its input as
// axc build's flake.nix does.
func TestLockChoosesItsRelease(t *testing.T) {
	tab := table(t)
	dir := t.TempDir()
	for _, r := range tab.Releases() {
		lock := filepath.Join(dir, r.Tag+".lock")
		if err := os.WriteFile(lock, Lock(r), 0o644); err != nil {
			t.Fatal(err)
		}
		c, err := tab.Choose(release.Options{LockFile: lock})
		if err != nil {
			t.Fatalf("%s: %v", r.Tag, err)
		}
		if c.Release.Rev != r.Rev || c.Warning != "" || c.Source != "flake.lock input "+r.Namespace {
			t.Errorf("%s: lock chose %s from %q (warning %q)", r.Tag, c.Release.Tag, c.Source, c.Warning)
		}
		ref := `"ref": "` + r.Tag + `"`
		if r.Untagged {
			ref = `"rev": "` + r.Rev + `"`
		}
		if _, orig, _ := strings.Cut(string(Lock(r)), `"original"`); !strings.Contains(orig, ref) {
			t.Errorf("%s: original of the lock does not hold %s:\n%s", r.Tag, ref, Lock(r))
		}
	}
}

func TestFilesVendorTheRelease(t *testing.T) {
	tab := table(t)
	for _, r := range tab.Releases() {
		files, err := Files(Repo{Release: r, Module: "example.com/x@v0", Host: Host{Name: "h", FormFactor: "desktop", CPU: "amd", GPU: "none", TimeZone: "UTC"}})
		if err != nil {
			t.Fatal(err)
		}
		want, err := SchemaFiles(r.Tag)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) == 0 {
			t.Fatalf("%s: no schema files", r.Tag)
		}
		for name, data := range want {
			if !bytes.Equal(files[SchemaDir+"/"+name], data) {
				t.Errorf("%s: %s is not the release's", r.Tag, name)
			}
		}
		if got := schemaRelease(files[SchemaDir+"/host.cue"]); got != r.Tag {
			t.Errorf("%s: vendored host.cue declares #Release %q", r.Tag, got)
		}
		if host := string(files["hosts/h.cue"]); !strings.Contains(host, "extraConfig: "+r.Namespace+": system: timeZone:") || strings.Contains(host, "gpu:") || strings.Contains(host, "graphics") {
			t.Errorf("%s: host file:\n%s", r.Tag, host)
		}
	}
}

func TestEntryFiles(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{HostFile("web"), "hosts/web.cue"},
		{HostFile("hosts"), "hosts/hosts-host.cue"},
		{HostFile("Hosts"), "hosts/Hosts-host.cue"},
		{UserFile("alice"), "users/alice.cue"},
		{UserFile("users"), "users/users-user.cue"},
		{UserFile("_svc"), "users/user_svc.cue"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %s, want %s", tc.got, tc.want)
		}
	}
}

func TestLabel(t *testing.T) {
	for name, want := range map[string]string{
		"web":    "web",
		"web-01": `"web-01"`,
		"_svc":   `"_svc"`,
		"01":     `"01"`,
		"if":     "if", // keywords are labels too
	} {
		if got := label(name); got != want {
			t.Errorf("label(%q) = %s, want %s", name, got, want)
		}
	}
}

func TestCheckTimeZone(t *testing.T) {
	for _, ok := range []string{"UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+5"} {
		if err := CheckTimeZone(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "Local", "Mars/Olympus", "Europe/Berlin ", "../etc/passwd", "/etc/localtime", "Europe//Berlin"} {
		if err := CheckTimeZone(bad); err == nil {
			t.Errorf("%q: accepted", bad)
		}
	}
}

func TestModulePath(t *testing.T) {
	for _, tc := range []struct{ given, dir, want string }{
		{"", "fleet", "example.com/fleet@v0"},
		{"", "Home", "example.com/home@v0"},
		{"", "my fleet", "example.com/fleet@v0"},
		{"", "/", "example.com/fleet@v0"},
		{"example.org/hosts", "x", "example.org/hosts@v0"},
		{"example.org/hosts@v1", "x", "example.org/hosts@v1"},
	} {
		got := ModulePath(tc.given, tc.dir)
		if got != tc.want {
			t.Errorf("ModulePath(%q, %q) = %s, want %s", tc.given, tc.dir, got, tc.want)
		}
		if err := CheckModule(got); err != nil {
			t.Errorf("%s: %v", got, err)
		}
	}
	for _, bad := range []string{"fleet@v0", "example.com/Fleet@v0", "example.com/x@v0.1", "example.com/x"} {
		if CheckModule(bad) == nil {
			t.Errorf("%q: accepted", bad)
		}
	}
}

// The pin of an axc: its release, the commit of its pseudo-version, or the
// commit it was built from; nothing for a version or revision that is
// neither (it would be written into YAML and a shell command).
func TestPinFor(t *testing.T) {
	const rev = "0123456789abcdef0123456789abcdef01234567"
	for _, tc := range []struct {
		v, rev string
		dirty  bool
		want   Pin
	}{
		{"v1.2.3", rev, false, Pin{Rev: "v1.2.3", Version: "v1.2.3"}},
		{"v0.10.0", "", false, Pin{Rev: "v0.10.0", Version: "v0.10.0"}},
		{"v1.2.3-rc.1", "", false, Pin{Rev: "v1.2.3-rc.1", Version: "v1.2.3-rc.1"}},
		{"v0.0.0-20260101120000-0123456789ab", "", false, Pin{Rev: "0123456789ab", Version: "v0.0.0-20260101120000-0123456789ab", Commit: true}},
		{"v1.2.4-0.20260101120000-0123456789ab", "", false, Pin{Rev: "0123456789ab", Version: "v1.2.4-0.20260101120000-0123456789ab", Commit: true}},
		{"v1.2.3-pre.0.20260101120000-0123456789ab", "", false, Pin{Rev: "0123456789ab", Version: "v1.2.3-pre.0.20260101120000-0123456789ab", Commit: true}},
		{"devel-0123456789ab", rev, false, Pin{Rev: rev, Version: rev, Commit: true}},
		{"devel-0123456789ab-dirty", rev, true, Pin{Rev: rev, Version: rev, Commit: true, Dirty: true}},
		{"devel", "", false, Pin{}},
		{"devel", "0123456789ab", false, Pin{}}, // not a whole commit
		{"devel", rev + "\nrev: x", false, Pin{}},
		{"v1.2.3\nrev: x", "", false, Pin{}},
		{"v1.2.3+build", "", false, Pin{}},
		{"1.2.3", "", false, Pin{}},
	} {
		if got := PinFor(tc.v, tc.rev, tc.dirty); got != tc.want {
			t.Errorf("PinFor(%q, %q, %v) = %+v, want %+v", tc.v, tc.rev, tc.dirty, got, tc.want)
		}
	}
}

// tree is every file under dir, by slash path, with its content.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			out[rel+"/"] = ""
			return nil
		}
		data, err := os.ReadFile(p)
		out[rel] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func newFiles(t *testing.T) map[string][]byte {
	t.Helper()
	tab := table(t)
	files, err := Files(Repo{Release: tab.Newest(), Module: "example.com/x@v0", Host: Host{Name: "web", FormFactor: "desktop", CPU: "amd", GPU: "amd", TimeZone: "UTC"}, User: &User{Name: "alice", FullName: "Alice"}})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestCreate(t *testing.T) {
	files := newFiles(t)
	for _, existing := range []bool{false, true} {
		root := t.TempDir()
		dir := filepath.Join(root, "a", "b", "fleet")
		if existing {
			if err := os.MkdirAll(filepath.Join(dir, ".git"), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		if err := Create(dir, files); err != nil {
			t.Fatal(err)
		}
		got := tree(t, dir)
		for name, data := range files {
			if got[name] != string(data) {
				t.Errorf("existing %v: %s not written", existing, name)
			}
		}
		for name := range got {
			if _, ok := files[name]; !ok && !strings.HasSuffix(name, "/") {
				t.Errorf("existing %v: stray file %s", existing, name)
			}
		}
		// No staging directory left, beside or inside.
		for _, d := range []string{filepath.Dir(dir), dir} {
			entries, _ := os.ReadDir(d)
			for _, e := range entries {
				if strings.Contains(e.Name(), "axc-init") {
					t.Errorf("existing %v: staging directory %s left in %s", existing, e.Name(), d)
				}
			}
		}
		if info, err := os.Stat(dir); err != nil || info.Mode().Perm() != 0o755 {
			t.Errorf("existing %v: %s: %v, %v", existing, dir, info.Mode(), err)
		}
	}
}

// A move that fails midway puts back the entries moved before it: the
// directory holds what it held.
func TestCreateUndoes(t *testing.T) {
	files := newFiles(t)
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	before := tree(t, dir)
	moves := 0
	moveEntry = func(from, to string, isDir bool) error {
		if moves++; moves == 3 {
			return errors.New("disk full")
		}
		return moveNew(from, to, isDir)
	}
	defer func() { moveEntry = moveNew }()
	err := Create(dir, files)
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Create = %v, want the move's error", err)
	}
	if after := tree(t, dir); !maps.Equal(before, after) {
		t.Errorf("directory changed:\nbefore %v\nafter  %v", keys(before), keys(after))
	}
}

// A file that appears between the check and the move is not overwritten.
func TestCreateNeverOverwrites(t *testing.T) {
	files := newFiles(t)
	dir := t.TempDir()
	moveEntry = func(from, to string, isDir bool) error {
		if filepath.Base(to) == LockFile {
			os.WriteFile(to, []byte("mine"), 0o644)
		}
		return moveNew(from, to, isDir)
	}
	defer func() { moveEntry = moveNew }()
	if err := Create(dir, files); err == nil {
		t.Fatal("Create overwrote a file")
	}
	got := tree(t, dir)
	if got[LockFile] != "mine" || len(got) != 2 { // "./" and the file
		t.Errorf("directory holds %v, flake.lock %q", keys(got), got[LockFile])
	}
}

func TestCreateRefuses(t *testing.T) {
	files := newFiles(t)
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "hosts"), 0o755)
	os.WriteFile(filepath.Join(dir, "hosts", "web.cue"), []byte("mine"), 0o644)
	before := tree(t, dir)
	err := Create(dir, files)
	var refused *RefusedError
	if !errors.As(err, &refused) {
		t.Fatalf("Create = %v, want a RefusedError", err)
	}
	if want := []string{filepath.Join(dir, "hosts", "web.cue")}; !slices.Equal(refused.Exist, want) || !slices.Equal(refused.Others, []string{"hosts/"}) {
		t.Errorf("refused %+v", refused)
	}
	if after := tree(t, dir); !maps.Equal(before, after) {
		t.Errorf("directory changed: %v", keys(after))
	}
}

func TestUpgrade(t *testing.T) {
	tab := table(t)
	from, _ := tab.Lookup("v2026.01.13")
	to := tab.Newest()
	dir := t.TempDir()
	files := newFiles(t)
	files[LockFile] = Lock(from)
	for name, data := range mustSchema(t, from.Tag) {
		files[SchemaDir+"/"+name] = data
	}
	if err := Create(filepath.Join(dir, "r"), files); err != nil {
		t.Fatal(err)
	}
	dir = filepath.Join(dir, "r")
	before := tree(t, dir)

	// The lock cannot be written: the old schema is back.
	writeLock = func(*confine.Root, string, []byte) error { return errors.New("disk full") }
	_, err := Upgrade(dir, tab, to)
	writeLock = writeLockDefault
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Upgrade = %v, want the lock's error", err)
	}
	if after := tree(t, dir); !maps.Equal(before, after) {
		t.Fatalf("a failed upgrade changed the repository: %v", keys(after))
	}

	u, err := Upgrade(dir, tab, to)
	if err != nil {
		t.Fatal(err)
	}
	if u.From != from.Tag || u.Lock == nil || u.Lock.Tag != to.Tag || len(u.Changed) == 0 {
		t.Errorf("upgraded %+v", u)
	}
	after := tree(t, dir)
	for name, data := range before {
		switch {
		case name == LockFile:
			if after[name] != string(Lock(to)) {
				t.Errorf("flake.lock not rewritten for %s", to.Tag)
			}
		case strings.HasPrefix(name, SchemaDir+"/") && !strings.HasSuffix(name, "/"):
			if want := mustSchema(t, to.Tag)[strings.TrimPrefix(name, SchemaDir+"/")]; after[name] != string(want) {
				t.Errorf("%s is not %s's", name, to.Tag)
			}
		case after[name] != data:
			t.Errorf("%s changed", name)
		}
	}
	if len(after) != len(before) {
		t.Errorf("files before %v, after %v", keys(before), keys(after))
	}
	if u, err := Upgrade(dir, tab, to); err != nil || u.Any() {
		t.Errorf("second upgrade: %+v, %v", u, err)
	}
}

var writeLockDefault = writeLock

func mustSchema(t *testing.T, tag string) map[string][]byte {
	t.Helper()
	files, err := SchemaFiles(tag)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func keys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }

// The pre-commit configuration and the workflow name the pinned axc, and
// say in their comments which kind of pin it is.
func TestPinnedFiles(t *testing.T) {
	tab, err := release.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	const rev = "0123456789abcdef0123456789abcdef01234567"
	for _, tc := range []struct {
		pin                 Pin
		hookRev, goVersion  string
		comment, notComment string
	}{
		{Pin{Rev: "v1.2.3", Version: "v1.2.3"}, "v1.2.3", "v1.2.3", "The axc release that wrote this file", "development"},
		{Pin{Rev: rev, Version: rev, Commit: true}, rev, rev, "(a development build).", "changes on top"},
		{Pin{Rev: rev, Version: rev, Commit: true, Dirty: true}, rev, rev, "That build had changes on top of it, which this commit lacks.", "release that wrote"},
		{Pin{}, "HEAD", "latest", "knew neither its release nor its commit", "development"},
	} {
		files, err := Files(Repo{Release: tab.Newest(), Module: "example.com/x@v0", Host: Host{Name: "web", FormFactor: "desktop", CPU: "amd", GPU: "amd", TimeZone: "UTC"}, Pin: tc.pin})
		if err != nil {
			t.Fatal(err)
		}
		hook, wf := string(files[PreCommit]), string(files[Workflow])
		if !strings.Contains(hook, "\n    rev: "+tc.hookRev+"\n") {
			t.Errorf("%+v: pre-commit config:\n%s", tc.pin, hook)
		}
		if !strings.Contains(wf, "\n        run: go install github.com/axc-dev/axc/cmd/axc@"+tc.goVersion+"\n") {
			t.Errorf("%+v: workflow:\n%s", tc.pin, wf)
		}
		for _, text := range []string{hook, wf} {
			if !strings.Contains(text, tc.comment) && !(tc.pin == Pin{} && text == wf) || strings.Contains(text, tc.notComment) {
				t.Errorf("%+v: comments:\n%s", tc.pin, text)
			}
		}
	}
}
