package load

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/errors"
	"cuelang.org/go/cue/parser"
	"github.com/rogpeppe/go-internal/txtar"

	"github.com/axc-dev/axc/bench/hostgen"
)

// chain is n+1 declarations: first is the first's value, and each next one
// is step applied to the name of the one before (name0 … nameN).
func chain(name, first string, n int, step func(prev string) string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s0: %s\n", name, first)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%s%d: %s\n", name, i, step(fmt.Sprintf("%s%d", name, i-1)))
	}
	return b.String()
}

// expansionCase is a package (its files, by name) whose values expand past
// a bound, and where it is refused: the file, and the text the position
// starts (mark), found after the text after.
type expansionCase struct {
	name  string
	files map[string]string
	file  string // where the error is; "a.cue" unless set
	after string // the error is at the first mark after this text
	mark  string
	msg   string
}

const (
	sizeMsg  = "this value expands to more than 4 MiB written out, with what it refers to: no host needs that"
	depthMsg = "values nest deeper than 100 levels here, with what they refer to: no host needs that"
	widthMsg = "more than 1000 fields or items in one value here, with what it refers to or repeats: no host needs that"
)

func expansionCases() []expansionCase {
	pair := func(p string) string { return "[" + p + ", " + p + "]" }
	one := func(src string) map[string]string { return map[string]string{"a.cue": src} }
	host := "h: extraConfig: x: "
	var hundred []string
	for i := range 100 {
		hundred = append(hundred, fmt.Sprint(i))
	}
	var sixHundred []string
	for i := range 600 {
		sixHundred = append(sixHundred, fmt.Sprintf("f%d: 1", i))
	}
	var hosts strings.Builder
	for i := range 7 {
		fmt.Fprintf(&hosts, "h%d: extraConfig: x: _big\n", i)
	}
	return []expansionCase{
		// Doubling, through each kind of reference: 6·2^20 bytes pass 4 MiB
		// at the second _l19 of _l20.
		{name: "hidden fields", files: one(chain("_l", `["a", "b"]`, 30, pair) + host + "_l30\n"),
			after: "_l20: [_l19, ", mark: "_l19", msg: sizeMsg},
		{name: "unused", files: one(chain("_l", `["a", "b"]`, 30, pair)),
			after: "_l20: [_l19, ", mark: "_l19", msg: sizeMsg},
		{name: "definitions", files: one(chain("#l", `["a", "b"]`, 30, pair)),
			after: "#l20: [#l19, ", mark: "#l19", msg: sizeMsg},
		{name: "lets", files: one(strings.ReplaceAll("let "+strings.ReplaceAll(chain("l", `["a", "b"]`, 30, pair), ": ", " = "), "\nl", "\nlet l") + host + "l30\n"),
			after: "l20 = [l19, ", mark: "l19", msg: sizeMsg},
		{name: "regular fields", files: one("h: extraConfig: {\n" + chain("l", `["a", "b"]`, 30, pair) + "}\n"),
			after: "l20: [l19, ", mark: "l19", msg: sizeMsg},
		{name: "other files", files: map[string]string{"a.cue": chain("_l", `["a", "b"]`, 30, pair), "b.cue": host + "_l30\n"},
			after: "_l20: [_l19, ", mark: "_l19", msg: sizeMsg},
		{name: "label aliases", files: one(labelAliases(30) + host + "A30\n"),
			after: "A20=_a20: [A19, ", mark: "A19", msg: sizeMsg},
		{name: "selectors", files: one("_t: {\n" + chain("l", `["a", "b"]`, 30, func(p string) string { return "[_t." + p + ", _t." + p + "]" }) + "}\n"),
			after: "l20: [_t.l19, ", mark: "_t.l19", msg: sizeMsg},
		{name: "structs", files: one(chain("_s", `{a: "x", b: "y"}`, 30, func(p string) string { return "{a: " + p + ", b: " + p + "}" })),
			after: "_s19: {a: _s18, b: ", mark: "_s18", msg: sizeMsg},
		{name: "interpolation", files: one(chain("_s", `"abcd"`, 30, func(p string) string { return `"\(` + p + `)\(` + p + `)"` })),
			after: `_s19: "\(_s18)\(`, mark: `_s18`, msg: sizeMsg},
		{name: "string concatenation", files: one(chain("_s", `"abcd"`, 30, func(p string) string { return p + " + " + p })),
			after: "_s20: _s19 + ", mark: "_s19", msg: sizeMsg},
		{name: "numbers", files: one(chain("_n", `10`, 30, func(p string) string { return p + " * " + p })),
			after: "_n22: _n21 * ", mark: "_n21", msg: sizeMsg},
		{name: "string times count", files: one(`_r: "abcd" * 1000000` + "\n" + host + "[_r, _r]\n"),
			after: "_r: ", mark: `"abcd"`, msg: sizeMsg},
		{name: "counts", files: one(chain("_n", "1", 40, func(p string) string { return p + " + " + p }) + "_r: \"abcd\" * _n40\n"),
			after: "_r: ", mark: `"abcd"`, msg: sizeMsg},
		{name: "strings.Repeat", files: one("import \"strings\"\n\n" + chain("_s", `strings.Repeat("abcd", 1000)`, 30, func(p string) string { return "strings.Repeat(" + p + ", 1000)" })),
			after: "_s1: ", mark: "strings.Repeat", msg: sizeMsg},
		{name: "strings.Repeat, count unknown", files: one("import \"strings\"\n\n_n: int\n_s: strings.Repeat(\"abcdefgh\", _n)\n"),
			after: "_s: ", mark: "strings.Repeat", msg: sizeMsg},
		{name: "list.Repeat", files: one("import \"list\"\n\n_l: list.Repeat([1], 2000)\n"),
			after: "_l: ", mark: "list.Repeat", msg: widthMsg},
		{name: "list.Range", files: one("import \"list\"\n\n" + host + "len(list.Range(0, 1000000000, 1))\n"),
			after: "len(", mark: "list.Range", msg: widthMsg},
		{name: "comprehensions", files: one("_a: [" + strings.Join(hundred, ", ") + "]\n_b: [for x in _a for y in _a {x}]\n"),
			after: "_b: [", mark: "for x", msg: widthMsg},
		{name: "comprehension of a reference", files: one(chain("_c", `["a", "b"]`, 30, func(p string) string { return "[for x in [1, 2] {" + p + "}]" })),
			after: "_c20: [", mark: "for", msg: sizeMsg},
		{name: "patterns", files: one(chain("_p", `["a", "b"]`, 30, func(p string) string { return "{[string]: " + p + ", a: _, b: _}" })),
			after: "_p19: ", mark: "{[string]: _p18", msg: sizeMsg},
		{name: "struct comprehensions", files: one("_a: {" + strings.Join(sixHundred, ", ") + "}\n_w: {\n\tfor k, v in _a {\"\\(k)x\": v}\n\tfor k, v in _a {\"\\(k)y\": v}\n}\n"),
			after: "_w: {\n\tfor k, v in _a {\"\\(k)x\": v}\n\t", mark: "for k", msg: widthMsg},
		{name: "nesting", files: one(chain("_d", `[]`, 120, func(p string) string { return "[" + p + "]" })),
			after: "_d100: [", mark: "_d99", msg: depthMsg},
		{name: "text/template", files: one("import \"text/template\"\n\n_t: template.Execute(\"{{.}}\", 1)\n"),
			after: "_t: ", mark: "template.Execute", msg: "axc cannot tell how large what text/template makes is: no host needs that"},
		{name: "many hosts", files: one(`_big: "x" * 1000000` + "\n" + hosts.String()),
			after: "", mark: "h5:", msg: "with this, the hosts of the package expand to more than 16 MiB written out: no fleet needs that"},
	}
}

