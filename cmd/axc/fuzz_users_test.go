package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"cuelang.org/go/cue"

	"github.com/axc-dev/axc/internal/compile"
	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/nix/nixtest"
	"github.com/axc-dev/axc/schema"
)

// FuzzUserFile feeds whole user files (a CUE file of package users, or a
// JSON or YAML user named alice) beside a valid host that carries alice,
// through axc vet and axc build, for a release of each user model, and
// checks what FuzzHostFile checks of hosts: exit codes 0, 1 or 2 and no
// internal error; vet and build agree; a failed build writes nothing; a
// successful one writes only flake.nix, hosts/h.nix and users/NAME.nix for
// names NixOS accepts, and every user file parses and evaluates, with real
// Nix, to what cue export gives for the user (as nixeq checks).
//
// The kind byte picks the format (kind%3: CUE, JSON, YAML) and the release
// ((kind/3)%2: the newest, or the pinned 96990f9 with one axios user).
//
//	go test ./cmd/axc -run '^$' -fuzz FuzzUserFile -fuzztime 5m
func FuzzUserFile(f *testing.F) {
	for _, s := range userFileSeeds {
		f.Add(s.kind, []byte(s.src))
	}
	haveNix, err := nixtest.Available()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, kind uint8, src []byte) {
		root, err := os.MkdirTemp("", "axcfuzz")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(root) })
		if root, err = filepath.EvalSymlinks(root); err != nil {
			t.Fatal(err)
		}
		format, tag, ns := int(kind%3), "v2026.05.01", "cairn"
		if (kind/3)%2 == 1 {
			tag, ns = pinnedRelease, "axios"
		}
		work := filepath.Join(root, "work")
		hosts, users, out := filepath.Join(work, "in", "hosts"), filepath.Join(work, "in", "users"), filepath.Join(work, "out")
		for _, d := range []string{hosts, users} {
			if err := os.MkdirAll(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		host := "package hosts\n\nh: {hardware: {}, extraConfig: " + ns + ": system: timeZone: \"UTC\", users: [\"alice\"]}\n"
		userFile := [...]string{"users.cue", "alice.json", "alice.yaml"}[format]
		for p, data := range map[string][]byte{filepath.Join(hosts, "h.cue"): []byte(host), filepath.Join(users, userFile): src} {
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		c := &fuzzCase{t: t, kind: kind, src: src, work: work, tag: tag}
		run := func(args ...string) axcRun {
			r := c.axc(args...)
			c.checkRun(args[0], r)
			return r
		}
		before := snapshot(t, work)
		inputs := snapshot(t, filepath.Join(work, "in"))
		vet := run("vet", hosts)
		if d := diffSnapshots(before, snapshot(t, work)); d != nil {
			t.Errorf("axc vet changed files:\n%s", strings.Join(d, "\n"))
		}
		build := run("build", hosts, "-o", out)
		t.Logf("kind %d (%s, %s): vet exits %d, build exits %d\n%.300s%.300s", kind, tag, userFile, vet.code, build.code, vet.stdout, vet.stderr)
		after := snapshot(t, work)
		if d := diffSnapshots(inputs, snapshot(t, filepath.Join(work, "in"))); d != nil {
			t.Errorf("axc build changed its inputs:\n%s", strings.Join(d, "\n"))
		}
		if vet.code != build.code {
			t.Errorf("vet exits %d, build exits %d\nvet:\n%s%s\nbuild:\n%s", vet.code, build.code, vet.stdout, vet.stderr, build.stderr)
		}
		if build.code != 0 {
			if d := diffSnapshots(before, after); d != nil {
				t.Errorf("axc build exited %d but changed files:\n%s", build.code, strings.Join(d, "\n"))
			}
			return
		}
		var names []string
		for _, r := range sortedKeys(after) { // relative to work, slashed
			if r == "in" || strings.HasPrefix(r, "in/") {
				continue
			}
			switch {
			case r == "out" || r == "out/flake.nix" || r == "out/hosts" || r == "out/users" || r == "out/hosts/h.nix":
			case validUserFile.MatchString(r):
				names = append(names, strings.TrimSuffix(filepath.Base(r), ".nix"))
			default:
				t.Errorf("build wrote %s", r)
			}
		}
		if d := diffSnapshots(before, after); len(d) == 0 {
			t.Errorf("a successful build wrote nothing")
		}
		if t.Failed() || !haveNix {
			return
		}
		fsys, err := schema.Release(tag)
		if err != nil {
			t.Fatal(err)
		}
		contract, err := schema.ReadContract(fsys)
		if err != nil {
			t.Fatal(err)
		}
		l, err := load.NewWithSchema(fsys)
		if err != nil {
			t.Fatal(err)
		}
		l.SetKind(load.Users)
		res, err := l.Load([]string{users})
		if err != nil {
			t.Fatal(err)
		}
		exports := map[string]map[string]any{}
		res.Each(func(_ int, u *load.Host, v cue.Value) {
			js, err := v.MarshalJSON()
			if err != nil {
				t.Errorf("user %s: %v", u.Name, err)
				return
			}
			dec := json.NewDecoder(bytes.NewReader(js))
			dec.UseNumber()
			var m map[string]any
			if err := dec.Decode(&m); err != nil {
				t.Errorf("user %s: %v", u.Name, err)
			}
			exports[u.Name] = m
		})
		if len(exports) != len(names) {
			t.Errorf("built %d user files %v for %d users", len(names), names, len(exports))
		}
		ctx, cancel := context.WithTimeout(context.Background(), fuzzTimeout)
		defer cancel()
		for _, name := range names {
			file := filepath.Join(out, compile.UserFile(name))
			if err := nixtest.ParseFile(ctx, file); err != nil {
				t.Errorf("%s does not parse: %v\n%s", file, err, readFile(file))
				continue
			}
			got, err := nixtest.UserModule(ctx, file)
			if err != nil {
				t.Errorf("%s does not evaluate: %v\n%s", file, err, readFile(file))
				continue
			}
			want := userModuleWant(contract.User, name, exports[name])
			if d := nixtest.CompareExport(ctx, want, got, users, filepath.Dir(file)); d != "" {
				t.Errorf("user %s: Nix and cue export differ: %s\n%s", name, d, readFile(file))
			}
		}
	})
}

