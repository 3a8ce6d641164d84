package yamlls

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/textproto"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/axc-dev/axc/internal/safeio"
)

// Diagnostic is one problem the server published for a file.
type Diagnostic struct {
	File      string // as given to Check
	Line, Col int    // of the range's start, from 1 (LSP counts from 0)
	Message   string
}

// String is "FILE:LINE:COL: MESSAGE", on one line.
func (d Diagnostic) String() string {
	msg := strings.ReplaceAll(d.Message, "\n", `\n`)
	return fmt.Sprintf("%s:%d:%d: %s", d.File, d.Line, d.Col, msg)
}

// maxFile bounds a YAML file Check sends.
const maxFile = 1 << 20

// settings are the server's settings (the yaml section of VS Code's):
// validation only, and nothing fetched from the network (the schema store
// catalog is on by default).
var settings = map[string]any{
	"validate":           true,
	"hover":              false,
	"completion":         false,
	"format":             map[string]any{"enable": false},
	"schemaStore":        map[string]any{"enable": false},
	"kubernetesCRDStore": map[string]any{"enable": false},
	"schemas":            map[string]any{},
}

// Check runs the server script (from Install) with root as its workspace,
// opens files (paths below root, each naming its schema in a modeline, as
// an author's host does) and returns the diagnostics it publishes for
// them, by file and position.
func Check(ctx context.Context, server, root string, files []string) ([]Diagnostic, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, "node", server, "--stdio")
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &client{w: stdin, msgs: make(chan message), uris: map[string]string{}}
	readErr := make(chan error, 1)
	go func() { readErr <- c.read(bufio.NewReader(stdout)) }()
	diags, err := c.run(root, files)
	stdin.Close()
	if err != nil {
		cmd.Process.Kill()
	}
	for range c.msgs { // until the server closes its output
	}
	rerr := <-readErr
	werr := cmd.Wait()
	switch {
	case rerr != nil: // its output was no LSP
		err = rerr
	case errors.Is(err, errExited) && werr != nil:
		err = fmt.Errorf("the server exited: %v", werr)
	case err != nil:
	case werr != nil:
		err = werr
	}
	if err != nil {
		if out := strings.TrimSpace(stderr.String()); out != "" {
			err = fmt.Errorf("%v\n%s", err, out)
		}
		return nil, fmt.Errorf("yaml-language-server: %v", err)
	}
	return diags, nil
}

