package nix

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axc-dev/axc/internal/nix/nixtest"
)

func b(path string, v Expr) Binding { return Binding{Path: strings.Split(path, "/"), Value: v} }

// flake is the shape flake.nix uses to instantiate a host.
var flake = Apply{
	Func: Ident("axios.lib.mkSystem"),
	Args: []Expr{Select{
		Expr: Apply{Func: Ident("import"), Args: []Expr{
			Path("./hosts/desktop.nix"),
			Attrs{
				b("lib", Ident("nixpkgs.lib")),
				b("userModulePath", BinOp{Op: "+", Left: Ident("self.outPath"), Right: String("/user.nix")}),
			},
		}},
		Path: []string{"hostConfig"},
	}},
}

var golden = []struct {
	name string
	e    Expr
	want string
}{
	{"empty list", List{}, "[ ]"},
	{"nil list", List(nil), "[ ]"},
	{"empty attrs", Attrs{}, "{ }"},
	{"scalars", List{Null{}, Bool(true), Bool(false), Int(42), String("s"), Path("/etc/foo")}, `[
  null
  true
  false
  42
  "s"
  /etc/foo
]`},
	{"nested attrs", Attrs{b("a", Int(1)), b("b", Attrs{b("c", Bool(true))})}, `{
  a = 1;
  b = {
    c = true;
  };
}`},
	{"dotted binding", Attrs{b("a/b/c", Int(1))}, `{
  a.b.c = 1;
}`},
	{"list of one", List{String("x")}, `[ "x" ]`},
	{"list of one path", List{Path("./desktop/disks.nix")}, `[ ./desktop/disks.nix ]`},
	{"list of one ident", List{Ident("pkgs.vim")}, `[ pkgs.vim ]`},
	{"list of one attrs", List{Attrs{b("a", Int(1))}}, `[
  {
    a = 1;
  }
]`},
	{"list of one long string", List{String(strings.Repeat("x", 70))}, "[\n  \"" + strings.Repeat("x", 70) + "\"\n]"},
	{"list of several", List{String("a"), String("b")}, `[
  "a"
  "b"
]`},
	{"nested lists", List{List{}, List{Int(1)}, List{Int(1), Int(2)}}, `[
  [ ]
  [ 1 ]
  [
    1
    2
  ]
]`},
	{"negative numbers in list", List{Int(-1), Float(-1.5), Int(0), Float(math.Copysign(0, -1)), Int(math.MinInt64)}, `[
  (-1)
  (-1.5)
  0
  (-1 * 0.0)
  (-9223372036854775807 - 1)
]`},
	{"negative in one-element list", List{Int(-1)}, `[ (-1) ]`},
	{"negative outside list", Attrs{b("a", Int(-1)), b("b", Float(-2.5)), b("c", Int(math.MinInt64)), b("d", Int(math.MaxInt64))}, `{
  a = -1;
  b = -2.5;
  c = (-9223372036854775807 - 1);
  d = 9223372036854775807;
}`},
	{"floats", List{Float(1), Float(0.5), Float(-2.5), Float(0), Float(100), Float(0.1), Float(1e20), Float(1e21), Float(1e-6), Float(1.5e-7), Float(math.MaxFloat64), Float(minNormal), Float(math.SmallestNonzeroFloat64)}, `[
  1.0
  0.5
  (-2.5)
  0.0
  100.0
  0.1
  100000000000000000000.0
  1.0e+21
  0.000001
  1.5e-07
  1.7976931348623157e+308
  2.2250738585072014e-308
  (9.113902524445497e-305 * 5.421010862427522e-20)
]`},
	{"keys needing quotes", Attrs{
		b("net.core.rmem_max", Int(1)), b("if", Int(2)), b("2bwm", Int(3)), b("a b", Int(4)),
		b("", Int(5)), b("${x}", Int(6)), b("or", Int(7)), b("true", Int(8)), b("a-b'_", Int(9)),
	}, `{
  "net.core.rmem_max" = 1;
  "if" = 2;
  "2bwm" = 3;
  "a b" = 4;
  "" = 5;
  "\${x}" = 6;
  "or" = 7;
  true = 8;
  a-b'_ = 9;
}`},
	{"multi-line string", Attrs{b("extraConfig", String("line one\nline two\n"))}, `{
  extraConfig = ''
    line one
    line two
  '';
}`},
	{"multi-line string with blank and indented lines", Attrs{b("a/b", String("x\n\n  y\n"))}, `{
  a.b = ''
    x

      y
  '';
}`},
	{"string quotes and interpolation", List{String(`say "hi" \ ${x} $${y} $`), String("it's ''${x}'' '''\n"), String("tab\there\r\n")}, `[
  "say \"hi\" \\ \${x} $\${y} $"
  ''
    it's '''''${x}''' ''''
  ''
  ''
    tab	here''\r
  ''
]`},
	{"lone quote before escape", String("'${x} '\r\n"), `''
  ''\'''${x} ''\'''\r
''`},
	{"string without final newline", String("a\nb"), `"a\nb"`},
	{"string with common indentation", String("  a\n  b\n"), `"  a\n  b\n"`},
	{"raw", Attrs{b("a", Raw("lib.mkForce false")), b("b", List{Raw("lib.mkForce false"), Raw("pkgs.hello"), Raw("42")})}, `{
  a = lib.mkForce false;
  b = [
    (lib.mkForce false)
    pkgs.hello
    42
  ];
}`},
	{"raw multi-line nested", Attrs{b("services", Attrs{b("foo", Raw("lib.mkIf cfg.enable {\n  enable = true;\n  text = ''\n    hi\n  '';\n}\n"))})}, `{
  services = {
    foo = lib.mkIf cfg.enable {
      enable = true;
      text = ''
        hi
      '';
    };
  };
}`},
	{"raw trailing comment", Attrs{b("a", Raw("x # note"))}, `{
  a = x # note
  ;
}`},
	{"lambda", Lambda{Formals: []string{"lib", "userModulePath"}, Ellipsis: true, Body: Attrs{b("imports", List{Path("./desktop/disks.nix")})}}, `{ lib, userModulePath, ... }:
{
  imports = [ ./desktop/disks.nix ];
}`},
	{"lambda without formals", Lambda{Body: Null{}}, "{ }:\nnull"},
	{"lambda as value", Attrs{b("f", Lambda{Formals: []string{"x"}, Body: Ident("x")})}, `{
  f =
    { x }:
    x;
}`},
	{"lambda in list", List{Lambda{Ellipsis: true, Body: Attrs{b("a", Int(1))}}}, `[
  (
    { ... }:
    {
      a = 1;
    }
  )
]`},
	{"flake", flake, `axios.lib.mkSystem (import ./hosts/desktop.nix {
  lib = nixpkgs.lib;
  userModulePath = self.outPath + "/user.nix";
}).hostConfig`},
	{"flake in attrs", Attrs{b("nixosConfigurations/desktop", flake)}, `{
  nixosConfigurations.desktop = axios.lib.mkSystem (import ./hosts/desktop.nix {
    lib = nixpkgs.lib;
    userModulePath = self.outPath + "/user.nix";
  }).hostConfig;
}`},
	{"apply args", Apply{Func: Apply{Func: Ident("f"), Args: []Expr{Int(-1)}}, Args: []Expr{Apply{Func: Ident("g"), Args: []Expr{Ident("x")}}, List{Int(1)}, Select{Expr: Ident("a"), Path: []string{"b c"}}}}, `f (-1) (g x) [ 1 ] a."b c"`},
	{"apply broken args", Apply{Func: Ident("f"), Args: []Expr{Attrs{b("a", Int(1))}, Ident("x")}}, `f
  {
    a = 1;
  }
  x`},
	{"apply lambda", Apply{Func: Lambda{Formals: []string{"x"}, Body: Ident("x")}, Args: []Expr{Attrs{}}}, `(
  { x }:
  x
) { }`},
	{"select", List{Select{Expr: Attrs{b("a", Int(1))}, Path: []string{"a"}}, Select{Expr: Apply{Func: Ident("f"), Args: []Expr{Ident("x")}}, Path: []string{"or", "b"}}}, `[
  {
    a = 1;
  }.a
  (f x)."or".b
]`},
	{"binop precedence", List{
		BinOp{Op: "+", Left: BinOp{Op: "+", Left: Int(1), Right: BinOp{Op: "*", Left: Int(2), Right: Int(3)}}, Right: BinOp{Op: "-", Left: Int(4), Right: Int(-5)}},
		BinOp{Op: "*", Left: BinOp{Op: "+", Left: Int(1), Right: Int(2)}, Right: Int(3)},
		BinOp{Op: "++", Left: BinOp{Op: "++", Left: List{}, Right: List{}}, Right: BinOp{Op: "++", Left: List{}, Right: List{}}},
		BinOp{Op: "==", Left: BinOp{Op: "==", Left: Int(1), Right: Int(1)}, Right: Bool(true)},
		BinOp{Op: "&&", Left: BinOp{Op: "==", Left: Ident("a"), Right: Null{}}, Right: Apply{Func: Ident("f"), Args: []Expr{Ident("x")}}},
	}, `[
  (1 + 2 * 3 + (4 - (-5)))
  ((1 + 2) * 3)
  (([ ] ++ [ ]) ++ [ ] ++ [ ])
  ((1 == 1) == true)
  (a == null && f x)
]`},
	{"binop hanging right", Attrs{b("x", BinOp{Op: "//", Left: Ident("old"), Right: Attrs{b("z", Null{})}})}, `{
  x = old // {
    z = null;
  };
}`},
	{"binop broken", Attrs{b("x", BinOp{Op: "++", Left: List{Int(1), Int(2)}, Right: List{Int(3)}})}, `{
  x =
    [
      1
      2
    ]
    ++ [ 3 ];
}`},
}

