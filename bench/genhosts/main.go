// Command genhosts writes a CUE package of N valid hosts into DIR, or N
// JSON host files, for bench/run.sh: hosts written for axios 96990f9, or
// the same hosts migrated to v2026.05.01.
//
//	genhosts -n 1000 DIR
//	genhosts -json -n 1000 DIR
//	genhosts -migrated -n 1000 DIR
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
	migrated := flag.Bool("migrated", false, "the hosts migrated to v2026.05.01 (a CUE package)")
	flag.Parse()
	if flag.NArg() != 1 || *n < 0 || *asJSON && *migrated {
		fmt.Fprintln(os.Stderr, "usage: genhosts [-json | -migrated] -n N DIR")
		os.Exit(2)
	}
	write := hostgen.Write
	switch {
	case *asJSON:
		write = hostgen.WriteJSON
	case *migrated:
		write = hostgen.WriteMigrated
	}
	if err := write(flag.Arg(0), *n); err != nil {
		fmt.Fprintln(os.Stderr, "genhosts:", err)
		os.Exit(1)
	}
}
