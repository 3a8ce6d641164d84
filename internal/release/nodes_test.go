package release

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestLockNodes(t *testing.T) {
	lock := `{"version": 7, "root": "root", "nodes": {
		"root": {"inputs": {"axios": "axios", "nixpkgs": ["axios", "nixpkgs"]}},
		"axios": {"inputs": {"nixpkgs": "nixpkgs_2", "home-manager": "hm"}, "locked": {"type": "github", "narHash": "sha256-A"}},
		"nixpkgs_2": {"locked": {"type": "github", "narHash": "sha256-N"}},
		"hm": {"inputs": {"nixpkgs": ["axios", "nixpkgs"]}, "locked": {"type": "github"}},
		"unrelated": {"locked": {"type": "github", "narHash": "sha256-U"}}}}`
	got, err := LockNodes("flake.lock", []byte(lock), "axios")
	if err != nil {
		t.Fatal(err)
	}
	want := []LockNode{
		{Key: "axios", Type: "github", NarHash: "sha256-A", Inputs: map[string]string{"nixpkgs": "nixpkgs_2", "home-manager": "hm"}},
		{Key: "hm", Type: "github", Inputs: map[string]string{"nixpkgs": "nixpkgs_2"}},
		{Key: "nixpkgs_2", Type: "github", NarHash: "sha256-N", Inputs: map[string]string{}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("LockNodes =\n%+v\nwant\n%+v", got, want)
	}
}

// FuzzLockNodes: whatever the lock, no panic, an error names the file,
// and every input leads to a node given.
func FuzzLockNodes(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.flake.lock")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, "axios")
	}
	f.Add([]byte(inlineLock(`{"a": ["b"], "b": ["a"]}`, "")), "root")
	f.Add([]byte(`{"version": 7, "root": "r", "nodes": {"r": {"inputs": {"x": "\"; abort"}}, "\"; abort": {"inputs": {"y": ["x"]}}}}`), "r")
	f.Fuzz(func(t *testing.T, data []byte, start string) {
		nodes, err := LockNodes("fuzz.lock", data, start)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.lock") {
				t.Errorf("error does not name the file: %v", err)
			}
			return
		}
		keys := map[string]bool{}
		for _, n := range nodes {
			keys[n.Key] = true
		}
		if len(nodes) > 0 && nodes[0].Key != start {
			t.Errorf("first node %q, not %q", nodes[0].Key, start)
		}
		for _, n := range nodes {
			for in, to := range n.Inputs {
				if !keys[to] {
					t.Errorf("node %q input %q leads to %q, not given", n.Key, in, to)
				}
			}
		}
	})
}
