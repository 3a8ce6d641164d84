package nixeval

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/axc-dev/axc/internal/release"
)

// Source is the flake source whose mkSystem Nix evaluates, and the nodes
// of the lock it is called with.
type Source struct {
	// Root is the key of the source's node in Nodes.
	Root  string
	Nodes map[string]Node
	// Desc names the source for messages: its store path or directory.
	Desc string
	// key identifies the source's content and its inputs' for the cache:
	// "" when a node found has no narHash (a checkout), which is not
	// cached.
	key string
}

// Node is a lock node as the driver takes it: its directory ("" when not
// in the store) and its inputs (name → node key).
type Node struct {
	Dir    string
	Inputs map[string]string
}

// checkoutKey is the key of the node of a source given as a directory.
const checkoutKey = "axc-source"

// FromLock finds the source that node key of the flake.lock at lock
// locks, in the Nix store, by its narHash, with each of its inputs found
// the same way (an input not found is a stub that says so when
// evaluated). The error says why there is none: the lock has no narHash
// for it, or the store does not hold it.
func FromLock(lock, key string, readLock func(string) ([]byte, error)) (*Source, error) {
	s, nodes, err := lockNodes(lock, key, readLock)
	if err != nil {
		return nil, err
	}
	if s.Nodes[key].Dir == "" {
		n := nodes[0]
		if n.NarHash == "" {
			return nil, fmt.Errorf("%s: node %s has no narHash to find its source by", lock, key)
		}
		p, _ := SourcePath(StoreDir(), n.NarHash, "source")
		return nil, fmt.Errorf("%s: the source that node %s locks (%s) is not in the Nix store; fetch it (nix flake archive), or pass --axios-source DIR", lock, key, p)
	}
	s.Desc = s.Nodes[key].Dir
	return s, nil
}

// lockNodes are the nodes of lock reachable from key, each with its
// directory in the store if it is there.
func lockNodes(lock, key string, readLock func(string) ([]byte, error)) (*Source, []release.LockNode, error) {
	data, err := readLock(lock)
	if err != nil {
		return nil, nil, err
	}
	nodes, err := release.LockNodes(lock, data, key)
	if err != nil {
		return nil, nil, err
	}
	if len(nodes) == 0 {
		return nil, nil, fmt.Errorf("%s has no node %q", lock, key)
	}
	s := &Source{Root: key, Nodes: map[string]Node{}}
	var keyParts []string
	for _, n := range nodes {
		dir := ""
		if n.NarHash != "" {
			if p, err := SourcePath(StoreDir(), n.NarHash, "source"); err == nil && isDir(p) {
				dir = p
			}
		}
		s.Nodes[n.Key] = Node{Dir: dir, Inputs: n.Inputs}
		keyParts = append(keyParts, nodeKey(n.Key, n.NarHash, dir != "", n.Inputs))
	}
	s.key = strings.Join(keyParts, "\n")
	return s, nodes, nil
}

// FromDir is the source in dir (a checkout holding flake.nix), called
// with the inputs that node key of lock has, when lock and key are not ""
// (so that its nixpkgs is the lock's). A checkout has no narHash: its
// verdicts are not cached.
func FromDir(dir, lock, key string, readLock func(string) ([]byte, error)) (*Source, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if !isDir(abs) {
		return nil, fmt.Errorf("--axios-source %s: not a directory", dir)
	}
	if info, err := os.Stat(filepath.Join(abs, "flake.nix")); err != nil || !info.Mode().IsRegular() {
		return nil, fmt.Errorf("--axios-source %s: no flake.nix in it", dir)
	}
	s := &Source{Root: checkoutKey, Nodes: map[string]Node{}, Desc: abs}
	inputs := map[string]string{}
	if lock != "" && key != "" {
		if from, _, err := lockNodes(lock, key, readLock); err == nil {
			s.Nodes = from.Nodes
			inputs = from.Nodes[key].Inputs
		}
	}
	s.Nodes[checkoutKey] = Node{Dir: abs, Inputs: inputs}
	return s, nil
}

func nodeKey(key, narHash string, found bool, inputs map[string]string) string {
	names := make([]string, 0, len(inputs))
	for n := range inputs {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	fmt.Fprintf(&b, "%q %q %v", key, narHash, found)
	for _, n := range names {
		fmt.Fprintf(&b, " %q=%q", n, inputs[n])
	}
	return b.String()
}

func isDir(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.IsDir()
}

func hashOf(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:%s\n", len(p), p)
	}
	return hex.EncodeToString(h.Sum(nil))
}
