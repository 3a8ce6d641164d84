package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// releaseHeading is a release's heading in CHANGELOG.md: "## vX.Y.Z".
var releaseHeading = regexp.MustCompile(`(?m)^## v(\d+\.\d+\.\d+)$`)

// changelogVersion is the newest release CHANGELOG.md records (its first
// release heading), without the v.
func changelogVersion(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "CHANGELOG.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := releaseHeading.FindSubmatch(data)
	if m == nil {
		t.Fatal("CHANGELOG.md has no release heading (## vX.Y.Z)")
	}
	return string(m[1])
}

// CHANGELOG.md's sections are "## Unreleased" (first, if there) and
// releases "## vX.Y.Z", newest first, each once: the form the flake's
// version and the release tags are read from.
func TestChangelogSections(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "CHANGELOG.md"))
	if err != nil {
		t.Fatal(err)
	}
	var prev []int
	for i, line := range strings.Split(string(data), "\n") {
		heading, ok := strings.CutPrefix(line, "## ")
		if !ok {
			continue
		}
		if heading == "Unreleased" {
			if prev != nil {
				t.Errorf("CHANGELOG.md:%d: Unreleased after a release", i+1)
			}
			continue
		}
		m := releaseHeading.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("CHANGELOG.md:%d: %q is neither Unreleased nor a release vX.Y.Z", i+1, line)
			continue
		}
		var v []int
		for _, p := range strings.Split(m[1], ".") {
			n, _ := strconv.Atoi(p)
			v = append(v, n)
		}
		if prev != nil && slices.Compare(v, prev) >= 0 {
			t.Errorf("CHANGELOG.md:%d: v%s is not older than the release above it", i+1, m[1])
		}
		prev = v
	}
	if prev == nil {
		t.Error("CHANGELOG.md records no release")
	}
}
