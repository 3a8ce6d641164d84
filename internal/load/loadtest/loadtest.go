// Package loadtest loads hosts for tests, against the schema of a release.
package loadtest

import (
	"io/fs"
	"testing"

	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/schema"
)

// Load loads paths against the schema of release tag, failing t on any
// error that stops loading.
func Load(t testing.TB, tag string, paths ...string) (*load.Loader, *load.Result) {
	t.Helper()
	fsys, err := schema.Release(tag)
	if err != nil {
		t.Fatal(err)
	}
	l, err := load.NewWithSchema(fsys)
	if err != nil {
		t.Fatal(err)
	}
	res, err := l.Load(paths)
	if err != nil {
		t.Fatal(err)
	}
	return l, res
}

// OptionTexts are the generated option files (schema.GenFile) of every
// release built into axc, in the order of schema.Files.
func OptionTexts(t testing.TB) [][]byte {
	t.Helper()
	var texts [][]byte
	err := fs.WalkDir(schema.Files, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Name() == schema.GenFile {
			data, rerr := fs.ReadFile(schema.Files, p)
			texts = append(texts, data)
			return rerr
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return texts
}
