package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// client drives a Server over pipes as an editor would.
type client struct {
	t      *testing.T
	in     *io.PipeWriter
	wr     *writer
	nextID int

	mu        sync.Mutex
	cond      *sync.Cond
	responses map[string]message
	requests  map[string]message                    // the server's, by method
	diags     map[string][]publishDiagnosticsParams // by URI, in order
	logs      []string                              // window/logMessage's, in order
	// order is every notification's method, in order.
	order []string
	done  chan error
}

// newClient starts a server and initializes it.
func newClient(t *testing.T, opts Options) *client {
	t.Helper()
	return newClientCaps(t, opts, map[string]any{}, nil)
}

// newWatchingClient is a client that registers the file watches a server
// asks for.
func newWatchingClient(t *testing.T) *client {
	t.Helper()
	return newClientCaps(t, Options{}, map[string]any{"workspace": map[string]any{"didChangeWatchedFiles": map[string]any{"dynamicRegistration": true}}}, nil)
}

// newClientInit is newClient whose initialize request gives init as
// initializationOptions.
func newClientInit(t *testing.T, opts Options, init map[string]any) *client {
	t.Helper()
	return newClientCaps(t, opts, map[string]any{}, init)
}

// serverRequest waits for the server's request of method.
func (c *client) serverRequest(method string) message {
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		if m, ok := c.requests[method]; ok {
			return m
		}
		c.cond.Wait()
	}
}

// newClientCaps is a client with the capabilities caps, giving init as
// initializationOptions.
func newClientCaps(t *testing.T, opts Options, caps map[string]any, init map[string]any) *client {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	c := &client{t: t, in: inW, wr: &writer{w: inW}, responses: map[string]message{}, requests: map[string]message{}, diags: map[string][]publishDiagnosticsParams{}, done: make(chan error, 1)}
	c.cond = sync.NewCond(&c.mu)
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	go func() {
		err := Serve(context.Background(), inR, outW, opts)
		outW.Close()
		c.done <- err
	}()
	go c.readLoop(outR)
	t.Cleanup(func() {
		inW.Close()
		<-c.done
	})
	c.request("initialize", map[string]any{"processId": nil, "rootUri": nil, "capabilities": caps, "initializationOptions": init})
	c.notify("initialized", map[string]any{})
	return c
}

func (c *client) readLoop(r io.Reader) {
	rd := NewReader(r)
	for {
		body, err := rd.Read()
		if err != nil {
			c.mu.Lock()
			c.cond.Broadcast()
			c.mu.Unlock()
			return
		}
		var m message
		if err := json.Unmarshal(body, &m); err != nil {
			c.t.Errorf("server sent %q: %v", body, err)
			continue
		}
		c.mu.Lock()
		if len(m.ID) == 0 {
			c.order = append(c.order, m.Method)
		}
		switch {
		case m.Method == "window/logMessage":
			var p logMessageParams
			json.Unmarshal(m.Params, &p)
			c.logs = append(c.logs, p.Message)
		case m.Method == "textDocument/publishDiagnostics":
			var p publishDiagnosticsParams
			json.Unmarshal(m.Params, &p)
			c.diags[p.URI] = append(c.diags[p.URI], p)
		case m.Method == "" && len(m.ID) > 0:
			c.responses[string(m.ID)] = m
		case len(m.ID) > 0:
			c.requests[m.Method] = m
		}
		c.cond.Broadcast()
		c.mu.Unlock()
	}
}

// request sends a request and waits for its response.
func (c *client) request(method string, params any) message {
	c.t.Helper()
	c.nextID++
	id := fmt.Sprint(c.nextID)
	if err := c.wr.write(map[string]any{"jsonrpc": "2.0", "id": c.nextID, "method": method, "params": params}); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		if m, ok := c.responses[id]; ok {
			return m
		}
		c.cond.Wait()
	}
}

// result is request's result decoded into v; an error response fails.
func (c *client) result(method string, params any, v any) {
	c.t.Helper()
	m := c.request(method, params)
	if m.Error != nil {
		c.t.Fatalf("%s: error %d %s", method, m.Error.Code, m.Error.Message)
	}
	if err := json.Unmarshal(m.Result, v); err != nil {
		c.t.Fatalf("%s: result %s: %v", method, m.Result, err)
	}
}

func (c *client) notify(method string, params any) {
	c.t.Helper()
	if err := c.wr.write(map[string]any{"jsonrpc": "2.0", "method": method, "params": params}); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

func (c *client) open(path, text string) string {
	uri := pathURI(path)
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "cue", "version": 1, "text": text}})
	return uri
}

func (c *client) change(uri string, version int, text string) {
	c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": version}, "contentChanges": []any{map[string]any{"text": text}}})
}

// diagnostics waits for the diagnostics of uri at version.
func (c *client) diagnostics(uri string, version int) []diagnostic {
	c.t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		ps := c.diags[uri]
		for i := len(ps) - 1; i >= 0; i-- {
			if ps[i].Version != nil && *ps[i].Version == version {
				return ps[i].Diagnostics
			}
		}
		c.cond.Wait()
	}
}

// published is how many diagnostics notifications uri has had.
func (c *client) published(uri string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.diags[uri])
}

// writeTree writes files (by slash path) below dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const rootFS = `package hosts

// NixOS needs a root file system: every host here has one.
[string]: extraConfig: fileSystems: "/": device: "/dev/disk/by-label/nixos"
`

// repo is a repository (it has .git) of hosts and users, for tests.
func repo(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	all := map[string]string{"hosts/rootfs.cue": rootFS}
	for k, v := range files {
		all[k] = v
	}
	writeTree(t, dir, all)
	return dir
}

func messages(ds []diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "%d:%d-%d:%d %d %s\n", d.Range.Start.Line, d.Range.Start.Character, d.Range.End.Line, d.Range.End.Character, d.Severity, d.Message)
	}
	return b.String()
}

// waitPublished waits for uri's diagnostics after the first n
// notifications.
func (c *client) waitPublished(uri string, n int) []diagnostic {
	c.t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.diags[uri]) <= n {
		c.cond.Wait()
	}
	return c.diags[uri][len(c.diags[uri])-1].Diagnostics
}
