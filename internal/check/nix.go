package check

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/axc-dev/axc/internal/compile"
	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/nixeval"
	"github.com/axc-dev/axc/internal/nixpath"
	"github.com/axc-dev/axc/internal/release"
	"github.com/axc-dev/axc/internal/safeio"
	"github.com/axc-dev/axc/internal/vet"
	"github.com/axc-dev/axc/schema"
)

// Nix's own verdict (axc vet --nix, and the language server's "nix"
// setting): the pinned source's mkSystem, evaluated by the user's Nix on
// each host axc accepts, as build writes it; its errors are findings
// beside axc's. Whatever keeps Nix from giving a verdict (no Nix, the
// source not in the store) is a warning, and the run goes on without.

// NixOptions say where Nix's verdict comes from.
type NixOptions struct {
	// Source is a checkout to evaluate instead of the one the lock pins
	// (--axios-source); "" for the lock's.
	Source string
	// CacheDir keeps verdicts ("" for none); AxcVersion is part of their
	// key.
	CacheDir, AxcVersion string
}

// NixResult is Nix's verdict on a run's hosts.
type NixResult struct {
	Diagnostics []vet.Diagnostic
	// Warnings say why Nix did not judge (all hosts, or some).
	Warnings []string
	// Summary, when Nix judged, says how many hosts, with what source.
	Summary string
	// Source is what Nix evaluated ("" when nothing); Hosts how many
	// hosts it judged, Cached how many verdicts came from the cache.
	Source        string
	Hosts, Cached int
}

// Nix has Nix judge the hosts of out (a Run with Options.Render). Its
// error is a usage error (o.Source names no source) or an internal one.
func Nix(ctx context.Context, out *Compiled, o NixOptions) (NixResult, error) {
	var res NixResult
	without := func(format string, args ...any) (NixResult, error) {
		res.Warnings = append(res.Warnings, "--nix: "+fmt.Sprintf(format, args...)+"; checked without Nix")
		return res, nil
	}
	readLock := func(p string) ([]byte, error) { return safeio.ReadFile(p, release.MaxLockSize) }
	var src *nixeval.Source
	var err error
	switch {
	case o.Source != "":
		if src, err = nixeval.FromDir(o.Source, out.Schema.Lock, out.Schema.Node, readLock); err != nil {
			return res, &UsageError{Msg: err.Error()}
		}
	case out.Schema.Lock == "" || out.Schema.Node == "":
		return without("no flake.lock input pins the source to evaluate (pass --axios-source DIR)")
	default:
		if src, err = nixeval.FromLock(out.Schema.Lock, out.Schema.Node, readLock); err != nil {
			return without("%v", err)
		}
	}
	contract, err := schema.ReadContract(out.Schema.FS)
	if err != nil {
		return res, Prefixed("schema: ", err)
	}
	hostsDir := filepath.Join(out.OutDir, "hosts")
	var hosts []nixeval.Host
	byName := map[string]*load.Host{}
	for i, h := range out.Entries {
		data := out.Files[compile.HostFile(h.Name)]
		if data == nil {
			continue // axc's errors come first: build would not write it
		}
		nh := nixeval.Host{Name: h.Name, File: data}
		if i < len(out.Hosts) {
			nh.ConfigField = out.Hosts[i].ConfigDir
		}
		hosts = append(hosts, nh)
		byName[h.Name] = h
	}
	if len(hosts) == 0 {
		return res, nil
	}
	if info, err := os.Stat(hostsDir); err != nil || !info.IsDir() {
		return without("%s does not exist: Nix evaluates each host's file where axc build would write it, and its paths are relative to there", load.RelPath(hostsDir))
	}
	if stale := staleUsers(out); len(stale) > 0 {
		// A host file reaches its users through DIR/users (configDir, or
		// userModulePath): Nix reads them from disk, as last built.
		res.Warnings = append(res.Warnings, fmt.Sprintf("--nix: %s not what axc build would write now, and Nix reads the users' files from disk: run axc build first", describeFiles(stale)))
	}
	req := nixeval.Request{Source: src, HostsDir: hostsDir, OutDir: out.OutDir, Repo: nixpath.SourceRoot(out.OutDir), Hosts: hosts, AxcVersion: o.AxcVersion}
	if o.CacheDir != "" {
		req.Cache = &nixeval.Cache{Dir: o.CacheDir}
	}
	verdicts, stats, err := nixeval.Evaluate(ctx, req)
	if errors.Is(err, nixeval.ErrNoNix) {
		return without("%v", err)
	}
	if err != nil {
		return res, err
	}
	unavailable := map[string][]string{}
	for _, nh := range hosts {
		v := verdicts[nh.Name]
		if v.Unavailable() {
			unavailable[v.Errors[0].Msg] = append(unavailable[v.Errors[0].Msg], nh.Name)
			continue
		}
		res.Diagnostics = append(res.Diagnostics, nixDiagnostics(byName[nh.Name], v.Errors, contract)...)
	}
	for _, msg := range slices.Sorted(maps.Keys(unavailable)) {
		names := unavailable[msg]
		res.Warnings = append(res.Warnings, fmt.Sprintf("--nix: %s (%s): no verdict: %s", count(len(names), "host"), strings.Join(names, ", "), msg))
	}
	res.Source, res.Hosts, res.Cached = src.Desc, len(hosts), stats.Cached
	res.Summary = fmt.Sprintf("nix: %s evaluated with %s (%d from cache)", count(len(hosts), "host"), src.Desc, stats.Cached)
	return res, nil
}

