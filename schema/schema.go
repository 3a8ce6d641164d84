// Package schema embeds the CUE schema of axios hosts, so that axc works in
// any directory with nothing else on disk.
package schema

import "embed"

// ImportPath is the CUE import path host files use for the schema.
const ImportPath = "axc.dev/axc/schema"

// Files holds the schema's CUE files.
//
//go:embed *.cue
var Files embed.FS
