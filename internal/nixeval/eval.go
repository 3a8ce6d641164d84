// Package nixeval has Nix evaluate a flake source's own lib.mkSystem on
// hosts as axc build writes them (axc vet --nix): it finds the source in
// the store, runs a fixed driver expression with nix-instantiate, and
// turns what Nix says into errors per host, cached by the source's hash.
package nixeval

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/axc-dev/axc/internal/nix"
)

//go:embed driver.nix
var driver string

// DriverVersion changes with what the driver computes: verdicts cached by
// another are not used.
const DriverVersion = "1"

// Bin is the Nix evaluator run.
const Bin = "nix-instantiate"

// Timeout bounds one nix-instantiate run: a source whose evaluation does
// not end gets no verdict rather than hanging vet.
var Timeout = 5 * time.Minute

// ErrNoNix: nix-instantiate is not on PATH.
var ErrNoNix = errors.New(Bin + " is not on PATH")

// Host is one host to evaluate.
type Host struct {
	Name string
	// File is hosts/NAME.nix as axc build writes it.
	File []byte
	// ConfigField, when not "", is the host field through which mkSystem
	// finds the users' files: set to the output directory, as the flake
	// axc build writes does.
	ConfigField string
}

// Request is what to evaluate: hosts, with source, from HostsDir (the
// directory build writes their files to: their relative paths are
// relative to it) and OutDir (the output directory).
type Request struct {
	Source     *Source
	HostsDir   string
	OutDir     string
	Hosts      []Host
	Cache      *Cache
	AxcVersion string
	// Repo is what the flake's pure evaluation may read besides the
	// sources: the repository (nixpath.SourceRoot of the output
	// directory). Evaluation is restricted to it and the sources' dirs.
	Repo string
}

// Verdict is what Nix says of a host: nothing (accepted), or errors.
type Verdict struct {
	Errors []Error
	// Cached: taken from the cache, Nix was not run for it.
	Cached bool
}

// Unavailable reports whether the verdict is no verdict: the evaluation
// needed an input not in the store, or did not end.
func (v Verdict) Unavailable() bool {
	return len(v.Errors) == 1 && v.Errors[0].Kind == KindUnavailable
}

// Stats count what a run did.
type Stats struct {
	Cached, Evaluated, Runs int
}

// Evaluate gives each host's verdict, by name. The error is one that
// stops every host: no Nix (ErrNoNix).
func Evaluate(ctx context.Context, req Request) (map[string]Verdict, Stats, error) {
	out := map[string]Verdict{}
	var st Stats
	srcKey := ""
	if req.Source.key != "" {
		srcKey = hashOf("axc vet --nix", DriverVersion, driver, req.AxcVersion, req.Source.key, req.HostsDir, req.OutDir)
	}
	hostKey := func(h Host) string {
		return hashOf(srcKey, req.Repo, h.Name, string(h.File), h.ConfigField)
	}
	var todo []Host
	for _, h := range req.Hosts {
		if srcKey != "" {
			if v, ok := req.Cache.get(hostKey(h)); ok {
				v.Cached = true
				out[h.Name] = v
				st.Cached++
				continue
			}
		}
		todo = append(todo, h)
	}
	if len(todo) == 0 {
		return out, st, nil
	}
	if _, err := exec.LookPath(Bin); err != nil {
		return nil, st, ErrNoNix
	}
	st.Evaluated = len(todo)
	// The hosts run in order, in as few runs as there are failing
	// hosts, plus one: a run stops at the first host that fails, with
	// Nix's own message, and the next run starts after it. Two chains
	// of runs share the hosts, one a core.
	e := &evaluator{ctx: ctx, req: req, out: out}
	var wg sync.WaitGroup
	half := (len(todo) + 1) / 2
	for _, part := range [][]Host{todo[:half], todo[half:]} {
		if len(part) == 0 {
			continue
		}
		wg.Add(1)
		go func(part []Host) {
			defer wg.Done()
			e.chain(part)
		}(part)
	}
	wg.Wait()
	st.Runs = e.runs
	for _, h := range todo {
		if _, ok := out[h.Name]; !ok {
			out[h.Name] = Verdict{Errors: []Error{{Kind: KindUnavailable, Msg: "Nix gave no verdict"}}} // not reached: a bug
		}
	}
	if srcKey != "" {
		for _, h := range todo {
			if v := out[h.Name]; !v.Unavailable() {
				req.Cache.put(hostKey(h), v)
			}
		}
	}
	return out, st, nil
}