func TestFormatGolden(t *testing.T) {
	for _, tc := range golden {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Format(tc.e)
			if err != nil {
				t.Fatal(err)
			}
			if want := tc.want + "\n"; string(got) != want {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// TestGoldenParses checks that everything TestFormatGolden prints is valid
// Nix, in one file to keep it to a single nix-instantiate run.
func TestGoldenParses(t *testing.T) {
	nixtest.Require(t)
	var all bytes.Buffer
	// `with` keeps --parse from rejecting the free variables.
	all.WriteString("with { }; [\n")
	for _, tc := range golden {
		all.WriteString("(\n" + tc.want + "\n)\n")
	}
	all.WriteString("]\n")
	file := filepath.Join(t.TempDir(), "golden.nix")
	if err := os.WriteFile(file, all.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	nixtest.Parse(t, file)
}

func TestFormatErrors(t *testing.T) {
	for name, e := range map[string]Expr{
		"nil":                  nil,
		"NaN":                  Float(math.NaN()),
		"+Inf":                 List{Float(math.Inf(1))},
		"-Inf":                 Attrs{b("a", Float(math.Inf(-1)))},
		"NUL string":           String("a\x00b"),
		"NUL key":              Attrs{b("a\x00", Int(1))},
		"NUL select":           Select{Expr: Ident("a"), Path: []string{"\x00"}},
		"empty binding path":   Attrs{{Value: Int(1)}},
		"empty select path":    Select{Expr: Ident("a")},
		"path without slash":   Path("foo.nix"),
		"path relative bare":   Path("a/b"),
		"path trailing slash":  Path("./a/"),
		"path double slash":    Path("./a//b"),
		"path root":            Path("/"),
		"path bad char":        Path("./a b"),
		"path interpolation":   Path("./${x}"),
		"ident keyword":        Ident("let"),
		"ident space":          Ident("a b"),
		"ident empty segment":  Ident("a..b"),
		"formal keyword":       Lambda{Formals: []string{"in"}, Body: Null{}},
		"apply without args":   Apply{Func: Ident("f")},
		"unknown operator":     BinOp{Op: "?", Left: Ident("a"), Right: Ident("b")},
		"empty raw":            Raw(" \n"),
		"error in nested func": Apply{Func: Ident("f"), Args: []Expr{Float(math.NaN())}},
	} {
		if got, err := Format(e); err == nil {
			t.Errorf("%s: Format = %q, want error", name, got)
		} else if !strings.HasPrefix(err.Error(), "nix: ") {
			t.Errorf("%s: error %q lacks the nix: prefix", name, err)
		}
	}
}

func TestQuoteKey(t *testing.T) {
	for k, want := range map[string]string{
		"a":                 "a",
		"_a-b'1":            "_a-b'1",
		"true":              "true",
		"null":              "null",
		"or":                `"or"`,
		"inherit":           `"inherit"`,
		"net.core.rmem_max": `"net.core.rmem_max"`,
		"2bwm":              `"2bwm"`,
		"":                  `""`,
		"a b":               `"a b"`,
		"${x}":              `"\${x}"`,
		"-a":                `"-a"`,
		"é":                 `"é"`,
		"a\nb":              `"a\nb"`,
	} {
		if got := QuoteKey(k); got != want {
			t.Errorf("QuoteKey(%q) = %s, want %s", k, got, want)
		}
	}
}

func TestQuoteString(t *testing.T) {
	for s, want := range map[string]string{
		"":              `""`,
		`a"b\c`:         `"a\"b\\c"`,
		"${x} $${x} $":  `"\${x} $\${x} $"`,
		"\n\r\t":        `"\n\r\t"`,
		"''":            `"''"`,
		"unicode 日本 🙂":  `"unicode 日本 🙂"`,
		"a\u202eb":      `"a${builtins.fromJSON "\"\\u202e\""}b"`,
		"\x1b[2J\u2066": `"${builtins.fromJSON "\"\\u001b\""}[2J${builtins.fromJSON "\"\\u2066\""}"`,
		"$\u200f{":      `"\$${builtins.fromJSON "\"\\u200f\""}{"`,
		"\U000e0041":    `"${builtins.fromJSON "\"\\udb40\\udc41\""}"`,
	} {
		if got := QuoteString(s); got != want {
			t.Errorf("QuoteString(%q) = %s, want %s", s, got, want)
		}
	}
}
