package nix

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/axc-dev/axc/internal/nix/nixtest"
	"github.com/axc-dev/axc/internal/nix/syntax"
)

var rawGolden = []struct {
	name string
	e    Expr
	want string
}{
	{"multi-line string stays verbatim", Attrs{b("a", Attrs{b("b", Raw("\"line1\nline2\""))})}, "{\n  a = {\n    b = \"line1\nline2\";\n  };\n}"},
	{"indented string opened mid-line", Attrs{b("a", Attrs{b("b", Raw("''first\n  second''"))})}, "{\n  a = {\n    b = ''first\n  second'';\n  };\n}"},
	{"indented string opened at line end is indented", Attrs{b("a", Attrs{b("b", Raw("''\n  x\n''"))})}, "{\n  a = {\n    b = ''\n      x\n    '';\n  };\n}"},
	{"escaped line break in indented string", Attrs{b("a", Attrs{b("b", Raw("''\n  x''\\\n  y\n''"))})}, "{\n  a = {\n    b = ''\n      x''\\\n      y\n    '';\n  };\n}"},
	{"code around a string is indented", Attrs{b("a", Attrs{b("b", Raw("{\n  s = \"x\n y\";\n  t = 1;\n}"))})}, "{\n  a = {\n    b = {\n      s = \"x\n y\";\n      t = 1;\n    };\n  };\n}"},
	{"trailing comment in a list", List{Raw("1 # one"), Raw("2")}, "[\n  1 # one\n\n  2\n]"},
	{"hash in a string is no comment", Attrs{b("a", Raw(`"#"`))}, "{\n  a = \"#\";\n}"},
	{"block comment at the end", Attrs{b("a", Raw("1 /* c */"))}, "{\n  a = 1 /* c */;\n}"},
	{"atoms in a list", List{Raw("a.b"), Raw("[ 1 2 ]"), Raw("{ a = 1; }.a"), Raw("./a"), Raw(`"s"`), Raw("(x)"), Raw("a.b or c"), Raw("<nixpkgs>")}, "[\n  a.b\n  [ 1 2 ]\n  { a = 1; }.a\n  ./a\n  \"s\"\n  (x)\n  a.b or c\n  <nixpkgs>\n]"},
	{"non-atoms in a list", List{Raw("-1"), Raw("f x"), Raw("a: a"), Raw("1 + 2"), Raw("if a then b else c"), Raw("with a; b"), Raw("!a"), Raw("a ? b"), Raw("x or")}, "[\n  (-1)\n  (f x)\n  (a: a)\n  (1 + 2)\n  (if a then b else c)\n  (with a; b)\n  (!a)\n  (a ? b)\n  (x or)\n]"},
	{"raw function", Apply{Func: Raw("f a"), Args: []Expr{Raw("b"), Raw("g c")}}, "f a b (g c)"},
	{"raw lambda applied", Apply{Func: Raw("x: x"), Args: []Expr{Int(1)}}, "(x: x) 1"},
	{"raw select base", List{Select{Expr: Raw("a.b"), Path: []string{"c"}}, Select{Expr: Raw("a.b or c"), Path: []string{"d"}}, Select{Expr: Raw("1"), Path: []string{"d"}}, Select{Expr: Raw("./a"), Path: []string{"d"}}, Select{Expr: Raw("{ d = 1; }"), Path: []string{"d"}}}, "[\n  a.b.c\n  (a.b or c).d\n  (1).d\n  (./a).d\n  { d = 1; }.d\n]"},
	{"raw operands", List{
		BinOp{Op: "+", Left: Raw("!a"), Right: Ident("b")},
		BinOp{Op: "+", Left: Raw("a + !b"), Right: Ident("c")},
		BinOp{Op: "+", Left: Raw("a + b"), Right: Raw("c * d")},
		BinOp{Op: "*", Left: Raw("a + b"), Right: Raw("c - d")},
		BinOp{Op: "-", Left: Raw("a - b"), Right: Raw("c - d")},
		BinOp{Op: "+", Left: Raw("-a"), Right: Raw("f x")},
		BinOp{Op: "++", Left: Raw("a ? b"), Right: Raw("x: x")},
		BinOp{Op: "==", Left: Raw("a == b"), Right: Raw("a < b")},
	}, "[\n  ((!a) + b)\n  ((a + !b) + c)\n  (a + b + c * d)\n  ((a + b) * (c - d))\n  (a - b - (c - d))\n  (-a + f x)\n  (a ? b ++ (x: x))\n  ((a == b) == a < b)\n]"},
}

func TestFormatRaw(t *testing.T) {
	for _, tc := range rawGolden {
		got, err := Format(tc.e)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if want := tc.want + "\n"; string(got) != want {
			t.Errorf("%s: got:\n%s\nwant:\n%s", tc.name, got, want)
		}
	}
}

