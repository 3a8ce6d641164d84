package compile

import (
	"errors"
	"fmt"
	"strings"

	"github.com/axc-dev/axc/internal/nix/syntax"
)

// RawScope are the variables a {$nix: "…"} text may use besides Nix's
// builtins: the arguments of the host or user file it is written into.
var RawScope = []string{"lib"}

// CheckRaw says why a {$nix: "…"} text cannot be written into a host file
// as it stands, or returns nil: it must be exactly one complete Nix
// expression on its own (no comment or string left open, nothing after it),
// and use no variable the host file does not define. Nix is not needed.
func CheckRaw(text string) error {
	if strings.TrimSpace(text) == "" {
		return fmt.Errorf("raw Nix is empty: write a Nix expression, e.g. {$nix: \"lib.mkForce false\"}")
	}
	err := syntax.CheckRaw(text, RawScope)
	if err == nil {
		err = callsLiteral(text)
	}
	if err == nil {
		return nil
	}
	var se *syntax.Error
	if !errors.As(err, &se) {
		return fmt.Errorf("raw Nix: %v", err)
	}
	switch rest := text[min(se.Offset, len(text)):]; {
	case strings.HasPrefix(rest, "/*"):
		se.Msg = "a /* comment is not closed (each raw text must be complete on its own)"
	case strings.HasPrefix(rest, "*/"):
		se.Msg = "*/ closes no comment (each raw text must be complete on its own)"
	}
	msg := fmt.Sprintf("raw Nix, line %d column %d: %s", se.Line, se.Col, se.Msg)
	if strings.HasPrefix(se.Msg, "undefined variable") {
		// In the axios release checked, extraConfig is option definitions,
		// not a module: pkgs and config exist only in a module file.
		msg += fmt.Sprintf(" (a host or user file has only %s and Nix's builtins in scope: code that needs pkgs or config belongs in a NixOS module of your own)", strings.Join(RawScope, ", "))
	}
	return errors.New(msg)
}

// callsLiteral refuses text that applies a literal as a function, which
// Nix accepts as syntax and refuses to evaluate: "05.5" reads as 5 applied
// to 0.5, and in a list would silently become two items.
func callsLiteral(text string) error {
	f, err := syntax.ParseRaw(text)
	if err != nil {
		return err
	}
	var found error
	syntax.Inspect(f.Expr, func(n syntax.Node) bool {
		a, ok := n.(*syntax.Apply)
		if !ok || found != nil {
			return found == nil
		}
		fn := a.Func
		for {
			p, ok := fn.(*syntax.Paren)
			if !ok {
				break
			}
			fn = p.X
		}
		var what string
		switch fn.(type) {
		case *syntax.Int, *syntax.Float:
			what = "a number"
		case *syntax.String:
			what = "a string"
		case *syntax.Path, *syntax.SearchPath:
			what = "a path"
		case *syntax.URI:
			what = "a URI"
		case *syntax.List:
			what = "a list"
		default:
			return true
		}
		p := fn.Pos()
		found = &syntax.Error{Line: p.Line, Col: p.Col, Offset: p.Offset, Msg: fmt.Sprintf("%s is applied as a function, which Nix cannot evaluate (%q reads as a call)", what, text[p.Offset:a.End().Offset])}
		return false
	})
	return found
}
