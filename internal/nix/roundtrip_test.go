package nix

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/axc-dev/axc/internal/nix/nixtest"
	"github.com/axc-dev/axc/internal/termtext"
)

// evalWrapper evaluates value.nix twice over: plain, as `--json` prints it,
// and exact, with every value tagged by type and every float split into an
// integer mantissa and binary exponent. Nix 2.8 prints JSON floats with only
// 6 significant digits, so the exact form is what proves float round-trips.
const evalWrapper = `
let
  v = import ./value.nix;
  # Scale x > 0 into [2^52, 2^53) by powers of two, which is exact, so
  # floor x is the whole 53-bit mantissa.
  norm = x: e:
    if x >= 1.6615349947311448e+35 then norm (x * 5.421010862427522e-20) (e + 64)
    else if x < 0.000244140625 then norm (x * 18446744073709551616.0) (e - 64)
    else if x >= 9007199254740992.0 then norm (x * 0.5) (e + 1)
    else if x < 4503599627370496.0 then norm (x * 2.0) (e - 1)
    else [ (builtins.floor x) e ];
  walk = v:
    if builtins.isFloat v then [
      "float"
      (v < 0 || v == 0 && builtins.substring 0 1 (builtins.toJSON v) == "-")
      (if v == 0 then [ 0 0 ] else norm (if v < 0 then -v else v) 0)
    ]
    else if builtins.isInt v then [ "int" v ]
    else if builtins.isString v then [ "string" v ]
    else if builtins.isBool v then [ "bool" v ]
    else if builtins.isNull v then [ "null" ]
    else if builtins.isList v then [ "list" (map walk v) ]
    else if builtins.isAttrs v then [ "attrs" (builtins.mapAttrs (_: walk) v) ]
    else [ "other" (builtins.typeOf v) ];
in
{ plain = v; exact = walk v; }
`

// evalData prints e, checks that the file parses, and returns what Nix
// evaluates it to, in plain and exact (tagged) form.
func evalData(t testing.TB, e Expr) (src []byte, plain, exact any) {
	t.Helper()
	src, err := Format(e)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "value.nix")
	if err := os.WriteFile(file, src, 0o644); err != nil {
		t.Fatal(err)
	}
	got := nixtest.EvalJSON(t, evalWrapper, dir).(map[string]any)
	return src, got["plain"], got["exact"]
}

// tagged is the exact form evalWrapper computes, built from the Go value.
func tagged(e Expr) any {
	num := func(n int64) json.Number { return json.Number(strconv.FormatInt(n, 10)) }
	switch e := e.(type) {
	case Null:
		return []any{"null"}
	case Bool:
		return []any{"bool", bool(e)}
	case Int:
		return []any{"int", num(int64(e))}
	case Float:
		f := float64(e)
		var m, x int64
		if f != 0 {
			frac, exp := math.Frexp(math.Abs(f))
			m, x = int64(frac*(1<<53)), int64(exp-53)
		}
		return []any{"float", math.Signbit(f), []any{num(m), num(x)}}
	case String:
		return []any{"string", string(e)}
	case List:
		items := []any{}
		for _, it := range e {
			items = append(items, tagged(it))
		}
		return []any{"list", items}
	case Attrs:
		m := map[string]any{}
		for _, b := range e {
			at := m
			for _, k := range b.Path[:len(b.Path)-1] {
				n, ok := at[k].([]any)
				if !ok {
					n = []any{"attrs", map[string]any{}}
					at[k] = n
				}
				at = n[1].(map[string]any)
			}
			at[b.Path[len(b.Path)-1]] = tagged(b.Value)
		}
		return []any{"attrs", m}
	}
	panic(fmt.Sprintf("tagged: not a data value: %T", e))
}

