package lsp

import (
	"os"
	"testing"

	"github.com/axc-dev/axc/internal/check"
)

// BenchmarkVet is one check of the file $AXC_LSP_BENCH_FILE as the server
// runs it on a change that leaves its hosts as they were (for profiling;
// skipped without the variable). With AXC_LSP_BENCH_WHOLE set, every
// check evaluates every host (no check.Memo).
func BenchmarkVet(b *testing.B) {
	path := os.Getenv("AXC_LSP_BENCH_FILE")
	if path == "" {
		b.Skip("AXC_LSP_BENCH_FILE not set")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	// As Serve sets it up: the schema kept parsed.
	s := &Server{opts: Options{Check: check.Options{Cache: check.NewCache()}}, docs: map[string]*document{"x": {uri: "x", path: path, text: string(data)}}}
	for b.Loop() {
		if os.Getenv("AXC_LSP_BENCH_WHOLE") != "" {
			s.forget("") // every host evaluated, as before the memo
		}
		s.Vet(path)
	}
}
