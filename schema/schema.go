// Package schema embeds the CUE schema of axios hosts, so that axc works in
// any directory with nothing else on disk: the schema of the pinned commit
// at the root, and one complete schema per axios release under releases/,
// with the table of releases (releases/releases.cue).
package schema

import (
	"embed"
	"fmt"
	"io/fs"
)

// ImportPath is the CUE import path host files use for the schema.
const ImportPath = "axc.dev/axc/schema"

// Files holds the schema's CUE files: the package itself at the root, and
// releases/.
//
//go:embed *.cue releases/*.cue releases/*/*.cue
var Files embed.FS

// ReleasesFile is the table of releases, read by internal/release.
const ReleasesFile = "releases/releases.cue"

// Release is the schema of the release tag: a directory of the files of
// package schema, as Files holds them at its root.
func Release(tag string) (fs.FS, error) {
	sub, err := fs.Sub(Files, "releases/"+tag)
	if err != nil {
		return nil, err
	}
	if _, err := fs.Stat(sub, HostFile); err != nil {
		return nil, fmt.Errorf("no schema for release %s", tag)
	}
	return sub, nil
}

// Language is the CUE language version the schema is written in: a module
// that evaluates it (an author's, or the one axc serves) needs at least it.
const Language = "v0.17.0"