// staleUsers are the users' files (users/NAME.nix) the run compiled that
// the output directory does not hold as compiled.
func staleUsers(out *Compiled) []string {
	var stale []string
	for _, name := range slices.Sorted(maps.Keys(out.Files)) {
		data := out.Files[name]
		if !strings.HasPrefix(filepath.ToSlash(name), "users/") || data == nil {
			continue
		}
		disk, err := safeio.ReadFile(filepath.Join(out.OutDir, name), compile.MaxNixSize+1<<20)
		if err != nil || !bytes.Equal(disk, data) {
			stale = append(stale, load.RelPath(filepath.Join(out.OutDir, name)))
		}
	}
	return stale
}

// describeFiles names files for a message: "a is", "a, b are", at most
// five named.
func describeFiles(fs []string) string {
	named := fs
	if len(fs) > 5 {
		named = append(fs[:5:5], fmt.Sprintf("%d more", len(fs)-5))
	}
	if len(fs) == 1 {
		return fs[0] + " is"
	}
	return strings.Join(named, ", ") + " are"
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// nixDiagnostics places Nix's errors of host h: an error naming an option
// at the field that sets it, when the author wrote it (extraConfig.OPTION,
// or a section's own), else at the host; one finding per option and kind.
func nixDiagnostics(h *load.Host, errs []nixeval.Error, c *schema.Contract) []vet.Diagnostic {
	var out []vet.Diagnostic
	seen := map[string]bool{}
	for _, e := range errs {
		path := hostPath(h, e.Option, c)
		k := e.Kind + "\x00" + strings.Join(path, "\x00")
		if e.Kind == nixeval.KindAssertion || e.Kind == nixeval.KindError {
			k += "\x00" + e.Msg
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		pos := h.Pos
		if path != nil {
			if e.Kind == nixeval.KindUnknownOption {
				pos = h.Fields.LabelPos(path)
			} else {
				pos, _ = h.Fields.ValuePos(path)
			}
		}
		d := vet.At(pos, h.Name, vet.DisplayPath(h.Name, path), e.Msg, vet.Error)
		d.Source = vet.SourceNix
		out = append(out, d)
	}
	return out
}

// hostPath is the path below the host that sets option opt: the config
// field's (extraConfig.OPTION) or, for a section's option, the section's,
// whichever the author wrote more of; nil when they wrote neither.
func hostPath(h *load.Host, opt []string, c *schema.Contract) []string {
	if len(opt) == 0 || h.Fields == nil {
		return nil
	}
	var cands [][]string
	if c.ConfigField != "" {
		cands = append(cands, append([]string{c.ConfigField}, opt...))
	}
	if _, ok := c.Section(opt[0]); ok {
		cands = append(cands, opt)
	}
	var best []string
	bestDepth := 0
	for _, p := range cands {
		d := writtenDepth(h.Fields, p)
		min := 1
		if p[0] == c.ConfigField {
			min = 2 // more than extraConfig itself
		}
		if d >= min && d > bestDepth {
			best, bestDepth = p, d
		}
	}
	return best
}

// writtenDepth is how many elements of path the author wrote.
func writtenDepth(x *load.FieldIndex, path []string) int {
	for d := len(path); d > 0; d-- {
		if x.Node(path[:d]) != nil {
			return d
		}
	}
	return 0
}
