package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/axc-dev/axc/cmd/axc/cmd"
)

// A commit cannot leave the repository failing vet: for every kind of
// change to a clean repository (deleting, renaming, or changing each host
// and user file, each shared value, each user name, each list of users),
// when the whole vet after the change fails, axc vet --staged (what the
// pre-commit hook runs) fails too, and everything it reports the whole vet
// reports too.
func TestStagedVetCatchesWholeVet(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		if os.Getenv("AXC_REQUIRE_PRECOMMIT") == "1" {
			t.Fatalf("AXC_REQUIRE_PRECOMMIT=1 but git is not installed: %v", err)
		}
		t.Skip("needs git")
	}
	clean := map[string]string{
		"hosts/shared.cue": "_tz: extraConfig: cairn: system: timeZone: \"UTC\"\n_admins: [\"bob\"]\n",
		"hosts/rootfs.cue": "[string]: extraConfig: fileSystems: \"/\": device: \"/dev/sda1\"\n",
		"hosts/web.cue":    "web: _tz & {users: _admins}\n",
		"hosts/db.cue":     "db: _tz & {hardware: cpu: \"amd\", users: [\"alice\"]}\n",
		"hosts/split.cue":  "db: modules: gaming: false\n",
		"hosts/mail.cue":   "mail: _tz & {hardware: db.hardware, users: [\"dave\"]}\n",
		"hosts/kiosk.json": `{"extraConfig": {"cairn": {"system": {"timeZone": "UTC"}}, "fileSystems": {"/": {"device": "/dev/sda1"}}}, "users": ["carol"]}`,
		"users/shared.cue": "_person: {email: \"\\(fullName)@example.org\", fullName: string}\n",
		"users/bob.cue":    "bob: _person & {fullName: \"bob\"}\n",
		"users/alice.cue":  "alice: fullName: \"Alice\"\n",
		"users/dave.json":  `{"fullName": "Dave"}`,
		"users/carol.yaml": "fullName: Carol\n",
	}
	type change struct {
		name   string
		write  map[string]string // new contents ("" deletes)
		failOK bool              // the whole vet after it passes: nothing to block
	}
	changes := []change{
		{name: "rename key _tz", write: map[string]string{"hosts/shared.cue": "_zone: extraConfig: cairn: system: timeZone: \"UTC\"\n_admins: [\"bob\"]\n"}},
		{name: "break _tz", write: map[string]string{"hosts/shared.cue": "_tz: extraConfig: cairn: system: timeZone: 3\n_admins: [\"bob\"]\n"}},
		{name: "admins nobody", write: map[string]string{"hosts/shared.cue": "_tz: extraConfig: cairn: system: timeZone: \"UTC\"\n_admins: [\"nobody\"]\n"}},
		{name: "split part broken", write: map[string]string{"hosts/split.cue": "db: modules: gaming: 3\n"}},
		{name: "host referred to broken", write: map[string]string{"hosts/db.cue": "db: _tz & {hardware: cpu: \"arm\", users: [\"alice\"]}\n"}},
		{name: "host renamed", write: map[string]string{"hosts/db.cue": "dbx: _tz & {hardware: cpu: \"amd\", users: [\"alice\"]}\n"}},
		{name: "json host lists nobody", write: map[string]string{"hosts/kiosk.json": `{"extraConfig": {"cairn": {"system": {"timeZone": "UTC"}}, "fileSystems": {"/": {"device": "/dev/sda1"}}}, "users": ["nobody"]}`}},
		{name: "user key renamed", write: map[string]string{"users/alice.cue": "alicia: fullName: \"Alice\"\n"}},
		{name: "user file and key renamed", write: map[string]string{"users/alice.cue": "", "users/alicia.cue": "alicia: fullName: \"Alice\"\n"}},
		{name: "json user renamed", write: map[string]string{"users/dave.json": "", "users/david.json": `{"fullName": "Dave"}`}},
		{name: "yaml user broken", write: map[string]string{"users/carol.yaml": "fullName: 3\n"}},
		{name: "user shared value renamed", write: map[string]string{"users/shared.cue": "_human: {email: \"\\(fullName)@example.org\", fullName: string}\n"}},
		{name: "user shared value broken", write: map[string]string{"users/shared.cue": "_person: {email: \"\\(fullName) at example.org\", fullName: string}\n"}},
		{name: "new host file lists nobody", write: map[string]string{"hosts/new.cue": "new: _tz & {users: [\"nobody\"]}\n"}},
		{name: "new host file declares db again", write: map[string]string{"hosts/new.cue": "db: hardware: cpu: \"arm\"\n"}},
		{name: "new user file", write: map[string]string{"users/erin.cue": "erin: fullName: \"Erin\"\n"}, failOK: true},
		{name: "unrelated file", write: map[string]string{"README.md": "notes\n"}, failOK: true},
	}
	for f := range clean {
		// Deleting a host breaks nothing (its users may be left on no
		// host: a warning); deleting anything else breaks something.
		changes = append(changes, change{name: "delete " + f, write: map[string]string{f: ""}, failOK: strings.HasPrefix(f, "hosts/") && f != "hosts/shared.cue" && f != "hosts/db.cue"})
	}
	// The clean repository, committed, once; each change is made to a copy.
	cleanDir := t.TempDir()
	for f, text := range clean {
		writeEntryFile(t, cleanDir, f, text)
	}
	gitRun(t, cleanDir, "init", "-q")
	gitRun(t, cleanDir, "add", "-A")
	gitRun(t, cleanDir, "-c", "user.name=a", "-c", "user.email=a@example.org", "commit", "-q", "-m", "clean")
	t.Chdir(cleanDir)
	if ds, code := vetIn(t, "vet"); code != 0 {
		t.Fatalf("the clean repository does not vet clean (exit %d): %v", code, ds)
	}
	for _, c := range changes {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "repo")
			if err := os.CopyFS(dir, os.DirFS(cleanDir)); err != nil {
				t.Fatal(err)
			}
			t.Chdir(dir)
			for f, text := range c.write {
				if text == "" {
					gitRun(t, dir, "rm", "-q", f)
				} else {
					writeEntryFile(t, dir, f, text)
				}
			}
			gitRun(t, dir, "add", "-A")
			whole, wholeCode := vetIn(t, "vet")
			staged, stagedCode := vetIn(t, "vet", "--staged")
			if wholeCode == 0 && !c.failOK {
				t.Fatalf("the change breaks nothing: the test proves nothing")
			}
			if wholeCode != 0 && stagedCode == 0 {
				t.Errorf("whole vet fails (exit %d), vet --staged passes:\n%s", wholeCode, strings.Join(whole, "\n"))
			}
			for _, d := range staged {
				if !slices.Contains(whole, d) {
					t.Errorf("vet --staged reports what the whole vet does not: %s\nwhole:\n%s", d, strings.Join(whole, "\n"))
				}
			}
		})
	}
}

func writeEntryFile(t *testing.T, dir, name, text string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(name, ".cue") {
		text = "package " + filepath.Base(filepath.Dir(p)) + "\n\n" + text
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func gitRun(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// vetIn runs axc with args (and --axios v2026.05.01, --format json) in the
// working directory: its diagnostics as lines, and its exit code.
func vetIn(t *testing.T, args ...string) ([]string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := cmd.Run(append([]string{"--axios", "v2026.05.01", "--format", "json"}, args...), &stdout, &stderr)
	if code > 1 {
		t.Fatalf("axc %v: exit %d: %s", args, code, stderr.String())
	}
	var report struct{ Diagnostics []diag }
	if stdout.Len() == 0 && code == 0 {
		return nil, 0 // nothing to vet
	}
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		t.Fatalf("axc %v: %v\n%s", args, err, stdout.String())
	}
	var lines []string
	for _, d := range report.Diagnostics {
		lines = append(lines, d.String())
	}
	return lines, code
}
