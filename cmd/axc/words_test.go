package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// internalWords are the project's and CUE's own words, which mean nothing
// to a user: check numbers of the releases reference (M14, A3, E2), the
// schema's hidden machinery, CUE's evaluation terms.
var internalWords = regexp.MustCompile(`\b(M[0-9]+|A[0-9]+|E[0-9]+|contract|lean|self|_check|_mkSystem|disjunction|incomplete value|conflicting values)\b|_\|_`)

// TestGoldensSpeakUserWords reads every output a script compares (its
// want* and *.golden files): nothing a user reads uses internal words.
// Nix files are Nix (a flake's outputs take self); want-cue* files are what
// the real cue command prints (cue_vet_agreement.txtar), not axc's words.
func TestGoldensSpeakUserWords(t *testing.T) {
	scripts, err := filepath.Glob(filepath.Join("..", "..", "testdata", "scripts", "*.txtar"))
	if err != nil || len(scripts) == 0 {
		t.Fatalf("no scripts: %v", err)
	}
	for _, s := range scripts {
		a, err := txtar.ParseFile(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range a.Files {
			base := filepath.Base(f.Name)
			if !strings.HasPrefix(base, "want") && !strings.Contains(base, "golden") || strings.Contains(base, ".nix") || strings.HasPrefix(base, "want-cue") {
				continue
			}
			for i, line := range strings.Split(string(f.Data), "\n") {
				if m := internalWords.FindString(line); m != "" {
					t.Errorf("%s: %s:%d: %q in %q", filepath.Base(s), f.Name, i+1, m, line)
				}
			}
		}
	}
}
