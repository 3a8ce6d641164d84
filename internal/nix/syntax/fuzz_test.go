package syntax

import (
	"context"
	"errors"
	"flag"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/axc-dev/axc/internal/nix/nixtest"
)

// verdict is what Nix 2.8 makes of an input: whether it parses, and, for
// inputs we accept, whether it parses exactly like our parenthesised
// rendering of our tree, and which variable Nix found undefined although
// FreeVars did not report it.
type verdict struct {
	accepted bool
	nixErr   string // why Nix rejected it
	sameTree bool   // Nix parses input and rendering alike
	nixTree  string // Nix's rendering of both, when they differ
	missed   string // Nix's undefined variable error
}

// oracle asks nix-instantiate about inputs, and remembers the answers.
type oracle struct {
	mu    sync.Mutex
	cache map[string]verdict
}

func newOracle(t testing.TB) *oracle {
	if ok, _ := nixtest.Available(); !ok {
		nixtest.Require(t) // fails under AXC_REQUIRE_NIX=1
		return nil
	}
	return &oracle{cache: map[string]verdict{}}
}

// comparable reports whether Nix can be asked about src at all: it cannot
// be given a NUL byte on the command line, and the nesting limit is ours.
func comparable(src string, err error) bool {
	var pe *Error
	if errors.As(err, &pe) && pe.Msg == "nesting too deep" {
		return false
	}
	return !strings.ContainsRune(src, 0)
}

func nixParse(src string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return nixtest.ParseExpr(ctx, src)
}

// ask returns Nix's verdict on src; rendered is our parenthesised
// rendering if we accept src, else "", and vars are the free variables
// FreeVars finds in it.
func (o *oracle) ask(src, rendered string, vars []string) (verdict, error) {
	o.mu.Lock()
	v, ok := o.cache[src]
	o.mu.Unlock()
	if ok {
		return v, nil
	}
	if rendered != "" {
		// Both forms in one run, in a let that binds the free variables:
		// Nix then finds an undefined variable only if FreeVars missed it.
		// The line breaks end trailing line comments.
		var b strings.Builder
		b.WriteString("let ")
		seen := map[string]bool{}
		for _, n := range vars {
			if !seen[n] {
				seen[n] = true
				b.WriteString(nixQuote(n) + " = null; ")
			}
		}
		b.WriteString("in [ (" + src + "\n) (" + rendered + "\n) ]")
		out, err := nixParse(b.String())
		var pe *nixtest.ParseError
		switch {
		case err == nil:
			v = verdict{accepted: true, sameTree: sameHalves(out), nixTree: out}
		case errors.As(err, &pe) && pe.UndefinedVariable():
			v = verdict{accepted: true, sameTree: true, missed: pe.Stderr}
		case errors.As(err, &pe):
			// Rejected: find out below whether the input alone is.
		default:
			return v, err
		}
		if v.accepted {
			o.store(src, v)
			return v, nil
		}
	}
	_, err := nixParse(src)
	var pe *nixtest.ParseError
	switch {
	case err == nil:
		v = verdict{accepted: true}
	case errors.As(err, &pe) && pe.UndefinedVariable():
		v = verdict{accepted: true}
	case errors.As(err, &pe):
		v = verdict{nixErr: pe.Stderr}
	default:
		return v, err
	}
	o.store(src, v)
	return v, nil
}

// sameHalves reports whether Nix's rendering of `let … in [ (A) (B) ]` has
// A and B alike.
func sameHalves(out string) bool {
	rest, ok := strings.CutPrefix(out, "(let ")
	for ok && !strings.HasPrefix(rest, "in [ ") {
		i := strings.Index(rest, " = null; ")
		if i < 0 {
			return false
		}
		rest = rest[i+len(" = null; "):]
	}
	mid, ok2 := strings.CutSuffix(strings.TrimPrefix(rest, "in [ "), " ])")
	half := len(mid) / 2
	return ok && ok2 && len(mid)%2 == 1 && mid[:half] == mid[half+1:]
}

func (o *oracle) store(src string, v verdict) {
	o.mu.Lock()
	o.cache[src] = v
	o.mu.Unlock()
}

