package release

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseLock feeds lock files to the lock reader and the choice made from
// it: whatever the bytes, no panic, and an error names the file.
func FuzzParseLock(f *testing.F) {
	tab := loadTable(f)
	files, err := filepath.Glob("testdata/*.flake.lock")
	if err != nil || len(files) == 0 {
		f.Fatalf("no seed locks: %v", err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		inlineLock(`{"a": ["b"], "b": ["a"]}`, ""),
		inlineLock(`{"axios": ["dotfiles", "axios"], "dotfiles": "d"}`, `"d": {"inputs": {"axios": ["axios"]}}`),
		inlineLock(`{"axios": "axios"}`, `"axios": {"locked": {"type": "git", "url": "https://github.com/kcalvelli/cairn", "rev": "ABCDEF", "lastModified": -1}}`),
		`{"version": 7, "root": "", "nodes": {"": {"inputs": {"": []}}}}`,
		`null`, `[]`, `{}`, `{"nodes": null, "version": 7, "root": "root"}`, "",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := tab.chooseFromLock("fuzz.lock", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.lock") {
				t.Errorf("error does not name the file: %v", err)
			}
			return
		}
		if !json.Valid(data) {
			t.Errorf("invalid JSON accepted")
		}
		if c.Release.Rev == "" || c.Source == "" {
			t.Errorf("empty choice %+v", c)
		}
		if _, ok := tab.ByRev(c.Release.Rev); !ok {
			t.Errorf("chose %s, not in the table", c.Release.Rev)
		}
	})
}
