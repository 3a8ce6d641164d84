package check

import (
	"fmt"
	"testing"

	"github.com/axc-dev/axc/bench/hostgen"
)

// BenchmarkRun is axc vet's check in-process, as a new process makes it
// (no Cache; cold: no store, warm: the store of an earlier run): beside
// bench/cuefloor's BenchmarkVet on the same hosts, what axc adds to CUE.
//
//	go test -run '^$' -bench Run ./internal/check
func BenchmarkRun(b *testing.B) {
	for _, n := range []int{1, 10} {
		b.Run(fmt.Sprintf("hosts=%d", n), func(b *testing.B) {
			b.Chdir(fleetRepo(b, hostgen.Write, n))
			loop := func(b *testing.B, o Options) {
				for b.Loop() {
					if _, ds, err := Run(o, []string{"hosts"}, "", &Reach{}); err != nil || len(ds) != 0 {
						b.Fatalf("%v %v", ds, err)
					}
				}
			}
			b.Run("cold", func(b *testing.B) { loop(b, Options{}) })
			// warm: with the store a first run filled, as a second vet.
			b.Run("warm", func(b *testing.B) {
				loop(b, Options{Store: &MemoStore{Dir: b.TempDir(), Identity: "bench"}})
			})
		})
	}
}
