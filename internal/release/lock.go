package release

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/axc-dev/axc/internal/safeio"
)

// MaxLockSize is the largest flake.lock read, in bytes.
const MaxLockSize = 16 << 20

// maxFollows bounds how many follows an input may go through before it
// reaches a node, so that a cyclic or absurd lock file cannot hang axc.
const maxFollows = 1000

// input is a node of a flake.lock that locks a release's repository.
type input struct {
	// Name is its input path from the root, "axios" or "foo/axios":
	// made from the walk on demand (a chain of n inputs has paths of
	// every length up to n, which together would cost n² bytes).
	Name         func() string
	Node         string // key in nodes
	Depth        int    // 1 for the root node's own inputs, 2 for theirs, …
	Repo         string // owner/name as the lock spells it
	Rev          string // lowercase
	LastModified *int64
}

// rawLock is the part of a flake.lock (versions 5 to 7) that axc reads.
type rawLock struct {
	Version *int                `json:"version"`
	Root    *string             `json:"root"`
	Nodes   map[string]*rawNode `json:"nodes"`
}

type rawNode struct {
	Inputs map[string]json.RawMessage `json:"inputs"`
	Locked *rawRef                    `json:"locked"`
}

type rawRef struct {
	Type         string `json:"type"`
	Owner        string `json:"owner"`
	Repo         string `json:"repo"`
	URL          string `json:"url"`
	Rev          string `json:"rev"`
	LastModified *int64 `json:"lastModified"`
}

// readLock reads the lock file at path, refusing anything but a regular file
// of at most MaxLockSize bytes (safeio).
func readLock(path string) ([]byte, error) {
	return safeio.ReadFile(path, MaxLockSize)
}

// parseLock finds the inputs of the lock file data (named name in errors)
// that lock one of repos (GitHub owner/name), ordered: the root's own inputs
// first, then by input path. lookalikes describe the inputs that lock a
// repository whose name only Unicode case folding makes one of repos
// ("\u212acalvelli/axios", with a Kelvin sign): not one of them.
func parseLock(name string, data []byte, repos []string) (found []input, lookalikes []string, err error) {
	var lf rawLock
	if err := json.Unmarshal(data, &lf); err != nil {
		return nil, nil, jsonError(name, data, err)
	}
	switch {
	case lf.Version == nil:
		return nil, nil, fmt.Errorf("%s: not a flake.lock: no version", name)
	case *lf.Version < 5:
		return nil, nil, fmt.Errorf("%s: flake.lock version %d is not supported (want 5 or later)", name, *lf.Version)
	case lf.Nodes == nil:
		return nil, nil, fmt.Errorf("%s: not a flake.lock: no nodes", name)
	case lf.Root == nil:
		return nil, nil, fmt.Errorf("%s: not a flake.lock: no root", name)
	}
	g := &graph{name: name, lf: &lf, memo: map[edge]string{}, busy: map[edge]bool{}}
	root := *lf.Root
	if lf.Nodes[root] == nil {
		return nil, nil, fmt.Errorf("%s: root node %q is not in nodes", name, root)
	}

	// Walk the graph from the root, breadth first, so that each node gets
	// its shortest input path (ties broken by input name): the order nodes
	// are reached in is that of their input paths, compared name by name.
	// Each node keeps the node and input it was reached by, not its path.
	type reached struct {
		from, input string
		depth       int
		order       int
	}
	paths := map[string]reached{root: {}}
	queue := []string{root}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, in := range slices.Sorted(maps.Keys(lf.Nodes[n].Inputs)) {
			to, err := g.target(n, in)
			if err != nil {
				return nil, nil, err
			}
			if _, seen := paths[to]; seen {
				continue
			}
			paths[to] = reached{from: n, input: in, depth: paths[n].depth + 1, order: len(paths)}
			queue = append(queue, to)
		}
	}
	pathOf := func(key string) string {
		var names []string
		for key != root {
			at := paths[key]
			names = append(names, at.input)
			key = at.from
		}
		slices.Reverse(names)
		return strings.Join(names, "/")
	}

	order := map[string]int{}
	for _, key := range slices.Sorted(maps.Keys(paths)) {
		at := paths[key]
		node := lf.Nodes[key]
		if key == root || node.Locked == nil {
			continue
		}
		repo, ok, lookalike := lockedRepo(node.Locked, repos)
		if lookalike {
			lookalikes = append(lookalikes, fmt.Sprintf("input %s locks %s", pathOf(key), strconv.QuoteToASCII(repo)))
		}
		if !ok {
			continue
		}
		in := input{
			Name:         func() string { return pathOf(key) },
			Node:         key,
			Depth:        at.depth,
			Repo:         repo,
			Rev:          lowerASCII(node.Locked.Rev),
			LastModified: node.Locked.LastModified,
		}
		if !isHex(in.Rev) || (len(in.Rev) != 40 && len(in.Rev) != 64) {
			return nil, nil, fmt.Errorf("%s: input %s (node %q) locks %s at rev %q, not a commit id", name, pathOf(key), key, repo, node.Locked.Rev)
		}
		order[key] = at.order
		found = append(found, in)
	}
	slices.SortFunc(found, func(a, b input) int {
		if a.Depth != b.Depth {
			return a.Depth - b.Depth
		}
		return order[a.Node] - order[b.Node]
	})
	return found, lookalikes, nil
}

