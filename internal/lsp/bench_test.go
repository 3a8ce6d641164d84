package lsp

import (
	"os"
	"testing"
)

// BenchmarkVet is one check of the file $AXC_LSP_BENCH_FILE as the server
// runs it on a change (for profiling; skipped without the variable).
func BenchmarkVet(b *testing.B) {
	path := os.Getenv("AXC_LSP_BENCH_FILE")
	if path == "" {
		b.Skip("AXC_LSP_BENCH_FILE not set")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	s := &Server{docs: map[string]*document{"x": {uri: "x", path: path, text: string(data)}}}
	for b.Loop() {
		s.Vet(path)
	}
}
