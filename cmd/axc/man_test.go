package main

import (
	"bytes"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/axc-dev/axc/cmd/axc/cmd"
	"github.com/axc-dev/axc/internal/manpage"
)

// docs/man is what the commands' help makes, page for page and byte for
// byte: a help text changed without the pages fails here (go test
// ./cmd/axc -run TestManPages -update rewrites them).
func TestManPages(t *testing.T) {
	dir := filepath.Join("..", "..", "docs", "man")
	pages := cmd.ManPages()
	for _, want := range []string{"axc.1", "axc-vet.1", "axc-build.1", "axc-init.1", "axc-import.1", "axc-schema-gen.1", "axc-completion-bash.1"} {
		if pages[want] == nil {
			t.Errorf("no page %s; pages: %v", want, slices.Sorted(maps.Keys(pages)))
		}
	}
	if *update {
		old, _ := filepath.Glob(filepath.Join(dir, "*.1"))
		for _, p := range old {
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, data := range pages {
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	onDisk, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range onDisk {
		if _, ok := pages[filepath.Base(p)]; !ok {
			t.Errorf("%s: no command has this page: remove it (-update)", p)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(pages)) {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%v: run go test ./cmd/axc -run TestManPages -update", err)
			continue
		}
		if !bytes.Equal(got, pages[name]) {
			t.Errorf("docs/man/%s is not what the help makes: run go test ./cmd/axc -run TestManPages -update", name)
		}
	}
}

// Each page is roff that groff reads without a warning (when groff is
// here), and no line of help text starts a request.
func TestManPagesRender(t *testing.T) {
	pages := cmd.ManPages()
	groff, err := exec.LookPath("groff")
	for _, name := range slices.Sorted(maps.Keys(pages)) {
		data := pages[name]
		if !bytes.HasPrefix(data, []byte(manpage.Header+"\n.TH ")) {
			t.Errorf("%s: does not start with the header and .TH", name)
		}
		if err != nil {
			continue
		}
		c := exec.Command(groff, "-man", "-Tutf8", "-ww", "-z")
		c.Stdin = bytes.NewReader(data)
		var stderr bytes.Buffer
		c.Stderr = &stderr
		if err := c.Run(); err != nil || stderr.Len() > 0 {
			t.Errorf("%s: groff: %v\n%s", name, err, stderr.String())
		}
	}
	if err != nil {
		t.Logf("groff not found: pages not rendered")
	}
	// A help line starting with a dot would be a request: escaped.
	if got := string(pages["axc-build.1"]); strings.Contains(got, "\n.axc") {
		t.Errorf("axc-build.1 has an unescaped line")
	}
}
