package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/axc-dev/axc/cmd/axc/cmd"
	"github.com/axc-dev/axc/internal/release"
)

// The hostile classes (host keys, raw Nix, header injection, special files,
// depth and width, foreign files, the atomic commit) were first tested on
// the pinned commit, whose repositories name the framework axios. They must
// hold on every repository layout axc writes, above all the newest one that
// axc init makes by default (cairn: extraConfig.cairn.*, host fields users
// and hardwareConfigPath, users/*.nix modules). TestHostileReleases runs each
// script of testdata/hostile once per release of hostileReleases, in a
// repository axc init made for that release.
//
// A script finds:
//
//   - $WORK: the repository init wrote (flake.lock pinning the release,
//     cue.mod with the vendored schema, hosts/hosts.cue, users/users.cue,
//     the pre-commit and CI files), without init's sample host, plus
//     hosts/base.cue: every host has a root file system and a time zone in
//     the release's namespace.
//   - $REL, the release's tag, and $NS, its namespace: goldens that differ
//     by release are want/$REL/NAME (cmp FILE want/$REL/NAME; -update
//     rewrites the one of the release that ran), the others are shared.
//     A host that sets options of the namespace comes in one file per
//     namespace (cp cases/x-$NS.cue hosts/x.cue): a dynamic field (_ns)
//     would do, but positions below one are only its parent's, since vet
//     finds the author's positions in the syntax.
//
// Scripts carry their own hosts and users under hosts/ and users/; init's
// files must not be among them (the copy refuses to overwrite).
func TestHostileReleases(t *testing.T) {
	table, err := release.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, tag := range hostileReleases(table) {
		rel, err := table.Lookup(tag)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(tag, func(t *testing.T) {
			repo := initRepo(t, rel)
			p := scriptParams(filepath.Join("..", "..", "testdata", "hostile"), "")
			p.Setup = func(env *testscript.Env) error {
				env.Setenv("AXC_REQUIRE_NIX", os.Getenv("AXC_REQUIRE_NIX"))
				env.Setenv("CUE_CACHE_DIR", filepath.Join(env.WorkDir, ".tmp", "cue-cache"))
				env.Setenv("CUE_CONFIG_DIR", filepath.Join(env.WorkDir, ".tmp", "cue-config"))
				env.Setenv("CUE_REGISTRY", "none") // the schema is vendored: offline
				env.Setenv("REL", rel.Tag)
				env.Setenv("NS", rel.Namespace)
				return os.CopyFS(env.WorkDir, os.DirFS(repo))
			}
			testscript.Run(t, p)
		})
	}
}

// hostileReleases are the releases the hostile scripts run on: the newest
// (what axc init makes by default, the cairn layout) and the pinned commit
// (the axios layout the other scripts are written for).
func hostileReleases(table *release.Table) []string {
	return []string{table.Newest().Tag, pinnedRelease}
}

// initRepo writes, once per release, the repository axc init makes for rel
// (in process: the scripts copy it), without init's sample host, and with
// hosts/base.cue (see TestHostileReleases).
func initRepo(t *testing.T, rel release.Release) string {
	t.Helper()
	repo := filepath.Join(t.TempDir(), "repo")
	var stdout, stderr bytes.Buffer
	if code := cmd.Run([]string{"init", "-q", "--axios", rel.Tag, "--hostname", "sample", repo}, &stdout, &stderr); code != 0 {
		t.Fatalf("axc init --axios %s: exit %d: %s", rel.Tag, code, stderr.String())
	}
	for _, p := range []string{"hosts/sample.cue", "hosts/sample"} {
		if err := os.RemoveAll(filepath.Join(repo, p)); err != nil {
			t.Fatal(err)
		}
	}
	base := fmt.Sprintf(`package hosts

// Every host of the hostile scripts has a root file system and a time zone,
// in the namespace of the release.
[string]: extraConfig: {
	fileSystems: "/": device: "/dev/disk/by-label/nixos"
	%s: system: timeZone: "UTC"
}
`, rel.Namespace)
	if err := os.WriteFile(filepath.Join(repo, "hosts", "base.cue"), []byte(base), 0o644); err != nil {
		t.Fatal(err)
	}
	return repo
}
