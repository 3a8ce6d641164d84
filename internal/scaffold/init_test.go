package scaffold_test

import (
	"bytes"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/axc-dev/axc/cmd/axc/cmd"
	"github.com/axc-dev/axc/internal/release"
	"github.com/axc-dev/axc/internal/scaffold"
)

// Every release accepts the host and user axc init writes, with every value
// of every host flag, and names that need quoting in CUE or another file
// name: axc vet passes in the new repository, with the release its
// flake.lock pins.
func TestInitVetsForEveryRelease(t *testing.T) {
	tab, err := release.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	// Each value of each flag at least once per release.
	n := max(len(scaffold.FormFactors), len(scaffold.CPUs), len(scaffold.GPUs))
	names := []struct{ host, user string }{{"web-01", "alice"}, {"hosts", "users"}, {"01", "_svc"}, {"if", "bob-2"}}
	for _, r := range tab.Releases() {
		for i := range n {
			ff, cpu, gpu := scaffold.FormFactors[i%len(scaffold.FormFactors)], scaffold.CPUs[i%len(scaffold.CPUs)], scaffold.GPUs[i%len(scaffold.GPUs)]
			name := names[i%len(names)]
			t.Run(fmt.Sprintf("%s/%s-%s-%s", r.Tag, ff, cpu, gpu), func(t *testing.T) {
				dir := filepath.Join(t.TempDir(), "fleet")
				run(t, "init", "--axios", r.Tag, dir, "--form-factor", ff, "--cpu", cpu, "--gpu", gpu,
					"--hostname", name.host, "--user", name.user, "--full-name", `Ann "Q" O'Neil`, "--timezone", "America/New_York")
				t.Chdir(dir) // vet from the repository, as its paths are for
				out := run(t, "vet", "hosts")
				if want := fmt.Sprintf("1 host, 1 user ok (%s %s)\n", r.Namespace, r.Tag); out != want {
					t.Errorf("vet says %q, want %q", out, want)
				}
			})
		}
	}
}

// run runs axc with args, fails the test unless it exits 0, and returns
// what it wrote on stderr.
func run(t *testing.T, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := cmd.Run(args, &stdout, &stderr); code != 0 {
		t.Fatalf("axc %v: exit %d\n%s%s", args, code, stdout.String(), stderr.String())
	}
	return stderr.String()
}
