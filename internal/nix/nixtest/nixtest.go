// Package nixtest runs nix-instantiate from tests to check generated Nix
// code: that it parses, and what it evaluates to.
package nixtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

const bin = "nix-instantiate"

// timeout bounds one nix-instantiate run so a runaway evaluation fails the
// test instead of hanging it.
const timeout = 2 * time.Minute

// Available reports whether nix-instantiate is on PATH; its absence is an
// error when AXC_REQUIRE_NIX=1, so that CI cannot silently skip the Nix
// checks.
func Available() (bool, error) {
	_, err := exec.LookPath(bin)
	if err == nil {
		return true, nil
	}
	if os.Getenv("AXC_REQUIRE_NIX") == "1" {
		return false, fmt.Errorf("AXC_REQUIRE_NIX=1 but %s is unavailable: %v", bin, err)
	}
	return false, nil
}

// Require skips the test when nix-instantiate is not on PATH, or fails it
// when AXC_REQUIRE_NIX=1.
func Require(t testing.TB) {
	t.Helper()
	ok, err := Available()
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		t.Skipf("%s not found; set AXC_REQUIRE_NIX=1 to make this a failure", bin)
	}
}

// Parse fails the test unless `nix-instantiate --parse file` succeeds.
// Nix resolves variables while parsing, so the file must not have free
// variables; wrap such code in a function of them or in `with { };`.
func Parse(t testing.TB, file string) {
	t.Helper()
	Require(t)
	if err := ParseFile(t.Context(), file); err != nil {
		t.Fatal(err)
	}
}

// ParseFile runs `nix-instantiate --parse file`.
func ParseFile(ctx context.Context, file string) error {
	if _, err := run(ctx, "", "--parse", file); err != nil {
		return fmt.Errorf("nix-instantiate --parse %s: %v", file, err)
	}
	return nil
}

// EvalJSON evaluates expr with `nix-instantiate --eval --strict --json` in
// dir (so relative paths in expr resolve against it) and returns the result
// decoded with json.Number for numbers, so ints compare exactly. Note that
// Nix 2.8 prints floats with only 6 significant digits.
func EvalJSON(t testing.TB, expr string, dir string) any {
	t.Helper()
	Require(t)
	v, err := Eval(t.Context(), expr, dir)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Eval is EvalJSON for callers without a testing.TB.
func Eval(ctx context.Context, expr string, dir string) (any, error) {
	return eval(ctx, expr, dir)
}

// EvalRestricted is Eval in restricted evaluation, reading nothing outside
// tree: Nix's own check (checkSourcePath) of every file read, as a flake's
// pure evaluation reads nothing outside its copy of the flake's tree. A
// read outside is an error saying "forbidden in restricted mode".
func EvalRestricted(ctx context.Context, expr, dir, tree string) (any, error) {
	return eval(ctx, expr, dir, "--option", "restrict-eval", "true", "-I", tree)
}

func eval(ctx context.Context, expr, dir string, opts ...string) (any, error) {
	// The leading space keeps nix from taking an expression such as "-1"
	// for a command-line flag.
	out, err := run(ctx, dir, append(opts, "--eval", "--strict", "--json", "-E", " "+expr)...)
	if err != nil {
		return nil, fmt.Errorf("nix-instantiate --eval: %v\nexpression:\n%s", err, expr)
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("decoding nix output %q: %v", out, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("trailing data in nix output %q", out)
	}
	return v, nil
}

type nixError struct {
	err    error
	stderr string
}

func (e *nixError) Error() string { return e.err.Error() + "\n" + e.stderr }

func run(ctx context.Context, dir string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	// Read-only mode keeps evaluation working without a writable Nix store
	// (CI containers, sandboxes); store paths are still computed.
	cmd := exec.CommandContext(ctx, bin, append([]string{"--readonly-mode"}, args...)...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, &nixError{err, strings.TrimSpace(stderr.String())}
	}
	return out, nil
}

// ParseError is a failure of `nix-instantiate --parse`, with what Nix said.
type ParseError struct {
	Stderr string
}

func (e *ParseError) Error() string { return "nix-instantiate --parse: " + e.Stderr }

// UndefinedVariable reports whether Nix rejected the expression only for an
// undefined variable, which it checks after parsing succeeded.
func (e *ParseError) UndefinedVariable() bool {
	return strings.HasPrefix(e.Stderr, "error: undefined variable '")
}

// ParseExpr runs `nix-instantiate --parse -E expr` and returns the parsed
// expression as Nix prints it. A failure of Nix to parse is a *ParseError.
func ParseExpr(ctx context.Context, expr string) (string, error) {
	// The leading space keeps nix from taking "-1" for a flag.
	out, err := run(ctx, "", "--parse", "-E", " "+expr)
	if err != nil {
		var ne *nixError
		if errors.As(err, &ne) {
			if _, ok := ne.err.(*exec.ExitError); ok {
				return "", &ParseError{Stderr: ne.stderr}
			}
		}
		return "", err
	}
	return strings.TrimSuffix(string(out), "\n"), nil
}
