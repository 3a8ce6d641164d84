package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axc-dev/axc/bench/hostgen"
)

// fakeBuilds is a Builds that answers yes for the keys in yes, and counts
// what it is asked.
type fakeBuilds struct {
	yes     map[string]bool
	asked   int
	learned []string
}

func (b *fakeBuilds) Built(key string) bool { b.asked++; return b.yes[key] }
func (b *fakeBuilds) Learned(key string)    { b.learned = append(b.learned, key) }

// A package's key is its exact texts: a loader tells Builds the key of a
// package that builds, takes Built's word for it the next time, and asks
// under another key once any text of the package changes, so a package
// that no longer builds is checked again.
func TestBuildsKeyedByText(t *testing.T) {
	dir := t.TempDir()
	if err := hostgen.Write(dir, 12); err != nil {
		t.Fatal(err)
	}
	load := func(b Builds) *Result {
		t.Helper()
		l, err := NewWithSchema(pinnedSchema(t))
		if err != nil {
			t.Fatal(err)
		}
		l.SetBuilds(b)
		res, err := l.Load([]string{dir})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	b := &fakeBuilds{}
	if res := load(b); len(res.lazy) != 1 || len(b.learned) != 1 {
		t.Fatalf("a package that builds: %d chunked packages, %d keys learned; want 1, 1", len(res.lazy), len(b.learned))
	}
	key := b.learned[0]

	// A reference to nothing: the package no longer builds. Its key is
	// another, so the check runs and the package is loaded whole, with
	// CUE's error.
	path := filepath.Join(dir, "hosts_000.cue")
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(string(text)+"\n_broken: nothing\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b = &fakeBuilds{yes: map[string]bool{key: true}}
	res := load(b)
	if len(res.lazy) != 0 || len(b.learned) != 0 || res.Errors == nil || !strings.Contains(res.Errors.Error(), "nothing") {
		t.Errorf("the broken package under the old key's yes: %d chunked, %d learned, errors %v; want it loaded whole with the reference error", len(res.lazy), len(b.learned), res.Errors)
	}

	// Built's word is taken: a yes for the broken package's own key
	// chunks it (which is why keys must cover every text).
	b = &fakeBuilds{yes: map[string]bool{}}
	load(b)
	probe := &keyProbe{}
	load(probe)
	b = &fakeBuilds{yes: map[string]bool{probe.asked: true}}
	if res := load(b); len(res.lazy) != 1 {
		t.Errorf("a yes from Builds: %d chunked packages, want 1", len(res.lazy))
	}
}

// keyProbe records the key it is asked and knows nothing.
type keyProbe struct{ asked string }

func (p *keyProbe) Built(key string) bool { p.asked = key; return false }
func (p *keyProbe) Learned(string)        {}
