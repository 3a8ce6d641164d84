package check

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/axc-dev/axc/bench/hostgen"
)

// TestBenchFleets holds bench/run.sh's fleets to what it says they are:
// the generated hosts pass against the release they are written for
// (96990f9), every one of them fails against v2026.05.01 (the failing
// fleet, as before a migration), and the same hosts migrated to
// v2026.05.01 pass there (the fleet after it, which tells the newer
// release's own cost from the cost of failing).
func TestBenchFleets(t *testing.T) {
	const n = 12 // every kind of host, odd and even, and in chunks
	for _, tc := range []struct {
		name      string
		write     func(dir string, n int) error
		axios     string
		wantHosts int // hosts with findings
	}{
		{"seed", hostgen.Write, "", 0},
		{"seed against v2026.05.01", hostgen.Write, "v2026.05.01", n},
		{"migrated", hostgen.WriteMigrated, "v2026.05.01", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Chdir(fleetRepo(t, tc.write, n))
			_, ds, err := Run(Options{Axios: tc.axios}, []string{"hosts"}, "", &Reach{})
			if err != nil {
				t.Fatal(err)
			}
			failing := map[string]bool{}
			for _, d := range ds {
				failing[d.Host] = true
				if tc.wantHosts == 0 {
					t.Errorf("%s:%d:%d: %s: %s", d.File, d.Line, d.Column, d.Path, d.Message)
				}
			}
			if len(failing) != tc.wantHosts {
				t.Errorf("%d hosts with findings, want %d", len(failing), tc.wantHosts)
			}
		})
	}
}

// fleetRepo is a new author repository of n hosts that write writes into
// its hosts directory, with the lock of testdata/fleet-2025.11 (pinning
// 96990f9), as bench/run.sh makes them.
func fleetRepo(tb testing.TB, write func(dir string, n int) error, n int) string {
	tb.Helper()
	lock, err := os.ReadFile(filepath.Join("..", "..", "testdata", "fleet-2025.11", "flake.lock"))
	if err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "flake.lock"), lock, 0o644); err != nil {
		tb.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "hosts"), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := write(filepath.Join(dir, "hosts"), n); err != nil {
		tb.Fatal(err)
	}
	return dir
}
