package load_test

import (
	"fmt"
	"io/fs"
	"sync"
	"sync/atomic"
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
				res := loadDir(b, fsys, dir)
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

// BenchmarkLeanFloor is the least CUE costs to evaluate 1000 generated
// hosts against a release: every host once, against the lean schema (no
// messages), in chunks over the cores, and nothing else: no findings, no
// second evaluation for messages, no compiling. The hosts are written for
// 96990f9 (valid there); against v2026.05.01 every one of them fails (a
// fleet vetted before its migration, bench/run.sh's failing fleet); and
// migrated to v2026.05.01 they pass there (hostgen.WriteMigrated). The
// migrated hosts against the seed ones is what the bigger release costs CUE
// for the same machines when nothing fails, below which no vet of the
// failing fleet can go (issue 24's third target asks for 1.5x the seed
// fleet); the failing hosts against the migrated ones is what failing adds
// before any message:
//
//	go test -run XXX -bench LeanFloor -count 5 ./internal/load
func BenchmarkLeanFloor(b *testing.B) {
	for _, fleet := range []struct {
		name, release string
		write         func(dir string, n int) error
	}{
		{"seed", "96990f9", hostgen.Write},
		{"failing", "v2026.05.01", hostgen.Write},
		{"migrated", "v2026.05.01", hostgen.WriteMigrated},
	} {
		b.Run("hosts="+fleet.name+"/release="+fleet.release, func(b *testing.B) {
			dir := b.TempDir()
			if err := fleet.write(dir, 1000); err != nil {
				b.Fatal(err)
			}
			fsys, err := schema.Release(fleet.release)
			if err != nil {
				b.Fatal(err)
			}
			var failed atomic.Int64
			for b.Loop() {
				failed.Store(0)
				res := loadDir(b, fsys, dir)
				res.EachLean(func(_ int, _ *load.Host, v cue.Value) bool {
					if v.Validate(cue.Concrete(true)) != nil {
						failed.Add(1)
					}
					return true // no second evaluation: the lean one only
				})
			}
			b.ReportMetric(float64(failed.Load()), "failing-hosts")
		})
	}
}

// loadDir is a new loader's Load of dir against the schema in fsys.
func loadDir(b *testing.B, fsys fs.FS, dir string) *load.Result {
	l, err := load.NewWithSchema(fsys)
	if err != nil {
		b.Fatal(err)
	}
	res, err := l.Load([]string{dir})
	if err != nil {
		b.Fatal(err)
	}
	return res
}