// checkPlain compares Nix's --json output with the Go value. Floats may
// differ only by Nix 2.8's rounding to 6 significant digits (C++ ostream
// default precision); newer Nix versions print them exactly.
func checkPlain(want Expr, got any) error {
	switch w := want.(type) {
	case Null:
		if got == nil {
			return nil
		}
	case Bool:
		if got == any(bool(w)) {
			return nil
		}
	case Int:
		if got == any(json.Number(strconv.FormatInt(int64(w), 10))) {
			return nil
		}
	case Float:
		n, ok := got.(json.Number)
		if !ok {
			break
		}
		g, err := strconv.ParseFloat(string(n), 64)
		if err != nil {
			break
		}
		r, _ := strconv.ParseFloat(strconv.FormatFloat(float64(w), 'g', 6, 64), 64)
		if g == float64(w) || g == r {
			return nil
		}
	case String:
		if got == any(string(w)) {
			return nil
		}
	case List:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			break
		}
		for i := range w {
			if err := checkPlain(w[i], g[i]); err != nil {
				return fmt.Errorf("[%d]: %w", i, err)
			}
		}
		return nil
	case Attrs:
		g, ok := got.(map[string]any)
		if !ok {
			break
		}
		m := nest(w)
		if len(g) != len(m) {
			break
		}
		for k, v := range m {
			if err := checkPlain(v, g[k]); err != nil {
				return fmt.Errorf("%q: %w", k, err)
			}
		}
		return nil
	}
	return fmt.Errorf("got %#v, want %#v", got, want)
}

// nest groups the bindings of a by their first path segment, the way Nix
// merges `a.b = 1; a.c = 2;`.
func nest(a Attrs) map[string]Expr {
	m := map[string]Expr{}
	for _, b := range a {
		if len(b.Path) == 1 {
			m[b.Path[0]] = b.Value
			continue
		}
		sub, _ := m[b.Path[0]].(Attrs)
		m[b.Path[0]] = append(slices.Clip(sub), Binding{Path: b.Path[1:], Value: b.Value})
	}
	return m
}

// checkRoundTrip fails t unless every element of cases evaluates in Nix to
// itself. All cases go through a single nix-instantiate run.
func checkRoundTrip(t testing.TB, cases List) {
	t.Helper()
	src, plain, exact := evalData(t, cases)
	gotP, gotE := plain.([]any), exact.([]any)[1].([]any)
	if len(gotP) != len(cases) || len(gotE) != len(cases) {
		t.Fatalf("nix returned %d/%d values for %d cases", len(gotP), len(gotE), len(cases))
	}
	for i, c := range cases {
		one, _ := Format(c)
		if err := checkPlain(c, gotP[i]); err != nil {
			t.Errorf("case %d plain %s\nprinted:\n%s", i, err, one)
		}
		if want := tagged(c); !reflect.DeepEqual(gotE[i], want) {
			t.Errorf("case %d exact:\n got %#v\nwant %#v\nprinted:\n%s", i, gotE[i], want, one)
		}
	}
	if t.Failed() {
		t.Logf("whole file:\n%s", src)
	}
}

