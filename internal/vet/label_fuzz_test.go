package vet

import (
	"testing"
	"unicode/utf8"

	"cuelang.org/go/cue/cuecontext"
	"cuelang.org/go/cue/literal"
)

// FuzzFieldLabel: the label a fix-it writes for a name, declared at the top
// of a package, is one regular field of that name: never a hidden field
// (_svc), a definition (#x), a clause (package) or a syntax error. "That
// name" is the field the name quoted declares: CUE normalizes labels (NFC:
// U+2000 becomes U+2002), which no label can avoid.
func FuzzFieldLabel(f *testing.F) {
	for _, s := range []string{"alice", "_svc", "_", "__x", "#def", "_#x", "import", "package", "if", "for", "let", "true", "null", "a-b", "9lives", "", "a\nb", `\(x)`, "é", "x\u202ey", `"`, "a b"} {
		f.Add(s)
	}
	ctx := cuecontext.New()
	f.Fuzz(func(t *testing.T, name string) {
		if !utf8.ValidString(name) {
			t.Skip() // CUE names are UTF-8
		}
		fields := func(label string) []string {
			v := ctx.CompileString("package users\n" + label + ": {}\n")
			if err := v.Err(); err != nil {
				t.Fatalf("%q: label %s does not compile: %v", name, label, err)
			}
			it, err := v.Fields()
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for it.Next() {
				out = append(out, it.Selector().Unquoted())
			}
			return out
		}
		want := fields(literal.Label.Quote(name))
		if len(want) != 1 {
			t.Fatalf("%q quoted declares %q", name, want)
		}
		label := FieldLabel(name)
		if got := fields(label); len(got) != 1 || got[0] != want[0] {
			t.Fatalf("%q: label %s declares regular fields %q, want just %q", name, label, got, want[0])
		}
	})
}
