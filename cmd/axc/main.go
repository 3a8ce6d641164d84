// Command axc checks axiOS hosts written in CUE and compiles them to the Nix
// files that axios.lib.mkSystem takes.
package main

import (
	"os"

	"github.com/axc-dev/axc/cmd/axc/cmd"
)

func main() {
	tuneGC()
	adviseHugePages()
	stop := startProfiles()
	code := cmd.Main()
	stop()
	os.Exit(code)
}
