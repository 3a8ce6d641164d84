package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// TestReadmeCommandsAreScripted holds the README to the scripts: every axc
// command of its sh blocks (what a user copies) is run, with the same
// arguments, by some testscript (exec axc ..., ! exec axc ...), so none can
// rot unseen. `go run ./cmd/axc` is axc; other programs (go, cd) are not
// axc's to prove.
func TestReadmeCommandsAreScripted(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	scripted := scriptedAxcCommands(t)
	blocks := regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(string(readme), -1)
	if len(blocks) == 0 {
		t.Fatal("README has no sh blocks")
	}
	n := 0
	for _, b := range blocks {
		for _, line := range strings.Split(b[1], "\n") {
			if i := strings.Index(line, " #"); i >= 0 {
				line = line[:i]
			}
			for _, cmd := range strings.Split(line, "&&") {
				args := shellWords(strings.TrimSpace(cmd))
				if len(args) > 2 && args[0] == "go" && args[1] == "run" && args[2] == "./cmd/axc" {
					args = append([]string{"axc"}, args[3:]...)
				}
				if len(args) == 0 || args[0] != "axc" {
					continue
				}
				n++
				if !scripted[strings.Join(args[1:], "\x00")] {
					t.Errorf("README runs %q, and no testscript does", strings.Join(args, " "))
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no axc command found in the README's sh blocks")
	}
}

// scriptedAxcCommands are the argument lists of every axc command the
// scripts run, joined by NUL.
func scriptedAxcCommands(t *testing.T) map[string]bool {
	t.Helper()
	scripts, err := filepath.Glob(filepath.Join("..", "..", "testdata", "scripts", "*.txtar"))
	if err != nil || len(scripts) == 0 {
		t.Fatalf("no scripts: %v", err)
	}
	out := map[string]bool{}
	for _, s := range scripts {
		a, err := txtar.ParseFile(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(a.Comment), "\n") {
			args := shellWords(strings.TrimSpace(line))
			// [cond] prefixes and negation, then exec axc.
			for len(args) > 0 && (strings.HasPrefix(args[0], "[") || args[0] == "!") {
				args = args[1:]
			}
			if len(args) > 1 && args[0] == "exec" && args[1] == "axc" {
				out[strings.Join(args[2:], "\x00")] = true
			}
		}
	}
	return out
}

// shellWords splits a command line as sh and testscript both do for the
// quoting the README uses: words separated by blanks, '…' and "…" quoted.
func shellWords(line string) []string {
	var words []string
	var b strings.Builder
	in, quote := false, rune(0)
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			b.WriteRune(r)
		case r == '\'' || r == '"':
			quote, in = r, true
		case r == ' ' || r == '\t':
			if in {
				words = append(words, b.String())
				b.Reset()
				in = false
			}
		default:
			b.WriteRune(r)
			in = true
		}
	}
	if in {
		words = append(words, b.String())
	}
	return slices.Clip(words)
}
