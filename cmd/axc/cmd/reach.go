package cmd

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/output"
	"github.com/axc-dev/axc/internal/reporoot"
	"github.com/axc-dev/axc/internal/staged"
)

// reach is what a vet of some files reaches beyond the hosts and users
// they declare (load.Reach): the hosts that list a user a changed user
// file declares or declared, and the entries that refer to what a deleted
// or changed file declared. A commit then cannot leave the repository
// failing a whole vet while the vet of its files passes.
type reach struct {
	hosts, users []load.Reach
	// paths are the files the staged change adds or changes, vetted as
	// if named.
	paths []string
}

func (r *reach) empty() bool {
	return len(r.hosts) == 0 && len(r.users) == 0 && len(r.paths) == 0
}

// entryFileKind says whether p is a host or user file as vet reads them
// (a .cue, .json, .yaml or .yml file in a directory named hosts or users,
// not one CUE leaves out), and which: output.HostsDir or output.UsersDir.
func entryFileKind(p string) string {
	base := filepath.Base(p)
	switch strings.ToLower(filepath.Ext(base)) {
	case ".cue", ".json", ".yaml", ".yml":
	default:
		return ""
	}
	if strings.HasPrefix(base, ".") || strings.HasPrefix(base, "_") {
		return ""
	}
	switch dir := filepath.Base(filepath.Dir(p)); dir {
	case output.HostsDir, output.UsersDir:
		return dir
	}
	return ""
}

// hostsBeside is the hosts directory beside the users directory dir.
func hostsBeside(usersDir string) string {
	return filepath.Join(filepath.Dir(usersDir), output.HostsDir)
}

// usersReach is what a change to users reaches in the hosts beside their
// directory: the hosts listing one of the names, or all hosts when the
// names are not all known.
func usersReach(usersDir string, names []string, complete bool) load.Reach {
	r := load.Reach{Dir: hostsBeside(usersDir)}
	if complete {
		r.Strings = names
	} else {
		r.Whole = true
	}
	return r
}

// namedUsersReach is what the user files named reach: the hosts that list
// the users they declare.
func namedUsersReach(users []string) []load.Reach {
	var out []load.Reach
	for _, p := range users {
		abs, err := filepath.Abs(p)
		if err != nil {
			continue
		}
		if info, err := os.Stat(abs); err != nil || info.IsDir() {
			continue // a directory of users: the hosts are not reached
		}
		_, entries, complete, err := load.ReadFileNames(abs, load.Users)
		if err != nil {
			continue // loading the file says what is wrong with it
		}
		out = append(out, usersReach(filepath.Dir(abs), entries, complete))
	}
	return out
}

// stagedReach is what the staged change of the git work tree holding the
// working directory reaches: its host and user files that exist, as
// paths; what its changed and deleted files declared in HEAD, in their
// packages; and, for user files, the hosts listing those users.
func stagedReach() (*reach, error) {
	changes, err := staged.Changes(".", func(p string) bool { return entryFileKind(p) != "" }, load.MaxFileSize)
	if err != nil {
		return nil, err
	}
	r := &reach{}
	for _, c := range changes {
		dir := filepath.Dir(c.Path)
		kind := entryFileKind(c.Path)
		if c.Status != 'D' {
			r.paths = append(r.paths, displayPath(c.Path))
		}
		if c.Status == 'A' {
			continue // what it declares is on disk
		}
		gone := load.Reach{Dir: dir}
		all, entries, complete := []string(nil), []string(nil), false
		if c.Known {
			all, entries, complete = load.FileNames(c.Path, c.Before)
		}
		if complete {
			gone.Names = all
		} else {
			gone.Whole = true // what it declared is not known: all of it
		}
		if kind == output.UsersDir {
			r.users = append(r.users, gone)
			r.hosts = append(r.hosts, usersReach(dir, entries, complete))
		} else {
			r.hosts = append(r.hosts, gone)
		}
	}
	return r, nil
}

// reachInputs are the inputs of a vet of nothing but what rc reaches (a
// commit that only deletes files): no host or user named, the users beside
// the hosts read whole, so that a host listing a user that is gone says
// so.
func reachInputs(rc *reach) inputs {
	var in inputs
	var dir string
	for _, r := range rc.hosts {
		dir = filepath.Dir(r.Dir)
		break
	}
	if dir == "" {
		for _, r := range rc.users {
			dir = filepath.Dir(r.Dir)
			break
		}
	}
	if dir == "" {
		return in
	}
	in.Root, _ = reporoot.Find(dir)
	if users := filepath.Join(dir, output.UsersDir); isDir(users) {
		in.Users, in.DefaultUsers = []string{displayPath(users)}, true
	}
	return in
}
