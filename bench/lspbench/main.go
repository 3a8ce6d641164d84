// Command lspbench drives `axc lsp` as an editor would and measures what a
// person typing feels: the time from opening a host file to its first
// diagnostics, the time from a change to the diagnostics of that version,
// and the server's resident memory after many changes.
//
//	lspbench -axc ./axc -edits 50 [-mem] [-change KIND] hosts/hosts_050.cue
//
// The changes (-change) make the text differ every time:
//
//	comment  a new comment line at the end (no host changes)
//	value    a number in one host (the middle one, or the next that has
//	         a line NAME: DIGITS) changes; no line moves
//	line     a line is added to the first host, and taken away on the next
//	         change: the hosts below it move a line down and up
//
// It prints key=value lines (times in ms, memory in MiB) for bench/run.sh.
// Latencies are measured here, at the client: they include the pipes, so
// they bound the server's own time from above. The server's own time of a
// change, from its arrival to its diagnostics (server_change_ms), is what
// the server says in a window/logMessage under AXC_LSP_TIMING=1, which
// lspbench sets.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/axc-dev/axc/internal/lsp"
)

func main() {
	axc := flag.String("axc", "axc", "the axc binary")
	edits := flag.Int("edits", 30, "timed changes, after 5 untimed ones")
	mem := flag.Bool("mem", false, "also report the server's memory after 100 and 1000 changes")
	kind := flag.String("change", "comment", "what each change does: comment, value or line")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: lspbench [-axc PATH] [-edits N] [-mem] [-change comment|value|line] FILE")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*axc, flag.Arg(0), *edits, *mem, *kind); err != nil {
		fmt.Fprintln(os.Stderr, "lspbench:", err)
		os.Exit(1)
	}
}

type conn struct {
	in  io.Writer
	out *lsp.Reader
	id  int
	// server are the server's own times (ms) of the changes timed.
	server []float64
}

func (c *conn) send(msg map[string]any) error {
	msg["jsonrpc"] = "2.0"
	body, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(c.in, "Content-Length: %d\r\n\r\n%s", len(body), body)
	return err
}

func (c *conn) read() (map[string]any, error) {
	body, err := c.out.Read()
	if err != nil {
		return nil, err
	}
	var m map[string]any
	return m, json.Unmarshal(body, &m)
}

// diagnostics waits for the diagnostics of uri at version; the server's
// own time for that version, when it says (AXC_LSP_TIMING), is recorded
// in c.server.
func (c *conn) diagnostics(uri string, version int) (int, error) {
	want := fmt.Sprintf("axc lsp: checked %s version %d in ", uri, version)
	for {
		m, err := c.read()
		if err != nil {
			return 0, err
		}
		if m["method"] == "window/logMessage" {
			p, _ := m["params"].(map[string]any)
			msg, _ := p["message"].(string)
			if v, ok := strings.CutPrefix(msg, want); ok {
				if f, err := strconv.ParseFloat(strings.TrimSuffix(v, " ms"), 64); err == nil {
					c.server = append(c.server, f)
				}
			}
			continue
		}
		if m["method"] != "textDocument/publishDiagnostics" {
			continue
		}
		p, _ := m["params"].(map[string]any)
		if p["uri"] != uri {
			continue
		}
		if v, ok := p["version"].(float64); ok && int(v) == version {
			ds, _ := p["diagnostics"].([]any)
			return len(ds), nil
		}
	}
}

// hostStarts are the lines (0-based) of lines that open a top-level
// field: `"name": {` or `name: {`.
func hostStarts(lines []string) []int {
	var out []int
	for i, l := range lines {
		if l != "" && l[0] != '\t' && l[0] != ' ' && l[0] != '/' && strings.HasSuffix(l, ": {") {
			out = append(out, i)
		}
	}
	return out
}

