package lsp

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/axc-dev/axc/bench/hostgen"
	"github.com/axc-dev/axc/internal/check"
	"github.com/axc-dev/axc/internal/safeio"
	"github.com/axc-dev/axc/internal/vet"
)

// A server that checks a document again after a change takes the hosts
// the change left alone from its last check (check.Memo). For sequences
// of random edits of host files (a host's value changed, a typo, a line
// added or removed so that the hosts below move, two conflicting values,
// a host added, removed or renamed, a reference to nothing (the package
// does not build, which the server's check finds out beside evaluating:
// check.Options.Cache), a shared value changed, a file the
// host names deleted or made again on disk, a return to an older text),
// what it says after each edit is exactly what a check of the same text
// from nothing says.
func TestIncrementalCheckMatchesWhole(t *testing.T) {
	for _, c := range memoCorpus(t) {
		t.Run(c.name, func(t *testing.T) {
			for seed := range uint64(c.seeds) {
				editSequence(t, c, seed, c.edits)
			}
		})
	}
}

// FuzzIncrementalCheck is TestIncrementalCheckMatchesWhole's property for
// any sequence of edits of the generated hosts (the seed of the random
// edits and their number).
func FuzzIncrementalCheck(f *testing.F) {
	f.Add(uint64(1), uint8(6))
	f.Add(uint64(7), uint8(3))
	corpus := memoCorpus(f)
	f.Fuzz(func(t *testing.T, seed uint64, n uint8) {
		editSequence(t, corpus[0], seed, int(n%16))
	})
}

// memoCase is a repository and the file of it to edit.
type memoCase struct {
	name  string
	dir   string
	file  string // absolute
	opts  check.Options
	seeds int
	edits int // in each sequence
}

