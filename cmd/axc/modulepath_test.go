package main

import (
	"bytes"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// modulePath is axc's Go module path: the repository's home, so that
// go install github.com/axc-dev/axc/cmd/axc@VERSION resolves with no
// vanity server.
const modulePath = "github.com/axc-dev/axc"

var (
	// vanityPath is the vanity domain, which nothing serves for Go. It
	// stays the CUE module of the schema (users' files import
	// axc.dev/axc/schema; axc init vendors it under
	// cue.mod/pkg/axc.dev/axc; this repository's cue.mod/module.cue is
	// module "axc.dev/axc@v0"): CUE names and directories, which the
	// allowed forms below are, not Go ones.
	vanityPath = regexp.MustCompile(`axc\.dev/axc`)
	cueForms   = []*regexp.Regexp{
		regexp.MustCompile(`^axc\.dev/axc/schema\b`),
		regexp.MustCompile(`^axc\.dev/axc@v\d`),
	}
	cueDirPrefix   = regexp.MustCompile(`pkg/$`)      // cue.mod/pkg/axc.dev/axc (or elsewhere/pkg/…, a link's target)
	cueModulPrefix = regexp.MustCompile(`module: "$`) // the module statement of cue.mod/module.cue
	forgePath      = regexp.MustCompile(`\b(?:github\.com|gitlab\.com|codeberg\.org|bitbucket\.org|sr\.ht)/~?[\w.-]+/axc\b`)
	goCommand      = regexp.MustCompile(`\bgo (?:install|get|run)(?: -\S+)* (\S+)/cmd/axc\b`)
)

// Every mention of where axc's Go code lives (README, docs, the files axc
// init generates and their templates, scripts, tests, Go imports) names
// modulePath: no vanity path, other forge or owner, or go install of
// another module (issue 23, item 1).
func TestOneModulePath(t *testing.T) {
	root := filepath.Join("..", "..")
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if first, _, _ := strings.Cut(string(gomod), "\n"); first != "module "+modulePath {
		t.Errorf("go.mod: %q, want module %s", first, modulePath)
	}
	files := 0
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if bytes.IndexByte(data, 0) >= 0 {
			return nil // binary
		}
		files++
		rel, _ := filepath.Rel(root, p)
		if filepath.ToSlash(rel) == "cmd/axc/modulepath_test.go" {
			return nil // this file: its cases name wrong paths on purpose
		}
		for _, msg := range otherModulePaths(data) {
			t.Errorf("%s:%s", filepath.ToSlash(rel), msg)
		}
		if strings.HasSuffix(p, ".go") {
			f, err := parser.ParseFile(token.NewFileSet(), p, data, parser.ImportsOnly)
			if err != nil {
				return nil // testdata that is not Go; its text is checked above
			}
			for _, imp := range f.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				if strings.HasPrefix(path, "axc.dev/") || (strings.Contains(path, "/axc/") || strings.HasSuffix(path, "/axc")) && path != modulePath && !strings.HasPrefix(path, modulePath+"/") {
					t.Errorf("%s: Go import %q, want one under %s", filepath.ToSlash(rel), path, modulePath)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Fatalf("read %d files from %s: not the repository", files, root)
	}
}

// otherModulePaths returns "LINE: what" for each mention in data of a Go
// module path or install location of axc other than modulePath.
func otherModulePaths(data []byte) []string {
	var msgs []string
	for i, line := range strings.Split(string(data), "\n") {
		for _, m := range vanityPath.FindAllStringIndex(line, -1) {
			rest, before := line[m[0]:], line[:m[0]]
			ok := cueDirPrefix.MatchString(before) || cueModulPrefix.MatchString(before)
			for _, re := range cueForms {
				ok = ok || re.MatchString(rest)
			}
			if !ok {
				msgs = append(msgs, strconv.Itoa(i+1)+": "+strconv.Quote(strings.TrimSpace(line))+" names axc.dev/axc, which only CUE's schema import path may (Go's is "+modulePath+")")
			}
		}
		for _, m := range forgePath.FindAllString(line, -1) {
			if m != modulePath {
				msgs = append(msgs, strconv.Itoa(i+1)+": "+m+", want "+modulePath)
			}
		}
		for _, m := range goCommand.FindAllStringSubmatch(line, -1) {
			if m[1] != modulePath && !strings.HasPrefix(m[1], ".") {
				msgs = append(msgs, strconv.Itoa(i+1)+": go "+m[1]+"/cmd/axc, want "+modulePath+"/cmd/axc")
			}
		}
	}
	return msgs
}

// The checks above find each kind of wrong mention and pass the CUE
// names.
func TestOtherModulePaths(t *testing.T) {
	for _, tc := range []struct {
		line string
		bad  bool
	}{
		{"go install axc.dev/axc/cmd/axc@latest", true},
		{`import "axc.dev/axc/internal/load"`, true},
		{"see https://axc.dev/axc for docs", true},
		{"go install github.com/kcalvelli/axc/cmd/axc@v1.0.0", true},
		{"repo: https://gitlab.com/axc-dev/axc", true},
		{"go install example.org/tools/axc/cmd/axc@latest", true},
		{"go install github.com/axc-dev/axc/cmd/axc@latest", false},
		{"go run ./cmd/axc build", false},
		{`import "axc.dev/axc/schema"`, false},
		{`module: "axc.dev/axc@v0"`, false},
		{"cue.mod/pkg/axc.dev/axc/schema/host.cue", false},
		{"mkdir fleet/cue.mod/pkg/axc.dev/axc", false},
		{"https://github.com/axc-dev/axc/releases", false},
	} {
		if got := len(otherModulePaths([]byte(tc.line))) > 0; got != tc.bad {
			t.Errorf("%q: reported %v, want %v", tc.line, got, tc.bad)
		}
	}
}