type edge struct{ node, input string }

// graph resolves inputs, following follows paths, with memory (each input
// is resolved once) and a bound on nesting.
type graph struct {
	name string
	lf   *rawLock
	memo map[edge]string
	busy map[edge]bool
}

// target is the node that input in of node n stands for.
func (g *graph) target(n, in string) (string, error) {
	e := edge{n, in}
	if to, ok := g.memo[e]; ok {
		return to, nil
	}
	if g.busy[e] {
		return "", fmt.Errorf("%s: node %q: input %q follows itself", g.name, n, in)
	}
	if len(g.busy) >= maxFollows {
		return "", fmt.Errorf("%s: node %q: input %q: more than %d nested follows", g.name, n, in, maxFollows)
	}
	node := g.lf.Nodes[n]
	if node == nil {
		return "", fmt.Errorf("%s: node %q is not in nodes", g.name, n)
	}
	raw, ok := node.Inputs[in]
	if !ok {
		return "", fmt.Errorf("%s: node %q has no input %q", g.name, n, in)
	}
	var key string
	var follows []string
	trimmed := bytes.TrimSpace(raw)
	switch {
	case len(trimmed) > 0 && trimmed[0] == '"' && json.Unmarshal(trimmed, &key) == nil:
		if g.lf.Nodes[key] == nil {
			return "", fmt.Errorf("%s: node %q: input %q is node %q, which is not in nodes", g.name, n, in, key)
		}
	case len(trimmed) > 0 && trimmed[0] == '[' && json.Unmarshal(trimmed, &follows) == nil:
		// A follows path, from the root.
		g.busy[e] = true
		key = *g.lf.Root
		for _, step := range follows {
			to, err := g.target(key, step)
			if err != nil {
				delete(g.busy, e)
				return "", err
			}
			key = to
		}
		delete(g.busy, e)
	default:
		return "", fmt.Errorf("%s: node %q: input %q is %s, want a node name or a follows list of input names",
			g.name, n, in, jsonKind(raw))
	}
	g.memo[e] = key
	return key, nil
}