// memoCorpus is the generated hosts of the benchmarks (30, 10 a file, in
// a repository pinning 96990f9), and the host files of every testscript
// that runs vet, each with four hosts added so that its hosts are
// evaluated apart (load's lazyMin).
func memoCorpus(t testing.TB) []memoCase {
	t.Helper()
	lock, err := os.ReadFile(filepath.Join("..", "..", "testdata", "fleet-2025.11", "flake.lock"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	must(t, os.Mkdir(filepath.Join(dir, ".git"), 0o755))
	must(t, os.Mkdir(filepath.Join(dir, "hosts"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "flake.lock"), lock, 0o644))
	must(t, hostgen.Write(filepath.Join(dir, "hosts"), 30))
	out := []memoCase{{name: "generated", dir: dir, file: filepath.Join(dir, "hosts", "hosts_001.cue"), seeds: 4, edits: 10}}
	if testing.Short() {
		// The race detector's run (.ci/run: -race -short) is about the
		// check loop and requests sharing the server; the testscripts'
		// corpus is the plain run's, at a tenth of the time.
		return out
	}

	scripts, err := filepath.Glob(filepath.Join("..", "..", "testdata", "scripts", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	vet := regexp.MustCompile(`(?m)^!? *exec axc (.*)\bvet\b(.*)$`)
	axios := regexp.MustCompile(`--axios[= ](\S+)`)
	for _, script := range scripts {
		ar, err := txtar.ParseFile(script)
		if err != nil {
			t.Fatal(err)
		}
		m := vet.FindString(string(ar.Comment))
		if m == "" || strings.Contains(m, "--schema") {
			continue
		}
		var opts check.Options
		if a := axios.FindStringSubmatch(m); a != nil {
			opts.Axios = a[1]
		}
		dir := t.TempDir()
		must(t, os.WriteFile(filepath.Join(dir, "flake.lock"), lock, 0o644))
		var hostFiles []string
		for _, f := range ar.Files {
			p := filepath.Join(dir, filepath.FromSlash(f.Name))
			must(t, os.MkdirAll(filepath.Dir(p), 0o755))
			must(t, os.WriteFile(p, f.Data, 0o644))
			if filepath.Base(filepath.Dir(p)) == "hosts" && strings.HasSuffix(p, ".cue") && strings.HasPrefix(string(f.Data), "package hosts") {
				hostFiles = append(hostFiles, p)
			}
		}
		for i, p := range hostFiles {
			out = append(out, memoCase{name: fmt.Sprintf("%s/%d", strings.TrimSuffix(filepath.Base(script), ".txtar"), i), dir: dir, file: p, opts: opts, seeds: 1, edits: 2})
		}
	}
	if len(out) < 50 {
		t.Fatalf("%d cases: the scripts' host files were not found", len(out))
	}
	return out
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// editSequence makes n random edits of c's file (seeded by seed) and after
// each compares a server's check that keeps its memo with a check from
// nothing.
func editSequence(t *testing.T, c memoCase, seed uint64, n int) {
	t.Helper()
	data, err := os.ReadFile(c.file)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(seed, 22))
	text := string(data)
	if c.seeds == 1 {
		// Four hosts more: the file's hosts are evaluated apart.
		for i := range 4 {
			text += fmt.Sprintf("\npad%d: {system: \"x86_64-linux\"}\n", i)
		}
	}
	opts := c.opts
	opts.Cache = sharedCache
	incremental := &Server{opts: Options{Check: opts}, docs: map[string]*document{}}
	// The check from nothing keeps nothing: no cache of the schema, of
	// scans or of files read.
	whole := &Server{opts: Options{Check: c.opts}, docs: map[string]*document{}, disk: safeio.Disk}
	// A check by a new process each time, with what earlier processes
	// found of the hosts on disk (vet's check.MemoStore).
	store := check.NewMemoStore(t.TempDir(), "test")
	var history []string
	var removed []string // files deleted on disk, to make again
	defer func() {
		for _, p := range removed {
			os.WriteFile(p, []byte("{ }\n"), 0o644)
		}
	}()
	for step := 0; step <= n; step++ {
		what := "open"
		if step > 0 {
			text, what = edit(r, text, history, c.dir, &removed)
		}
		history = append(history, text)
		for _, s := range []*Server{incremental, whole} {
			s.docs["file"] = &document{uri: "file", path: c.file, text: text}
		}
		if os.Getenv("AXC_MEMO_DEBUG") != "" {
			os.WriteFile(fmt.Sprintf("%s.%d", os.Getenv("AXC_MEMO_DEBUG"), step), []byte(text), 0o644)
		}
		got, gotRecords := incremental.Vet(c.file)
		whole.forget("")
		want, wantRecords := whole.Vet(c.file)
		g, w := fmt.Sprintf("%+v\n%q", got, gotRecords), fmt.Sprintf("%+v\n%q", want, wantRecords)
		if g != w {
			t.Fatalf("seed %d, step %d (%s): after the change, the incremental check says\n%s\nand a check from nothing\n%s\ntext:\n%s", seed, step, what, g, w, text)
		}
		got, gotRecords = storedVet(whole, store, c.file)
		if g := fmt.Sprintf("%+v\n%q", got, gotRecords); g != w {
			t.Fatalf("seed %d, step %d (%s): after the change, a check with the stored memo says\n%s\nand a check from nothing\n%s\ntext:\n%s", seed, step, what, g, w, text)
		}
	}
}

var sharedCache = check.NewCache()

// storedVet is s.Vet(path) by a process of its own that keeps what it
// found of each host in store (as axc vet does), not in a Memo of s's.
func storedVet(s *Server, store *check.MemoStore, path string) (findings []vet.Diagnostic, records []string) {
	opts := s.opts.Check
	opts.Files, opts.Store = s.overlay(), store
	_, ds, err := check.Run(opts, []string{path}, "", &check.Reach{})
	if err != nil {
		return nil, check.Records(err)
	}
	return inFile(ds, path), nil
}

var hostStart = regexp.MustCompile(`(?m)^("[^"\n]*"|[A-Za-z][A-Za-z0-9_-]*): `)

// edit is text changed at random, and what was done.
func edit(r *rand.Rand, text string, history []string, dir string, removed *[]string) (string, string) {
	lines := strings.Split(text, "\n")
	var starts []int
	for i, l := range lines {
		if hostStart.MatchString(l) && !strings.HasPrefix(l, "package") && !strings.HasPrefix(l, "import") {
			starts = append(starts, i)
		}
	}
	// host is the lines of a random host: [from, to).
	host := func() (int, int, bool) {
		if len(starts) == 0 {
			return 0, 0, false
		}
		k := r.IntN(len(starts))
		to := len(lines)
		if k+1 < len(starts) {
			to = starts[k+1]
		}
		return starts[k], to, true
	}
	join := func(ls []string) string { return strings.Join(ls, "\n") }
	switch r.IntN(13) {
	case 0: // a number in a host changes
		for range 10 {
			i := r.IntN(len(lines))
			if m := regexp.MustCompile(`\d+$`).FindStringIndex(lines[i]); m != nil {
				lines[i] = lines[i][:m[0]] + fmt.Sprint(r.IntN(70000))
				return join(lines), "number"
			}
		}
	case 1: // a typo in a field name
		for range 10 {
			i := r.IntN(len(lines))
			if m := regexp.MustCompile(`^\t+([a-z]{3,})`).FindStringSubmatchIndex(lines[i]); m != nil {
				l := lines[i]
				j := m[2] + 1 + r.IntN(m[3]-m[2]-1)
				lines[i] = l[:j] + l[j+1:]
				return join(lines), "typo"
			}
		}
	case 2: // a line of a host twice: the hosts below move
		if from, to, ok := host(); ok && to-from > 2 {
			i := from + 1 + r.IntN(to-from-2)
			lines = append(lines[:i+1], lines[i:]...)
			return join(lines), "line twice"
		}
	case 3: // a line of a host removed: the hosts below move up
		if from, to, ok := host(); ok && to-from > 2 {
			i := from + 1 + r.IntN(to-from-2)
			lines = append(lines[:i], lines[i+1:]...)
			return join(lines), "line removed"
		}
	case 4: // a value given twice, differently: a conflict that names both places
		if from, _, ok := host(); ok && strings.HasSuffix(lines[from], "{") {
			l := lines[from]
			lines[from] = l + "\n\tsystem: \"x86_64-linux\"\n\tsystem: \"aarch64-linux\""
			return join(lines), "conflict"
		}
	case 5: // a blank line or a comment above a host
		if from, _, ok := host(); ok {
			lines = append(lines[:from], append([]string{"// moved"}, lines[from:]...)...)
			return join(lines), "comment above"
		}
	case 6: // a host copied under a new name
		if from, to, ok := host(); ok {
			block := append([]string{}, lines[from:to]...)
			block[0] = hostStart.ReplaceAllString(block[0], fmt.Sprintf("\"copy-%d\": ", r.IntN(1000)))
			at := starts[r.IntN(len(starts))]
			lines = append(lines[:at], append(block, lines[at:]...)...)
			return join(lines), "host added"
		}
	case 7: // a host removed
		if from, to, ok := host(); ok {
			lines = append(lines[:from], lines[to:]...)
			return join(lines), "host removed"
		}
	case 8: // a shared value (not a host) added or changed
		for i, l := range lines {
			if strings.HasPrefix(l, "package ") {
				lines[i] = l + fmt.Sprintf("\n\n_shared%d: %d", r.IntN(3), r.IntN(3))
				return join(lines), "shared value"
			}
		}
	case 9: // back to an older text
		if len(history) > 1 {
			return history[r.IntN(len(history)-1)], "older text"
		}
	case 10: // a file a host names deleted on disk, or made again
		if len(*removed) > 0 && r.IntN(2) == 0 {
			p := (*removed)[0]
			os.WriteFile(p, []byte("{ }\n"), 0o644)
			*removed = (*removed)[1:]
			return text, "file made again"
		}
		disks, _ := filepath.Glob(filepath.Join(dir, "hosts", "disks", "*.nix"))
		if len(disks) > 0 {
			p := disks[r.IntN(len(disks))]
			if os.Remove(p) == nil {
				*removed = append(*removed, p)
			}
			return text, "file deleted"
		}
	case 12: // a reference to nothing: the package does not build
		if from, _, ok := host(); ok && strings.HasSuffix(lines[from], "{") {
			lines[from] += "\n\tdescription: nowhere"
			return join(lines), "reference to nothing"
		}
	case 11: // a host renamed
		if from, _, ok := host(); ok {
			lines[from] = hostStart.ReplaceAllString(lines[from], fmt.Sprintf("\"renamed-%d\": ", r.IntN(1000)))
			return join(lines), "host renamed"
		}
	}
	return text + "\n", "newline at the end"
}
