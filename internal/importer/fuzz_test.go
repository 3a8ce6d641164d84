package importer

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/literal"
	"cuelang.org/go/cue/parser"

	"axc.dev/axc/internal/compile"
	"axc.dev/axc/schema"
)

// importSeeds are inputs the fuzz target starts from, beside every .nix
// file of the fixtures: the subset's forms, and the ways out of it.
var importSeeds = []string{
	`{ hostname = "a"; hardware = { }; diskConfigPath = ./x.nix; extraConfig.environment.etc.A.source = ./A; extraConfig.environment.etc.a.source = ./a; }`,
	`{ hostname = "a"; hardware = { }; extraConfig.environment.etc.t.source = ./.; extraConfig.imports = [ ../. ./u.nix ../hosts ]; }`,
	`{ hostname = "a"; hardware = { }; extraConfig.environment.etc.t.source = ./a.json; extraConfig.x = [ ./.axc-import.journal ./.x.axc-new ]; }`,
	`{ hostname = "a"; hardware = { }; }`,
	`{ lib, ... }: { hostConfig = { hostname = "a"; hardware = { }; extraConfig.x = lib.mkForce 1; }; }`,
	`let b = { hardware = { }; }; in b // { hostname = "a"; modules.desktop = true; }`,
	`rec { hostname = "a"; hardware = { cpu = gpu; gpu = "amd"; }; }`,
	`{ hostname = "a"; hardware = { }; extraConfig = { pkgs, ... }: { x = pkgs.y; z = 1; }; }`,
	`{ hostname = "a"; hardware = { }; extraConfig = rec { a = { b = a; }; }; }`,
	`let f = x: f x; in { hostname = "a"; hardware = { }; extraConfig.y = f 1; }`,
	`{ hostname = "a"; hardware = { }; diskConfigPath = ./d.nix; extraConfig.p = ./x/${"y"}.nix; }`,
	"{ hostname = \"a\"; # c\n hardware = { /* d */ }; extraConfig.s = ''\n  x\n   ${\"y\"}\n''; }",
	`{ hostname = "a"; hardware = { }; userModulePath = ./u.nix; }`,
	`{ hostname = "a"; hardware = { }; extraConfig = import ./x.nix; }`,
	`{ hostname = "a"; hardware = { }; "${"ex" + "traConfig"}" = { }; }`,
	`{ ... }: { axios.user = { name = "u"; fullName = "U"; }; home-manager.users.u.x = 1; y = 2; }`,
	`{ hostname = "a"; hardware = { }; extraConfig."$nix" = "x"; }`,
	`{ lib, ... }: { hostname = "a"; hardware = { }; diskConfigPath = ../../../etc/passwd; extraConfig.x = lib.mkForce [ ../.. /etc ~/x ]; }`,
	`{ hostname = "a"; hardware = { }; diskConfigPath = /etc/nixos/d.nix; modules.secrets = true; secrets.secretsDir = /run/s; extraConfig.y = import ../../x.nix; }`,
	`{ hostname = "a"; hardware = { }; extraConfig.p = ./. + "/../../x"; extraConfig.q = ./x/../../..; }`,
}

// FuzzImport checks, for any content of a host file: import neither panics
// nor hangs; it fails only with positioned problems (or an input it cannot
// read); and what it writes is CUE, each raw text one that axc build
// accepts, in files its Layout writes, no two of one name where file names
// ignore case.
func FuzzImport(f *testing.F) {
	for _, s := range importSeeds {
		f.Add(s)
	}
	fixtures, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "import", "*", "*", "*.nix"))
	more, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "import", "*", "*.nix"))
	for _, name := range append(fixtures, more...) {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(string(data))
		}
	}
	fsys, err := schema.Release("96990f9")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src string) {
		dir := t.TempDir()
		host := filepath.Join(dir, "hosts", "a.nix")
		for name, data := range map[string]string{host: src, filepath.Join(dir, "hosts", "u.nix"): "{ ... }: { axios.user.name = \"u\"; }", filepath.Join(dir, "hosts", "x.nix"): "{ y = 1; }"} {
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		res, err := Import(Options{Inputs: []string{host}, OutDir: filepath.Join(dir, "out"), Schema: fsys})
		checkImport(t, src, res, err)
		if err == nil {
			// What it copies is files of the tree it reads (dir), each
			// to a place of its own below the output that its Layout
			// writes and no other file takes.
			for _, c := range res.Copies {
				if !within(dir, c.Source) || !Layout.Writes(c.Path) || seenPath(res, c.Path) != 1 {
					t.Fatalf("for %q import copies %s to %s", src, c.Source, c.Path)
				}
			}
		}
	})
}

// seenPath is how many files and copies of res are at path, ignoring case.
func seenPath(res *Result, path string) int {
	n := 0
	for _, f := range res.Files {
		if strings.EqualFold(f.Path, path) {
			n++
		}
	}
	for _, c := range res.Copies {
		if strings.EqualFold(c.Path, path) {
			n++
		}
	}
	return n
}

func checkImport(t *testing.T, src string, res *Result, err error) {
	var ie *Error
	var ioe *IOError
	switch {
	case errors.As(err, &ie):
		for _, p := range ie.Problems {
			if p.Msg == "" || p.File != "" && p.Line < 0 || strings.Contains(p.Msg, "internal error") {
				t.Fatalf("bad problem for %q: %+v", src, p)
			}
		}
		return
	case errors.As(err, &ioe):
		return
	case err != nil:
		t.Fatalf("unexpected error for %q: %v", src, err)
	}
	seen := map[string]bool{}
	for _, file := range res.Files {
		// A file the output set (Layout) writes, one per name where file
		// names ignore case.
		if !Layout.Writes(file.Path) || seen[strings.ToLower(file.Path)] {
			t.Fatalf("for %q import writes %s, not a file of its Layout or a second one of that name", src, file.Path)
		}
		seen[strings.ToLower(file.Path)] = true
		f, err := parser.ParseFile(file.Path, file.Data)
		if err != nil {
			t.Fatalf("%s for %q does not parse: %v\n%s", file.Path, src, err, file.Data)
		}
		for _, raw := range rawTexts(f) {
			if err := compile.CheckRaw(raw); err != nil {
				t.Fatalf("%s for %q holds raw Nix that build refuses: %v\n%s", file.Path, src, err, raw)
			}
		}
	}
}

// rawTexts are the texts of the {$nix: "…"} values in f.
func rawTexts(f *ast.File) []string {
	var out []string
	ast.Walk(f, func(n ast.Node) bool {
		field, ok := n.(*ast.Field)
		if !ok {
			return true
		}
		if name, _, _ := ast.LabelName(field.Label); name == "$nix" {
			if lit, ok := field.Value.(*ast.BasicLit); ok {
				if s, err := literal.Unquote(lit.Value); err == nil {
					out = append(out, s)
				}
			}
		}
		return true
	}, nil)
	return out
}
