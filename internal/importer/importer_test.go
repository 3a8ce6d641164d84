package importer

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/axc-dev/axc/schema"
)

// run imports files (by path below a temporary directory) for release tag
// and returns the written files by path, the report, and the error.
func run(t *testing.T, tag string, files map[string]string, inputs ...string) (map[string]string, []Note, error) {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fsys, err := schema.Release(tag)
	if err != nil {
		t.Fatal(err)
	}
	for i, in := range inputs {
		inputs[i] = filepath.Join(dir, in)
	}
	res, err := Import(Options{Inputs: inputs, OutDir: filepath.Join(dir, "out"), Schema: fsys})
	if err != nil {
		return nil, nil, err
	}
	out := map[string]string{}
	for _, f := range res.Files {
		out[f.Path] = string(f.Data)
	}
	for _, c := range res.Copies {
		out["copy:"+c.Path] = string(c.Data)
	}
	return out, res.Notes, nil
}

// flake wraps host sets as the nixosConfigurations of a flake.
func flake(lets, hosts string) string {
	return `{
  inputs.axios.url = "github:kcalvelli/axios";
  outputs = { self, axios, nixpkgs, ... }:
    let
` + lets + `
    in {
      nixosConfigurations = {
` + hosts + `
      };
    };
}
`
}

// contains fails unless text holds each of want, in order; runs of
// blanks compare equal (cue fmt aligns values).
func contains(t *testing.T, text string, want ...string) {
	t.Helper()
	rest := blanks.ReplaceAllString(text, " ")
	for _, w := range want {
		w = blanks.ReplaceAllString(w, " ")
		i := strings.Index(rest, w)
		if i < 0 {
			t.Fatalf("output lacks %q (in order)\n%s", w, text)
		}
		rest = rest[i+len(w):]
	}
}

var blanks = regexp.MustCompile(`[ \t]+`)

func TestEvalSubset(t *testing.T) {
	out, _, err := run(t, "96990f9", map[string]string{
		"flake.nix": flake(`
      tz = "Europe/Berlin";
      base = rec { cpu = "amd"; gpu = cpu; };
      name = "web";
      hw = import ./hw.nix;
      lib2 = nixpkgs.lib;`, `
        web = axios.lib.mkSystem {
          hostname = "${name}-01";
          hardware = { inherit (base) cpu gpu; hasSSD = true; } // { isLaptop = false; };
          modules.desktop = false;
          modules.ai = !true;
          homeProfile = ''
            workstation'';
          extraConfig = {
            axios.system.timeZone = tz;
            networking.hostId = "\"quoted\"\t${tz}";
            boot.kernel.sysctl."vm.swappiness" = 10;
            boot.kernel.sysctl."x.float" = 0.5;
            services.foo = null;
            nix.settings.trusted-users = [ "root" ] ++ [ name ];
            inherit hw;
          };
        };`),
		"hw.nix": `{ kind = "rack"; }`,
	}, ".")
	if err != nil {
		t.Fatal(err)
	}
	contains(t, out["hosts/web.cue"],
		`hostname: "web-01"`,
		`cpu:    "amd"`, `gpu:    "amd"`, `hasSSD: true`, `isLaptop: false`,
		`modules: desktop: false`,
		`modules: ai: {$nix: "!true"}`,
		`homeProfile: "workstation"`,
		`axios: system: timeZone: "Europe/Berlin"`,
		`networking: hostId: "\"quoted\"\tEurope/Berlin"`,
		`"vm.swappiness": 10`, `"x.float": 0.5`,
		`services: foo: null`,
		`"trusted-users": ["root", "web"]`,
		`hw: {`, `kind: "rack"`)
}

func TestRawWrapsItsVariables(t *testing.T) {
	out, notes, err := run(t, "96990f9", map[string]string{
		"flake.nix": flake(`
      port = 2222;
      inherit (nixpkgs) lib;
      l = nixpkgs.lib;`, `
        web = axios.lib.mkSystem {
          hostname = "web";
          hardware = { };
          extraConfig = {
            axios.system.timeZone = "UTC";
            services.openssh.ports = lib.mkForce [ port ];
            services.openssh.enable = l.mkDefault true;
          };
        };`),
	}, ".")
	if err != nil {
		t.Fatal(err)
	}
	contains(t, out["hosts/web.cue"], "let\n", "  port = 2222;\n", "lib.mkForce [ port ]", "l = lib;", "l.mkDefault true")
	if len(notes) != 2 || !strings.Contains(notes[0].String(), "flake.nix:") || !strings.Contains(notes[0].Msg, "kept as Nix: lib.mkForce [ port ]") {
		t.Fatalf("notes: %v", notes)
	}
}

