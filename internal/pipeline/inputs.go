// Package pipeline is what axc vet, axc build and the public compile
// package share: which paths are hosts and which users, which release they
// are checked against, and the one pass that vets every host and user and
// compiles those without error to Nix.
package pipeline

import (
	"os"
	"path/filepath"

	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/output"
	"github.com/axc-dev/axc/internal/reporoot"
)

// Inputs are the paths of one run, split into hosts and users.
type Inputs struct {
	Hosts, Users []string
	// DefaultUsers: users were not named; they come from the users
	// directory beside the hosts, when there is one.
	DefaultUsers bool
	// AllHosts: the hosts were named by directory (or by default), so
	// every host of the fleet is read.
	AllHosts bool
	// Root is the configuration repository the first input belongs to
	// (reporoot), absolute; "" when there is none.
	Root string
}

// DefaultHostPaths is what vet, build and show read when given no PATH:
// the hosts directory of the repository the working directory belongs to,
// wherever in it axc runs: the working directory itself when it is called
// hosts, else the nearest hosts directory beside it or above it, up to the
// top of the repository (reporoot); ./hosts when there is none. It is named
// relative to the working directory: "./hosts" at the top, "." in hosts/,
// "../hosts" in users/.
func DefaultHostPaths() []string {
	wd, err := os.Getwd()
	if err != nil {
		return []string{"./" + output.HostsDir}
	}
	root, _ := reporoot.Find(wd)
	for d := wd; ; d = filepath.Dir(d) {
		if filepath.Base(d) == output.HostsDir {
			return []string{load.RelPath(d)}
		}
		if hosts := filepath.Join(d, output.HostsDir); IsDir(hosts) {
			if d == wd {
				break // ./hosts, as it always was named
			}
			return []string{load.RelPath(hosts)}
		}
		if root == "" || d == root || filepath.Dir(d) == d {
			break
		}
	}
	return []string{"./" + output.HostsDir}
}

// Split sorts paths into hosts and users: a directory named users,
// or a file in one, holds users. Without user paths, the users directory
// beside the (first) hosts directory is read when it exists. Paths are
// judged by where they are, not by how they are written: "." in users/ is
// the users, bob.cue there a user.
func Split(paths []string) Inputs {
	var in Inputs
	for _, p := range paths {
		if isUsersPath(p) {
			in.Users = append(in.Users, p)
		} else {
			in.Hosts = append(in.Hosts, p)
		}
	}
	if len(in.Hosts) == 0 && len(in.Users) == 0 {
		in.Hosts = DefaultHostPaths()
	}
	in.AllHosts = len(in.Hosts) > 0
	for _, p := range in.Hosts {
		if info, err := os.Stat(p); err == nil && !info.IsDir() {
			in.AllHosts = false
		}
	}
	first := append(append([]string{}, in.Hosts...), in.Users...)[0]
	in.Root = repoOf(first)
	if len(in.Users) == 0 && len(in.Hosts) > 0 {
		dir := absDir(in.Hosts[0])
		users := filepath.Join(filepath.Dir(dir), output.UsersDir)
		// A users directory that declares no user (holding only the
		// generated .nix files, say) is no input; one that cannot be read
		// is, so that loading says why.
		if IsDir(users) {
			if names, complete, err := load.DeclaredNames(users); err != nil || len(names) > 0 || !complete {
				in.Users, in.DefaultUsers = []string{load.RelPath(users)}, true
			}
		}
	}
	return in
}

// isUsersPath reports whether p names users: a directory called users, or
// a file in one.
func isUsersPath(p string) bool {
	abs, err := filepath.Abs(p)
	if err != nil {
		abs = filepath.Clean(p)
	}
	if IsDir(abs) {
		return filepath.Base(abs) == output.UsersDir
	}
	return filepath.Base(filepath.Dir(abs)) == output.UsersDir
}

// absDir is the absolute directory of the input p: p itself, or the
// directory of a file.
func absDir(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		abs = filepath.Clean(p)
	}
	if info, err := os.Stat(abs); err == nil && !info.IsDir() {
		return filepath.Dir(abs)
	}
	return abs
}

// repoOf is the repository the input p belongs to, "" when none (or p
// cannot be read: loading it says why).
func repoOf(p string) string {
	root, _ := reporoot.Find(absDir(p))
	return root
}

// IsDir reports whether p is a directory (following links).
func IsDir(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.IsDir()
}
