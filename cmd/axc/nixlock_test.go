package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// nixLock writes ./flake.lock pinning kcalvelli/axios at REV (committed at
// LASTMODIFIED, Unix seconds) with the narHash of the tree SRC, and adds
// SRC to the Nix store as Nix fetches it (named "source"), so that axc
// vet --nix finds it there. -absent leaves the store alone (the source is
// not fetched); -nonarhash writes no narHash.
// Usage: nixlock [-absent] [-nonarhash] SRC REV LASTMODIFIED
func nixLock(ts *testscript.TestScript, neg bool, args []string) {
	absent, noNarHash := false, false
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "-absent":
			absent = true
		case "-nonarhash":
			noNarHash = true
		default:
			ts.Fatalf("nixlock: unknown flag %s", args[0])
		}
		args = args[1:]
	}
	if neg || len(args) != 3 {
		ts.Fatalf("usage: nixlock [-absent] [-nonarhash] SRC REV LASTMODIFIED")
	}
	src := ts.MkAbs(args[0])
	lastModified, err := strconv.ParseInt(args[2], 10, 64)
	ts.Check(err)
	out, err := exec.Command("nix", "--extra-experimental-features", "nix-command", "hash", "path", src).Output()
	ts.Check(err)
	narHash := strings.TrimSpace(string(out))
	if !absent {
		// The store names a fetched tree "source": add a copy of that name.
		tmp, err := os.MkdirTemp("", "nixlock")
		ts.Check(err)
		defer os.RemoveAll(tmp)
		dst := filepath.Join(tmp, "source")
		ts.Check(exec.Command("cp", "-r", src, dst).Run())
		if out, err := exec.Command("nix-store", "--add-fixed", "--recursive", "sha256", dst).CombinedOutput(); err != nil {
			ts.Fatalf("nix-store --add-fixed: %v\n%s", err, out)
		}
	}
	locked := map[string]any{"type": "github", "owner": "kcalvelli", "repo": "axios", "rev": args[1], "lastModified": lastModified}
	if !noNarHash {
		locked["narHash"] = narHash
	}
	lock := map[string]any{
		"nodes": map[string]any{
			"axios": map[string]any{
				"locked":   locked,
				"original": map[string]any{"type": "github", "owner": "kcalvelli", "repo": "axios"},
			},
			"root": map[string]any{"inputs": map[string]any{"axios": "axios"}},
		},
		"root":    "root",
		"version": 7,
	}
	data, err := json.MarshalIndent(lock, "", "  ")
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs("flake.lock"), append(data, '\n'), 0o644))
}

// withoutOnPath sets PATH to its directories that hold no PROG: axc runs
// as if PROG were not installed (testscript's own commands stay on it).
// Usage: withoutonpath PROG
func withoutOnPath(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: withoutonpath PROG")
	}
	var keep []string
	for _, dir := range filepath.SplitList(ts.Getenv("PATH")) {
		if _, err := os.Stat(filepath.Join(dir, args[0])); err == nil {
			continue
		}
		keep = append(keep, dir)
	}
	ts.Setenv("PATH", strings.Join(keep, string(filepath.ListSeparator)))
}
