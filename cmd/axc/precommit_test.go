package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"cuelang.org/go/cue/cuecontext"
	cueyaml "cuelang.org/go/encoding/yaml"
	"github.com/rogpeppe/go-internal/testscript"
)

// preCommitAvailable is the [precommit] condition: pre-commit and git are
// installed. With AXC_REQUIRE_PRECOMMIT=1 (as in .ci/run, which installs
// them) their absence fails the script instead of skipping it.
func preCommitAvailable() (bool, error) {
	for _, name := range []string{"pre-commit", "git"} {
		if _, err := exec.LookPath(name); err != nil {
			if os.Getenv("AXC_REQUIRE_PRECOMMIT") == "1" {
				return false, fmt.Errorf("AXC_REQUIRE_PRECOMMIT=1 but %s is not installed: %v", name, err)
			}
			return false, nil
		}
	}
	return true, nil
}

// nvimAvailable reports whether Neovim is installed, for the scripts that
// drive axc lsp from a real editor; with AXC_REQUIRE_NVIM=1 (CI) its
// absence fails them instead of skipping them.
func nvimAvailable() (bool, error) {
	if _, err := exec.LookPath("nvim"); err != nil {
		if os.Getenv("AXC_REQUIRE_NVIM") == "1" {
			return false, fmt.Errorf("AXC_REQUIRE_NVIM=1 but nvim is not installed: %v", err)
		}
		return false, nil
	}
	return true, nil
}

// emacsAvailable reports whether Emacs with eglot is installed (Emacs 29
// has it built in; Debian's Emacs 28 takes elpa-eglot), for the script
// that drives axc lsp from Emacs; with AXC_REQUIRE_EMACS=1 (CI) its
// absence fails it instead of skipping it.
func emacsAvailable() (bool, error) {
	_, err := exec.LookPath("emacs")
	if err == nil {
		err = exec.Command("emacs", "--batch", "-q", "--eval", "(require 'eglot)").Run()
	}
	if err != nil {
		if os.Getenv("AXC_REQUIRE_EMACS") == "1" {
			return false, fmt.Errorf("AXC_REQUIRE_EMACS=1 but emacs with eglot is not installed: %v", err)
		}
		return false, nil
	}
	return true, nil
}

// preCommitConfig writes a .pre-commit-config.yaml (usage: precommithook
// FILE) running the hooks this repository provides, as
// .pre-commit-hooks.yaml defines them (entry, files, always_run, …), as a
// local hook of the system's language: the axc that runs is the one on
// the script's PATH, and pre-commit builds nothing and fetches nothing.
func preCommitConfig(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: precommithook FILE")
	}
	hooks := readHookDefinitions(ts)
	for _, h := range hooks {
		h["language"] = "system"
	}
	config := map[string]any{"repos": []any{map[string]any{"repo": "local", "hooks": hooks}}}
	data, err := json.MarshalIndent(config, "", "  ") // JSON is YAML
	ts.Check(err)
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), append(data, '\n'), 0o644))
}

// readHookDefinitions reads the repository's .pre-commit-hooks.yaml.
func readHookDefinitions(ts *testscript.TestScript) []map[string]any {
	name := filepath.Join("..", "..", ".pre-commit-hooks.yaml")
	src, err := os.ReadFile(name)
	ts.Check(err)
	f, err := cueyaml.Extract(name, src)
	ts.Check(err)
	v := cuecontext.New().BuildFile(f)
	var hooks []map[string]any
	ts.Check(v.Decode(&hooks))
	if len(hooks) == 0 {
		ts.Fatalf("%s defines no hook", name)
	}
	return hooks
}
