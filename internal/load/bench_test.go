package load_test

import (
	"fmt"
	"sync"
	"testing"

	"cuelang.org/go/cue"

	"github.com/axc-dev/axc/bench/hostgen"
	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/schema"
)

// BenchmarkLoadAndValidate is what `axc vet DIR` does before reporting: compile
// the embedded schema, load a hosts package of n valid hosts (no cue.mod: axc
// serves the schema itself), validate every host (EachLean, as vet does). bench/run.sh measures the
// whole command against `cue vet`; this is the in-process part, for profiling:
//
//	go test -run XXX -bench LoadAndValidate/hosts=100 -cpuprofile cpu.out ./internal/load
//
// With -short, hosts=1000 is skipped.
func BenchmarkLoadAndValidate(b *testing.B) {
	for _, n := range []int{1, 100, 1000} {
		b.Run(fmt.Sprintf("hosts=%d", n), func(b *testing.B) {
			if testing.Short() && n > 100 {
				b.Skip("slow; run without -short")
			}
			dir := b.TempDir()
			if err := hostgen.Write(dir, n); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			fsys, err := schema.Release("96990f9") // what hostgen writes for
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				l, err := load.NewWithSchema(fsys)
				if err != nil {
					b.Fatal(err)
				}
				res, err := l.Load([]string{dir})
				if err != nil {
					b.Fatal(err)
				}
				if res.Errors != nil {
					b.Fatal(res.Errors)
				}
				if len(res.Hosts) != n {
					b.Fatalf("loaded %d hosts, want %d", len(res.Hosts), n)
				}
				var mu sync.Mutex
				var bad []string
				res.EachLean(func(_ int, h *load.Host, v cue.Value) bool {
					err := v.Validate(cue.Concrete(true))
					if err != nil {
						mu.Lock()
						bad = append(bad, fmt.Sprintf("%s: %v", h.Name, err))
						mu.Unlock()
					}
					return err == nil
				})
				if len(bad) > 0 {
					b.Fatalf("generated hosts are not valid: %v", bad)
				}
			}
		})
	}
}
