// Package lsp is axc's language server (axc lsp): LSP 3.17 over a stream
// (stdio), for CUE, JSON and YAML hosts and users. It runs the pipeline
// vet runs (internal/check) on the editor's unsaved texts laid over the
// files on disk, so that a file open in an editor shows exactly the
// findings axc vet gives for it.
package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"sync"
	"time"

	"github.com/axc-dev/axc/internal/check"
	"github.com/axc-dev/axc/internal/safeio"
)

// Options are the server's: how to choose the schema (as vet's --axios and
// --schema do).
type Options struct {
	Check check.Options
	// Log, when set, is told what the server cannot say to the client
	// (a panic's stack): axc lsp gives it stderr.
	Log io.Writer
	// LockPoll is how often the flake.lock files of the open documents
	// are looked at, to check them again under a changed lock (0: every
	// two seconds).
	LockPoll time.Duration
	// Nix is where Nix's verdict keeps its cache (check.NixOptions), for
	// a client that turns it on: initializationOptions {"nix": true}
	// (and "axiosSource": DIR, as vet's --axios-source).
	Nix check.NixOptions
	// Timing: before each document's diagnostics, a window/logMessage
	// "axc lsp: checked VERSION in MS ms" says how long the server took
	// from the change's arrival to the diagnostics (bench/lspbench reads
	// it: the server's own latency, without the pipes).
	Timing bool
}

// Server is one client's session.
type Server struct {
	opts Options
	out  *writer

	mu   sync.Mutex
	docs map[string]*document // by URI
	// dirty are the URIs whose diagnostics are to be computed again.
	dirty map[string]bool
	wake  chan struct{}

	shutdown bool
	seq      uint64 // changes so far

	// memos keep, by path, what the last check of each open file found
	// of its hosts: a change to one host of a file evaluates that host
	// alone (check.Memo).
	memoMu sync.Mutex
	memos  map[string]*check.Memo

	// disk is where files not open are read: the files read are kept
	// while unchanged (safeio.CachingDisk).
	disk safeio.Files

	// canWatch: the client registers file watches (initialize).
	canWatch bool
	// locks are the states of the flake.lock files of the open
	// documents, by directory (lockState), as last looked at.
	locks map[string]string

	// nix: the client asked for Nix's verdict (initialize); nixSaid are
	// the warnings about it already logged.
	nix     bool
	nixSaid map[string]bool
}

// document is a text the client has open.
type document struct {
	uri     string
	path    string // "" when not a file on disk
	version int
	text    string
	seq     uint64 // when it last changed, in the server's changes
	// arrived is when the open or change that made this version arrived.
	arrived time.Time
}

// ErrExitWithoutShutdown is Serve's error when the client said exit
// without shutdown first: LSP asks the server to exit with code 1 then.
var ErrExitWithoutShutdown = errors.New("exit without shutdown")

// Serve runs a session reading messages from r and writing to w until the
// client says exit, r ends, or ctx is done. It returns nil on exit after
// shutdown, and on the end of r (ErrExitWithoutShutdown on exit without
// shutdown); the checks it started are finished or abandoned before it
// returns.
func Serve(ctx context.Context, r io.Reader, w io.Writer, opts Options) error {
	if opts.Check.Cache == nil {
		// The schema stays parsed for the session: a change pays for its
		// package alone.
		opts.Check.Cache = check.NewCache()
	}
	s := &Server{opts: opts, out: &writer{w: w}, docs: map[string]*document{}, dirty: map[string]bool{}, wake: make(chan struct{}, 1)}
	ctx, cancel := context.WithCancel(ctx)
	checker := make(chan struct{})
	go func() {
		defer close(checker)
		s.checkLoop(ctx)
	}()
	defer func() {
		cancel()
		<-checker
	}()
	msgs := make(chan []byte)
	readErr := make(chan error, 1)
	go func() {
		rd := NewReader(r)
		for {
			body, err := rd.Read()
			var fe *errFraming
			if errors.As(err, &fe) {
				// One bad message: said, skipped.
				s.out.reply(json.RawMessage("null"), nil, &rpcError{Code: codeParseError, Message: fe.why})
				continue
			}
			if err != nil {
				readErr <- err
				return
			}
			select {
			case msgs <- body:
			case <-ctx.Done():
				return
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-readErr:
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return nil // the client went away
			}
			return err
		case body := <-msgs:
			if exit := s.handle(ctx, body); exit {
				s.mu.Lock()
				defer s.mu.Unlock()
				if !s.shutdown {
					return ErrExitWithoutShutdown
				}
				return nil
			}
		}
	}
}

