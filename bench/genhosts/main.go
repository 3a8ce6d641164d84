// Command genhosts writes a CUE package of N valid hosts into DIR, or N
// JSON host files, for bench/run.sh.
//
//	genhosts -n 1000 DIR
//	genhosts -json -n 1000 DIR
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/axc-dev/axc/bench/hostgen"
)

func main() {
	n := flag.Int("n", 1, "number of hosts")
	asJSON := flag.Bool("json", false, "one JSON file per host instead of a CUE package")
	flag.Parse()
	if flag.NArg() != 1 || *n < 0 {
		fmt.Fprintln(os.Stderr, "usage: genhosts [-json] -n N DIR")
		os.Exit(2)
	}
	write := hostgen.Write
	if *asJSON {
		write = hostgen.WriteJSON
	}
	if err := write(flag.Arg(0), *n); err != nil {
		fmt.Fprintln(os.Stderr, "genhosts:", err)
		os.Exit(1)
	}
}
