package syntax

import "strings"

// corpus holds inputs for FuzzParse's seeds and the differential tests:
// every construct of the language and the lexing cases that are easy to get
// wrong, accepted and rejected ones alike.
var corpus = []string{
	// Numbers.
	"0", "42", "007", "9223372036854775807", "9223372036854775808", "1.5", ".5", "0.5", "00.5",
	"05.5", "1.", "1.e5", "1e3", "1.5e3", "1.5E-3", "1.5e+3", ".5e3", "1.5e", "0.", "01.",
	"1.2.3", "2.2250738585072014e-308", "2.2250738585072012e-308", "2.2250738585072013e-308",
	"4.9406564584124654e-324", "1e400", "1.0e400", "1.0e-400", "0.0e-400", "1.7976931348623158e308",
	"1.7976931348623159e308", "-1", "- 1", "--1", "-1.5", "1/2", "1 / 2", "1-2", "1 -2",
	// Identifiers and keywords.
	"x", "a-b", "a -b", "a - b", "a'", "_", "_a", "__curPos", "or", "x.or", "x or", "x or or",
	"f or x", "[ x or ]", "x.a or", "x.a or y", "x.a or y.b or z", "let or = 1; in or",
	"{ or = 1; }.or", "{ inherit or; }", "if", "iffy", "in", "inx", "let", "letx", "rec",
	"true", "null", "a->b", "a -> b", "x:x", "x: x", "x:  x", "_:_", "in:x", "a.b.c",
	"a. b . c", "a.5", "a.b/c", "a . b",
	// Strings.
	`""`, `"a"`, `"\""`, `"\\"`, `"\n\t\r\x"`, `"$"`, `"$$"`, `"a$"`, `"$${x}"`, `"${"a"}"`,
	`"a${x}b${y}c"`, `"${x}"`, `"\${x}"`, `"$\{x}"`, `"a` + "\n" + `b"`, "\"a\r\nb\"",
	`"unterminated`, `"${`, `"${x`, `"${x}`, `"${}"`, `"{"`, `"}"`, `"${ {a=1;}.a }"`,
	`"${"${"x"}"}"`, `"a" "b"`, `"#"`, `"/*"`, `"\`,
	"''''", "''a''", "''${x}''", "''\n  a\n  b\n''", "''\n  a\n    b\n  ''", "''  a''",
	"''\n\ta\n''", "'''''$''\\n''", "''a'''b''", "''$''", "''$$''", "''$'''", "''''$''",
	"'''$x''", "''\n  ${x}\n  y\n''", "''  \n  x''", "''\n  x\n  \n''", "''x\n  y''",
	"''\\n''", "''''\\", "''unterminated", "''''\\x''", "''\r\n  a\r\n''", "''\n  ''${x}\n''",
	"''\n  'x\n''", "''\n  a${x}\n b''",
	// Paths and URIs.
	"./a", "../a", "/a", "~/a", "a/b", "./a/b.nix", "./.", "../.", "./a/", "./a/ ", "/", "~",
	"~/", "./", "<nixpkgs>", "<nixpkgs/lib>", "<a.b-c+d>", "< a>", "<a", "./a${b}", "./${x}",
	"./a/${b}/c", "./a${b}.nix", "~/${x}", "a/${x}", "./a${b}${c}", "./a${b}/", "./a${b}//c",
	"/a/*b*/", "./a/*b*/", "-/a", "./a.b", ".../a", "https://nixos.org/a", "/0//0", "./a//b${x}", "./a//b//c${x}", "./a//b/c${x}", "./a//b", "./a//${x}", "http://x.y",
	"x:y:z", "a+b:c", "mailto:x@y.z", "git+ssh://x/y?ref=z", "./a+b", "a//b",
	// Attribute sets.
	"{ }", "{}", "{ a = 1; }", "{ a = 1; b = 2; }", "rec { a = 1; b = a; }", "rec{}",
	"{ a.b.c = 1; }", "{ a.b = 1; a.c = 2; }", "{ \"a b\" = 1; }", "{ ${x} = 1; }",
	"{ ${\"a\"} = 1; a = 2; }", "{ \"${x}\" = 1; }", "{ a.${x}.b = 1; }", "{ a = 1; a = 2; }",
	"{ a.b = 1; a.b = 2; }", "{ a = { b = 1; }; a.c = 2; }", "{ a.c = 2; a = { b = 1; }; }",
	"{ a.b.d = 2; a = { b.c = 1; }; }", "{ a = { b.c = 1; }; a.b.d = 2; }",
	"{ a = { b = 1; }; a = { c = 2; }; }", "{ a = { b = 1; }; a = { b = 2; }; }",
	"{ a = x; a.b = 1; }", "{ a = ({ b = 1; }); a.c = 2; }", "{ a = rec { b = 1; }; a.c = 2; }",
	"{ inherit a; a.b = 1; }", "{ inherit a b; }", "{ inherit a a; }", "{ inherit; }",
	"{ inherit (x) a b; }", "{ inherit (x); }", "{ inherit (x) a; a = 1; }",
	"{ inherit \"a\"; }", "{ inherit ${\"a\"}; }", "{ inherit ${x}; }", "{ inherit \"${x}\"; }",
	"{ a = 1 }", "{ a = 1; ", "{ a }", "{ a; }", "{ = 1; }", "{ a = ; }", "{ if = 1; }",
	"{ a.\"b\".${c} = 1; }", "{ a = 1; }.a", "{ a = 1; }.b or 2", "{ \"\" = 1; }",
	"{ ${''a''} = 1; a = 2; }", "{ ${''a'''b''} = 1; a = 2; }", "{ ${(\"a\")} = 1; a = 2; }",
	"{ a = {}; a = {}; }",
	// let.
	"let a = 1; in a", "let in 1", "let a = 1; b = a; in b", "let ${x} = 1; in 2",
	"let ${\"a\"} = 1; in a", "let a.${x} = 1; in a", "let inherit (x) a; in a",
	"let a = 1; a = 2; in a", "let { body = 1; }", "let { a = 1; body = a; }", "let {}",
	"let a = 1; in", "let a = 1 in a", "let = 1; in 2",
	// Lists.
	"[ ]", "[]", "[ 1 2 3 ]", "[ 1 [ 2 ] ]", "[ f x ]", "[ (f x) ]", "[ -1 ]", "[ a.b ]",
	"[ a.b or c ]", "[ { } ]", "[ ./a ]", "[ x: x ]", "[ if a then b else c ]", "[",
	// Functions.
	"x: y: x", "{ }: 1", "{ ... }: 1", "{ a }: a", "{ a, b }: a", "{ a, }: a", "{ a, ... }: a",
	"{ ..., a }: a", "{ , }: 1", "{ a ? 1 }: a", "{ a ? 1, b ? a }: b", "args@{ a }: a",
	"{ a }@args: a", "args @ { a, ... } : a", "{ a, a }: a", "a@{ a }: a", "{ a }@a: a",
	"{ b, a, b }: a", "{ a ? x: x }: a", "{ a }", "{ }@x: x", "x@{ }: x", "{ a ? }: a",
	"{ a ? 1 b }: a", "x: y", "(x: x) 1", "x: x: x", "{ a ? b }: a",
	// Application, select, has-attr.
	"f x", "f x y", "f (g x)", "(f x) y", "f x.y", "f x.y or z w", "f -1", "f - 1",
	"a.b.c d.e", "x.${y}", "x.\"y z\"", "x.${\"y\"}", "a ? b", "a ? b.c", "a ? \"b\"",
	"a ? ${b}", "a ? b ? c", "a ? b + 1", "-a ? b", "!a ? b", "a.b ? c", "a ? or", "x.",
	"x.1", "f.\"\".a", "(x).y", "a.b or c.d", "a.b.or or c",
	// Operators.
	"1 + 2 * 3", "(1 + 2) * 3", "1 - 2 - 3", "1 * 2 / 3", "a ++ b ++ c", "a // b // c",
	"a -> b -> c", "a || b && c", "a && b || c", "a == b == c", "a == b != c", "a < b < c",
	"a < b == c", "a == b < c", "a <= b", "a >= b", "a > b", "!a", "!!a", "!a == b",
	"!a + b", "!a // b", "a * !b + c", "a + !b * c", "- a * b", "-a ++ b", "a ++ -b ++ c",
	"- -a", "-!a + b", "!-a", "a == !b == c", "a + b == c + d", "a -> b || c",
	"a // b == c", "a ++ b * c", "a * b ++ c", "1 + -1", "a+b", "a+-b", "a!=b", "a<b",
	"a <b> c", "a < b > c", "a<=b", "!", "a +", "+ a", "a * * b", "a . b",
	// if, with, assert.
	"if a then b else c", "if a then b", "if a then b else x: x", "if a then b else c + 1",
	"1 + if a then b else c", "with x; y", "with x; with y; z", "assert a; b",
	"assert a; assert b; c", "with {}; a", "with { a = 1; }; a", "with x y", "assert a b",
	"f with x; y", "a + with x; y",
	// Parentheses and trailing input.
	"(1)", "((1))", "(1", "1)", "1) (2", "(1) (2)", "()", "1 2", "1;", "1 }", "}",
	// Comments and whitespace.
	"# c\n1", "1 # c", "1 /* c */", "/* c */ 1", "/**/1", "/***/1", "/* * */1", "/* a */* 1",
	"/*", "*/ 1", "/* c", "1 /* c", "# c", "/* c */", "", " ", "\n", "\t1\r\n", "1\f",
	"{ # c\n a = 1; # d\n}", "[ 1 /* c */ 2 ]", "x: /* c */ x", "a /**/ b",
	"/* a */ /* b */ 1", "#\n#\n1", "1 #\n", "1\r# c\r", "a/**/b", "a /*b*/ c",
	// Odd bytes.
	"a\x00b", "\xff", "é", "\"é\"", "1 ; 2", "@", "$", "${x}", "{ ${x} }", "`", "a\\b",
	"...", "{ ... }", "{ ... } : 1", "a..b", "..",
	// Realistic NixOS fragments.
	"{ config, lib, pkgs, ... }:\n{\n  imports = [ ./hardware.nix ];\n  # Boot\n  boot.loader.systemd-boot.enable = true;\n  networking.hostName = \"desktop\"; # name\n  environment.systemPackages = with pkgs; [ vim git ];\n  services.openssh.settings.PermitRootLogin = lib.mkForce \"no\";\n  users.users.alice = {\n    isNormalUser = true;\n    extraGroups = [ \"wheel\" ];\n  };\n}\n",
	"lib.mkIf config.services.foo.enable {\n  text = ''\n    hello ${pkgs.hello}/bin\n  '';\n}",
	"let\n  inherit (lib) mkOption types;\nin\n{\n  options.x = mkOption { type = types.str; default = \"\"; };\n}",
	"builtins.fetchTarball { url = \"https://x/y.tar.gz\"; sha256 = \"0000\"; }",
	"import <nixpkgs> { overlays = [ (final: prev: { hello = prev.hello.overrideAttrs (o: { pname = o.pname + \"-x\"; }); }) ]; }",
	"stdenv.mkDerivation rec { pname = \"x\"; version = \"1\"; src = fetchurl { url = \"mirror://x/${pname}-${version}.tgz\"; }; }",
}

// deep returns n nested parentheses around 1.
func deep(n int) string { return strings.Repeat("(", n) + "1" + strings.Repeat(")", n) }