// labelAliases is a doubling through label aliases: A1=_a1: [A0, A0].
func labelAliases(n int) string {
	var b strings.Builder
	b.WriteString("A0=_a0: [\"a\", \"b\"]\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "A%d=_a%d: [A%d, A%d]\n", i, i, i-1, i-1)
	}
	return b.String()
}

// Each way of making a value larger than its source through references
// or repetition is refused, at the reference or repetition that passes
// the bound, with the bound's message, and fast.
func TestExpansionRefuses(t *testing.T) {
	for _, tc := range expansionCases() {
		t.Run(tc.name, func(t *testing.T) {
			files, srcs := parseCase(t, tc.files)
			start := time.Now()
			err := expansion(files, "host")
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			}
			errs := errors.Errors(err)
			if len(errs) != 1 {
				t.Fatalf("got %d errors, want 1: %v", len(errs), err)
			}
			file := tc.file
			if file == "" {
				file = "a.cue"
			}
			src := srcs[file]
			i := strings.Index(src, tc.after)
			j := strings.Index(src[max(i, 0)+len(tc.after):], tc.mark)
			if i < 0 || j < 0 {
				t.Fatalf("bad case: %q then %q not in %s", tc.after, tc.mark, file)
			}
			want := i + len(tc.after) + j
			pos := errs[0].Position()
			if pos.Filename() != file || pos.Offset() != want {
				at := pos.Offset()
				t.Errorf("error at %s offset %d (%.20q), want %s offset %d (%.20q)", pos.Filename(), at, srcs[pos.Filename()][min(max(at, 0), len(srcs[pos.Filename()])):], file, want, src[want:])
			}
			if msg := errs[0].Error(); !strings.HasSuffix(msg, tc.msg) {
				t.Errorf("message %q, want %q", msg, tc.msg)
			}
		})
	}
}

func parseCase(t *testing.T, files map[string]string) ([]*ast.File, map[string]string) {
	t.Helper()
	var out []*ast.File
	srcs := map[string]string{}
	for _, name := range []string{"a.cue", "b.cue"} {
		src, ok := files[name]
		if !ok {
			continue
		}
		src = "package hosts\n\n" + src
		f, err := parser.ParseFile(name, src, parser.ParseComments)
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, src)
		}
		out = append(out, f)
		srcs[name] = src
	}
	return out, srcs
}