// handle handles one message; it reports whether the client said exit.
func (s *Server) handle(ctx context.Context, body []byte) (exit bool) {
	var m message
	if err := json.Unmarshal(body, &m); err != nil {
		s.out.reply(json.RawMessage("null"), nil, &rpcError{Code: codeParseError, Message: "not a JSON-RPC message: " + err.Error()})
		return false
	}
	if m.Method == "" {
		return false // a response to nothing we asked, or nonsense
	}
	if m.Method == "exit" {
		return true
	}
	if !validID(m.ID) {
		s.out.reply(json.RawMessage("null"), nil, &rpcError{Code: codeInvalidRequest, Message: "the id of a request is a number or a string"})
		return false
	}
	result, err := s.call(ctx, &m)
	if m.isRequest() {
		s.out.reply(m.ID, result, err)
	}
	return false
}

// validID reports whether id (absent, for a notification) is one a
// request may have.
func validID(id json.RawMessage) bool {
	if len(id) == 0 {
		return true
	}
	var v any
	if json.Unmarshal(id, &v) != nil {
		return false
	}
	switch v.(type) {
	case float64, string:
		return true
	}
	return false
}

// call runs the handler of m: a panic in it is the request's error, and
// the server goes on.
func (s *Server) call(ctx context.Context, m *message) (result any, err error) {
	defer func() {
		if r := recover(); r != nil {
			s.logf("axc lsp: internal error in %s: %v\n%s", m.Method, r, debug.Stack())
			result, err = nil, &rpcError{Code: codeInternalError, Message: fmt.Sprintf("axc: internal error in %s: %v (please report it)", m.Method, r)}
		}
	}()
	h, ok := handlers[m.Method]
	if !ok {
		if !m.isRequest() {
			return nil, nil // a notification we do not know: ignored, as LSP says
		}
		return nil, &rpcError{Code: codeMethodNotFound, Message: "axc lsp does not know " + m.Method}
	}
	return h(s, ctx, m.Params)
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Log != nil {
		fmt.Fprintf(s.opts.Log, format+"\n", args...)
	}
}

// handler answers one method; params are the message's.
type handler func(s *Server, ctx context.Context, params json.RawMessage) (any, error)

var handlers map[string]handler

func init() {
	handlers = map[string]handler{
		"initialize":                       (*Server).initialize,
		"initialized":                      (*Server).initialized,
		"shutdown":                         (*Server).shutdownRequest,
		"$/cancelRequest":                  nop,
		"$/setTrace":                       nop,
		"textDocument/didOpen":             (*Server).didOpen,
		"textDocument/didChange":           (*Server).didChange,
		"textDocument/didClose":            (*Server).didClose,
		"textDocument/didSave":             (*Server).didSave,
		"workspace/didChangeWatchedFiles":  (*Server).recheckAll,
		"workspace/didChangeConfiguration": nop,
	}
	for name, h := range features {
		handlers[name] = h
	}
}

// features are the handlers of the editing features (hover, completion,
// ...), registered by their files.
var features = map[string]handler{}

func nop(*Server, context.Context, json.RawMessage) (any, error) { return nil, nil }

// decode reads params into v; a mismatch is the request's error.
func decode(params json.RawMessage, v any) error {
	if len(params) == 0 {
		return &rpcError{Code: codeInvalidParams, Message: "no params"}
	}
	if err := json.Unmarshal(params, v); err != nil {
		return &rpcError{Code: codeInvalidParams, Message: "params: " + err.Error()}
	}
	return nil
}

// initializeParams are the parts of initialize's params the server reads.
type initializeParams struct {
	InitializationOptions struct {
		Nix         bool   `json:"nix"`
		AxiosSource string `json:"axiosSource"`
	} `json:"initializationOptions"`
}

