package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// frame is body as one framed message.
func frame(body string) string {
	return fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body)
}

// run serves the stream in and returns every message the server wrote,
// once it returned.
func run(t *testing.T, in string) ([]message, error) {
	t.Helper()
	var out bytes.Buffer
	err := Serve(context.Background(), strings.NewReader(in), &out, Options{Log: io.Discard})
	var msgs []message
	rd := NewReader(&out)
	for {
		body, rerr := rd.Read()
		if rerr != nil {
			break
		}
		var m message
		if jerr := json.Unmarshal(body, &m); jerr != nil {
			t.Fatalf("the server wrote %q: %v", body, jerr)
		}
		msgs = append(msgs, m)
	}
	return msgs, err
}

// A panic in a handler is that request's error; the next request is
// answered.
func TestPanicIsTheRequestsError(t *testing.T) {
	features["axc/testPanic"] = func(*Server, context.Context, json.RawMessage) (any, error) { panic("boom") }
	handlers["axc/testPanic"] = features["axc/testPanic"]
	defer delete(features, "axc/testPanic")
	defer delete(handlers, "axc/testPanic")
	msgs, err := run(t, frame(`{"jsonrpc":"2.0","id":1,"method":"axc/testPanic","params":{}}`)+
		frame(`{"jsonrpc":"2.0","id":2,"method":"shutdown"}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 || msgs[0].Error == nil || msgs[0].Error.Code != codeInternalError || !strings.Contains(msgs[0].Error.Message, "boom") {
		t.Fatalf("panicking request: %+v", msgs)
	}
	if string(msgs[1].ID) != "2" || msgs[1].Error != nil {
		t.Errorf("the request after the panic: %+v", msgs[1])
	}
}

// Malformed messages are answered with an error or ignored; the server
// reads on and answers the next good one.
func TestMalformedMessages(t *testing.T) {
	cases := []struct {
		name, in string
		code     int // the error answered, 0 for none
	}{
		{"broken JSON", frame(`{"jsonrpc":"2.0","id":1,"method":`), codeParseError},
		{"not an object", frame(`[1,2,3]`), codeParseError},
		{"no Content-Length", "X-Other: 1\r\n\r\n", codeParseError},
		{"bad Content-Length", "Content-Length: -4\r\n\r\n", codeParseError},
		{"header without colon", "garbage\r\nContent-Length: 2\r\n\r\n{}", 0}, // read, and {} is nothing
		{"object id", frame(`{"jsonrpc":"2.0","id":{"a":1},"method":"shutdown"}`), codeInvalidRequest},
		{"unknown method", frame(`{"jsonrpc":"2.0","id":7,"method":"textDocument/teleport","params":{}}`), codeMethodNotFound},
		{"wrong params", frame(`{"jsonrpc":"2.0","id":8,"method":"textDocument/didOpen","params":{"textDocument":5}}`), codeInvalidParams},
		{"unknown notification", frame(`{"jsonrpc":"2.0","method":"$/whatever","params":{}}`), 0},
		{"a response", frame(`{"jsonrpc":"2.0","id":3,"result":null}`), 0},
		{"too large", fmt.Sprintf("Content-Length: %d\r\n\r\n", maxMessage+1) + strings.Repeat(" ", maxMessage+1), codeParseError},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			msgs, err := run(t, tc.in+frame(`{"jsonrpc":"2.0","id":99,"method":"shutdown"}`))
			if err != nil {
				t.Fatal(err)
			}
			if len(msgs) == 0 || string(msgs[len(msgs)-1].ID) != "99" {
				t.Fatalf("the good request after it was not answered: %+v", msgs)
			}
			errs := msgs[:len(msgs)-1]
			switch {
			case tc.code == 0 && len(errs) > 0:
				t.Errorf("answered %+v, want nothing", errs[0])
			case tc.code != 0 && (len(errs) != 1 || errs[0].Error == nil || errs[0].Error.Code != tc.code):
				t.Errorf("answered %+v, want one error %d", errs, tc.code)
			}
		})
	}
}

// The server returns on exit (an error without shutdown first, as LSP
// says), and when its input ends (also in the middle of a message).
func TestExits(t *testing.T) {
	for name, in := range map[string]string{
		"exit":             frame(`{"jsonrpc":"2.0","method":"exit"}`) + frame(`{"jsonrpc":"2.0","id":1,"method":"shutdown"}`),
		"end of input":     "",
		"cut in a header":  "Content-Len",
		"cut in a message": "Content-Length: 100\r\n\r\n{",
	} {
		msgs, err := run(t, in)
		want := error(nil)
		if name == "exit" {
			want = ErrExitWithoutShutdown
		}
		if err != want || len(msgs) != 0 {
			t.Errorf("%s: %v, answered %+v", name, err, msgs)
		}
	}
	msgs, err := run(t, frame(`{"jsonrpc":"2.0","id":1,"method":"shutdown"}`)+frame(`{"jsonrpc":"2.0","method":"exit"}`)+frame(`{"jsonrpc":"2.0","id":2,"method":"shutdown"}`))
	if err != nil || len(msgs) != 1 {
		t.Errorf("exit after shutdown: %v, answered %+v", err, msgs)
	}
}

// Files the server does not check (outside hosts/ and users/, not file:
// URIs) get no diagnostics; a file too large, or one that is not text, is
// said to be so, as vet says it.
func TestFilesItDoesNotCheck(t *testing.T) {
	dir := repo(t, nil)
	c := newClient(t, axiosOptions)
	notes := c.open(filepath.Join(dir, "notes.cue"), "package notes\n\nx: 1\n")
	untitled := "untitled:Untitled-1"
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": untitled, "languageId": "cue", "version": 1, "text": "x"}})
	big := c.open(filepath.Join(dir, "hosts", "big.cue"), "package hosts\n\n// "+strings.Repeat("x", 5<<20)+"\n")
	ds := c.diagnostics(big, 1)
	if len(ds) != 1 || !strings.Contains(ds[0].Message, "larger than 4 MiB") {
		t.Errorf("a host file of 5 MiB: %s", messages(ds))
	}
	bin := c.open(filepath.Join(dir, "hosts", "bin.cue"), "package hosts\x00\n")
	ds = c.diagnostics(bin, 1)
	if len(ds) != 1 || !strings.Contains(ds[0].Message, "binary file") {
		t.Errorf("a host file holding NUL: %s", messages(ds))
	}
	if n := c.published(notes) + c.published(untitled); n != 0 {
		t.Errorf("%d diagnostics notifications for files axc does not check", n)
	}
}

// FuzzLSP feeds the server message streams: it answers or ignores each
// message and returns at the end of its input, without a panic.
func FuzzLSP(f *testing.F) {
	dir, err := os.MkdirTemp("", "axc-fuzzlsp")
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { os.RemoveAll(dir) })
	host := pathURI(filepath.Join(dir, "hosts", "a.cue"))
	open := func(uri, text string) string {
		b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "cue", "version": 1, "text": text}}})
		return frame(string(b))
	}
	init := frame(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`)
	f.Add(init + open(host, typoHost) + frame(`{"jsonrpc":"2.0","id":2,"method":"textDocument/hover","params":{"textDocument":{"uri":"`+host+`"},"position":{"line":3,"character":2}}}`))
	f.Add(init + open(host, typoHost) + frame(`{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"`+host+`","version":2},"contentChanges":[{"range":{"start":{"line":99,"character":-3},"end":{"line":0,"character":900}},"text":"\u00e9\ud83d\ude00"}]}}`))
	f.Add(init + open(host, "package hosts\n\na: {\"\n") + frame(`{"jsonrpc":"2.0","id":3,"method":"textDocument/completion","params":{"textDocument":{"uri":"`+host+`"},"position":{"line":2,"character":4}}}`))
	f.Add(frame(`{"jsonrpc":"2.0","id":1,"method":"textDocument/codeAction","params":{"textDocument":{"uri":"` + host + `"},"range":{"start":{"line":0,"character":0},"end":{"line":9,"character":0}},"context":{"diagnostics":[]}}}`))
	f.Add("Content-Length: 3\r\n\r\n{}}Content-Length: 1\r\n\r\n\x00")
	f.Add(frame(`{"jsonrpc":"2.0","id":1,"method":"shutdown"}`) + frame(`{"jsonrpc":"2.0","method":"exit"}`))
	f.Fuzz(func(t *testing.T, in string) {
		var out bytes.Buffer
		if err := Serve(context.Background(), strings.NewReader(in), &out, Options{Log: io.Discard}); err != nil && err != ErrExitWithoutShutdown {
			t.Fatalf("Serve: %v", err)
		}
	})
}
