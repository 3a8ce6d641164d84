package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axc-dev/axc/bench/hostgen"
)

// hostFiles writes n generated hosts to a new directory and returns the
// files of its package.
func hostFiles(tb testing.TB, n int) []string {
	dir := tb.TempDir()
	if err := hostgen.Write(dir, n); err != nil {
		tb.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.cue"))
	if err != nil {
		tb.Fatal(err)
	}
	return files
}

// TestVet: the floor validates, or it would time less than a vet: the
// generated hosts pass, and a host name the schema refuses does not.
func TestVet(t *testing.T) {
	files := hostFiles(t, 10)
	if n, err := vet("96990f9", files); err != nil || n != 10 {
		t.Fatalf("vet of 10 generated hosts = %d, %v; want 10, nil", n, err)
	}
	bad := filepath.Join(filepath.Dir(files[0]), "bad.cue")
	if err := os.WriteFile(bad, []byte("package hosts\n\n\"bad-host\": hostname: \"-x\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := vet("96990f9", append(files, bad))
	if err == nil || !strings.Contains(err.Error(), "hostname") {
		t.Fatalf("vet with a bad host name: %v; want an error about hostname", err)
	}
}

// BenchmarkVet is cuefloor's work in-process and warm (no process start,
// no cold caches): what CUE alone costs per run of one or 10 hosts.
//
//	go test -run '^$' -bench . ./bench/cuefloor
func BenchmarkVet(b *testing.B) {
	for _, n := range []int{1, 10} {
		b.Run(fmt.Sprintf("hosts=%d", n), func(b *testing.B) {
			files := hostFiles(b, n)
			for b.Loop() {
				if _, err := vet("96990f9", files); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
