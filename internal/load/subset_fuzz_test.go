package load

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/parser"
)

// FuzzTopLevelLabels holds the scanner that one-file vet relies on to the
// parser: for a file the parser accepts, a scan that is neither complex nor
// saw a pattern lists exactly the fixed labels of the top-level fields, and
// a file whose top level holds anything else (a comprehension, an
// embedding, a dynamic label) is complex or has a pattern. Otherwise a file
// the scan misjudged could be left out of a one-file vet.
//
//	go test ./internal/load -run '^$' -fuzz FuzzTopLevelLabels
func FuzzTopLevelLabels(f *testing.F) {
	for _, src := range []string{
		"package hosts\n\nweb: {a: 1}\n\"db-1\": x: 2\n_base: {}\n#D: int\nlet x = 1\nopt?: 1\nreq!: 2\n",
		"package hosts\n\nweb: {s: \"x \\(1 + len(\"y)\")) z\"}\n",
		"package hosts\n\n[Name=string]: {hostname: Name}\n",
		"package hosts\n\nfor n in [\"a\"] {(n): {}}\n",
		"package hosts\n\n_base & {a: 1}\n",
		"package hosts\n\nweb: #\"raw \\#(x) \"#\n",
		"package hosts\n\na: b: c: 1\nd: \"\"\"\n\tx: 1\n\t\"\"\"\n",
		"package hosts\n\n@attr()\nweb: 1 @field()\n",
		"package hosts\n\nimport (\n\t\"strings\"\n)\n\nx: strings.Join([\"a\"], \"\")\n",
		"package hosts\n\n\"\\(x)\": 1\n",
		"package hosts\n\n(x): 1\n",
		"package hosts\nweb: {\n\tx: \"\"\"\n\t\ta\n\t\t\"\"\"\n}, db: 2\n",
	} {
		f.Add([]byte(src))
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
		labels, patterns, complex := topLevelLabels("f.cue", src)
		file, err := parser.ParseFile("f.cue", src)
		if err != nil {
			return // the loader reports it; the scan's answer does not matter
		}
		var want []string
		other := false
		for _, d := range file.Decls {
			switch d := d.(type) {
			case *ast.Field:
				name, _, err := ast.LabelName(d.Label)
				if err != nil {
					other = true // a dynamic or pattern label
					continue
				}
				want = append(want, name)
			case *ast.ImportDecl, *ast.Package, *ast.LetClause, *ast.Attribute, *ast.CommentGroup, *ast.BadDecl:
			default:
				other = true
			}
		}
		if other && !complex && !patterns {
			t.Fatalf("the top level holds more than fixed labels, but the scan says only %q\n%s", labels, src)
		}
		if !complex && !patterns && !slices.Equal(labels, want) {
			t.Fatalf("scan labels %q, parser %q\n%s", labels, want, src)
		}
		if !complex && !slices.Equal(labels, want) && !other {
			t.Fatalf("scan labels %q, parser %q\n%s", labels, want, src)
		}
	})
}
