// Package vcs says whether files have changes no commit holds, so that axc
// replaces a file it did not write (axc build --force) only when the user
// has a commit to return to. It asks git, the one version control system
// it knows, only when the directory is in a git work tree.
package vcs

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/axc-dev/axc/internal/nixpath"
)

// Change is a file whose content no commit holds as it is.
type Change struct {
	File string // as given
	// Status is git's two-letter status of the file (git status
	// --porcelain): " M", "M ", "A ", "??" (untracked), "!!" (ignored), ….
	Status string
}

// Why says in a few words what the change is.
func (c Change) Why() string {
	switch c.Status {
	case "??":
		return "not in git (untracked)"
	case "!!":
		return "ignored by git, so in no commit"
	}
	return "changed since the last commit"
}

// InGit reports whether dir is in a git work tree: a .git at or above it,
// as Nix finds the repository of a flake (nixpath.SourceRoot).
func InGit(dir string) bool {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return false
	}
	_, err = os.Lstat(filepath.Join(nixpath.SourceRoot(abs), ".git"))
	return err == nil
}

// Uncommitted returns those of files (paths relative to dir) whose content
// the git work tree holding dir has not committed as it is: modified or
// staged, untracked, or ignored. dir must be in a git work tree (InGit).
// The names are passed to git as literal paths, never patterns or
// options; git's configuration cannot make it run a file system monitor.
// An error says git could not tell (not installed, a damaged repository):
// then nothing is known to be committed.
func Uncommitted(dir string, files []string) ([]Change, error) {
	if len(files) == 0 {
		return nil, nil
	}
	// Porcelain paths are relative to the top of the work tree: dir is
	// below it at prefix.
	prefix, err := git(dir, "rev-parse", "--show-prefix")
	if err != nil {
		return nil, err
	}
	prefix = strings.TrimSuffix(prefix, "\n")
	out, err := git(dir, append([]string{"status", "--porcelain=v1", "-z", "--ignored=matching", "--untracked-files=all", "--"}, files...)...)
	if err != nil {
		return nil, err
	}
	status := map[string]string{}
	entries := strings.Split(out, "\x00")
	for i := 0; i < len(entries); i++ {
		e := entries[i]
		if len(e) < 4 {
			continue
		}
		xy, name := e[:2], e[3:]
		if xy[0] == 'R' || xy[0] == 'C' {
			i++ // a rename or copy: its source follows
		}
		status[filepath.Clean(filepath.FromSlash(name))] = xy
	}
	var changes []Change
	for _, f := range files {
		if xy, ok := status[filepath.Join(filepath.FromSlash(prefix), f)]; ok {
			changes = append(changes, Change{File: f, Status: xy})
		}
	}
	return changes, nil
}

// git runs git with args in dir and returns its output. Its configuration
// cannot make it run a file system monitor; paths are literal.
func git(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-c", "core.fsmonitor=false", "--literal-pathspecs", "-C", dir}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = append(os.Environ(), "GIT_OPTIONAL_LOCKS=0", "LC_ALL=C")
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		var ee *exec.ExitError
		if msg == "" || !errors.As(err, &ee) {
			msg = err.Error()
		}
		return "", fmt.Errorf("git %s: %s", args[0], msg)
	}
	return stdout.String(), nil
}
