package lsp

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"time"

	"github.com/axc-dev/axc/internal/check"
	"github.com/axc-dev/axc/internal/reporoot"
	"github.com/axc-dev/axc/internal/safeio"
	"github.com/axc-dev/axc/internal/vet"
)

// checkLoop computes the diagnostics of the documents marked dirty, one at
// a time, until ctx is done. Requests (hover, completion) are answered by
// Serve's loop meanwhile: a check never blocks them. A check whose
// document changed while it ran is dropped: the change marked it again.
func (s *Server) checkLoop(ctx context.Context) {
	poll := s.opts.LockPoll
	if poll <= 0 {
		poll = defaultLockPoll
	}
	tick := time.NewTicker(poll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if s.locksChanged() {
				s.recheckAll(ctx, nil)
			}
			continue
		case <-s.wake:
		}
		for ctx.Err() == nil {
			d := s.nextDirty()
			if d == nil {
				break
			}
			s.publish(d)
		}
	}
}

// nextDirty takes the next document to check off the dirty set: the one
// changed last first (the one being typed in), then by URI.
func (s *Server) nextDirty() *document {
	s.mu.Lock()
	defer s.mu.Unlock()
	var uris []string
	for uri := range s.dirty {
		uris = append(uris, uri)
	}
	if len(uris) == 0 {
		return nil
	}
	sort.Slice(uris, func(i, j int) bool {
		a, b := s.docs[uris[i]], s.docs[uris[j]]
		if a != nil && b != nil && a.seq != b.seq {
			return a.seq > b.seq
		}
		return uris[i] < uris[j]
	})
	uri := uris[0]
	delete(s.dirty, uri)
	return s.docs[uri]
}

// publish checks d and sends its diagnostics, unless d changed meanwhile.
func (s *Server) publish(d *document) {
	if d == nil || !Checked(d.path) {
		return
	}
	if dir := filepath.Dir(d.path); s.locks[dir] == "" {
		// The lock as this check reads it: a change from now on is seen.
		if s.locks == nil {
			s.locks = map[string]string{}
		}
		s.locks[dir] = lockState(dir)
	}
	ds := s.diagnose(d)
	s.mu.Lock()
	current := s.docs[d.uri] == d
	s.mu.Unlock()
	if !current {
		return // an older version's: the newer one is being checked
	}
	v := d.version
	if s.opts.Timing && !d.arrived.IsZero() {
		took := float64(time.Since(d.arrived).Microseconds()) / 1000
		s.out.notify("window/logMessage", logMessageParams{Type: messageLog, Message: fmt.Sprintf("axc lsp: checked %s version %d in %.1f ms", d.uri, v, took)})
	}
	s.out.notify("textDocument/publishDiagnostics", publishDiagnosticsParams{URI: d.uri, Version: &v, Diagnostics: ds})
}

// Checked reports whether the file at path is one axc lsp checks: a host
// or user file (a .cue, .json, .yaml or .yml file in a directory named
// hosts or users) on disk or being written.
func Checked(path string) bool {
	return path != "" && filepath.IsAbs(path) && check.EntryFileKind(path) != ""
}

// diagnose is the diagnostics of d: the findings axc vet gives for its
// file, with the open documents' texts in place of the files on disk.
func (s *Server) diagnose(d *document) (out []diagnostic) {
	defer func() {
		if r := recover(); r != nil {
			s.logf("axc lsp: internal error checking %s: %v\n%s", d.path, r, debug.Stack())
			out = []diagnostic{{Severity: severityError, Source: "axc", Message: fmt.Sprintf("axc: internal error: %v (please report it)", r)}}
		}
	}()
	findings, records := s.Vet(d.path)
	out = []diagnostic{}
	for _, r := range records {
		// The file cannot be checked at all (axc vet exits 2): say why at
		// its top.
		out = append(out, diagnostic{Severity: severityError, Source: "axc", Message: r})
	}
	for _, f := range findings {
		out = append(out, toDiagnostic(d.text, f))
	}
	return out
}

