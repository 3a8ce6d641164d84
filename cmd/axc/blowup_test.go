package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// blowupBound is the generous time bound of a hostile shape: each is
// refused (or, the lock, read) in well under a second; before they were
// bounded they ran for minutes or until memory ran out.
const blowupBound = 10 * time.Second

// blowupShape is a small input that makes a large value or costs
// super-linear time or memory, and what axc must do with it.
type blowupShape struct {
	name  string
	files map[string]string
	args  []string
	code  int
	// want is a line axc must print (stdout and stderr together).
	want string
	// maxRSS bounds the process's peak memory, in MiB (0: not checked).
	maxRSS int64
	// absent must not exist afterwards (nothing written on failure).
	absent string
}

// cueDoubling is a package file doubling a list 30 times (2^31 strings),
// and a host that uses the last one.
func cueDoubling() map[string]string {
	var b strings.Builder
	b.WriteString("package hosts\n\n_l0: [\"a\", \"b\"]\n")
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&b, "_l%d: [_l%d, _l%d]\n", i, i-1, i-1)
	}
	return map[string]string{
		"hosts/exp.cue":  b.String(),
		"hosts/host.cue": "package hosts\n\nh: {hardware: {}, extraConfig: {axios: system: timeZone: \"UTC\", environment: etc: x: {text: \"a\", source: _l30}}}\n",
	}
}

// nixHost is a host file whose extraConfig.x is the Nix value x, with the
// bindings before it.
func nixHost(bindings, x string) map[string]string {
	return map[string]string{"hosts/a.nix": "let\n" + bindings + "in { hostname = \"a\"; hardware = { }; extraConfig.x = " + x + "; }\n"}
}

func blowupShapes() []blowupShape {
	var doubling strings.Builder
	doubling.WriteString("  l0 = [ \"a\" \"b\" ];\n")
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&doubling, "  l%d = [ l%d l%d ];\n", i, i-1, i-1)
	}
	var wide strings.Builder
	for i := range 64000 {
		fmt.Fprintf(&wide, "k%d = %d; ", i, i)
	}
	var dotted []string
	for i := range 64000 {
		dotted = append(dotted, fmt.Sprintf("a%d", i))
	}
	const sizeMsg = "this value expands to more than 4 MiB written out, with what it refers to: no host needs that"
	return []blowupShape{
		{name: "vet, CUE doubling", files: cueDoubling(), args: []string{"vet", "hosts"}, code: 1,
			want: "hosts/exp.cue:23:14: " + sizeMsg},
		{name: "build, CUE doubling", files: cueDoubling(), args: []string{"build", "hosts", "-o", "out"}, code: 1,
			want: "hosts/exp.cue:23:14: " + sizeMsg, absent: "out"},
		{name: "vet one file, CUE doubling", files: cueDoubling(), args: []string{"vet", "hosts/host.cue"}, code: 1,
			want: "hosts/exp.cue:23:14: " + sizeMsg},
		{name: "import, Nix doubling", files: nixHost(doubling.String(), "l30"), args: []string{"import", "hosts/a.nix", "-o", "out"}, code: 1,
			want: "hosts/a.nix:33:54: cannot import extraConfig.x: it expands to more than 4 MiB written out, more than a host file may hold (axc vet reads no more): no host needs that", absent: "out"},
		{name: "import, wide set", files: nixHost("", "{ "+wide.String()+"}"), args: []string{"import", "hosts/a.nix", "-o", "out"}, code: 1,
			want: "hosts/a.nix:2:54: cannot import extraConfig.x: 64000 attributes in one set, more than the 1000 axc vet allows", absent: "out"},
		{name: "import, long dotted path", files: nixHost("", "{ "+strings.Join(dotted, ".")+" = 1; }"), args: []string{"import", "hosts/a.nix", "-o", "out"}, code: 1,
			want: "hosts/a.nix:2:56: cannot import extraConfig.x.a0.a1.a2.a3.a4.a5.….(63992 more).a63998.a63999: it nests deeper than 100 levels", absent: "out"},
		{name: "vet, long flake.lock chain", files: map[string]string{
			"flake.lock":   lockChain(50_000),
			"hosts/h.json": `{"hardware": {}, "extraConfig": {"axios": {"system": {"timeZone": "UTC"}}, "fileSystems": {"/": {"device": "/dev/sda1"}}}}`,
		}, args: []string{"vet", "hosts"}, code: 0, want: "1 host ok (axios 96990f9)", maxRSS: 512},
	}
}

// lockChain is a flake.lock whose root's input is the first of a chain of
// n inputs (each the one input of the one before), the last of which locks
// axios 96990f9: its input path is n names long.
func lockChain(n int) string {
	var b strings.Builder
	b.WriteString(`{"version": 7, "root": "root", "nodes": {"root": {"inputs": {"dep": "n1"}}`)
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, ",\n\"n%d\": {\"inputs\": {\"dep\": \"n%d\"}}", i, i+1)
	}
	fmt.Fprintf(&b, ",\n\"n%d\": {\"locked\": {\"type\": \"github\", \"owner\": \"kcalvelli\", \"repo\": \"axios\", \"rev\": \"96990f9dadc30a94ca18f26f901cfef98550de07\", \"lastModified\": 1764181876}}}}\n", n)
	return b.String()
}

// Each hostile shape finishes within blowupBound, exits as it must and
// says what it must; the lock chain stays within its memory.
func TestBlowupShapes(t *testing.T) {
	axc, err := exec.LookPath("axc") // TestMain puts the axc command on PATH
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range blowupShapes() {
		t.Run(s.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, data := range s.files {
				p := filepath.Join(dir, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if _, ok := s.files["flake.lock"]; !ok {
				lock, err := os.ReadFile(filepath.Join("..", "..", "testdata", "fleet-2025.11", "flake.lock"))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "flake.lock"), lock, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			ctx, cancel := context.WithTimeout(context.Background(), blowupBound)
			defer cancel()
			cmd := exec.CommandContext(ctx, axc, s.args...)
			cmd.Dir = dir
			// A cap well above what any shape needs, so that one that
			// does blow up stops there rather than take the machine's.
			cmd.Env = append(os.Environ(), "AXC_MAX_MEMORY=1024")
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			start := time.Now()
			err := cmd.Run()
			took := time.Since(start)
			if ctx.Err() != nil {
				t.Fatalf("axc %s: still running after %v", strings.Join(s.args, " "), blowupBound)
			}
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			t.Logf("axc %s: exit %d in %v", strings.Join(s.args, " "), code, took.Round(time.Millisecond))
			if code != s.code {
				t.Errorf("exit %d, want %d\n%.2000s", code, s.code, out.String())
			}
			if !strings.Contains("\n"+out.String(), "\n"+s.want+"\n") {
				t.Errorf("output lacks the line %q:\n%.2000s", s.want, out.String())
			}
			if s.maxRSS > 0 {
				if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
					if mib := ru.Maxrss >> 10; mib > s.maxRSS {
						t.Errorf("peak memory %d MiB, want at most %d", mib, s.maxRSS)
					}
				}
			}
			if s.absent != "" {
				if _, err := os.Stat(filepath.Join(dir, s.absent)); err == nil {
					t.Errorf("%s was written", s.absent)
				}
			}
		})
	}
}
