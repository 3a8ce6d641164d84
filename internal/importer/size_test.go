package importer

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/axc-dev/axc/schema"
)

// importShape is a Nix input that is small but whose value is large (or
// wide, or deep) when written out, and the problem import must report:
// at line:col of the file, with msg.
type importShape struct {
	name string
	file string // hosts/a.nix, or flake.nix
	src  string
	at   string // line:col
	msg  string
	// total, if set, is maxImportTotal for the shape: writing the 16 MiB
	// of the real one takes seconds.
	total int64
}

// nixChain is n+1 let bindings, name0 = first and each next one step of
// the one before, around a host whose extraConfig.x is use of the last.
func nixChain(name, first string, n int, step func(p string) string, use func(last string) string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "let\n  %s0 = %s;\n", name, first)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "  %s%d = %s;\n", name, i, step(fmt.Sprintf("%s%d", name, i-1)))
	}
	fmt.Fprintf(&b, "in { hostname = \"a\"; hardware = { }; extraConfig.x = %s; }\n", use(fmt.Sprintf("%s%d", name, n)))
	return b.String()
}

func importShapes() []importShape {
	same := func(s string) string { return s }
	const big = "cannot import extraConfig.x: it expands to more than 4 MiB written out, more than a host file may hold (axc vet reads no more): no host needs that"
	var wide, wideList, siblings strings.Builder
	for i := range 1001 {
		fmt.Fprintf(&wide, "k%d = %d; ", i, i)
		fmt.Fprintf(&wideList, "%d ", i)
		fmt.Fprintf(&siblings, "extraConfig.k%d = %d; ", i, i)
	}
	var dotted []string
	for i := range 101 {
		dotted = append(dotted, fmt.Sprintf("a%d", i))
	}
	var flake strings.Builder
	flake.WriteString("{\n  inputs.axios.url = \"github:kcalvelli/axios\";\n  outputs = { self, axios, ... }:\n    let\n      l0 = [ \"a\" \"b\" ];\n")
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&flake, "      l%d = [ l%d l%d ];\n", i, i-1, i-1)
	}
	flake.WriteString("    in {\n")
	for i := range 10 {
		fmt.Fprintf(&flake, "      nixosConfigurations.h%d = axios.lib.mkSystem { hostname = \"h%d\"; hardware = { }; extraConfig.x = l12; };\n", i, i)
	}
	flake.WriteString("    };\n}\n")
	return []importShape{
		{name: "lists", src: nixChain("l", `[ "a" "b" ]`, 30, func(p string) string { return "[ " + p + " " + p + " ]" }, same),
			at: "33:54", msg: big},
		{name: "sets", src: nixChain("s", `{ a = "x"; b = "y"; }`, 30, func(p string) string { return "{ a = " + p + "; b = " + p + "; }" }, same),
			at: "33:54", msg: big},
		{name: "++", src: nixChain("l", `[ "a" "b" ]`, 30, func(p string) string { return p + " ++ " + p }, same),
			at: "33:54", msg: big},
		{name: "string +", src: nixChain("s", `"abcd"`, 40, func(p string) string { return p + " + " + p }, same),
			at: "43:54", msg: big},
		{name: "interpolation", src: nixChain("s", `"abcd"`, 40, func(p string) string { return `"${` + p + `}${` + p + `}"` }, same),
			at: "43:54", msg: big},
		{name: "kept as Nix", src: "{ lib, ... }: " + nixChain("l", `[ "a" "b" ]`, 30, func(p string) string { return "[ " + p + " " + p + " ]" }, func(l string) string { return "lib.mkForce " + l }),
			at: "33:54", msg: big},
		{name: "a function without end", src: "let f = x: [ (f x) (f x) ]; in { hostname = \"a\"; hardware = { }; extraConfig.x = f 1; }\n",
			at: "1:82", msg: big},
		{name: "wide set", src: "{ hostname = \"a\"; hardware = { }; extraConfig.x = { " + wide.String() + "}; }\n",
			at: "1:51", msg: "cannot import extraConfig.x: 1001 attributes in one set, more than the 1000 axc vet allows"},
		{name: "wide list", src: "{ hostname = \"a\"; hardware = { }; extraConfig.x = [ " + wideList.String() + "]; }\n",
			at: "1:51", msg: "cannot import extraConfig.x: 1001 items in one list, more than the 1000 axc vet allows"},
		{name: "many dotted fields", src: "{ hostname = \"a\"; hardware = { }; " + siblings.String() + "}\n",
			at: fmt.Sprintf("1:%d", 35+strings.Index(siblings.String(), "extraConfig.k998 ")), msg: "cannot import it: 1003 fields in one struct, more than the 1000 axc vet allows"},
		{name: "long dotted path", src: "{ hostname = \"a\"; hardware = { }; extraConfig.x." + strings.Join(dotted, ".") + " = 1; }\n",
			at: "1:35", msg: "cannot import extraConfig.x.a0.a1.a2.a3.a4.a5.….(93 more).a99.a100: it nests deeper than 100 levels"},
		{name: "many hosts", file: "flake.nix", src: flake.String(), total: 1 << 20,
			at: "21:86", msg: "cannot import extraConfig.x: with it, what import writes passes 1 MiB: no fleet needs that"},
	}
}

// Each shape is refused with one problem at its place, fast; nothing is
// written.
func TestImportBounds(t *testing.T) {
	fsys, err := schema.Release("96990f9")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range importShapes() {
		t.Run(s.name, func(t *testing.T) {
			if s.total > 0 {
				defer func(old int64) { maxImportTotal = old }(maxImportTotal)
				maxImportTotal = s.total
			}
			dir := t.TempDir()
			file := s.file
			if file == "" {
				file = "hosts/a.nix"
			}
			p := filepath.Join(dir, filepath.FromSlash(file))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(s.src), 0o644); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			res, err := Import(Options{Inputs: []string{p}, OutDir: filepath.Join(dir, "out"), Schema: fsys})
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			}
			var ie *Error
			if !errors.As(err, &ie) {
				t.Fatalf("err %v (result %v), want problems", err, res != nil)
			}
			want := p + ":" + s.at + ": " + s.msg
			found := false
			for _, pr := range ie.Problems {
				found = found || pr.String() == want
			}
			if !found || len(ie.Problems) != 1 {
				t.Errorf("problems:\n%v\nwant the one problem\n%s", err, want)
			}
		})
	}
}

// Values just within the bounds are imported: 1000 attributes, a dotted
// path 100 deep, a value of 2^16 strings (2 MiB of CUE) used once.
func TestImportWithinBounds(t *testing.T) {
	fsys, err := schema.Release("96990f9")
	if err != nil {
		t.Fatal(err)
	}
	var wide strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&wide, "k%d = %d; ", i, i)
	}
	var dotted []string
	for i := range 98 {
		dotted = append(dotted, fmt.Sprintf("a%d", i))
	}
	for name, src := range map[string]string{
		"wide":     "{ hostname = \"a\"; hardware = { }; extraConfig.x = { " + wide.String() + "}; }\n",
		"deep":     "{ hostname = \"a\"; hardware = { }; extraConfig.x." + strings.Join(dotted, ".") + " = 1; }\n",
		"doubling": nixChain("l", `[ "a" "b" ]`, 15, func(p string) string { return "[ " + p + " " + p + " ]" }, func(l string) string { return l }),
	} {
		dir := t.TempDir()
		p := filepath.Join(dir, "hosts", "a.nix")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Import(Options{Inputs: []string{p}, OutDir: filepath.Join(dir, "out"), Schema: fsys}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
