package release

import (
	"encoding/json"
	"maps"
	"slices"
)

// LockNode is a node of a flake.lock as Nix fetches it: its locked
// reference, and the node each of its inputs stands for (follows
// resolved). axc vet --nix finds a node's source in the Nix store by its
// narHash and calls the flake there with its inputs.
type LockNode struct {
	Key string
	// Type is the locked type (github, git, path, tarball, …); NarHash
	// the locked narHash (SRI, "sha256-…"), "" when the lock has none.
	Type, NarHash string
	// Inputs: input name → node key.
	Inputs map[string]string
}

// LockNodes are the nodes of the lock file data (named name in errors)
// reachable from node start, start first, then by key. The lock's root
// node has no locked reference: pass its key to get the root's inputs.
func LockNodes(name string, data []byte, start string) ([]LockNode, error) {
	var lf rawLock
	if err := json.Unmarshal(data, &lf); err != nil {
		return nil, jsonError(name, data, err)
	}
	if lf.Root == nil || lf.Nodes == nil || lf.Nodes[start] == nil {
		return nil, nil
	}
	var raw struct {
		Nodes map[string]struct {
			Locked struct {
				Type    string `json:"type"`
				NarHash string `json:"narHash"`
			} `json:"locked"`
		} `json:"nodes"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, jsonError(name, data, err)
	}
	g := &graph{name: name, lf: &lf, memo: map[edge]string{}, busy: map[edge]bool{}}
	seen := map[string]bool{start: true}
	queue := []string{start}
	var out []LockNode
	for len(queue) > 0 {
		key := queue[0]
		queue = queue[1:]
		n := LockNode{Key: key, Inputs: map[string]string{}}
		n.Type, n.NarHash = raw.Nodes[key].Locked.Type, raw.Nodes[key].Locked.NarHash
		for _, in := range slices.Sorted(maps.Keys(lf.Nodes[key].Inputs)) {
			to, err := g.target(key, in)
			if err != nil {
				return nil, err
			}
			n.Inputs[in] = to
			if !seen[to] {
				seen[to] = true
				queue = append(queue, to)
			}
		}
		out = append(out, n)
	}
	slices.SortStableFunc(out[1:], func(a, b LockNode) int {
		if a.Key < b.Key {
			return -1
		}
		if a.Key > b.Key {
			return 1
		}
		return 0
	})
	return out, nil
}