var validUserFile = regexp.MustCompile(`^out/users/[a-z_][a-z0-9_-]{0,31}\.nix$`)

// userFileSeeds are user files of each format and release, valid and not,
// with the values users write (home options, raw Nix, paths) and hostile
// ones (names that are paths, quotes, NULs, huge numbers).
var userFileSeeds = []struct {
	kind uint8
	src  string
}{
	{0, "package users\n\nalice: {fullName: \"Alice\", email: \"a@example.org\", isAdmin: true, extraGroups: [\"wheel\", \"video\"], linger: true, home: cairn: pwa: {enable: true, apps: mail: {name: \"Mail\", url: \"https://m.example.org\", icon: \"mail\", actions: new: {name: \"New\", url: \"https://m.example.org/new\"}}}}\n"},
	{0, "package users\n\nalice: {fullName: \"A \\\"quoted\\\" ${x} \\\\ name\", home: {programs: git: {enable: true, extraConfig: core: editor: \"vim\"}, home: stateVersion: \"24.11\"}}\n"},
	{0, "package users\n\nalice: {fullName: \"A\", home: cairn: secrets: secretsDir: \"./secrets\"}\n"},
	{0, "package users\n\nalice: {fullName: \"A\", home: programs: x: {$nix: \"lib.mkForce true\"}}\n"},
	{0, "package users\n\nalice: {fullName: \"A\", home: programs: x: {$nix: \"pkgs.hello\"}}\n"},
	{0, "package users\n\nalice: {fullName: \"A\"}\n\"../etc\": {fullName: \"B\"}\nBob: {fullName: \"C\"}\n\"a\\u0000b\": {fullName: \"D\"}\n"},
	{0, "package users\n\nalice: {fullName: \"A\", home: x: 99999999999999999999}\n"},
	{0, "package users\n\nalice: {fullName: \"A\", home: x: 1.5e300, home: y: -9223372036854775808}\n"},
	{0, "package users\n\nalice: {fullName: \"A\"}\nbob: {fullName: \"B\"}\n"},
	{0, "package users\n\nalice: 5\n"},
	{0, "package users\n\nalice: {fullName: \"A\", home: cairn: pwa: apps: x: {name: \"X\", icon: \"x\", url: \"javascript:alert(1)\"}}\n"},
	{1, `{"fullName": "Alice", "email": "alice@example.org", "home": {"cairn": {"wallpapers": {"enable": true}}, "xdg": {"enable": true}}}`},
	{1, `{"fullName": "Alice", "home": {"a.b": {"c d": "e\u2028f"}}}`},
	{1, `{"email": "nope"}`},
	{1, `[1, 2]`},
	{2, "fullName: Alice\nhome:\n  cairn:\n    pwa:\n      enable: true\n"},
	{2, "fullName: Alice\nisAdmin: yes\n"},
	{2, "fullName: !!binary aGVsbG8=\n"},
	{3, "package users\n\nalice: {fullName: \"Alice\", email: \"a@example.org\", home: axios: pwa: {enable: true, extraApps: mail: {name: \"Mail\", url: \"https://m.example.org\", icon: \"mail\"}}}\n"},
	{3, "package users\n\nalice: {name: \"alice\"}\n"},
	{3, "package users\n\nalice: {}\nbob: {fullName: \"B\"}\n"},
	{4, `{"fullName": "", "home": {"axios": {"pwa": {"extraApps": {"x": {"name": "X", "icon": "x", "url": "ftp://x"}}}}}}`},
	{5, "email: alice@example.org\nhome:\n  programs:\n    bash:\n      enable: true\n"},
}
