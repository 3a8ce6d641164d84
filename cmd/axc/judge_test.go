package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/axc-dev/axc/schema"
)

// The goldens judge the schema: with one option's type made wrong in a copy
// of the schema, the script that covers that type fails; with the copy
// unchanged, it passes (so the failure is the mutation's, not the set-up's).
func TestGoldensJudgeTheSchema(t *testing.T) {
	const script = "type_signed_integer.txtar"
	scripts := t.TempDir()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "scripts", script))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(scripts, script), data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, mutate := range []bool{false, true} {
		dir := copySchema(t)
		if mutate {
			gen := filepath.Join(dir, schema.GenFile)
			src, err := os.ReadFile(gen)
			if err != nil {
				t.Fatal(err)
			}
			// rebootOnPanic, a signed integer, made a string.
			const from = "rebootOnPanic?: int |"
			if !strings.Contains(string(src), from) {
				t.Fatalf("%s no longer holds %q: update the mutation", schema.GenFile, from)
			}
			src = []byte(strings.Replace(string(src), from, "rebootOnPanic?: string |", 1))
			if err := os.WriteFile(gen, src, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		rt := &recordingT{}
		testscript.RunT(rt, scriptParams(scripts, dir))
		if rt.failed != mutate {
			t.Errorf("schema mutated: %v; script failed: %v, want %v\n%s", mutate, rt.failed, mutate, rt.log.String())
		}
	}
}

func copySchema(t *testing.T) string {
	dir := t.TempDir()
	if err := writeSchema(dir, pinnedRelease); err != nil {
		t.Fatal(err)
	}
	return dir
}

// recordingT runs scripts without failing the test that runs them, and
// records whether they failed.
type recordingT struct {
	mu     sync.Mutex
	failed bool
	log    strings.Builder
}

func (r *recordingT) Skip(args ...any) { runtime.Goexit() }
func (r *recordingT) Fatal(args ...any) {
	r.Log(args...)
	r.FailNow()
}
func (r *recordingT) Parallel() {}
func (r *recordingT) Log(args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintln(&r.log, args...)
}
func (r *recordingT) FailNow() {
	r.mu.Lock()
	r.failed = true
	r.mu.Unlock()
	runtime.Goexit()
}
func (r *recordingT) Run(name string, f func(testscript.T)) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
}
func (r *recordingT) Verbose() bool { return false }
