package safeio

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// generous bounds a read that must not block: the issue asks for a refusal
// within a second, this allows ten.
const generous = 10 * time.Second

// within fails the test when f does not return within the generous bound
// (a read that blocks on a FIFO never would).
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(generous):
		t.Fatalf("%s: still blocked after %v", what, generous)
	}
}

func fixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ok.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "big.json"), make([]byte, 101), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	for link, to := range map[string]string{"fifo-link": "fifo", "zero-link": "/dev/zero", "null-link": "/dev/null", "ok-link": "ok.json", "dir-link": "sub"} {
		if err := os.Symlink(to, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "sub", "pipe"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestReadFile(t *testing.T) {
	dir := fixture(t)
	for _, tc := range []struct {
		name, want string // want: the error's reason, "" for a read
	}{
		{"ok.json", ""},
		{"ok-link", ""},
		{"fifo", "not a regular file: a named pipe"},
		{"fifo-link", "not a regular file: a named pipe"},
		{"/dev/zero", "not a regular file: a character device"},
		{"zero-link", "not a regular file: a character device"},
		{"null-link", "not a regular file: a character device"},
		{"sub", "not a regular file: a directory"},
		{"dir-link", "not a regular file: a directory"},
		{"big.json", "larger than 100 bytes"},
		{"missing", "no such file or directory"},
	} {
		p := tc.name
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		var data []byte
		var err error
		within(t, tc.name, func() { data, err = ReadFile(p, 100) })
		if tc.want == "" {
			if err != nil || string(data) != "{}" {
				t.Errorf("%s: got %q, %v; want {}", tc.name, data, err)
			}
			continue
		}
		var se *Error
		if !errors.As(err, &se) {
			t.Errorf("%s: got %v (%T), want an *Error", tc.name, err, err)
			continue
		}
		if got := se.Reason(); got != tc.want {
			t.Errorf("%s: reason %q, want %q", tc.name, got, tc.want)
		}
		if want := p + ": " + tc.want; err.Error() != want {
			t.Errorf("%s: error %q, want %q", tc.name, err, want)
		}
	}
}

// TestReadFileRace: a name that a stat saw as a regular file but that is a
// FIFO when opened (the stat lied here, as a swap between the two would
// make it) is opened without blocking and refused by the check of the open
// file.
func TestReadFileRace(t *testing.T) {
	dir := fixture(t)
	regular, err := os.Stat(filepath.Join(dir, "ok.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"fifo", "/dev/zero"} {
		p := name
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		var gotErr error
		within(t, name, func() {
			info, err := os.Stat(p)
			if err != nil {
				t.Error(err)
				return
			}
			if err := checkRegular(p, regular, 100); err != nil {
				t.Error(err)
				return
			}
			// What ReadFile does after its stat said "regular".
			f, err := os.OpenFile(p, openFlags, 0)
			if err != nil {
				t.Error(err)
				return
			}
			defer f.Close()
			if info, err = f.Stat(); err != nil {
				t.Error(err)
				return
			}
			gotErr = checkRegular(p, info, 100)
		})
		if !errors.Is(gotErr, ErrNotRegular) {
			t.Errorf("%s: the open file's check gave %v, want ErrNotRegular", name, gotErr)
		}
	}
}

func TestReadDir(t *testing.T) {
	dir := fixture(t)
	var entries []fs.DirEntry
	var err error
	within(t, "dir", func() { entries, err = ReadDir(dir) })
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got, want := strings.Join(names, " "), "big.json dir-link fifo fifo-link null-link ok-link ok.json sub zero-link"; got != want {
		t.Errorf("entries %q, want %q", got, want)
	}
	for name, want := range map[string]string{
		"fifo":      "not a directory: a named pipe",
		"fifo-link": "not a directory: a named pipe",
		"zero-link": "not a directory: a character device",
		"ok.json":   "not a directory: a regular file",
	} {
		within(t, name, func() { _, err = ReadDir(filepath.Join(dir, name)) })
		var se *Error
		if !errors.As(err, &se) || se.Reason() != want {
			t.Errorf("%s: got %v, want %q", name, err, want)
		}
	}
	within(t, "dir-link", func() { entries, err = ReadDir(filepath.Join(dir, "dir-link")) })
	if err != nil || len(entries) != 1 || entries[0].Name() != "pipe" {
		t.Errorf("dir-link: got %v, %v; want [pipe]", entries, err)
	}
}

func TestDirFS(t *testing.T) {
	dir := fixture(t)
	fsys := DirFS(dir, 100)
	within(t, "DirFS", func() {
		if data, err := fs.ReadFile(fsys, "ok-link"); err != nil || string(data) != "{}" {
			t.Errorf("ReadFile ok-link: %q, %v", data, err)
		}
		for _, name := range []string{"fifo", "fifo-link", "zero-link", "sub/pipe"} {
			if _, err := fs.ReadFile(fsys, name); !errors.Is(err, ErrNotRegular) {
				t.Errorf("ReadFile %s: %v, want ErrNotRegular", name, err)
			}
			if _, err := fsys.Open(name); !errors.Is(err, ErrNotRegular) {
				t.Errorf("Open %s: %v, want ErrNotRegular", name, err)
			}
		}
		if _, err := fs.ReadFile(fsys, "big.json"); !errors.Is(err, ErrTooLarge) {
			t.Errorf("ReadFile big.json: %v, want ErrTooLarge", err)
		}
		if _, err := fs.ReadDir(fsys, "fifo"); !errors.Is(err, ErrNotDir) {
			t.Errorf("ReadDir fifo: %v, want ErrNotDir", err)
		}
		if _, err := fs.ReadFile(fsys, "../ok.json"); !errors.Is(err, fs.ErrInvalid) {
			t.Errorf("ReadFile ../ok.json: %v, want fs.ErrInvalid", err)
		}
		matches, err := fs.Glob(fsys, "sub/*")
		if err != nil || len(matches) != 1 {
			t.Errorf("Glob sub/*: %v, %v", matches, err)
		}
	})
}

func TestReason(t *testing.T) {
	_, err := os.Open(filepath.Join(t.TempDir(), "missing"))
	if got := Reason(err); got != "no such file or directory" {
		t.Errorf("Reason(%v) = %q", err, got)
	}
	if got := Size(4 << 20); got != "4 MiB" {
		t.Errorf("Size(4 MiB) = %q", got)
	}
}
