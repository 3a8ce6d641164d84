package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/axc-dev/axc/cmd/axc/cmd"
	"github.com/axc-dev/axc/internal/check"
	"github.com/axc-dev/axc/internal/lsp"
)

// The language server shows, for every host and user file of every
// testscript that runs axc vet, exactly what axc vet --format json FILE
// says of that file (same messages, positions, severities; or, when vet
// cannot check it, the same records), from the file's text opened in the
// editor.
func TestLanguageServerMatchesVet(t *testing.T) {
	scripts, err := filepath.Glob(filepath.Join("..", "..", "testdata", "scripts", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	lock, err := os.ReadFile(filepath.Join("..", "..", "testdata", "fleet-2025.11", "flake.lock"))
	if err != nil {
		t.Fatal(err)
	}
	compared := 0
	for _, script := range scripts {
		ar, err := txtar.ParseFile(script)
		if err != nil {
			t.Fatal(err)
		}
		axios, ok := vetRelease(string(ar.Comment))
		if !ok {
			continue
		}
		name := strings.TrimSuffix(filepath.Base(script), ".txtar")
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			// As the scripts' Setup: a repository whose lock pins 96990f9.
			if err := os.WriteFile(filepath.Join(dir, "flake.lock"), lock, 0o644); err != nil {
				t.Fatal(err)
			}
			for _, f := range ar.Files {
				p := filepath.Join(dir, filepath.FromSlash(f.Name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			var files []string
			filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() && lsp.Checked(p) {
					files = append(files, p)
				}
				return nil
			})
			server := startServer(t, check.Options{Axios: axios})
			for _, f := range files {
				text, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				want := vetFile(t, axios, f, string(text))
				got := server.open(t, f, string(text))
				if !slices.Equal(got, want) {
					t.Errorf("%s:\nserver:\n%s\nvet:\n%s", f[len(dir)+1:], strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
				compared++
			}
		})
	}
	t.Logf("compared %d files", compared)
	if compared < 100 {
		t.Errorf("compared %d files: the scripts' hosts were not found", compared)
	}
}

var vetLine = regexp.MustCompile(`(?m)^!? *exec axc (.*)\bvet\b(.*)$`)

// vetRelease is the --axios of the script's first vet ("" for the lock's
// release); ok is false for a script that runs no vet, or vets against
// --schema.
func vetRelease(script string) (axios string, ok bool) {
	m := vetLine.FindStringSubmatch(script)
	if m == nil || strings.Contains(m[0], "--schema") {
		return "", false
	}
	words := strings.Fields(m[1] + " " + m[2])
	for i, w := range words {
		if w == "--axios" && i+1 < len(words) {
			return words[i+1], true
		}
		if v, ok := strings.CutPrefix(w, "--axios="); ok {
			return v, true
		}
	}
	return "", true
}

// vetFile is what axc vet --format json FILE says of FILE, in the
// server's terms: "LINE:CHARACTER SEVERITY MESSAGE" (0-based, UTF-16),
// or the records of exit 2.
func vetFile(t *testing.T, axios, path, text string) []string {
	t.Helper()
	args := []string{"vet", "--format", "json", path}
	if axios != "" {
		args = append([]string{"--axios", axios}, args...)
	}
	var stdout, stderr bytes.Buffer
	code := cmd.Run(args, &stdout, &stderr)
	var out []string
	if code == 2 {
		for _, l := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
			if r, ok := strings.CutPrefix(l, "axc: "); ok && !strings.HasPrefix(r, "warning: ") {
				out = append(out, "0:0 1 "+r)
			}
		}
		return out
	}
	var report struct {
		Diagnostics []struct {
			File, Path, Message, Severity string
			Line, Column                  int
		}
	}
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		t.Fatalf("vet %s: exit %d: %v\n%s", path, code, err, stderr.String())
	}
	for _, d := range report.Diagnostics {
		if abs(d.File) != path {
			continue
		}
		line, char := 0, 0
		if d.Line > 0 {
			l := strings.Split(text, "\n")[d.Line-1]
			line, char = d.Line-1, utf16Units(l[:min(d.Column-1, len(l))])
		}
		sev := 1
		if d.Severity == "warning" {
			sev = 2
		}
		msg := d.Message
		if d.Path != "" {
			msg = d.Path + ": " + msg
		}
		out = append(out, fmt.Sprintf("%d:%d %d %s", line, char, sev, msg))
	}
	return out
}

func abs(f string) string {
	if filepath.IsAbs(f) {
		return f
	}
	wd, _ := os.Getwd()
	return filepath.Join(wd, f)
}

func utf16Units(s string) int { return len(utf16.Encode([]rune(s))) }

// testServer is axc lsp served over pipes, driven as an editor would.
type testServer struct {
	in  io.WriteCloser
	out *lsp.Reader
}

func startServer(t *testing.T, opts check.Options) *testServer {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan struct{})
	go func() {
		lsp.Serve(context.Background(), inR, outW, lsp.Options{Check: opts, Log: io.Discard})
		outW.Close()
		close(done)
	}()
	s := &testServer{in: inW, out: lsp.NewReader(outR)}
	t.Cleanup(func() {
		inW.Close()
		io.Copy(io.Discard, outR)
		<-done
	})
	s.send(t, map[string]any{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": map[string]any{"capabilities": map[string]any{}}})
	for {
		if m := s.read(t); m["id"] != nil {
			return s
		}
	}
}

func (s *testServer) send(t *testing.T, msg any) {
	body, _ := json.Marshal(msg)
	if _, err := fmt.Fprintf(s.in, "Content-Length: %d\r\n\r\n%s", len(body), body); err != nil {
		t.Fatal(err)
	}
}

func (s *testServer) read(t *testing.T) map[string]any {
	body, err := s.out.Read()
	if err != nil {
		t.Fatalf("reading the server: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// open opens path with text and returns its first diagnostics as vetFile
// writes them.
func (s *testServer) open(t *testing.T, path, text string) []string {
	uri := (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
	s.send(t, map[string]any{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "cue", "version": 1, "text": text}}})
	for {
		m := s.read(t)
		if m["method"] != "textDocument/publishDiagnostics" {
			continue
		}
		var p struct {
			URI         string
			Diagnostics []struct {
				Range    struct{ Start struct{ Line, Character int } }
				Severity int
				Message  string
			}
		}
		b, _ := json.Marshal(m["params"])
		json.Unmarshal(b, &p)
		if p.URI != uri {
			continue
		}
		var out []string
		for _, d := range p.Diagnostics {
			out = append(out, fmt.Sprintf("%d:%d %d %s", d.Range.Start.Line, d.Range.Start.Character, d.Severity, d.Message))
		}
		return out
	}
}