// Vet is what axc vet says of the file at path, with the open documents'
// texts in place of the files on disk: the findings in that file, or the
// records of the error that stops the check (exit 2).
func (s *Server) Vet(path string) (findings []vet.Diagnostic, records []string) {
	opts := s.opts.Check
	opts.Files = s.overlay()
	opts.Warn = nil
	s.mu.Lock()
	withNix, nixOpts := s.nix, s.opts.Nix
	s.mu.Unlock()
	opts.Render = withNix
	s.memoMu.Lock()
	defer s.memoMu.Unlock()
	if !withNix {
		// Nix's verdict needs every host of the file compiled; a memo
		// skips the unchanged ones (their verdicts are cached by Nix's
		// step instead).
		if s.memos == nil {
			s.memos = map[string]*check.Memo{}
		}
		if s.memos[path] == nil {
			s.memos[path] = &check.Memo{}
		}
		opts.Memo = s.memos[path]
	}
	out, ds, err := check.Run(opts, []string{path}, "", &check.Reach{})
	if err != nil {
		return nil, check.Records(err)
	}
	if withNix {
		// Nix's verdict on the hosts as they are typed (an unchanged
		// host's from the cache): its warnings go to the log, once each.
		res, err := check.Nix(context.Background(), out, nixOpts)
		if err != nil {
			return nil, check.Records(err)
		}
		s.mu.Lock()
		for _, w := range res.Warnings {
			if !s.nixSaid[w] {
				s.nixSaid[w] = true
				s.logf("axc lsp: warning: %s", w)
			}
		}
		s.mu.Unlock()
		ds = vet.Sorted(append(ds, res.Diagnostics...))
	}
	return inFile(ds, path), nil
}

// inFile are the diagnostics of ds in the file at path.
func inFile(ds []vet.Diagnostic, path string) []vet.Diagnostic {
	var out []vet.Diagnostic
	for _, d := range ds {
		if absPath(d.File) == path {
			out = append(out, d)
		}
	}
	return out
}

// forget drops what the checks of the file at path kept of its hosts
// (all files: path ""): files the checks cannot see changed.
func (s *Server) forget(path string) {
	s.memoMu.Lock()
	defer s.memoMu.Unlock()
	if path == "" {
		s.memos = nil
	} else {
		delete(s.memos, path)
	}
}

// overlay is the disk with the open documents' texts over it.
func (s *Server) overlay() safeio.Files {
	s.mu.Lock()
	defer s.mu.Unlock()
	texts := map[string][]byte{}
	for _, d := range s.docs {
		if d.path != "" {
			texts[d.path] = []byte(d.text)
		}
	}
	if s.disk == nil {
		s.disk = safeio.CachingDisk()
	}
	return safeio.Overlay(s.disk, texts)
}

// absPath is a finding's file as a path: vet names files relative to the
// working directory (load.RelPath).
func absPath(f string) string {
	if f == "" || filepath.IsAbs(f) {
		return f
	}
	wd, err := os.Getwd()
	if err != nil {
		return f
	}
	return filepath.Join(wd, f)
}

// toDiagnostic is vet's finding f in text as an LSP diagnostic: from its
// position to the end of the word or string there.
func toDiagnostic(text string, f vet.Diagnostic) diagnostic {
	msg := f.Message
	if f.Path != "" {
		msg = f.Path + ": " + msg
	}
	sev := severityError
	if f.Severity == vet.Warning {
		sev = severityWarning
	}
	source := "axc"
	if f.Source == vet.SourceNix {
		source = "axc (nix)"
	}
	return diagnostic{Range: findingRange(text, f.Line, f.Column), Severity: sev, Source: source, Message: msg}
}

// findingRange is the range of a finding at line and column (1-based,
// the column in bytes, as CUE counts) of text.
func findingRange(text string, line, col int) lspRange {
	if line < 1 {
		return lspRange{}
	}
	start := lineStart(text, line-1)
	l := lineAt(text, line-1)
	off := max(0, min(col-1, len(l)))
	end := wordEnd(l, off)
	if end == off && off < len(l) {
		end = off + 1
	}
	return lspRange{Start: positionOf(text, start+off), End: positionOf(text, start+end)}
}

// repoOf is the repository of the file at path ("" when none).
func repoOf(path string) string {
	if path == "" {
		return ""
	}
	root, _ := reporoot.Find(filepath.Dir(path))
	return root
}
