package confine

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/axc-dev/axc/internal/safeio"
)

// newTree makes repo/ (with a real directory, links inside and leading
// out) and outside/ beside it, and opens repo.
func newTree(t *testing.T) (*Root, string) {
	t.Helper()
	work := t.TempDir()
	for _, d := range []string{"repo/real/sub", "outside"} {
		if err := os.MkdirAll(filepath.Join(work, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, data := range map[string]string{"repo/real/f": "in\n", "outside/f": "out\n", "repo/file": "x\n"} {
		if err := os.WriteFile(filepath.Join(work, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, target := range map[string]string{
		"repo/in":       "real",
		"repo/up":       "../outside",
		"repo/abs":      filepath.Join(work, "outside"),
		"repo/absin":    filepath.Join(work, "repo", "real"),
		"repo/real/out": "../../outside",
		"repo/viaup":    "real/../../outside",
		"repo/dangling": "missing",
		"repo/fileln":   "real/f",
	} {
		if err := os.Symlink(target, filepath.Join(work, name)); err != nil {
			t.Fatal(err)
		}
	}
	r, err := Open(filepath.Join(work, "repo"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r, work
}

func TestCheckDir(t *testing.T) {
	r, _ := newTree(t)
	for _, tc := range []struct {
		rel         string
		strict, lax string // the error's start, "" for none; "out" for a *LinkError leading out
	}{
		{".", "", ""},
		{"real", "", ""},
		{"real/sub", "", ""},
		{"missing/deeper", "", ""},
		{"in", "link", ""},
		{"in/sub", "link", ""},
		{"absin", "out", "out"}, // os.Root refuses absolute links
		{"up", "out", "out"},
		{"up/deeper", "out", "out"},
		{"abs", "out", "out"},
		{"real/out", "out", "out"},
		{"viaup", "out", "out"},
		{"dangling", "link", ""},
		{"file", "notdir", "notdir"},
		{"file/x", "notdir", "notdir"},
		{"fileln", "link", "notdir"},
	} {
		for _, strict := range []bool{true, false} {
			want := tc.lax
			if strict {
				want = tc.strict
			}
			err := r.CheckDir(filepath.FromSlash(tc.rel), strict)
			var le *LinkError
			var got string
			switch {
			case err == nil:
			case errors.As(err, &le) && le.Out:
				got = "out"
			case errors.As(err, &le):
				got = "link"
			case errors.Is(err, syscall.ENOTDIR), errors.Is(err, safeio.ErrNotDir):
				got = "notdir"
			default:
				got = err.Error()
			}
			if got != want {
				t.Errorf("CheckDir(%q, strict %v) = %v, want %q", tc.rel, strict, err, want)
			}
		}
	}
	if err := r.CheckDir("../x", false); err == nil {
		t.Errorf("CheckDir(../x) = nil")
	}
}

// Operations through the root never reach outside, whatever link is on
// the way, and say so.
func TestLeadsOut(t *testing.T) {
	r, work := newTree(t)
	for _, name := range []string{"up/f", "abs/f", "real/out/f", "viaup/f", "absin/f"} {
		_, err := r.ReadRegular(name, 1<<20)
		if !r.LeadsOut(err) {
			t.Errorf("ReadRegular(%s) = %v, want it refused as leading out", name, err)
		}
		if !strings.HasPrefix(r.Reason(err), "a symbolic link on the way leads out of ") {
			t.Errorf("Reason = %q", r.Reason(err))
		}
		if err := r.WriteNew(name, []byte("x"), 0o644); !r.LeadsOut(err) {
			t.Errorf("WriteNew(%s) = %v, want it refused", name, err)
		}
	}
	if data, _ := os.ReadFile(filepath.Join(work, "outside", "f")); string(data) != "out\n" {
		t.Errorf("outside/f = %q", data)
	}
	if data, err := r.ReadRegular("in/f", 1<<20); err != nil || string(data) != "in\n" {
		t.Errorf("ReadRegular(in/f) = %q, %v", data, err)
	}
}

// Special files are refused before they are opened: a named pipe does not
// block, a device is not read.
func TestReadRegular(t *testing.T) {
	r, work := newTree(t)
	repo := filepath.Join(work, "repo")
	if err := syscall.Mkfifo(filepath.Join(repo, "pipe"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	os.Symlink("pipe", filepath.Join(repo, "pipeln"))
	for name, kind := range map[string]fs.FileMode{"pipe": fs.ModeNamedPipe, "pipeln": fs.ModeSymlink, "fileln": fs.ModeSymlink, "real": fs.ModeDir} {
		_, err := r.ReadRegular(name, 1<<20)
		var se *safeio.Error
		if !errors.As(err, &se) || se.Err != safeio.ErrNotRegular || se.Kind != safeio.Kind(kind) {
			t.Errorf("ReadRegular(%s) = %v, want not a regular file: %s", name, err, safeio.Kind(kind))
		}
	}
	if err := os.WriteFile(filepath.Join(repo, "big"), make([]byte, 1025), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := r.ReadRegular("big", 1024); !errors.Is(err, safeio.ErrTooLarge) {
		t.Errorf("ReadRegular(big, 1024) = %v, want safeio.ErrTooLarge", err)
	}
	if data, err := r.ReadRegular("big", 1025); err != nil || len(data) != 1025 {
		t.Errorf("ReadRegular(big, 1025) = %d bytes, %v", len(data), err)
	}
}

// WriteNew replaces a link at its name, never what it points to.
func TestWriteNew(t *testing.T) {
	r, work := newTree(t)
	repo := filepath.Join(work, "repo")
	if err := os.Symlink("../outside/f", filepath.Join(repo, "new")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real/f", filepath.Join(repo, "new2")); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"new", "new2"} {
		if err := r.WriteNew(name, []byte("data\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Lstat(filepath.Join(repo, name))
		if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o644 {
			t.Errorf("%s: %v, %v", name, fi, err)
		}
	}
	for _, f := range []string{"outside/f", "repo/real/f"} {
		if data, _ := os.ReadFile(filepath.Join(work, f)); !strings.HasSuffix(string(data), "\n") || string(data) == "data\n" {
			t.Errorf("%s written through a link: %q", f, data)
		}
	}
}