// changer is how the text of version v is made from text.
func changer(text, kind string) (func(v int) string, error) {
	lines := strings.Split(text, "\n")
	starts := hostStarts(lines)
	switch kind {
	case "comment":
		return func(v int) string { return text + fmt.Sprintf("\n// edit %d\n", v) }, nil
	case "value":
		for _, s := range starts[len(starts)/2:] {
			for i := s + 1; i < len(lines) && !slices.Contains(starts, i); i++ {
				l := strings.TrimRight(lines[i], " ")
				j := strings.LastIndexAny(l, ": ")
				if j < 0 || j == len(l)-1 || !strings.Contains(l, ":") {
					continue
				}
				if _, err := strconv.Atoi(l[j+1:]); err != nil {
					continue
				}
				at, prefix := i, l[:j+1]
				return func(v int) string {
					c := slices.Clone(lines)
					c[at] = prefix + strconv.Itoa(1000+v%5000)
					return strings.Join(c, "\n")
				}, nil
			}
		}
		return nil, fmt.Errorf("-change value: no host has a line NAME: DIGITS")
	case "line":
		if len(starts) == 0 {
			return nil, fmt.Errorf("-change line: no host")
		}
		at := starts[0] + 1
		return func(v int) string {
			if v%2 == 1 {
				return text
			}
			c := slices.Insert(slices.Clone(lines), at, lines[at])
			return strings.Join(c, "\n")
		}, nil
	}
	return nil, fmt.Errorf("-change %s: want comment, value or line", kind)
}

func run(axc, file string, edits int, mem bool, kind string) error {
	abs, err := filepath.Abs(file)
	if err != nil {
		return err
	}
	text, err := os.ReadFile(abs)
	if err != nil {
		return err
	}
	textOf, err := changer(string(text), kind)
	if err != nil {
		return err
	}
	cmd := exec.Command(axc, "lsp")
	cmd.Env = append(os.Environ(), "AXC_LSP_TIMING=1")
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		in.Close()
		cmd.Wait()
	}()
	c := &conn{in: in, out: lsp.NewReader(out)}
	if err := c.send(map[string]any{"id": 1, "method": "initialize", "params": map[string]any{"capabilities": map[string]any{}}}); err != nil {
		return err
	}
	for {
		m, err := c.read()
		if err != nil {
			return err
		}
		if m["id"] != nil {
			break
		}
	}
	c.send(map[string]any{"method": "initialized", "params": map[string]any{}})
	uri := (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
	start := time.Now()
	c.send(map[string]any{"method": "textDocument/didOpen", "params": map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "cue", "version": 1, "text": string(text)}}})
	n, err := c.diagnostics(uri, 1)
	if err != nil {
		return err
	}
	fmt.Printf("open_ms=%.1f\n", ms(time.Since(start)))
	fmt.Printf("diagnostics=%d\n", n)
	version := 1
	change := func() (time.Duration, error) {
		version++
		t := textOf(version)
		start := time.Now()
		if err := c.send(map[string]any{"method": "textDocument/didChange", "params": map[string]any{"textDocument": map[string]any{"uri": uri, "version": version}, "contentChanges": []any{map[string]any{"text": t}}}}); err != nil {
			return 0, err
		}
		_, err := c.diagnostics(uri, version)
		return time.Since(start), err
	}
	for range 5 { // warm-up
		if _, err := change(); err != nil {
			return err
		}
	}
	var lat []float64
	c.server = nil
	for range edits {
		d, err := change()
		if err != nil {
			return err
		}
		lat = append(lat, ms(d))
	}
	slices.Sort(lat)
	fmt.Printf("change_ms=%.1f\n", lat[len(lat)/2])
	fmt.Printf("change_p90_ms=%.1f\n", lat[len(lat)*9/10])
	if len(c.server) == len(lat) {
		slices.Sort(c.server)
		fmt.Printf("server_change_ms=%.1f\n", c.server[len(c.server)/2])
		fmt.Printf("server_change_p90_ms=%.1f\n", c.server[len(c.server)*9/10])
	}
	if !mem {
		return nil
	}
	for version < 100 {
		if _, err := change(); err != nil {
			return err
		}
	}
	rss100, err := rss(cmd.Process.Pid)
	if err != nil {
		return err
	}
	for version < 1000 {
		if _, err := change(); err != nil {
			return err
		}
	}
	rss1000, err := rss(cmd.Process.Pid)
	if err != nil {
		return err
	}
	fmt.Printf("rss100_mib=%.1f\nrss1000_mib=%.1f\n", rss100, rss1000)
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// rss is the resident memory of process pid, in MiB (Linux).
func rss(pid int) (float64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kib, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return float64(kib) / 1024, err
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}
