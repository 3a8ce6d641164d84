// Package staged reads what the commit being made changes: the files of
// git's index that differ from HEAD, and what each changed or deleted file
// held in HEAD. pre-commit passes a hook only the files that still exist;
// vet asks here for the rest, so that a change is followed past them (a
// deleted file, a name a file no longer declares).
//
// git is run in the work tree with the environment it was given: in a
// hook, GIT_INDEX_FILE names the index being committed (git commit -a or
// with paths uses a temporary one).
package staged

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// A Change is one file the commit adds, changes or deletes.
type Change struct {
	// Path is the file's absolute path in the work tree.
	Path string
	// Status is 'A' (added), 'M' (changed, or its type: a file became a
	// link) or 'D' (deleted). A rename is a deletion and an addition.
	Status byte
	// Before is what the file held in HEAD (M and D), when Known.
	Before []byte
	// Known: Before is HEAD's whole file. False for an added file, and for
	// a file larger than the limit or that git could not show.
	Known bool
}

// Changes are the staged changes of the git work tree holding dir whose
// paths keep accepts (nil: all), with HEAD's content of each changed or
// deleted one up to limit bytes.
func Changes(dir string, keep func(path string) bool, limit int64) ([]Change, error) {
	out, err := git(dir, nil, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, err
	}
	top := strings.TrimSuffix(string(out), "\n")
	if top == "" || !filepath.IsAbs(top) {
		return nil, fmt.Errorf("git rev-parse --show-toplevel: %q is no work tree", top)
	}
	// Against HEAD; on a branch with no commit yet, against nothing
	// (git diff --cached then compares with the empty tree). HEAD is
	// asked about only when the diff against it fails: one git less.
	args := []string{"diff", "--cached", "--name-status", "-z", "--no-renames", "--no-ext-diff", "--ignore-submodules"}
	hasHead := true
	out, err = git(top, nil, append(args, "HEAD", "--")...)
	if err != nil {
		if _, headErr := git(top, nil, "rev-parse", "--verify", "--quiet", "HEAD"); headErr == nil {
			return nil, err
		}
		hasHead = false
		if out, err = git(top, nil, append(args, "--")...); err != nil {
			return nil, err
		}
	}
	fields := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	var changes []Change
	for i := 0; i+1 < len(fields); i += 2 {
		status, rel := fields[i], fields[i+1]
		if status == "" {
			continue
		}
		c := Change{Path: filepath.Join(top, filepath.FromSlash(rel))}
		switch status[0] {
		case 'A', 'C':
			c.Status = 'A'
		case 'D':
			c.Status = 'D'
		default: // M, T (type), U (unmerged), X, B: the file is there, changed
			c.Status = 'M'
		}
		if keep != nil && !keep(c.Path) {
			continue
		}
		changes = append(changes, c)
	}
	if !hasHead {
		return changes, nil
	}
	if err := readBefore(top, changes, limit); err != nil {
		return nil, err
	}
	return changes, nil
}

// readBefore fills in what the changed and deleted files held in HEAD, in
// one git cat-file --batch.
func readBefore(top string, changes []Change, limit int64) error {
	var req bytes.Buffer
	var asked []int
	for i, c := range changes {
		if c.Status == 'A' {
			continue
		}
		rel, err := filepath.Rel(top, c.Path)
		if err != nil || strings.ContainsAny(rel, "\n\r") {
			continue // cat-file --batch cannot name it: Known stays false
		}
		fmt.Fprintf(&req, "HEAD:%s\n", filepath.ToSlash(rel))
		asked = append(asked, i)
	}
	if len(asked) == 0 {
		return nil
	}
	cmd := exec.Command("git", "-C", top, "cat-file", "--batch")
	cmd.Stdin = &req
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("git: %v", err)
	}
	r := bufio.NewReader(stdout)
	readErr := func() error {
		for _, i := range asked {
			header, err := r.ReadString('\n')
			if err != nil {
				return fmt.Errorf("git cat-file: %v", err)
			}
			// "<oid> <type> <size>", or "<name> missing" / "ambiguous".
			parts := strings.Fields(header)
			if len(parts) != 3 {
				continue
			}
			size, err := strconv.ParseInt(parts[2], 10, 64)
			if err != nil || size < 0 {
				return fmt.Errorf("git cat-file: unexpected header %q", strings.TrimSpace(header))
			}
			if parts[1] == "blob" && size <= limit {
				data := make([]byte, size)
				if _, err := io.ReadFull(r, data); err != nil {
					return fmt.Errorf("git cat-file: %v", err)
				}
				changes[i].Before, changes[i].Known = data, true
			} else if _, err := io.CopyN(io.Discard, r, size); err != nil {
				return fmt.Errorf("git cat-file: %v", err)
			}
			if _, err := r.Discard(1); err != nil { // the newline after the content
				return fmt.Errorf("git cat-file: %v", err)
			}
		}
		return nil
	}()
	io.Copy(io.Discard, r)
	waitErr := cmd.Wait()
	if readErr != nil {
		return readErr
	}
	if waitErr != nil {
		return gitError(waitErr, stderr.Bytes())
	}
	return nil
}

// git runs git in dir and returns its standard output.
func git(dir string, stdin io.Reader, args ...string) ([]byte, error) {
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Stdin = stdin
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, gitError(err, stderr.Bytes())
	}
	return stdout.Bytes(), nil
}

// gitError is what went wrong running git: its own first line of
// complaint when it gave one.
func gitError(err error, stderr []byte) error {
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		if line, _, _ := strings.Cut(strings.TrimSpace(string(stderr)), "\n"); line != "" {
			return fmt.Errorf("git: %s", line)
		}
	}
	return fmt.Errorf("git: %v", err)
}
