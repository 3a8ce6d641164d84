package main

import (
	"os"
	"path/filepath"
	"regexp"
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
