package compile

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
)

// RawValue is a {$nix: "…"} value of a host, written verbatim.
type RawValue struct {
	Host string
	Path []string // relative to the host
	Text string
}

// CheckRaw parses raw Nix texts with the real Nix parser, when
// nix-instantiate is on PATH (ran is false otherwise). It returns one error
// per text that does not parse, in order (nil for those that do).
func CheckRaw(raws []RawValue) (errs []error, ran bool) {
	bin, err := exec.LookPath("nix-instantiate")
	if err != nil || len(raws) == 0 {
		return nil, err == nil
	}
	// One process for all of them; only when that fails, one per text to
	// find which.
	var all strings.Builder
	all.WriteString(rawScope + "[\n")
	for _, r := range raws {
		all.WriteString("(\n" + r.Text + "\n)\n")
	}
	all.WriteString("]")
	if parseNix(bin, all.String()) == nil {
		return make([]error, len(raws)), true
	}
	errs = make([]error, len(raws))
	for i, r := range raws {
		errs[i] = parseNix(bin, rawScope+"(\n"+r.Text+"\n)")
	}
	return errs, true
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