// Values that references keep small pass: sharing, arithmetic on
// numbers, repetition within bounds, comprehensions over small lists,
// patterns, a package of many hosts that share a value.
func TestExpansionAccepts(t *testing.T) {
	var many strings.Builder
	many.WriteString("_common: {a: \"x\", b: [1, 2, 3], c: {d: true}}\n[string]: extraConfig: _common\n")
	for i := range 5000 {
		fmt.Fprintf(&many, "h%d: extraConfig: y: _common & {a: \"x\"}\n", i)
	}
	// As large a literal as a host file holds, within MaxWidth.
	var literal strings.Builder
	literal.WriteString("h: extraConfig: x: [\n")
	const item = `["abcdefgh", {a: 1, b: "c"}, [1, 2.5, null]], `
	for literal.Len() < MaxFileSize-1000*len(item) {
		literal.WriteString("[")
		for range 900 {
			literal.WriteString(item)
		}
		literal.WriteString("],\n")
	}
	literal.WriteString("]\n")
	for name, src := range map[string]string{
		"shared":        chain("_l", `["a", "b"]`, 18, func(p string) string { return "[" + p + ", " + p + "]" }) + "h: extraConfig: x: _l18\n",
		"numbers":       "h: extraConfig: {a: 1024 * 1024 * 16, b: 1000 * 1000000, c: 7 / 3, d: -5 * 2}\n",
		"repetition":    "import \"strings\"\n\nh: extraConfig: {a: \"-\" * 80, b: strings.Repeat(\"ab\", 1000), c: 3 * \"x\"}\n",
		"comprehension": "import \"list\"\n\nfor i in list.Range(0, 200, 1) {\"h\\(i)\": extraConfig: axios: system: timeZone: \"UTC\"}\n",
		"patterns":      "h: extraConfig: {[string]: {x: 1}, a: {}, b: {}}\n",
		"many hosts":    many.String(),
		"literal":       literal.String(),
		"self":          "h: {a: h.b, b: 1, c: h}\n",
		"selectors":     "_t: {a: {b: [1, 2]}, c: _t.a.b}\nh: extraConfig: x: [_t.c, _t.a.b, _t.a]\n",
	} {
		files, _ := parseCase(t, map[string]string{"a.cue": src})
		if err := expansion(files, "host"); err != nil {
			t.Errorf("%s: %v", name, errors.Details(err, nil))
		}
	}
}

// No package of the test scripts is refused but those of the scripts
// about it: the bounds leave every other input as it was.
func TestExpansionAcceptsScripts(t *testing.T) {
	scripts, err := filepath.Glob(filepath.Join("..", "..", "testdata", "scripts", "*.txtar"))
	if err != nil || len(scripts) == 0 {
		t.Fatalf("no test scripts: %v", err)
	}
	shipped := []string{filepath.Join("..", "..", "examples", "fleet", "hosts"), filepath.Join("..", "..", "examples", "fleet", "users")}
	pkgs := map[string][]*ast.File{}
	for _, dir := range shipped {
		names, _ := filepath.Glob(filepath.Join(dir, "*.cue"))
		if len(names) == 0 {
			t.Fatalf("no shipped CUE files in %s", dir)
		}
		for _, n := range names {
			data, err := os.ReadFile(n)
			if err != nil {
				t.Fatal(err)
			}
			if f, err := parser.ParseFile(n, data); err == nil {
				pkgs[dir] = append(pkgs[dir], f)
			}
		}
	}
	for _, script := range scripts {
		if strings.HasPrefix(filepath.Base(script), "vet_expansion") {
			continue
		}
		ar, err := txtar.ParseFile(script)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range ar.Files {
			if !strings.HasSuffix(f.Name, ".cue") || strings.Contains("/"+f.Name, "/cue.mod/") {
				continue
			}
			file, err := parser.ParseFile(f.Name, f.Data)
			if err != nil {
				continue // a script about syntax errors
			}
			key := filepath.Base(script) + ":" + filepath.Dir(f.Name) + ":" + file.PackageName()
			pkgs[key] = append(pkgs[key], file)
		}
	}
	for name, files := range pkgs {
		if slices.ContainsFunc(files, func(f *ast.File) bool { _, _, big := tooBig(f); return big }) {
			continue // refused before
		}
		if err := expansion(files, "host"); err != nil {
			t.Errorf("%s: %v", name, errors.Details(err, nil))
		}
	}
}

// BenchmarkExpansion is load's measure of what values expand to, on the
// files of a package of 1000 hosts like bench/genhosts's (parsed once):
// its share of vetting them.
//
//	go test -run XXX -bench Expansion ./internal/load
func BenchmarkExpansion(b *testing.B) {
	dir := b.TempDir()
	if err := hostgen.Write(dir, 1000); err != nil {
		b.Fatal(err)
	}
	names, err := filepath.Glob(filepath.Join(dir, "*.cue"))
	if err != nil {
		b.Fatal(err)
	}
	var files []*ast.File
	for _, n := range names {
		f, err := parser.ParseFile(n, nil, parser.ParseComments)
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, f)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := expansion(files, "host"); err != nil {
			b.Fatal(err)
		}
	}
}