// evaluator runs the chains of one Evaluate.
type evaluator struct {
	ctx  context.Context
	req  Request
	mu   sync.Mutex
	out  map[string]Verdict
	runs int
}

func (e *evaluator) set(name string, v Verdict) {
	e.mu.Lock()
	e.out[name] = v
	e.mu.Unlock()
}

// chain judges hosts, in order, in runs that each stop at a failing host.
func (e *evaluator) chain(hosts []Host) {
	for len(hosts) > 0 {
		e.mu.Lock()
		e.runs++
		e.mu.Unlock()
		tr, err := run(e.ctx, e.req, hosts)
		for name, failed := range tr.verdicts {
			e.set(name, assertions(failed))
		}
		if err == nil {
			for _, h := range hosts {
				if _, ok := tr.verdicts[h.Name]; !ok {
					e.set(h.Name, Verdict{Errors: []Error{{Kind: KindError, Msg: "the driver gave no verdict"}}})
				}
			}
			return
		}
		// The host begun last without a verdict failed; the others
		// without one were not reached (whatever order Nix took them
		// in) and run again. With none begun, the run failed before any
		// host (the source itself): that is every host's.
		failed := ""
		if _, judged := tr.verdicts[tr.last]; tr.last != "" && !judged {
			failed = tr.last
		}
		var rest []Host
		for _, h := range hosts {
			if _, judged := tr.verdicts[h.Name]; judged {
				continue
			}
			switch {
			case failed == "":
				e.set(h.Name, verdictOf(err))
			case h.Name == failed:
				e.set(h.Name, verdictOf(err))
			default:
				rest = append(rest, h)
			}
		}
		if failed == "" || len(rest) == len(hosts) {
			return
		}
		hosts = rest
	}
}

// verdictOf is the verdict a failed run gives its failing host: Nix's
// error, or none (Nix did not run, or did not finish).
func verdictOf(err error) Verdict {
	var ne *nixError
	if errors.As(err, &ne) {
		if e, ok := ParseStderr(ne.stderr); ok {
			return Verdict{Errors: []Error{e}}
		}
	}
	return Verdict{Errors: []Error{{Kind: KindUnavailable, Msg: bounded(oneLine(err.Error()))}}}
}

func assertions(msgs []string) Verdict {
	var v Verdict
	for _, m := range msgs {
		v.Errors = append(v.Errors, Error{Kind: KindAssertion, Msg: bounded(oneLine(m))})
	}
	return v
}

// restricted are the options that restrict the evaluation to what the
// flake's pure evaluation could read: the repository and the sources
// (Nix's own check of every path read, restrict-eval; no fetching). A
// host's raw Nix that reads anything else is an error of that host
// ("forbidden in restricted mode"), as it would be in nixos-rebuild.
func restricted(req Request) []string {
	args := []string{"--option", "restrict-eval", "true"}
	var dirs []string
	for _, n := range req.Source.Nodes {
		if n.Dir != "" {
			dirs = append(dirs, n.Dir)
		}
	}
	sort.Strings(dirs)
	if req.Repo != "" {
		dirs = append(dirs, req.Repo)
	}
	for _, d := range dirs {
		// -I takes PREFIX=PATH or PATH; a path holding "=" would be
		// split: an unnamed "=PATH" entry keeps it whole.
		args = append(args, "-I", "="+d)
	}
	return args
}

// traces are what a run's traces say: each host's failed assertions,
// and the host begun last.
type traces struct {
	verdicts map[string][]string
	last     string
}

const (
	hostTrace    = "trace: axc-host: "
	verdictTrace = "trace: axc-verdict: "
)

