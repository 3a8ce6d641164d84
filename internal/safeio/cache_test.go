package safeio

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// CachingDisk never serves what a file held before: a file written just
// now, even at the same size within one tick of the clock, is read again;
// a file replaced (another inode) is read again; a FIFO is refused as
// Disk refuses it.
func TestCachingDiskSeesChanges(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.cue")
	c := CachingDisk()
	read := func() string {
		t.Helper()
		data, err := c.ReadFile(p, 100)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	for i, text := range []string{"one", "two", "six"} {
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := read(); got != text {
			t.Fatalf("write %d: read %q, want %q", i, got, text)
		}
	}

	// Settled files are kept; one replaced is read again.
	defer func(w time.Duration) { racyWindow = w }(racyWindow)
	racyWindow = -time.Hour
	read()
	if got := read(); got != "six" {
		t.Fatalf("kept %q, want six", got)
	}
	if c.(*cachingDisk).files[p].data == nil {
		t.Fatal("a settled file was not kept")
	}
	q := filepath.Join(dir, "b.cue")
	if err := os.WriteFile(q, []byte("ten"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(q, p); err != nil {
		t.Fatal(err)
	}
	if got := read(); got != "ten" {
		t.Fatalf("after the file was replaced: read %q, want ten", got)
	}
	if _, err := c.ReadFile(filepath.Join(dir, "none.cue"), 100); err == nil {
		t.Error("a missing file was read")
	}
}
