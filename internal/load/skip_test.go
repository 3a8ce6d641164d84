package load

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"cuelang.org/go/cue/parser"
)

// skipCases are values after `x: `, each ending at the byte marked by the
// last '}' or ']' (want), or one skipNested must give up on (want -1).
var skipCases = []struct {
	value string
	ends  bool
}{
	{`{a: 1}`, true},
	{`{a: {b: [1, 2, {c: 3}]}}`, true},
	{`[1, 2]`, true},
	{`{s: "}"}`, true},
	{`{s: "\"}"}`, true},
	{`{s: "\\"}`, true},
	{`{s: "a\(len("}")) }"}`, true},
	{`{s: "a\( {x: "\(1)"}.x )b"}`, true},
	{`{s: ""}`, true},
	{`{s: "" + "}"}`, true},
	{"{// a } in a comment\n a: 1}", true},
	{"{s: \"\"\"\n\t} \"\"\" still in\n\t\"\"\"}", true},
	{"{s: \"\"\"\n\t\\(\"}\") \"\"\"\n\t\"\"\"}", true},
	{"{s: \"\"\"\r\n\tx\r\n\t\"\"\"}", true},
	{`{#D: int, _#h: 1, d: #D}`, true},
	{`{s: #"}"#}`, false},
	{`{b: '}'}`, false},
	{`{a: 1 @attr(})}`, false},
	{"{s: \"unclosed\n}", false},
	{`{a: 1]`, false},
	{`{a: 1`, false},
	{"{s: \"\"\"x\n\"\"\"}", false},
}

func TestSkipNested(t *testing.T) {
	for _, tc := range skipCases {
		src := "x: " + tc.value + "\n"
		end, ok := skipNested([]byte(src), 4, closerOf(tc.value[0]))
		want := strings.LastIndexAny(src, "}]")
		if ok != tc.ends || ok && end != want {
			t.Errorf("%q: skipNested = %d, %v; want %d, %v", tc.value, end, ok, want, tc.ends)
		}
	}
}

func closerOf(open byte) byte {
	return map[byte]byte{'{': '}', '[': ']', '(': ')'}[open]
}

// FuzzSkipNested holds the scan with skipNested to the scan by tokens
// alone: for every file the parser accepts, both list the same labels and
// judge the file the same. (FuzzTopLevelLabels holds both to the parser.)
//
//	go test ./internal/load -run '^$' -fuzz FuzzSkipNested
func FuzzSkipNested(f *testing.F) {
	for _, tc := range skipCases {
		f.Add([]byte("package hosts\n\nx: " + tc.value + "\ny: 2\n"))
	}
	// The shipped example fleet's hosts: a seed set that is never empty
	// (a moved fleet fails here rather than seeding nothing).
	files, err := filepath.Glob("../../examples/fleet/hosts/*.cue")
	if err != nil || len(files) == 0 {
		f.Fatalf("no shipped hosts to seed from: %v", err)
	}
	for _, p := range files {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(src)
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if _, err := parser.ParseFile("f.cue", src); err != nil {
			return
		}
		type scan struct {
			Labels            []string
			Quoted            map[string]bool
			Patterns, Complex bool
		}
		var fast, slow scan
		fast.Labels, fast.Quoted, fast.Patterns, fast.Complex = scanTopLevelSkipping("f.cue", src, true)
		slow.Labels, slow.Quoted, slow.Patterns, slow.Complex = scanTopLevelSkipping("f.cue", src, false)
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("skipping: %+v\nby tokens: %+v\n%s", fast, slow, src)
		}
	})
}
