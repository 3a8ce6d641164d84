package safeio

import (
	"fmt"
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

// ReadFileShared reads what ReadFile reads, through CachingDisk and an
// Overlay over it, as the file changes (a new size, a new inode) while
// kept: what it shares is never what the file held before.
func TestReadFileSharedSeesChanges(t *testing.T) {
	defer func(w time.Duration) { racyWindow = w }(racyWindow)
	racyWindow = -time.Hour // every file settled: kept at once
	dir := t.TempDir()
	p := filepath.Join(dir, "a.cue")
	q := filepath.Join(dir, "b.cue")
	c := CachingDisk()
	over := Overlay(c, map[string][]byte{q: []byte("typed")})
	check := func(step string) {
		t.Helper()
		want, err := ReadFile(p, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range []Files{c, over} {
			for range 2 { // read, then kept
				got, err := ReadFileShared(in, p, 100)
				if err != nil || string(got) != string(want) {
					t.Fatalf("%s: ReadFileShared = %q, %v; want %q", step, got, err, want)
				}
			}
		}
		if got, err := ReadFileShared(over, q, 100); err != nil || string(got) != "typed" {
			t.Fatalf("%s: the overlay's text: %q, %v", step, got, err)
		}
	}
	for i, text := range []string{"one", "three", "eleven"} {
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		check(fmt.Sprintf("write %d", i))
	}
	r := filepath.Join(dir, "c.cue")
	if err := os.WriteFile(r, []byte("twelve"), 0o644); err != nil { // the size of eleven
		t.Fatal(err)
	}
	if err := os.Rename(r, p); err != nil {
		t.Fatal(err)
	}
	check("replaced")
	if _, err := ReadFileShared(over, q, 3); err == nil {
		t.Error("a text over the limit was read")
	}
	// ReadFile's copy is the caller's: changing it leaves what is kept.
	got, _ := c.ReadFile(p, 100)
	got[0] = 'X'
	check("after a caller changed its copy")
}
