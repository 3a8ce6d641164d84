package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/axc-dev/axc/cmd/axc/cmd"
	"github.com/axc-dev/axc/internal/termtext"
)

// evil is what a hostile name holds: a newline that would start a forged
// `file:line:col:` line, ESC sequences that clear the screen and recolour,
// a carriage return, a bidi override and isolate, a C1 control.
const evil = "\nforged.cue:1:1: fake finding\x1b[2J\x1b[31m\r\u202e\u2066\u0085"

// TestHostileTextIsEscaped feeds names holding evil through every command
// that writes text (vet and build findings, warnings, import notes and
// problems, init, options, schema gen, unreadable inputs, cobra's errors)
// and checks every output: each record is one line, and no line holds a
// control or format character.
func TestHostileTextIsEscaped(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	write := func(name, data string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }

	// Findings naming an option, a file and a host from input.
	write("fleet/hosts/h.cue", "package hosts\n\na: extraConfig: {axios: system: timeZone: \"UTC\", fileSystems: \"/\": device: \"/dev/sda1\"}\na: extraConfig: axios: "+q("opt"+evil)+": true\n")
	write("fleet/hosts/b"+evil+".json", `{"extraConfig": {"axios": {"system": {"timeZone": 5}}}}`)
	// Users: an unknown user whose name is evil.
	write("users/hosts/h.cue", "package hosts\n\nweb: {hardware: {}, extraConfig: {cairn: system: timeZone: \"UTC\", fileSystems: \"/\": device: \"/dev/sda1\"}, users: ["+q("u"+evil)+"]}\n")
	write("users/users/users.cue", "package users\n\nalice: {fullName: \"Alice\"}\n")
	// A flake.lock whose input name is evil, at a rev no release has.
	write("locked/hosts/h.cue", "package hosts\n\na: extraConfig: {axios: system: timeZone: \"UTC\", fileSystems: \"/\": device: \"/dev/sda1\"}\n")
	write("locked/flake.lock", `{"nodes": {"x": {"locked": {"type": "github", "owner": "kcalvelli", "repo": "axios",
		"rev": "1111111111111111111111111111111111111111", "lastModified": 1764181877}},
		"root": {"inputs": {`+q("in"+evil)+`: "x"}}}, "root": "root", "version": 7}`)
	// Import: a host file named evil, whose Nix is kept with evil in it.
	write("nix/h"+strings.ReplaceAll(evil, "/", "")+".nix", "{ lib, ... }:\n{\n  hostConfig = {\n    hostname = \"web\";\n    extraConfig.cairn.system.timeZone = \"UTC\";\n    extraConfig.foo = lib.mkForce \""+evil+"\";\n  };\n}\n")
	// schema gen: two options of unknown types, named evil.
	write("gen/nixos.json", `{`+q("axios.a"+evil)+`: {"declarations": ["modules/system"], "loc": ["axios", "a"], "type": "package"},
		`+q("axios.b"+evil)+`: {"declarations": ["modules/system"], "loc": ["axios", "b"], "type": "package"}}`)
	write("gen/home.json", `{}`)

	// vet's records are its diagnostics: as many as its JSON lists.
	var report struct{ Diagnostics []json.RawMessage }
	vetJSON := run(t, "--axios", "96990f9", "vet", "--format", "json", "fleet/hosts")
	if err := json.Unmarshal([]byte(vetJSON.stdout), &report); err != nil || len(report.Diagnostics) < 3 {
		t.Fatalf("vet --format json: %v, %d diagnostics:\n%s", err, len(report.Diagnostics), vetJSON.stdout)
	}
	n := len(report.Diagnostics)
	var ureport struct{ Diagnostics []json.RawMessage }
	uJSON := run(t, "--axios", "v2026.05.01", "vet", "--format", "json", "users/hosts")
	if err := json.Unmarshal([]byte(uJSON.stdout), &ureport); err != nil || len(ureport.Diagnostics) < 1 {
		t.Fatalf("vet --format json (users): %v:\n%s", err, uJSON.stdout)
	}

	for _, tc := range []struct {
		name           string
		args           []string
		stdout, stderr int // records
	}{
		{"vet findings", []string{"--axios", "96990f9", "vet", "fleet/hosts"}, n, 0},
		{"build findings", []string{"--axios", "96990f9", "build", "fleet/hosts", "-o", "out"}, 0, n},
		{"unknown user", []string{"--axios", "v2026.05.01", "vet", "users/hosts"}, len(ureport.Diagnostics), 0},
		{"lock warning", []string{"vet", "locked/hosts"}, 1, 1},                                                     // the finding, the summary
		{"import notes", []string{"--axios", "v2026.05.01", "import", "nix", "-o", "imported", "--dry-run"}, -1, 3}, // a note, the release, the summary
		{"unreadable inputs", []string{"--axios", "96990f9", "vet", "no" + evil + ".json", "nor" + evil + ".cue"}, 0, 2},
		{"init flags", []string{"init", "new" + evil, "--hostname", "h" + evil, "--user", "u" + evil}, 0, 2},
		{"options", []string{"--axios", "96990f9", "options", "q" + evil}, 0, 1},
		{"schema gen", []string{"schema", "gen", "--nixos", "gen/nixos.json", "--home", "gen/home.json", "-o", "gen/out"}, 0, 2},
		{"unknown flag", []string{"vet", "--x" + evil}, 0, 2}, // the error, "Run 'axc help'"
		{"unknown command", []string{"v" + evil}, 0, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, tc.args...)
			if r.code == 0 && tc.name != "lock warning" && tc.name != "import notes" {
				t.Errorf("exit 0, want a failure")
			}
			checkRecords(t, "stdout", r.stdout, tc.stdout)
			checkRecords(t, "stderr", r.stderr, tc.stderr)
		})
	}
}

type textRun struct {
	code           int
	stdout, stderr string
}

func run(t *testing.T, args ...string) textRun {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := cmd.Run(args, &stdout, &stderr)
	return textRun{code, stdout.String(), stderr.String()}
}

// checkRecords checks that out is want lines (want < 0: any number, for a
// file listing), each ended by a newline, none holding a control or format
// character or a byte that is not UTF-8.
func checkRecords(t *testing.T, name, out string, want int) {
	t.Helper()
	if out != "" && !strings.HasSuffix(out, "\n") {
		t.Errorf("%s does not end with a newline: %q", name, out)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if out == "" {
		lines = nil
	}
	if want >= 0 && len(lines) != want {
		t.Errorf("%s: %d lines, want %d records, one a line:\n%s", name, len(lines), want, out)
	}
	for _, l := range lines {
		if !utf8.ValidString(l) {
			t.Errorf("%s: line is not UTF-8: %q", name, l)
		}
		for _, r := range l {
			if termtext.NeedsEscape(r) && r != '\t' {
				t.Errorf("%s: line holds %U: %q", name, r, l)
				break
			}
		}
	}
}