// lockedRepo reports whether ref locks one of repos (GitHub owner/name,
// compared ignoring ASCII case only): type github with that owner and repo,
// or type git with a URL https://github.com/OWNER/NAME(.git), also http,
// ssh, git and git+ schemes. GitHub's names are ASCII: a name that only
// Unicode case folding makes one of repos (a Kelvin sign K for k, a long s
// ſ for s) is another repository, a lookalike.
func lockedRepo(ref *rawRef, repos []string) (repo string, ok, lookalike bool) {
	var owner, name string
	switch ref.Type {
	case "github":
		owner, name = ref.Owner, ref.Repo
	case "git":
		u, err := url.Parse(ref.URL)
		if err != nil || !equalFoldASCII(u.Hostname(), "github.com") {
			return "", false, false
		}
		switch strings.TrimPrefix(lowerASCII(u.Scheme), "git+") {
		case "https", "http", "ssh", "git":
		default:
			return "", false, false
		}
		p := strings.TrimSuffix(strings.Trim(u.Path, "/"), ".git")
		var ok bool
		if owner, name, ok = strings.Cut(p, "/"); !ok || strings.Contains(name, "/") {
			return "", false, false
		}
	default:
		return "", false, false
	}
	for _, r := range repos {
		o, n, _ := strings.Cut(r, "/")
		switch {
		case equalFoldASCII(o, owner) && equalFoldASCII(n, name):
			return owner + "/" + name, true, false
		case strings.EqualFold(o, owner) && strings.EqualFold(n, name):
			lookalike = true
		}
	}
	return owner + "/" + name, false, lookalike
}

// equalFoldASCII reports whether a and b are equal ignoring the case of
// ASCII letters only: no Unicode folding, under which the Kelvin sign K
// equals k and the long s ſ equals s.
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lowerByte(a[i]) != lowerByte(b[i]) {
			return false
		}
	}
	return true
}

// lowerASCII lowers the ASCII letters of s, and nothing else.
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		b[i] = lowerByte(c)
	}
	return string(b)
}

func lowerByte(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return s != ""
}

func jsonKind(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "empty"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "a list that is not all strings"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	default:
		return "a number"
	}
}

// jsonError turns an error of encoding/json into one naming the file and,
// where the error has an offset, the line and column (1-based, in bytes).
func jsonError(name string, data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		// Offset counts the bytes read, the offending one included.
		off := syn.Offset - 1
		if strings.Contains(syn.Error(), "unexpected end") {
			off = int64(len(data))
		}
		line, col := lineCol(data, off)
		return fmt.Errorf("%s:%d:%d: invalid JSON: %s", name, line, col, strings.TrimPrefix(syn.Error(), "json: "))
	case errors.As(err, &typ):
		line, col := lineCol(data, valueStart(data, typ.Offset))
		what := "value"
		if typ.Field != "" {
			// The last element: encoding/json leaves out map keys.
			what = typ.Field[strings.LastIndexByte(typ.Field, '.')+1:]
		}
		return fmt.Errorf("%s:%d:%d: not a flake.lock: %s is a JSON %s, want %s", name, line, col, what, typ.Value, jsonType(typ.Type.String()))
	default:
		return fmt.Errorf("%s: %s", name, strings.TrimPrefix(err.Error(), "json: "))
	}
}

func jsonType(goType string) string {
	switch strings.TrimLeft(goType, "*") {
	case "string":
		return "a string"
	case "int", "int64":
		return "an integer"
	case "json.RawMessage":
		return "a JSON value"
	}
	if strings.HasPrefix(strings.TrimLeft(goType, "*"), "map[") || strings.Contains(goType, "release.raw") {
		return "an object"
	}
	return goType
}

// valueStart finds the start of the JSON value that ends at off (where
// encoding/json's UnmarshalTypeError points: after a scalar, or after the
// opening bracket of a composite value).
func valueStart(data []byte, off int64) int64 {
	i := min(off, int64(len(data))) - 1
	if i < 0 {
		return 0
	}
	switch c := data[i]; {
	case c == '[' || c == '{':
		return i
	case c == '"':
		for j := i - 1; j >= 0; j-- {
			if data[j] != '"' {
				continue
			}
			k := j
			for k > 0 && data[k-1] == '\\' {
				k--
			}
			if (j-k)%2 == 0 {
				return j
			}
		}
		return i
	default:
		j := i
		for j > 0 && strings.IndexByte("0123456789+-.eEtrufalsn", data[j-1]) >= 0 {
			j--
		}
		return j
	}
}

// lineCol converts a byte offset of data to a 1-based line and column.
func lineCol(data []byte, off int64) (line, col int) {
	off = max(0, min(off, int64(len(data))))
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(off) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}