func TestUnportable(t *testing.T) {
	_, _, err := run(t, "96990f9", map[string]string{
		"flake.nix": flake(`
      pkgs = nixpkgs.legacyPackages.x86_64-linux;`, `
        web = axios.lib.mkSystem {
          hostname = "web";
          hardware = { };
          extraConfig.environment.systemPackages = with pkgs; [ htop ];
        };`),
	}, ".")
	var ie *Error
	if !errors.As(err, &ie) || len(ie.Problems) != 1 {
		t.Fatalf("want one problem, got %v", err)
	}
	p := ie.Problems[0]
	if p.Line != 13 || p.Col != 52 || !strings.Contains(p.Msg, "it uses pkgs") || !strings.Contains(p.Msg, "which is the flake input nixpkgs.legacyPackages.x86_64-linux") {
		t.Fatalf("problem: %v", p)
	}
}

func TestSyntaxError(t *testing.T) {
	_, _, err := run(t, "96990f9", map[string]string{
		"hosts/web.nix": "{ hostname = \"web\";\n  hardware = { ;\n}\n",
	}, "hosts/web.nix")
	var ie *Error
	if !errors.As(err, &ie) || len(ie.Problems) != 1 || ie.Problems[0].Line != 2 || ie.Problems[0].Col != 16 {
		t.Fatalf("want a syntax error at 2:16, got %v", err)
	}
}

func TestPathsRebased(t *testing.T) {
	out, notes, err := run(t, "96990f9", map[string]string{
		"hosts/web.nix": `{ lib, ... }: {
  hostConfig = {
    hostname = "web";
    hardware = { };
    diskConfigPath = ./web/disks.nix;
    extraConfig = {
      axios.system.timeZone = "UTC";
      environment.etc.motd.source = ./web/motd;
      services.foo.files = lib.mkForce [ ./web/motd ];
    };
  };
}`,
		"hosts/web/disks.nix": "{ }",
		"hosts/web/motd":      "hi",
	}, "hosts/web.nix")
	if err != nil {
		t.Fatal(err)
	}
	// The files are copied to the same places below out, and
	// out/hosts/web.cue points at the copies: out/hosts/web/.
	contains(t, out["hosts/web.cue"],
		`diskConfigPath: "./web/disks.nix"`,
		`source: {$nix: "./web/motd"}`,
		`files: {$nix: "lib.mkForce [ ./web/motd ]"}`)
	if out["copy:hosts/web/disks.nix"] != "{ }" || out["copy:hosts/web/motd"] != "hi" || len(out) != 3 {
		t.Fatalf("want hosts/web.cue and copies of hosts/web/disks.nix and hosts/web/motd, got %v", out)
	}
	if len(notes) != 2 {
		t.Fatalf("notes: %v", notes)
	}
}

func TestDedentKeepsStrings(t *testing.T) {
	out, _, err := run(t, "v2026.01.13", map[string]string{
		"hosts/web.nix": `{ lib, ... }: {
  hostConfig = {
    hostname = "web";
    hardware = { };
    extraConfig = {
      axios.system.timeZone = "UTC";
      services.foo.text = lib.mkForce (''
        line
          indented
      '' + "a
         b");
    };
  };
}`,
	}, "hosts/web.nix")
	if err != nil {
		t.Fatal(err)
	}
	// The lines of the indented string lose no indentation of their own
	// (Nix strips it), and the "…" string's second line keeps its spaces.
	contains(t, out["hosts/web.cue"], "lib.mkForce (''\n", "  line\n", "    indented\n", "'' + \"a\n", "         b\")")
}

func TestCycles(t *testing.T) {
	_, _, err := run(t, "96990f9", map[string]string{
		"flake.nix": flake(`
      loop = rec { a = { b = a; }; };
      f = x: f x;`, `
        web = axios.lib.mkSystem {
          hostname = "web";
          hardware = { };
          extraConfig = { inherit loop; x = f 1; };
        };`),
	}, ".")
	var ie *Error
	if !errors.As(err, &ie) || !strings.Contains(ie.Error(), "contains itself") {
		t.Fatalf("want a problem about a set containing itself, got %v", err)
	}
}

func TestCommentConversion(t *testing.T) {
	for _, c := range []struct{ nix, cue string }{
		{"# a", "// a"},
		{"#a  ", "//a"},
		{"/* one */", "// one"},
		{"/* The office.\n     Shared. */", "// The office.\n// Shared."},
		{"/*\n * a\n *   b\n */", "// a\n//   b"},
		{"/*\n  x\n\n  y\n*/", "// x\n//\n// y"},
	} {
		out, _, err := run(t, "96990f9", map[string]string{"hosts/h.nix": c.nix + "\n{ hostname = \"h\"; hardware = { }; }\n"}, "hosts/h.nix")
		if err != nil {
			t.Fatal(err)
		}
		contains(t, out["hosts/h.cue"], c.cue+"\nh: {")
	}
}

