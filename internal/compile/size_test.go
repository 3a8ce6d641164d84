package compile

import (
	"fmt"
	"strings"
	"testing"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/cuecontext"

	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/nix"
	"github.com/axc-dev/axc/schema"
)

func sizeCompiler(t *testing.T) *Compiler {
	t.Helper()
	fsys, err := schema.Release("96990f9")
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(t.TempDir(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// What compile counts for a value is at least what the printer writes for
// it, whatever its shape (deep, wide, strings printed as indented strings
// or escaped, raw Nix): so MaxNixSize bounds the files build writes.
func TestNixSizeBoundsOutput(t *testing.T) {
	c := sizeCompiler(t)
	deep := "1"
	for range 90 {
		deep = "[" + deep + ", {a: \"x\\ny\\n\"}]"
	}
	lines := strings.Repeat("line\n", 2000)
	for name, src := range map[string]string{
		"deep":    deep,
		"wide":    "{" + strings.Repeat("x: 1, ", 1) + fmt.Sprintf("%s}", strings.Join(wideFields(900), ", ")),
		"lines":   fmt.Sprintf("{a: b: c: d: e: [%q, %q]}", lines, " "+lines),
		"escapes": fmt.Sprintf("{s: %q}", strings.Repeat("${\"\\\t\r", 5000)),
		"raw":     `{a: b: {"$nix": "lib.mkForce\n  (1 + 2)\n"}}`,
		"names":   fmt.Sprintf("{%q: {%q: 1}}", strings.Repeat("a b", 300), strings.Repeat("\"", 300)),
		"numbers": "[1, -2, 3.5, 1e300, null, true]",
	} {
		v := cuecontext.New().CompileString(src)
		if v.Err() != nil {
			t.Fatalf("%s: %v", name, v.Err())
		}
		st := &hostState{h: &load.Host{Name: "h"}}
		e, err := c.value(st, v, []string{"extraConfig"})
		if err != nil || len(st.problems) > 0 {
			t.Fatalf("%s: %v %v", name, err, st.problems)
		}
		out, err := nix.Format(nix.Attrs{{Path: []string{"extraConfig"}, Value: e}})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if int64(len(out)) > st.size {
			t.Errorf("%s: printed %d bytes, counted %d", name, len(out), st.size)
		}
	}
}

func wideFields(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("f%d: \"%d\"", i, i)
	}
	return out
}

// A host whose Nix would pass MaxNixSize is a problem at the deepest field
// the author wrote on the way, found without converting the rest: values
// that references keep within load's bounds can still print large, deep
// values indented line by line.
func TestNixSizeRefused(t *testing.T) {
	c := sizeCompiler(t)
	// 2^19 strings 19 levels deep: 3 MiB as CUE, some 40 MiB as Nix.
	src := `_l0: ["a", "b"]` + "\n"
	for i := 1; i <= 19; i++ {
		src += fmt.Sprintf("_l%d: [_l%d, _l%d]\n", i, i-1, i-1)
	}
	v := cuecontext.New().CompileString(src + "x: _l19\n").LookupPath(cue.ParsePath("x"))
	if v.Err() != nil {
		t.Fatal(v.Err())
	}
	st := &hostState{h: &load.Host{Name: "h"}}
	_, err := c.value(st, v, []string{"extraConfig", "x"})
	if err = st.converted(err); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("its Nix would be larger than %d MiB: no host needs that", MaxNixSize>>20)
	if len(st.problems) != 1 || st.problems[0].Msg != want || len(st.problems[0].Path) != 0 {
		t.Fatalf("problems %+v, want one at the host: %s", st.problems, want)
	}
	if st.size > MaxNixSize+1<<20 {
		t.Errorf("counted %d bytes before stopping", st.size)
	}
}