// hostile are strings that are easy to get wrong in either string syntax.
var hostile = []string{
	"", `"`, `\`, `\\`, `\n`, "$", "$$", `$\`, "x$", "${", "${x}", "$${x}", `\${x}`, "$${", "{",
	"'", "''", "'''", "''''", "'${x}", "''${x}", "'''${x}", "''$", `''\n`, `''\t`, "$''",
	"\n", "\n\n", "a\n", "\na", "\na\n", "a\nb", "a\nb\n", "a\n\nb\n", " \n", "  \n  \n",
	"  a\n  b\n", "  a\nb\n", "a\n  b\n", "a\n \n  \nb\n", "   \n   \nx\n", "\n  x\n",
	"\ta\n\tb\n", " \ta\n", "\t", "x\ty", "\r", "\r\n", "a\r\nb\r\n", "a\rb\n", "x\n\r\n",
	"line'\n", "'\n", "''\n", "'''\n", "it's\n'${x}\n", "${\n", "$\n", "a$\n$'\n", "'\r\n",
	`"${x}"` + "\n", "''\\t''\\r\n", "x''\n''y\n", "# not a comment\n", "/* nor this */",
	"a;b", "a = 1;", "}; evil = true; {", "\x01\x1b[0m\x7f",
	"unicode é ü 日本 🙂 \u2028\u00a0", "ü\n  日本\n",
	// Written by their codes (hidden): bidi overrides, isolates and marks,
	// controls, beyond the BMP; a $ before them; in indented strings.
	"rtl \u202eevil\u202c", "\u202a\u202b\u202c\u202d\u202e", "\u2066\u2067\u2068\u2069",
	"\u200e\u200f\u061c", "\x1b[2J", "$\u202e", "$\u202e{x}", "\u202e${x}", "$${\u202e",
	"tag \U000e0041", "zero\u200bwidth\ufeff", "c1 \u0085\u009b", "a\u202e\nb\n", "  \u2066\n  x\n",
}

var keyCases = []string{
	"a", "if", "then", "else", "assert", "with", "let", "in", "rec", "inherit", "or",
	"true", "false", "null", "__curPos", "_", "a-b", "a'", "a.b", "2bwm", "-a", "'a",
	"net.core.rmem_max", "é", "a\"b",
}

func TestRoundTripStrings(t *testing.T) {
	nixtest.Require(t)
	var cases List
	keys := Attrs{}
	seen := map[string]bool{}
	for _, s := range slices.Concat(hostile, keyCases) {
		cases = append(cases, String(s), List{String(s)}, Attrs{{Path: []string{"x"}, Value: String(s)}})
		if !seen[s] {
			seen[s] = true
			keys = append(keys, Binding{Path: []string{s}, Value: String(s)})
		}
	}
	cases = append(cases, keys)
	checkRoundTrip(t, cases)
}

var (
	intCases = []int64{0, 1, -1, 42, -42, math.MaxInt64, math.MinInt64, math.MinInt64 + 1, 1<<53 + 1, -(1 << 62)}

	floatCases = []float64{
		0, math.Copysign(0, -1), 1, -1, 0.5, -2.5, 0.1, 0.2, 0.30000000000000004, 1.0 / 3, 2.0 / 3,
		100, 1e6, 1234567.0, 123456789.123456789, 3.141592653589793, 1e20, 1e21, -1e21, 1e22,
		1e-6, 1e-7, 1.5e-7, 9.999999999999999e-7, 1e300, 1e-300, 1 << 53, 1<<53 + 2,
		math.MaxFloat64, -math.MaxFloat64, minNormal, -minNormal, math.SmallestNonzeroFloat64,
		-math.SmallestNonzeroFloat64, 1.5e-310, math.Nextafter(minNormal, 0),
	}
)

func TestRoundTripNumbers(t *testing.T) {
	nixtest.Require(t)
	var cases List
	for _, n := range intCases {
		cases = append(cases, Int(n), List{Int(n)}, Attrs{{Path: []string{"n"}, Value: Int(n)}})
	}
	for _, f := range floatCases {
		cases = append(cases, Float(f), List{Float(f)}, Attrs{{Path: []string{"f"}, Value: Float(f)}})
	}
	checkRoundTrip(t, cases)
}

func TestRoundTripStructures(t *testing.T) {
	nixtest.Require(t)
	checkRoundTrip(t, List{
		Null{}, Bool(true), Bool(false), List{}, Attrs{},
		List{List{}, List{List{Int(1)}}, Attrs{}},
		Attrs{
			{Path: []string{"a", "b"}, Value: Int(1)},
			{Path: []string{"a", "c"}, Value: List{Null{}, Float(-1.5), String("x\n")}},
			{Path: []string{"if", "or", ""}, Value: Attrs{{Path: []string{"in"}, Value: Bool(false)}}},
		},
		List{Attrs{{Path: []string{"a"}, Value: List{Attrs{{Path: []string{"b"}, Value: String("  c\nd\n")}}}}}},
	})
}

// TestRoundTripCode checks that expressions, not just data, evaluate as
// intended, which exercises the parenthesisation rules.
func TestRoundTripCode(t *testing.T) {
	nixtest.Require(t)
	cases := []struct {
		e    Expr
		want string // JSON
	}{
		{BinOp{Op: "-", Left: Int(10), Right: BinOp{Op: "-", Left: Int(3), Right: Int(2)}}, `9`},
		{BinOp{Op: "-", Left: BinOp{Op: "-", Left: Int(10), Right: Int(3)}, Right: Int(2)}, `5`},
		{BinOp{Op: "*", Left: BinOp{Op: "+", Left: Int(1), Right: Int(2)}, Right: Int(3)}, `9`},
		{BinOp{Op: "+", Left: Int(1), Right: BinOp{Op: "*", Left: Int(2), Right: Int(3)}}, `7`},
		{BinOp{Op: "-", Left: Int(1), Right: Int(-1)}, `2`},
		{BinOp{Op: "/", Left: Int(7), Right: Int(2)}, `3`},
		{BinOp{Op: "+", Left: Int(math.MinInt64), Right: Int(1)}, `-9223372036854775807`},
		{BinOp{Op: "++", Left: List{Int(1)}, Right: BinOp{Op: "++", Left: List{Int(-2)}, Right: List{Int(3)}}}, `[1,-2,3]`},
		{BinOp{Op: "//", Left: Attrs{{Path: []string{"a"}, Value: Int(1)}}, Right: Attrs{{Path: []string{"a"}, Value: Int(2)}}}, `{"a":2}`},
		{BinOp{Op: "==", Left: BinOp{Op: "==", Left: Int(1), Right: Int(1)}, Right: Bool(true)}, `true`},
		{BinOp{Op: "->", Left: Bool(false), Right: BinOp{Op: "->", Left: Bool(true), Right: Bool(false)}}, `true`},
		{BinOp{Op: "&&", Left: BinOp{Op: "||", Left: Bool(true), Right: Bool(false)}, Right: Bool(false)}, `false`},
		{BinOp{Op: "+", Left: Select{Expr: Attrs{{Path: []string{"p"}, Value: String("/nix")}}, Path: []string{"p"}}, Right: String("/user.nix")}, `"/nix/user.nix"`},
		{Apply{Func: Ident("builtins.add"), Args: []Expr{Int(-1), Apply{Func: Ident("builtins.mul"), Args: []Expr{Int(2), Int(3)}}}}, `5`},
		{Apply{Func: Apply{Func: Ident("builtins.sub"), Args: []Expr{Int(5)}}, Args: []Expr{Int(-1)}}, `6`},
		{Apply{Func: Lambda{Formals: []string{"a", "b"}, Ellipsis: true, Body: BinOp{Op: "+", Left: Ident("a"), Right: Ident("b")}},
			Args: []Expr{Attrs{{Path: []string{"a"}, Value: Int(1)}, {Path: []string{"b"}, Value: Int(2)}, {Path: []string{"c"}, Value: Int(3)}}}}, `3`},
		{Select{Expr: Apply{Func: Ident("builtins.listToAttrs"), Args: []Expr{List{Attrs{
			{Path: []string{"name"}, Value: String("or")}, {Path: []string{"value"}, Value: Int(1)}}}}}, Path: []string{"or"}}, `1`},
		{Select{Expr: Attrs{{Path: []string{"a b", "c"}, Value: Float(-0.5)}}, Path: []string{"a b", "c"}}, `-0.5`},
		{List{Raw("1 + 1"), Raw("builtins.length [ 1 2 ]"), Raw("-3"), Raw("2.5")}, `[2,2,-3,2.5]`},
		{Attrs{{Path: []string{"s"}, Value: Raw("let\n  x = ''\n    a\n      b\n  '';\nin\nx # done")}}, `{"s":"a\n  b\n"}`},
		{Apply{Func: Ident("builtins.concatStringsSep"), Args: []Expr{String("-"), List{String("a\n"), String("b")}}}, `"a\n-b"`},
		{Apply{Func: Ident("builtins.head"), Args: []Expr{List{Apply{Func: Ident("builtins.toString"), Args: []Expr{Path("/etc/foo")}}}}}, `"/etc/foo"`},
		{Lambda{Formals: []string{"x"}, Body: Ident("x")}, ``},
	}
	list := make(List, len(cases))
	var want []any
	for i, c := range cases {
		list[i] = c.e
		if c.want == "" {
			// Functions cannot be printed as JSON; check they are functions.
			list[i] = Apply{Func: Ident("builtins.isFunction"), Args: []Expr{c.e}}
			c.want = "true"
		}
		want = append(want, decodeJSON(t, c.want))
	}
	src, err := Format(list)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "code.nix"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	got := nixtest.EvalJSON(t, "import ./code.nix", dir).([]any)
	for i := range cases {
		if !reflect.DeepEqual(got[i], want[i]) {
			one, _ := Format(cases[i].e)
			t.Errorf("case %d: got %#v, want %s\nprinted:\n%s", i, got[i], cases[i].want, one)
		}
	}
}

func decodeJSON(t testing.TB, s string) any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("bad JSON %q: %v", s, err)
	}
	return v
}

// gen builds a data value from fuzz input bytes.
type gen struct {
	data []byte
	s    string // the fuzzer's string, mixed into strings and keys
}

func (g *gen) byte() byte {
	if len(g.data) == 0 {
		return 0
	}
	c := g.data[0]
	g.data = g.data[1:]
	return c
}

func (g *gen) u64() uint64 {
	var u uint64
	for range 8 {
		u = u<<8 | uint64(g.byte())
	}
	return u
}

var fragments = []string{
	`"`, `\`, "$", "{", "}", "${", "'", "''", "'''", "\n", "\r", "\t", " ", "  ",
	"a", "é", "🙂", "#", ";", ".", "=", "/*", "\\n", "or", "if", "\u2028",
}

func (g *gen) str() string {
	var b strings.Builder
	for n := g.byte() % 10; n > 0; n-- {
		switch c := g.byte(); {
		case int(c) < len(fragments):
			b.WriteString(fragments[c])
		case c < 128:
			b.WriteString(g.s)
		default:
			b.WriteRune(rune(c))
		}
	}
	return b.String()
}

func (g *gen) value(depth int) Expr {
	k := g.byte() % 8
	if depth >= 4 {
		k %= 6
	}
	switch k {
	case 0:
		return Null{}
	case 1:
		return Bool(g.byte()&1 == 1)
	case 2:
		if c := g.byte(); c < 128 {
			return Int(intCases[int(c)%len(intCases)])
		}
		return Int(int64(g.u64()))
	case 3:
		if c := g.byte(); c < 128 {
			return Float(floatCases[int(c)%len(floatCases)])
		}
		return Float(math.Float64frombits(g.u64()))
	case 4, 5:
		return String(g.str())
	case 6:
		l := List{}
		for n := g.byte() % 5; n > 0; n-- {
			l = append(l, g.value(depth+1))
		}
		return l
	default:
		a := Attrs{}
		seen := map[string]bool{}
		for n := g.byte() % 5; n > 0; n-- {
			k := g.str()
			if seen[k] {
				continue
			}
			seen[k] = true
			a = append(a, Binding{Path: []string{k}, Value: g.value(depth + 1)})
		}
		return a
	}
}

// representable reports whether Nix can hold e: no NaN, ±Inf or NUL.
func representable(e Expr) bool {
	switch e := e.(type) {
	case Float:
		return !math.IsNaN(float64(e)) && !math.IsInf(float64(e), 0)
	case String:
		return !strings.ContainsRune(string(e), 0)
	case List:
		for _, it := range e {
			if !representable(it) {
				return false
			}
		}
	case Attrs:
		for _, b := range e {
			if strings.ContainsRune(b.Path[0], 0) || !representable(b.Value) {
				return false
			}
		}
	}
	return true
}

func FuzzPrintRoundTrip(f *testing.F) {
	// Byte patterns as gen.value reads them; the comments say what they
	// build when the fuzz string is "S".
	var (
		str    = []byte{4, 3, 200, 1, 5}                  // "È\\${"
		attrs  = []byte{7, 3, 6, 100, 4, 4, 100, 2, 0, 7} // { "S}}S$\"" = { }; "" = null; }
		nested = []byte{6, 4, 3, 130, 2, 200, 7, 2, 2, 7, 8, 4, 3, 9, 100, 10, 6, 2, 3, 5, 3, 33}
		floats = []byte{6, 4, 3, 200, 0, 0, 0, 0, 0, 0, 0, 1, 3, 1, 3, 4, 3, 200, 0x80, 0, 0, 0, 0, 0, 0, 0}
		nan    = []byte{3, 255, 0x7f, 0xf8, 0, 0, 0, 0, 0, 1}
		ints   = []byte{6, 4, 2, 200, 0x80, 0, 0, 0, 0, 0, 0, 0, 2, 6, 2, 255, 1, 2, 3, 4, 5, 6, 7, 8, 2, 5}
		strs   = []byte{6, 4, 4, 9, 7, 8, 9, 10, 11, 6, 5, 4, 9, 5, 9, 3, 4, 12, 14, 9, 12, 13, 5, 4, 6, 9, 200, 11, 9}
	)
	seeds := []struct {
		s    string
		data []byte
	}{
		{"", nil},
		{"", nested},
		{"", floats},
		{"", nan},
		{"", ints},
		{"", strs},
		{"plain", attrs},
		{`"`, attrs},
		{`\`, str},
		{"${x}", attrs},
		{"$${x}", str},
		{"''", attrs},
		{"'''", str},
		{"'${x}''${", strs},
		{"\n", attrs},
		{"a\nb\n", str},
		{"  indented\n  lines\n", str},
		{"\n  first line empty\n", nested},
		{"tab\tand\rcr\r\n", attrs},
		{"if", attrs},
		{"or", str},
		{"true", attrs},
		{"net.core.rmem_max", attrs},
		{"2bwm", nested},
		{"a b", attrs},
		{"日本 🙂", strs},
		{"}; evil = true; {", attrs},
		{"# comment\n", str},
		{"nul\x00byte", attrs},
		{"\xff\xfe", str},
		{"rtl \u202eevil", attrs},
		{"$\u202e{", str},
		{"\x1b[2J\u2066", nested},
	}
	for _, s := range seeds {
		f.Add(s.s, s.data)
	}
	f.Fuzz(func(t *testing.T, s string, data []byte) {
		// Nix strings are bytes, but the JSON comparison needs valid UTF-8.
		s = strings.ToValidUTF8(s, "\uFFFD")
		g := &gen{data: data, s: s}
		v := List{String(s), Attrs{{Path: []string{s}, Value: g.value(0)}}, g.value(0)}

		out, err := Format(v)
		if !representable(v) {
			if err == nil {
				t.Fatalf("Format succeeded on unrepresentable value:\n%s", out)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if again, _ := Format(v); string(again) != string(out) {
			t.Fatalf("output not deterministic:\n%s\n%s", out, again)
		}
		if !utf8.Valid(out) {
			t.Fatalf("output is not valid UTF-8:\n%q", out)
		}
		// No control or format character is written as itself (tabs in
		// the lines of an indented string are text).
		if i := strings.IndexFunc(string(out), func(r rune) bool { return r != '\n' && r != '\t' && termtext.NeedsEscape(r) }); i >= 0 {
			t.Fatalf("output holds %q at %d:\n%s", string(out)[i:], i, out)
		}
		checkRoundTrip(t, List{v})
	})
}