// prefetch asks Nix about the inputs concurrently, so that the seeds run
// fast in a plain `go test`.
func (o *oracle) prefetch(srcs []string) {
	var wg sync.WaitGroup
	work := make(chan string)
	for range 4 {
		wg.Go(func() {
			for src := range work {
				f, err := Parse("", []byte(src))
				if !comparable(src, err) {
					continue
				}
				r, vars := "", []string(nil)
				if err == nil {
					r, vars = parenthesize(f.Expr), freeNames(f.Expr)
				}
				o.ask(src, r, vars)
			}
		})
	}
	for _, s := range srcs {
		work <- s
	}
	close(work)
	wg.Wait()
}

// nixQuote quotes s as a Nix string.
func nixQuote(s string) string {
	r := strings.NewReplacer(`"`, `\"`, `\`, `\\`, "$", `\$`, "\n", `\n`, "\r", `\r`)
	return `"` + r.Replace(s) + `"`
}

func freeNames(e Expr) []string {
	var names []string
	for _, v := range FreeVars(e) {
		names = append(names, v.Name)
	}
	return names
}

func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}

func FuzzParse(f *testing.F) {
	seeds := append([]string{deep(999), deep(1000), deep(1001), strings.Repeat("[", 2000)}, corpus...)
	for _, s := range seeds {
		f.Add(s)
	}
	o := newOracle(f)
	if o != nil && !fuzzing() {
		o.prefetch(seeds)
	}
	f.Fuzz(func(t *testing.T, src string) {
		file, err := Parse("fuzz.nix", []byte(src))
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is %T, not *Error", err, err)
			}
			if pe.Line < 1 || pe.Col < 1 || pe.Offset < 0 || pe.Offset > len(src) || pe.Msg == "" {
				t.Fatalf("bad error position or message: %+v", pe)
			}
		} else {
			checkTree(t, src, file)
		}
		if o == nil || !comparable(src, err) {
			return
		}
		rendered, vars := "", []string(nil)
		if err == nil {
			rendered, vars = parenthesize(file.Expr), freeNames(file.Expr)
		}
		v, nerr := o.ask(src, rendered, vars)
		if nerr != nil {
			t.Fatal(nerr)
		}
		switch {
		case err == nil && !v.accepted:
			t.Fatalf("we accept %q, Nix rejects it: %s", src, v.nixErr)
		case err != nil && v.accepted:
			t.Fatalf("we reject %q (%v), Nix accepts it", src, err)
		case v.missed != "":
			t.Fatalf("FreeVars(%q) = %v misses what Nix finds: %s", src, vars, v.missed)
		case err == nil && !v.sameTree:
			t.Fatalf("%q parses differently: our tree is %s\nNix makes of input and ours:\n%s", src, rendered, v.nixTree)
		}
	})
}

// checkTree checks the invariants of a parsed tree: node positions nest
// and agree with the source, the tree's rendering parses to the same
// rendering, and every comment group is attached.
func checkTree(t *testing.T, src string, f *File) {
	t.Helper()
	var check func(n Node, lo, hi int)
	check = func(n Node, lo, hi int) {
		p, e := n.Pos(), n.End()
		if p.Offset < lo || e.Offset > hi || p.Offset > e.Offset {
			t.Fatalf("%T at [%d,%d) outside its parent [%d,%d)", n, p.Offset, e.Offset, lo, hi)
		}
		for _, q := range []Pos{p, e} {
			if q.Line < 1 || q.Col < 1 {
				t.Fatalf("%T has invalid position %+v", n, q)
			}
		}
		prev := p.Offset
		for _, c := range Children(n) {
			if c.Pos().Offset < prev {
				t.Fatalf("children of %T out of order", n)
			}
			check(c, p.Offset, e.Offset)
			prev = c.End().Offset
		}
	}
	check(f.Expr, 0, len(src))
	r := parenthesize(f.Expr)
	f2, err := Parse("", []byte(r))
	if err != nil {
		t.Fatalf("rendering %q of %q does not parse: %v", r, src, err)
	}
	if r2 := parenthesize(f2.Expr); r2 != r {
		t.Fatalf("rendering of %q is not stable:\n%s\n%s", src, r, r2)
	}
	for _, g := range f.Comments {
		if g.Node == nil {
			t.Fatalf("comment group %q not attached", g.List[0].Text)
		}
		for _, c := range g.List {
			if got := src[c.Pos().Offset:c.End().Offset]; got != c.Text {
				t.Fatalf("comment text %q at %d, source has %q", c.Text, c.Pos().Offset, got)
			}
		}
	}
}
