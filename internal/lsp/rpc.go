package lsp

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

// The JSON-RPC 2.0 base protocol of LSP, written here rather than taken
// from go.lsp.dev/jsonrpc2: that needs go.lsp.dev/protocol at v1.0.1 and a
// pseudo-versioned encoding/json/v2 preview, and reads a message of
// whatever length its header claims. Here a message is bounded
// (maxMessage), a broken header or body is skipped or answered with an
// error, and the server goes on reading.

// maxMessage is the longest message body read; a longer one is skipped
// (its bytes discarded) and answered with an error when it can be. It
// leaves room for a host file of load.MaxFileSize escaped as JSON.
const maxMessage = 64 << 20

// maxHeader is the longest header line read.
const maxHeader = 4096

// message is any JSON-RPC message: a request (ID and Method), a
// notification (Method only) or a response (ID and Result or Error).
type message struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id,omitempty"`
	Method  string          `json:"method,omitempty"`
	Params  json.RawMessage `json:"params,omitempty"`
	Result  json.RawMessage `json:"result,omitempty"`
	Error   *rpcError       `json:"error,omitempty"`
}

// isRequest reports whether m asks for an answer.
func (m *message) isRequest() bool { return len(m.ID) > 0 && m.Method != "" }

// rpcError is a JSON-RPC error object.
type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *rpcError) Error() string { return e.Message }

// JSON-RPC and LSP error codes.
const (
	codeParseError     = -32700
	codeInvalidRequest = -32600
	codeMethodNotFound = -32601
	codeInvalidParams  = -32602
	codeInternalError  = -32603
	codeRequestFailed  = -32803
)

// Reader reads framed messages: "Content-Length: N\r\n", other headers,
// "\r\n", then N bytes of JSON. The server reads its client with it, and
// clients of the server (tests, bench/lspbench) read the server.
type Reader struct {
	r *bufio.Reader
}

// NewReader reads framed messages from r.
func NewReader(r io.Reader) *Reader { return &Reader{r: bufio.NewReaderSize(r, 64<<10)} }

// errFraming is a message that could not be read as one: the reader has
// skipped it and can go on.
type errFraming struct{ why string }

func (e *errFraming) Error() string { return e.why }

// Read returns the next message's body. io.EOF (or another error of the
// underlying reader) ends the stream; an *errFraming is one bad message,
// skipped.
func (rd *Reader) Read() ([]byte, error) {
	length := -1
	bad := ""
	sawHeader := false
	for {
		line, err := rd.line()
		if err != nil {
			if err == io.EOF && sawHeader {
				return nil, io.ErrUnexpectedEOF
			}
			return nil, err
		}
		if line == "" {
			if !sawHeader {
				continue // stray blank lines between messages
			}
			break
		}
		sawHeader = true
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			bad = "a header line without a colon"
			continue
		}
		if strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			n, err := strconv.Atoi(strings.TrimSpace(value))
			if err != nil || n < 0 {
				bad = "a Content-Length that is not a length"
				continue
			}
			length = n
		}
	}
	if length < 0 {
		if bad == "" {
			bad = "no Content-Length header"
		}
		return nil, &errFraming{why: bad}
	}
	if length > maxMessage {
		if _, err := io.CopyN(io.Discard, rd.r, int64(length)); err != nil {
			return nil, io.ErrUnexpectedEOF
		}
		return nil, &errFraming{why: fmt.Sprintf("a message of %d bytes: the most axc lsp reads is %d", length, maxMessage)}
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(rd.r, body); err != nil {
		return nil, io.ErrUnexpectedEOF
	}
	return body, nil
}

// line reads one header line without its line ending; a line longer than
// maxHeader is cut (the rest discarded).
func (rd *Reader) line() (string, error) {
	var buf []byte
	for {
		frag, err := rd.r.ReadSlice('\n')
		if len(buf) < maxHeader {
			buf = append(buf, frag[:min(len(frag), maxHeader-len(buf))]...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			if err == io.EOF && len(buf) > 0 {
				return string(bytes.TrimRight(buf, "\r\n")), nil
			}
			return "", err
		}
		return string(bytes.TrimRight(buf, "\r\n")), nil
	}
}

// writer writes framed messages, one at a time.
type writer struct {
	mu sync.Mutex
	w  io.Writer
}

func (wr *writer) write(v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	wr.mu.Lock()
	defer wr.mu.Unlock()
	if _, err := fmt.Fprintf(wr.w, "Content-Length: %d\r\n\r\n", len(body)); err != nil {
		return err
	}
	_, err = wr.w.Write(body)
	return err
}

// response is a request's answer: its result (null when nil) or an error.
type response struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Result  any             `json:"result"`
}

type errorResponse struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Error   *rpcError       `json:"error"`
}

type notification struct {
	JSONRPC string `json:"jsonrpc"`
	Method  string `json:"method"`
	Params  any    `json:"params"`
}

func (wr *writer) reply(id json.RawMessage, result any, err error) error {
	if err != nil {
		var re *rpcError
		if !errors.As(err, &re) {
			re = &rpcError{Code: codeRequestFailed, Message: err.Error()}
		}
		return wr.write(errorResponse{JSONRPC: "2.0", ID: id, Error: re})
	}
	return wr.write(response{JSONRPC: "2.0", ID: id, Result: result})
}

func (wr *writer) notify(method string, params any) error {
	return wr.write(notification{JSONRPC: "2.0", Method: method, Params: params})
}
