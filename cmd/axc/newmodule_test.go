package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axc-dev/axc/cmd/axc/cmd"
)

// Teaching axc a new axios module is a CUE edit and `axc schema gen`, no
// Go change: in a copy of the schema, a new flag and the module directory
// it imports, with one option; hosts using it vet and build against that
// schema, and the option does not exist while the flag is off.
func TestNewModuleIsData(t *testing.T) {
	dir := copySchema(t)
	hostCue := filepath.Join(dir, "host.cue")
	src, err := os.ReadFile(hostCue)
	if err != nil {
		t.Fatal(err)
	}
	const anchor = "\t\tservices:    *false | #Flag @flag(\"services\")\n"
	if !strings.Contains(string(src), anchor) {
		t.Fatalf("host.cue no longer has %q: update the test", anchor)
	}
	src = []byte(strings.Replace(string(src), anchor, anchor+"\t\tprinting: *false | #Flag @flag(\"printing\")\n", 1))
	src = []byte(strings.Replace(string(src), `@closed("axios", `, `@closed("printing", "axios", `, 1))
	if err := os.WriteFile(hostCue, src, 0o644); err != nil {
		t.Fatal(err)
	}

	// The release's options, plus the new module's one option.
	var nixos map[string]any
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "axios", "nixos-options.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &nixos); err != nil {
		t.Fatal(err)
	}
	nixos["printing.enable"] = map[string]any{
		"loc":          []string{"printing", "enable"},
		"type":         "boolean",
		"default":      map[string]any{"_type": "literalExpression", "text": "false"},
		"declarations": []string{"modules/printing/default.nix"},
		"readOnly":     false,
	}
	data, err = json.Marshal(nixos)
	if err != nil {
		t.Fatal(err)
	}
	nixosFile := filepath.Join(t.TempDir(), "nixos-options.json")
	if err := os.WriteFile(nixosFile, data, 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(want int, args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		if code := cmd.Run(args, &stdout, &stderr); code != want {
			t.Fatalf("axc %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, want, stdout.String(), stderr.String())
		}
		return stdout.String() + stderr.String()
	}
	run(0, "schema", "gen", "--nixos", nixosFile, "--home", filepath.Join("..", "..", "testdata", "axios", "home-options.json"), "-o", dir)

	hosts := filepath.Join(t.TempDir(), "hosts")
	os.MkdirAll(hosts, 0o755)
	write := func(body string) {
		if err := os.WriteFile(filepath.Join(hosts, "h.cue"), []byte("package hosts\n\n"+body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(`printer: {
	modules: printing: true
	extraConfig: {axios: system: timeZone: "UTC", fileSystems: "/": device: "/dev/sda1"}
	extraConfig: printing: enable: true
}
`)
	run(0, "--schema", dir, "vet", "-q", hosts)
	out := t.TempDir()
	run(0, "--schema", dir, "build", "-q", hosts, "-o", out)
	built, err := os.ReadFile(filepath.Join(out, "hosts", "printer.nix"))
	if err != nil || !strings.Contains(string(built), "printing = true;") || !strings.Contains(string(built), "enable = true;") {
		t.Errorf("built host lacks the new flag and option: %v\n%s", err, built)
	}
	// The built-in schema knows neither.
	if got := run(1, "vet", hosts); !strings.Contains(got, "unknown field modules.printing") {
		t.Errorf("built-in schema: %s", got)
	}

	write(`printer: {
	extraConfig: {axios: system: timeZone: "UTC", fileSystems: "/": device: "/dev/sda1"}
	extraConfig: printing: enable: true
	extraConfig: printing: enabel: true
}
`)
	got := run(1, "--schema", dir, "vet", hosts)
	for _, want := range []string{
		"option printing.enable does not exist on this host: it comes with modules.printing, which is false (set modules.printing = true, or remove the option)",
		"unknown option printing.enabel (did you mean enable?)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("vet output lacks %q:\n%s", want, got)
		}
	}
}
