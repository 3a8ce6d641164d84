// Package loadtest loads hosts for tests, against the schema of a release.
package loadtest

import (
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
