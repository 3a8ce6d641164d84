package compile

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
)

// CheckRaw says why a {$nix: "…"} text cannot be written into a host file,
// or returns nil.
func CheckRaw(text string) error {
	if strings.TrimSpace(text) == "" {
		return fmt.Errorf("raw Nix is empty")
	}
	if strings.IndexByte(text, 0) >= 0 {
		return fmt.Errorf("raw Nix holds a NUL byte")
	}
	bin, err := exec.LookPath("nix-instantiate")
	if err != nil {
		return nil
	}
	if err := parseNix(bin, rawScope+"(\n"+text+"\n)"); err != nil {
		return fmt.Errorf("raw Nix does not parse: %v", err)
	}
	return nil
}

// rawScope gives raw values the scope they have in a host file, so that the
// parser also rejects a variable the file does not define (pkgs, config).
const rawScope = "{ lib, userModulePath, ... }:\n"

func parseNix(bin, expr string) error {
	cmd := exec.Command(bin, "--parse", "-E", expr)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		msg = strings.TrimPrefix(msg, "error: ")
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		if msg == "" {
			msg = err.Error()
		}
		return fmt.Errorf("%s", msg)
	}
	return nil
}