// message is a JSON-RPC message: a request (ID and Method), a
// notification (Method) or a response (ID).
type message struct {
	JSONRPC string           `json:"jsonrpc"`
	ID      *json.RawMessage `json:"id,omitempty"`
	Method  string           `json:"method,omitempty"`
	Params  json.RawMessage  `json:"params,omitempty"`
	Result  json.RawMessage  `json:"result,omitempty"`
	Error   *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

// client is the editor's side of the connection.
type client struct {
	w      io.Writer
	msgs   chan message
	nextID int
	uris   map[string]string // document URI to the file name Check was given
}

// read passes the server's messages to c.msgs until its output ends.
func (c *client) read(r *bufio.Reader) error {
	defer close(c.msgs)
	tp := textproto.NewReader(r)
	for {
		header, err := tp.ReadMIMEHeader()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		n, err := strconv.Atoi(header.Get("Content-Length"))
		if err != nil || n < 0 || n > 64<<20 {
			return fmt.Errorf("bad Content-Length %q", header.Get("Content-Length"))
		}
		body := make([]byte, n)
		if _, err := io.ReadFull(r, body); err != nil {
			return err
		}
		var m message
		if err := json.Unmarshal(body, &m); err != nil {
			return fmt.Errorf("message %q: %v", body, err)
		}
		c.msgs <- m
	}
}

func (c *client) send(m message) error {
	m.JSONRPC = "2.0"
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(c.w, "Content-Length: %d\r\n\r\n%s", len(body), body)
	return err
}

func (c *client) notify(method string, params any) error {
	js, err := json.Marshal(params)
	if err != nil {
		return err
	}
	return c.send(message{Method: method, Params: js})
}

// request sends a request and returns its ID.
func (c *client) request(method string, params any) (string, error) {
	js, err := json.Marshal(params)
	if err != nil {
		return "", err
	}
	c.nextID++
	id := json.RawMessage(strconv.Itoa(c.nextID))
	return string(id), c.send(message{ID: &id, Method: method, Params: js})
}

// published is a textDocument/publishDiagnostics notification.
type published struct {
	URI         string `json:"uri"`
	Diagnostics []struct {
		Range struct {
			Start struct{ Line, Character int }
		}
		Message string
	}
}

// await handles the server's messages until done says it has seen what
// it waits for: it answers the server's requests and keeps the latest
// diagnostics of each document in diags.
func (c *client) await(diags map[string][]Diagnostic, done func(message) bool) error {
	for m := range c.msgs {
		switch {
		case m.ID != nil && m.Method != "":
			if err := c.answer(m); err != nil {
				return err
			}
		case m.Method == "textDocument/publishDiagnostics":
			var p published
			if err := json.Unmarshal(m.Params, &p); err != nil {
				return err
			}
			file, ok := c.uris[p.URI]
			if !ok {
				return fmt.Errorf("diagnostics for %s, which was not opened", p.URI)
			}
			ds := []Diagnostic{}
			for _, d := range p.Diagnostics {
				ds = append(ds, Diagnostic{File: file, Line: d.Range.Start.Line + 1, Col: d.Range.Start.Character + 1, Message: d.Message})
			}
			diags[file] = ds
		case m.ID != nil && m.Error != nil:
			return fmt.Errorf("request %s: %s", *m.ID, m.Error.Message)
		}
		if done(m) {
			return nil
		}
	}
	return errExited
}

// errExited is the server's output ending before the session did.
var errExited = errors.New("the server exited")

// answer answers a request of the server: workspace/configuration with
// settings, anything else (client/registerCapability…) with null.
func (c *client) answer(m message) error {
	var result any
	if m.Method == "workspace/configuration" {
		var p struct{ Items []struct{ Section string } }
		if err := json.Unmarshal(m.Params, &p); err != nil {
			return err
		}
		answers := make([]any, len(p.Items))
		for i, item := range p.Items {
			if item.Section == "yaml" {
				answers[i] = settings
			}
		}
		result = answers
	}
	js, err := json.Marshal(result)
	if err != nil {
		return err
	}
	return c.send(message{ID: m.ID, Result: js})
}

// fileURI is the file: URI of an absolute path.
func fileURI(path string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
}

// run is the session: initialize, the settings, the documents, their
// diagnostics, shutdown.
func (c *client) run(root string, files []string) ([]Diagnostic, error) {
	rootURI := fileURI(root)
	id, err := c.request("initialize", map[string]any{
		"processId":        os.Getpid(),
		"rootUri":          rootURI,
		"workspaceFolders": []any{map[string]any{"uri": rootURI, "name": filepath.Base(root)}},
		"locale":           "en",
		"capabilities": map[string]any{
			"workspace":    map[string]any{"configuration": true},
			"textDocument": map[string]any{"publishDiagnostics": map[string]any{}},
		},
	})
	if err != nil {
		return nil, err
	}
	diags := map[string][]Diagnostic{}
	isResponse := func(id string) func(message) bool {
		return func(m message) bool { return m.ID != nil && m.Method == "" && string(*m.ID) == id }
	}
	if err := c.await(diags, isResponse(id)); err != nil {
		return nil, err
	}
	// Once initialized, the server asks for its settings: the documents
	// are opened when it has them.
	if err := c.notify("initialized", map[string]any{}); err != nil {
		return nil, err
	}
	if err := c.await(diags, func(m message) bool { return m.Method == "workspace/configuration" }); err != nil {
		return nil, err
	}
	for _, f := range files {
		path := filepath.Join(root, filepath.FromSlash(f))
		text, err := safeio.ReadFile(path, maxFile)
		if err != nil {
			return nil, err
		}
		uri := fileURI(path)
		c.uris[uri] = f
		err = c.notify("textDocument/didOpen", map[string]any{
			"textDocument": map[string]any{"uri": uri, "languageId": "yaml", "version": 1, "text": string(text)},
		})
		if err != nil {
			return nil, err
		}
	}
	// Every document validated once; shutdown then collects any later
	// validation the server had started (a document's latest counts).
	if len(c.uris) > 0 {
		if err := c.await(diags, func(message) bool { return len(diags) == len(c.uris) }); err != nil {
			return nil, err
		}
	}
	if id, err = c.request("shutdown", nil); err != nil {
		return nil, err
	}
	if err := c.await(diags, isResponse(id)); err != nil {
		return nil, err
	}
	if err := c.notify("exit", nil); err != nil {
		return nil, err
	}
	var all []Diagnostic
	for _, f := range files {
		all = append(all, diags[f]...)
	}
	slices.SortStableFunc(all, func(a, b Diagnostic) int {
		if a.File != b.File {
			return strings.Compare(a.File, b.File)
		}
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Col - b.Col
	})
	return all, nil
}