// fixture is the files of testdata/import/NAME, by path.
func fixture(t *testing.T, name string, only ...string) map[string]string {
	t.Helper()
	files := map[string]string{}
	root := filepath.Join("..", "..", "testdata", "import", name)
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		for _, o := range only {
			if !strings.HasPrefix(rel, o) {
				continue
			}
			data, err := os.ReadFile(p)
			files[rel] = string(data)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestHostFileAlone(t *testing.T) {
	out, notes, err := run(t, "96990f9", fixture(t, "template", "hosts/"), "hosts/desktop.nix")
	if err != nil {
		t.Fatal(err)
	}
	// Its disk layout is copied: hosts/desktop.cue and the copy.
	if strings.Contains(out["hosts/desktop.cue"], "users: [") || len(out) != 2 || out["copy:hosts/desktop/disks.nix"] == "" {
		t.Fatalf("a host file alone cannot know its user module:\n%v", out)
	}
	if len(notes) != 1 || !strings.Contains(notes[0].Msg, "left out: userModulePath is the argument userModulePath of this file") || notes[0].Line != 44 {
		t.Fatalf("notes: %v", notes)
	}
}

func TestDirWithoutFlake(t *testing.T) {
	out, _, err := run(t, "v2026.05.01", fixture(t, "users-new", "hosts/", "users/"), ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"hosts/desktop.cue", "hosts/server.cue", "users/alice.cue", "users/bob.cue"} {
		if out[f] == "" {
			t.Errorf("no %s; wrote %v", f, out)
		}
	}
	contains(t, out["hosts/desktop.cue"], `users: ["alice", "bob"]`, "programs: fish: enable: true")
}

func TestUserModuleAlone(t *testing.T) {
	_, _, err := run(t, "96990f9", fixture(t, "users-old", "user.nix"), "user.nix")
	var ie *Error
	if !errors.As(err, &ie) || len(ie.Problems) != 2 || !strings.Contains(ie.Problems[0].Msg, "no host imported here imports this module") {
		t.Fatalf("what a user cannot hold needs a host: got %v", err)
	}
	out, _, err := run(t, "96990f9", fixture(t, "template", "user.nix"), "user.nix")
	if err != nil {
		t.Fatal(err)
	}
	contains(t, out["users/alice.cue"], `fullName: "Alice Liddell"`)
}

// A user a host lists names a file (configDir/users/NAME.nix): a name that
// is no file name, climbing out of the flake's tree to a file there, is a
// problem at the name, and that file is not read (were it read, its
// syntax error would be the problem).
func TestUserNameIsNoPath(t *testing.T) {
	_, _, err := run(t, "v2026.03.07", map[string]string{
		"repo/flake.nix": flake("", `web = axios.lib.mkSystem {
          hostname = "web";
          hardware = { };
          users = [ "../../outside/mallory" ];
          extraConfig.axios.system.timeZone = "UTC";
        };`),
		"outside/mallory.nix": `{ axios.users.users.mallory = ; }`,
	}, "repo")
	var ie *Error
	if !errors.As(err, &ie) || len(ie.Problems) != 1 || !strings.HasSuffix(ie.Problems[0].File, "flake.nix") ||
		!strings.Contains(ie.Problems[0].Msg, `cannot import user "../../outside/mallory": the name cannot name a file`) {
		t.Fatalf("want one problem at the name, got %v", err)
	}
}

// A .nix file found in a directory (not named) that is a symbolic link out
// of its tree is not read: a problem at the link (were it read, its syntax
// error would be the problem).
func TestScannedLinkOutIsNotRead(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"repo/.git/HEAD":     "ref: refs/heads/main\n",
		"repo/hosts/web.nix": `{ hostname = "web"; hardware = { }; extraConfig.axios.system.timeZone = "UTC"; }`,
		"outside/bad.nix":    "{ a = ; }",
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("../../outside/bad.nix", filepath.Join(dir, "repo", "hosts", "evil.nix")); err != nil {
		t.Fatal(err)
	}
	fsys, err := schema.Release("96990f9")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Import(Options{Inputs: []string{filepath.Join(dir, "repo")}, OutDir: filepath.Join(dir, "out"), Schema: fsys})
	var ie *Error
	if !errors.As(err, &ie) || len(ie.Problems) != 1 || !strings.HasSuffix(ie.Problems[0].File, "evil.nix") ||
		!strings.Contains(ie.Problems[0].Msg, "not read: ") || !strings.Contains(ie.Problems[0].Msg, "through the symbolic link") {
		t.Fatalf("want one problem at the link, got %v", err)
	}
}
