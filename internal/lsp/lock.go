package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/axc-dev/axc/internal/release"
)

// The release a file is checked against is the one its repository's
// flake.lock pins, and the lock changes outside the editor (nix flake
// update). Each check reads it anew; what makes the open documents be
// checked again when it changes is, for a client that can watch files,
// the watch the server registers (workspace/didChangeWatchedFiles), and
// for every client, a look at the locks of the open documents every
// LockPoll (their size and time of change).

// defaultLockPoll is how often the locks are looked at when Options
// says nothing.
const defaultLockPoll = 2 * time.Second

// watchRegistration is the client/registerCapability request's params:
// flake.lock files, and host and user files changed outside the editor.
var watchRegistration = map[string]any{
	"registrations": []any{map[string]any{
		"id":     "axc-watch",
		"method": "workspace/didChangeWatchedFiles",
		"registerOptions": map[string]any{"watchers": []any{
			map[string]any{"globPattern": "**/flake.lock"},
			map[string]any{"globPattern": "**/{hosts,users}/*.{cue,json,yaml,yml}"},
		}},
	}},
}

// clientCanWatch reports whether the initialize params say the client
// registers file watches the server asks for.
func clientCanWatch(params json.RawMessage) bool {
	var p struct {
		Capabilities struct {
			Workspace struct {
				DidChangeWatchedFiles struct {
					DynamicRegistration bool `json:"dynamicRegistration"`
				} `json:"didChangeWatchedFiles"`
			} `json:"workspace"`
		} `json:"capabilities"`
	}
	return json.Unmarshal(params, &p) == nil && p.Capabilities.Workspace.DidChangeWatchedFiles.DynamicRegistration
}

// initialized asks a client that can watch files to tell the server of
// changes to flake.lock files (and host and user files).
func (s *Server) initialized(context.Context, json.RawMessage) (any, error) {
	s.mu.Lock()
	watch := s.canWatch
	s.mu.Unlock()
	if watch {
		// The answer (a response to this id) is ignored: polling the
		// locks stays, should the client refuse.
		s.out.write(request{JSONRPC: "2.0", ID: json.RawMessage(`"axc-register-watch"`), Method: "client/registerCapability", Params: watchRegistration})
	}
	return nil, nil
}

// request is a request the server sends the client.
type request struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Method  string          `json:"method"`
	Params  any             `json:"params"`
}

// locksChanged reports whether the flake.lock of an open document
// changed (appeared, went, or was written) since the last look.
func (s *Server) locksChanged() bool {
	s.mu.Lock()
	var paths []string
	for _, d := range s.docs {
		if d.path != "" {
			paths = append(paths, d.path)
		}
	}
	s.mu.Unlock()
	now := map[string]string{}
	for _, p := range paths {
		dir := filepath.Dir(p)
		if _, done := now[dir]; done {
			continue
		}
		now[dir] = lockState(dir)
	}
	changed := false
	for dir, st := range now {
		if old, seen := s.locks[dir]; seen && old != st {
			changed = true
		}
	}
	s.locks = now
	return changed
}

// lockState is what says that the lock of the files in dir changed: its
// path, size and time of change ("" when there is none).
func lockState(dir string) string {
	lock, _ := release.FindLock(dir)
	if lock == "" {
		return ""
	}
	fi, err := os.Stat(lock)
	if err != nil {
		return lock + ": " + err.Error()
	}
	return fmt.Sprintf("%s %d %d", lock, fi.Size(), fi.ModTime().UnixNano())
}
