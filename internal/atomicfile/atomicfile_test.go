package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "sub", "f.cue")
	for _, data := range []string{"one\n", "two\n"} {
		if err := Write(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(name)
		if err != nil || string(got) != data {
			t.Fatalf("after Write(%q): %q, %v", data, got, err)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(name))
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
	fi, _ := os.Stat(name)
	if fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", fi.Mode().Perm())
	}

	// An error names the file and says why in a few words.
	file := filepath.Join(dir, "file")
	os.WriteFile(file, nil, 0o644)
	err := Write(filepath.Join(file, "x"), []byte("x"))
	if want := file + ": cannot create directory: not a directory"; err == nil || err.Error() != want {
		t.Errorf("Write below a file = %v, want %s", err, want)
	}
}