// TestRawGoldenParses checks that everything TestFormatRaw expects parses.
func TestRawGoldenParses(t *testing.T) {
	for _, tc := range rawGolden {
		if _, err := syntax.Parse(tc.name, []byte(tc.want)); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

func TestFormatRawErrors(t *testing.T) {
	for _, r := range []string{
		"", " \n", "# only a comment", "/* open", `"open`, "''open", "1 2)", "(1", "a\x00", "{ a = 1; a = 2; }",
		"let ${x} = 1; in 2", "1 ;", "1; 2", "a b c ) (d",
	} {
		for _, e := range []Expr{Raw(r), List{Raw(r)}, Attrs{b("a", Raw(r))}, BinOp{Op: "+", Left: Raw(r), Right: Int(1)}} {
			if got, err := Format(e); err == nil {
				t.Errorf("Format(%#v) = %q, want error", e, got)
			}
		}
	}
}

// rawPrelude binds what raw seeds use; conv makes values printable as JSON.
const rawPrelude = `
let
  scope = {
    lib = {
      mkForce = x: x;
      mkDefault = x: x;
      mkIf = c: x: if c then x else null;
    };
  };
  # The depth bound stops at self-containing values such as builtins.
  convAt = d: v:
    if d > 8 then "<deep>"
    else if builtins.isFunction v then "<function>"
    else if builtins.isPath v then "path:" + toString v
    else if builtins.isAttrs v then builtins.mapAttrs (_: convAt (d + 1)) v
    else if builtins.isList v then map (convAt (d + 1)) v
    else v;
  conv = convAt 0;
  alone = scopedImport scope ./alone.nix;
  ctx = scopedImport scope ./ctx.nix;
in
`

// evalRaw writes text to alone.nix and placed to ctx.nix and evaluates
// expr, which may use alone, ctx and conv, to JSON.
func evalRaw(t *testing.T, text string, placed []byte, expr string) (any, error) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "alone.nix"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ctx.nix"), placed, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	return nixtest.Eval(ctx, rawPrelude+expr, dir)
}

const rawCompare = `conv {
  inherit alone;
  aloneEq = alone == alone;
  attr = ctx.attr;
  elem = builtins.head ctx.list;
  arg = ctx.arg;
  nested = (builtins.head ctx.nested.x).y;
  eq = ctx.eq;
  sel = ctx.sel;
}`

// rawPositions places r everywhere the printer can put it.
func rawPositions(r Raw) Expr {
	return Attrs{
		b("attr", r),
		b("list", List{r, Int(0)}),
		b("arg", Apply{Func: Ident("builtins.seq"), Args: []Expr{Int(0), r}}),
		b("nested", Attrs{b("x", List{Attrs{b("y", r)}})}),
		b("eq", BinOp{Op: "==", Left: r, Right: r}),
		b("sel", Select{Expr: Attrs{b("v", r)}, Path: []string{"v"}}),
	}
}

func FuzzRawInContext(f *testing.F) {
	for _, s := range []string{
		"\"line1\nline2\"",
		"\"a\n  b\n\"",
		"''first\n  second\n''",
		"''  first\n    second''",
		"''\n  a\n    b\n''",
		"''\n  x''\\\n  y\n''",
		"''\n  x\n  ${\"a\n b\"}\n''",
		"\"${''\n  a\n''}\n\"",
		"1 # comment",
		"[ 1 # one\n  2 ]",
		"/* c */ 1 /* d */",
		"/* multi\n   line */ 2",
		"a: a",
		"-1",
		"1 + 2",
		"lib.mkForce false",
		"[ 1 2 ]",
		"{ a = 1; }.a",
		"{ a = 1; }.b or 3",
		"if true then 1 else 2",
		"with {a=1;}; a",
		"(x: x) 1",
		"x: y: x + y",
		"!true",
		"true && !false",
		"1 ? a",
		"{ a = 1; } ? a",
		"let a = \"x\ny\"; in a",
		"let\n  a = ''\n    x\n  '';\nin\na # done",
		"[ \"a\n\" ''\nb\n'' ]",
		"map (x: x * 2) [ 1 2 ]",
		"builtins.length [ 1 ]",
		"rec { a = 1; b = a; }",
		"1.5",
		"\"$${x}\"",
		"./a",
		"with builtins; length [ ]",
		"assert true; 1",
		"lib.mkIf true {\n  a = \"x\n  y\";\n}",
		"builtins",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		parsed, perr := syntax.ParseRaw(strings.Trim(text, " \t\r\n"))
		placed, ferr := Format(rawPositions(Raw(text)))
		if perr != nil {
			if ferr == nil {
				t.Fatalf("Format accepts raw text that does not parse (%v):\n%s", perr, placed)
			}
			return
		}
		if ferr != nil {
			t.Fatalf("Format rejects valid raw text: %v", ferr)
		}
		if _, err := syntax.Parse("ctx.nix", placed); err != nil {
			t.Fatalf("printed file does not parse: %v\n%s", err, placed)
		}
		for _, v := range syntax.FreeVars(parsed.Expr) {
			if !v.UnderWith && v.Name != "lib" && !syntax.IsGlobal(v.Name) {
				return // would not evaluate alone
			}
		}
		nixtest.Require(t)
		v, err := evalRaw(t, text, placed, rawCompare)
		if err != nil {
			if _, err := evalRaw(t, text, placed, "conv alone"); err != nil {
				return // fails alone too
			}
			t.Fatalf("evaluation fails in context only: %v\nprinted:\n%s", err, placed)
		}
		got := v.(map[string]any)
		for _, k := range []string{"attr", "elem", "arg", "nested", "sel"} {
			if !reflect.DeepEqual(got[k], got["alone"]) {
				t.Errorf("%s: got %#v, alone %#v\nprinted:\n%s", k, got[k], got["alone"], placed)
			}
		}
		if !reflect.DeepEqual(got["eq"], got["aloneEq"]) {
			t.Errorf("x == x: got %#v, alone %#v\nprinted:\n%s", got["eq"], got["aloneEq"], placed)
		}
	})
}
