package compile

import (
	"errors"
	"fmt"
	"strings"

	"axc.dev/axc/internal/nix/syntax"
)

// RawScope are the variables a {$nix: "…"} text may use besides Nix's
// builtins: the arguments of the host file it is written into.
var RawScope = []string{"lib", "userModulePath"}

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
		return nil
	}
	var se *syntax.Error
	if !errors.As(err, &se) {
		return fmt.Errorf("raw Nix: %v", err)
	}
	msg := fmt.Sprintf("raw Nix, line %d column %d: %s", se.Line, se.Col, se.Msg)
	if strings.HasPrefix(se.Msg, "undefined variable") {
		// In the axios release checked, extraConfig is option definitions,
		// not a module: pkgs and config exist only in a module file.
		msg += fmt.Sprintf(" (a host file has only %s and Nix's builtins in scope: code that needs pkgs or config belongs in a NixOS module, such as the user module userModulePath names)", strings.Join(RawScope, ", "))
	}
	return errors.New(msg)
}