func (s *Server) initialize(_ context.Context, params json.RawMessage) (any, error) {
	s.mu.Lock()
	s.canWatch = clientCanWatch(params)
	s.mu.Unlock()
	var p initializeParams
	if json.Unmarshal(params, &p) == nil && p.InitializationOptions.Nix {
		s.mu.Lock()
		s.nix, s.nixSaid = true, map[string]bool{}
		s.opts.Nix.Source = p.InitializationOptions.AxiosSource
		s.mu.Unlock()
	}
	caps := map[string]any{
		"textDocumentSync": map[string]any{
			"openClose": true,
			"change":    1, // whole texts
			"save":      map[string]any{"includeText": false},
		},
		"positionEncoding": "utf-16",
	}
	for _, c := range capabilities {
		c(caps)
	}
	return map[string]any{
		"capabilities": caps,
		"serverInfo":   map[string]any{"name": "axc"},
	}, nil
}

// capabilities add the capabilities of the editing features.
var capabilities []func(map[string]any)

func (s *Server) shutdownRequest(_ context.Context, _ json.RawMessage) (any, error) {
	s.mu.Lock()
	s.shutdown = true
	s.mu.Unlock()
	return nil, nil
}

func (s *Server) didOpen(_ context.Context, params json.RawMessage) (any, error) {
	arrived := time.Now()
	var p didOpenParams
	if err := decode(params, &p); err != nil {
		return nil, err
	}
	d := &document{uri: p.TextDocument.URI, path: uriPath(p.TextDocument.URI), version: p.TextDocument.Version, text: p.TextDocument.Text, arrived: arrived}
	s.mu.Lock()
	s.seq++
	d.seq = s.seq
	s.docs[d.uri] = d
	s.mu.Unlock()
	s.changed(d)
	return nil, nil
}

func (s *Server) didChange(_ context.Context, params json.RawMessage) (any, error) {
	arrived := time.Now()
	var p didChangeParams
	if err := decode(params, &p); err != nil {
		return nil, err
	}
	s.mu.Lock()
	d, ok := s.docs[p.TextDocument.URI]
	if !ok {
		s.mu.Unlock()
		return nil, nil // a change to a document not open: nothing to apply it to
	}
	text := d.text
	for _, c := range p.ContentChanges {
		text = applyChange(text, c)
	}
	// A new document each time: a check holding the old one sees it
	// unchanged, and knows by the version that it is stale.
	s.seq++
	nd := &document{uri: d.uri, path: d.path, version: p.TextDocument.Version, text: text, seq: s.seq, arrived: arrived}
	s.docs[d.uri] = nd
	s.mu.Unlock()
	s.changed(nd)
	return nil, nil
}

func (s *Server) didClose(_ context.Context, params json.RawMessage) (any, error) {
	var p didCloseParams
	if err := decode(params, &p); err != nil {
		return nil, err
	}
	s.mu.Lock()
	d, ok := s.docs[p.TextDocument.URI]
	delete(s.docs, p.TextDocument.URI)
	delete(s.dirty, p.TextDocument.URI)
	s.mu.Unlock()
	if ok {
		s.forget(d.path)
		// What was shown for it is gone; the others of its repository
		// now read it from disk.
		s.out.notify("textDocument/publishDiagnostics", publishDiagnosticsParams{URI: d.uri, Diagnostics: []diagnostic{}})
		s.changed(d)
	}
	return nil, nil
}

func (s *Server) didSave(_ context.Context, _ json.RawMessage) (any, error) {
	return s.recheckAll(nil, nil)
}

// recheckAll checks every open document again: files changed on disk
// (a flake.lock, a file not open) may change any of them.
func (s *Server) recheckAll(context.Context, json.RawMessage) (any, error) {
	s.forget("")
	s.mu.Lock()
	for uri := range s.docs {
		s.dirty[uri] = true
	}
	s.mu.Unlock()
	s.poke()
	return nil, nil
}

// changed marks d, and the open documents of its repository, to be
// checked again: a change to one file of a package (a user, a shared
// value) may change the findings of the others.
func (s *Server) changed(d *document) {
	repo := repoOf(d.path)
	s.mu.Lock()
	if _, open := s.docs[d.uri]; open {
		s.dirty[d.uri] = true
	}
	for uri, o := range s.docs {
		if o.path != "" && repo != "" && repoOf(o.path) == repo {
			s.dirty[uri] = true
		}
	}
	s.mu.Unlock()
	s.poke()
}

func (s *Server) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}
