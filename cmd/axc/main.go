// Command axc checks axiOS hosts written in CUE and compiles them to the Nix
// files that axios.lib.mkSystem takes.
package main

import (
	"os"
	"runtime/debug"

	"axc.dev/axc/cmd/axc/cmd"
)

func main() {
	tuneGC()
	os.Exit(cmd.Main())
}

// tuneGC trades memory for time the way a short-lived command can: collect
// less often, but stay under a soft memory limit (bench/ measures both).
// GOGC and GOMEMLIMIT, when set, win.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(200 << 20)
	}
}
