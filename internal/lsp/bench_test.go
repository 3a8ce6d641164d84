package lsp

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/axc-dev/axc/internal/check"
)

// BenchmarkVet is one check of the file $AXC_LSP_BENCH_FILE as the server
// runs it on a change (for profiling; skipped without the variable). The
// change is what $AXC_LSP_BENCH_CHANGE says: "" leaves the hosts as they
// were; "value" changes a number in the middle host of the file (the
// first line NAME: DIGITS from there on), as bench/lspbench -change value.
// With AXC_LSP_BENCH_WHOLE set, every check evaluates every host (no
// check.Memo), as before the memo.
func BenchmarkVet(b *testing.B) {
	path := os.Getenv("AXC_LSP_BENCH_FILE")
	if path == "" {
		b.Skip("AXC_LSP_BENCH_FILE not set")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	text := func(int) string { return string(data) }
	if os.Getenv("AXC_LSP_BENCH_CHANGE") == "value" {
		text = valueChange(b, string(data))
	}
	// As Serve sets it up: the schema kept parsed.
	s := &Server{opts: Options{Check: check.Options{Cache: check.NewCache()}}, docs: map[string]*document{}}
	i := 0
	for b.Loop() {
		i++
		s.docs["x"] = &document{uri: "x", path: path, text: text(i)}
		if os.Getenv("AXC_LSP_BENCH_WHOLE") != "" {
			s.forget("") // every host evaluated, as before the memo
		}
		if ds, records := s.Vet(path); len(ds)+len(records) > 0 {
			b.Fatalf("findings: %v %v", ds, records)
		}
	}
}

// valueChange is the texts of data with a number of its middle host
// changed.
func valueChange(b *testing.B, data string) func(int) string {
	lines := strings.Split(data, "\n")
	var starts []int
	for i, l := range lines {
		if strings.HasSuffix(l, ": {") && !strings.HasPrefix(l, "\t") {
			starts = append(starts, i)
		}
	}
	num := regexp.MustCompile(`^(\t+[A-Za-z]+:\s+)\d+$`)
	for i := starts[len(starts)/2]; i < len(lines); i++ {
		if m := num.FindStringSubmatch(lines[i]); m != nil {
			return func(v int) string {
				c := append([]string{}, lines...)
				c[i] = m[1] + fmt.Sprint(1000+v%5000)
				return strings.Join(c, "\n")
			}
		}
	}
	b.Fatal("no line NAME: DIGITS in the middle host or below")
	return nil
}
