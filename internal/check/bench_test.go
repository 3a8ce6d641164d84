package check

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/axc-dev/axc/bench/hostgen"
)

// BenchmarkRun is axc vet's check in-process, as a new process makes it
// (no Cache; cold: no store, warm: the store of an earlier run): beside
// bench/cuefloor's BenchmarkVet on the same hosts, what axc adds to CUE.
//
//	go test -run '^$' -bench Run ./internal/check
func BenchmarkRun(b *testing.B) {
	lock, err := os.ReadFile(filepath.Join("..", "..", "testdata", "fleet-2025.11", "flake.lock"))
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1, 10} {
		b.Run(fmt.Sprintf("hosts=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "flake.lock"), lock, 0o644); err != nil {
				b.Fatal(err)
			}
			if err := os.Mkdir(filepath.Join(dir, "hosts"), 0o755); err != nil {
				b.Fatal(err)
			}
			if err := hostgen.Write(filepath.Join(dir, "hosts"), n); err != nil {
				b.Fatal(err)
			}
			b.Chdir(dir)
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
