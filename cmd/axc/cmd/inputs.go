package cmd

import (
	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/pipeline"
)

// inputs are the paths of one run, split into hosts and users
// (pipeline.Split).
type inputs = pipeline.Inputs

func splitInputs(paths []string) inputs { return pipeline.Split(paths) }

func defaultHostPaths() []string { return pipeline.DefaultHostPaths() }

func isDir(p string) bool { return pipeline.IsDir(p) }

// displayPath names the absolute path p as the user in the working
// directory would (load.RelPath): "users" at the top of the repository,
// "." or "../users" deeper in it, p itself from outside.
func displayPath(p string) string { return load.RelPath(p) }
