package load

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axc-dev/axc/bench/hostgen"
)

// compiles in pieces (a piece per hosts-only file here) says what it says
// built whole, for every package of the tests and for a generated one
// broken two ways: an unresolved reference in a host of a file that only
// declares hosts (in one piece alone), and one beside the hosts (in every
// piece).
func TestCompilesInPiecesMatchesWhole(t *testing.T) {
	old := compilesPiece
	defer func() { compilesPiece = old }()
	pkgs, _ := testPackages(t)
	for _, broken := range []struct{ name, file, text string }{
		{"in a host", "hosts_001.cue", "\n\"extra-host\": {hostname: nothing}\n"},
		{"beside the hosts", "hosts_002.cue", "\n_broken: nothing\n"},
	} {
		dir := t.TempDir()
		if err := hostgen.Write(dir, 40); err != nil {
			t.Fatal(err)
		}
		f, err := os.OpenFile(filepath.Join(dir, broken.file), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteString(broken.text); err != nil {
			t.Fatal(err)
		}
		f.Close()
		pkgs = append(pkgs, testPackage{name: "broken " + broken.name, dir: dir, schema: pinnedSchema(t), kind: Hosts})
	}
	verdicts := func(piece int) []string {
		compilesPiece = piece
		var out []string
		for _, p := range pkgs {
			l, err := NewWithSchema(p.schema)
			if err != nil {
				t.Fatal(err)
			}
			l.SetKind(p.kind)
			b := &fakeBuilds{} // knows nothing: every package is checked
			l.SetBuilds(b)
			_, err = l.Load([]string{p.dir}) // an input error: nothing asked
			out = append(out, fmt.Sprintf("%s: asked %d, built %d (%v)", p.name, b.asked, len(b.learned), err))
		}
		return out
	}
	whole, pieces := verdicts(1<<30), verdicts(1)
	refused := 0
	for i := range whole {
		if whole[i] != pieces[i] {
			t.Errorf("whole: %s; in pieces: %s", whole[i], pieces[i])
		}
		if strings.HasPrefix(whole[i], "broken") && !strings.Contains(whole[i], "asked 1, built 0 (<nil>)") {
			t.Errorf("%s: want asked 1, built 0", whole[i])
		}
		if !strings.Contains(whole[i], "asked 0,") && strings.Contains(whole[i], "built 0 ") {
			refused++
		}
	}
	t.Logf("%d packages, %d that do not build", len(whole), refused)
	if refused < 2 {
		t.Errorf("%d packages that do not build, want the two broken ones at least", refused)
	}
}
