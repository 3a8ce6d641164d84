// Command genhosts writes a CUE package of N valid hosts into DIR, for
// bench/run.sh.
//
//	genhosts -n 1000 DIR
package main

import (
	"flag"
	"fmt"
	"os"

	"axc.dev/axc/bench/hostgen"
)

func main() {
	n := flag.Int("n", 1, "number of hosts")
	flag.Parse()
	if flag.NArg() != 1 || *n < 0 {
		fmt.Fprintln(os.Stderr, "usage: genhosts -n N DIR")
		os.Exit(2)
	}
	if err := hostgen.Write(flag.Arg(0), *n); err != nil {
		fmt.Fprintln(os.Stderr, "genhosts:", err)
		os.Exit(1)
	}
}