// parseTraces reads the driver's traces from stderr; other lines (the
// source's own traces, warnings, the error) are skipped.
func parseTraces(stderr string) traces {
	tr := traces{verdicts: map[string][]string{}}
	for _, l := range strings.Split(stderr, "\n") {
		if rest, ok := strings.CutPrefix(l, hostTrace); ok {
			var name string
			if json.Unmarshal([]byte(rest), &name) == nil {
				tr.last = name
			}
		} else if rest, ok := strings.CutPrefix(l, verdictTrace); ok {
			var v struct {
				Name   string   `json:"name"`
				Failed []string `json:"failed"`
			}
			if json.Unmarshal([]byte(rest), &v) == nil {
				tr.verdicts[v.Name] = v.Failed
			}
		}
	}
	return tr
}

type nixError struct {
	stderr string
	err    error
}

func (e *nixError) Error() string {
	if pe, ok := ParseStderr(e.stderr); ok {
		return pe.Msg
	}
	return e.err.Error()
}

// Expression is the Nix expression of a run: the driver applied to its
// arguments, every name and text from input printed by internal/nix as
// a string or key, each host file as the expression it is (Raw: axc's
// own output, which parses on its own).
func Expression(req Request, hosts []Host) ([]byte, error) {
	return expression(driver, req, hosts)
}

func expression(driver string, req Request, hosts []Host) ([]byte, error) {
	keys := make([]string, 0, len(req.Source.Nodes))
	for k := range req.Source.Nodes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	nodes := nix.Attrs{}
	for _, k := range keys {
		n := req.Source.Nodes[k]
		var dir nix.Expr = nix.Null{}
		if n.Dir != "" {
			dir = nix.String(n.Dir)
		}
		ins := make([]string, 0, len(n.Inputs))
		for in := range n.Inputs {
			ins = append(ins, in)
		}
		sort.Strings(ins)
		inputs := nix.Attrs{}
		for _, in := range ins {
			inputs = append(inputs, nix.Binding{Path: []string{in}, Value: nix.String(n.Inputs[in])})
		}
		nodes = append(nodes, nix.Binding{Path: []string{k}, Value: nix.Attrs{
			{Path: []string{"dir"}, Value: dir},
			{Path: []string{"inputs"}, Value: inputs},
		}})
	}
	files, configDir := nix.Attrs{}, nix.Attrs{}
	for _, h := range hosts {
		files = append(files, nix.Binding{Path: []string{h.Name}, Value: nix.Raw(h.File)})
		if h.ConfigField != "" {
			configDir = append(configDir, nix.Binding{Path: []string{h.Name}, Value: nix.Attrs{
				{Path: []string{"field"}, Value: nix.String(h.ConfigField)},
				{Path: []string{"dir"}, Value: nix.String(req.OutDir)},
			}})
		}
	}
	args := nix.Attrs{
		{Path: []string{"nodes"}, Value: nodes},
		{Path: []string{"root"}, Value: nix.String(req.Source.Root)},
		{Path: []string{"hosts"}, Value: files},
		{Path: []string{"configDir"}, Value: configDir},
	}
	return nix.Format(nix.Apply{Func: nix.Raw(driver), Args: []nix.Expr{args}})
}

// run evaluates hosts in one nix-instantiate, in req.HostsDir (so that the
// host files' relative paths mean what they mean there), reading only:
// --readonly-mode writes nothing to the store and builds nothing.
func run(ctx context.Context, req Request, hosts []Host) (traces, error) {
	expr, err := Expression(req, hosts)
	if err != nil {
		return traces{}, fmt.Errorf("internal error: driver expression: %v", err)
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	// The expression goes on stdin ("-"): a large fleet's does not fit
	// in an argument.
	cmd := exec.CommandContext(ctx, Bin, append(restricted(req), "--eval", "--strict", "--readonly-mode", "-")...)
	cmd.Dir = req.HostsDir
	cmd.Stdin = bytes.NewReader(expr)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	tr := parseTraces(stderr.String())
	if err != nil {
		if ctx.Err() != nil {
			return tr, fmt.Errorf("%s did not finish in %v", Bin, Timeout)
		}
		return tr, &nixError{stderr: stderr.String(), err: err}
	}
	return tr, nil
}
