package vet

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/axc-dev/axc/internal/release"
	"github.com/axc-dev/axc/internal/termtext"
)

// Formats are the output formats of Write.
var Formats = []string{"text", "json", "github"}

// Report is what vet says of a run: the schema checked against (an axios
// release, "axios 96990f9") and the diagnostics.
type Report struct {
	Release string `json:"release"`
	// Approximation, when the lock pins a commit that is no release and
	// whose contract is not known to equal one's: what was checked instead.
	Approximation *Approximation `json:"approximation,omitempty"`
	// Nix, with --nix: what Nix judged, or why it could not.
	Nix         *NixRun      `json:"nix,omitempty"`
	Diagnostics []Diagnostic `json:"diagnostics"`
}

// NixRun is what axc vet --nix did: the source Nix evaluated (a store
// path or a checkout; "" when none), how many hosts it judged and how
// many of their verdicts came from the cache, and why Nix could not judge
// (all hosts, or some), as the warnings on stderr say.
type NixRun struct {
	Source   string   `json:"source"`
	Hosts    int      `json:"hosts"`
	Cached   int      `json:"cached"`
	Warnings []string `json:"warnings"`
}

// Approximation is release.Approximation for --format json.
type Approximation struct {
	Lock  string `json:"lock"`
	Input string `json:"input"`
	Repo  string `json:"repo"`
	// Rev is the commit the lock pins; Committed its time, if the lock says.
	Rev       string `json:"rev"`
	Committed string `json:"committed,omitempty"`
	// StandIn is the release checked instead, and Why how it was chosen.
	StandIn string `json:"standIn"`
	Why     string `json:"why"`
	// Known: axc's rev table knows the commit, and Differs says what of
	// the contract differs from the stand-in ("mkSystem differs",
	// "options differ"); otherwise what differs is not known (null).
	Known   bool     `json:"known"`
	Differs []string `json:"differs"`
}

// ApproximationOf converts a, placing the finding at the pinned rev.
func ApproximationOf(a *release.Approximation) (*Approximation, Diagnostic) {
	d := Diagnostic{File: a.Lock, Line: a.Line, Column: a.Column, Message: a.Finding(), Severity: Warning}
	if d.Line == 0 {
		d.Line, d.Column = 1, 1
	}
	return &Approximation{Lock: a.Lock, Input: a.Input, Repo: a.Repo, Rev: a.Rev, Committed: a.Committed,
		StandIn: a.StandIn.Tag, Why: a.Why, Known: a.Known, Differs: a.DiffersList()}, d
}

// Write prints ds in format; the json format names the release checked.
// color sets the text format's locations in bold and its severity in
// colour (an error's subject red, a warning's "warning:" yellow), for a
// terminal; the other formats are never coloured.
func Write(w io.Writer, release string, ds []Diagnostic, format string, color bool) error {
	return WriteReport(w, Report{Release: release, Diagnostics: ds}, format, color)
}

// WriteReport prints the report's diagnostics in format; the json format
// gives the whole report.
func WriteReport(w io.Writer, rep Report, format string, color bool) error {
	// One write for the report, not one a line (a migrating fleet has
	// thousands: 30 ms of system calls for 7665 lines).
	bw := bufio.NewWriter(w)
	if err := writeReport(bw, rep, format, color); err != nil {
		return err
	}
	return bw.Flush()
}

func writeReport(w io.Writer, rep Report, format string, color bool) error {
	ds := rep.Diagnostics
	switch format {
	case "text":
		for _, d := range ds {
			// One line a diagnostic, whatever the names in it hold.
			if err := termtext.PrintParts(w, color, textParts(d)...); err != nil {
				return err
			}
		}
	case "json":
		if ds == nil {
			ds = []Diagnostic{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		rep.Diagnostics = ds
		return enc.Encode(rep)
	case "github":
		for _, d := range ds {
			text := d.Message
			if d.Source != "" {
				text = d.Source + ": " + text
			}
			if d.Path != "" {
				text = d.Path + ": " + text
			}
			fmt.Fprintf(w, "::%s file=%s,line=%d,col=%d::%s\n", d.Severity, ghProp(d.File), d.Line, d.Column, ghData(text))
		}
	default:
		return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats, ", "))
	}
	return nil
}

// textParts are the parts of d's line in the text format:
// file:line:col: [warning: ]path: message; in colour, the location bold
// red for an error, bold yellow with its "warning:" for a warning.
func textParts(d Diagnostic) []termtext.Part {
	sgr := termtext.BoldRed
	var parts []termtext.Part
	if d.Severity == Warning {
		sgr = termtext.BoldYellow
	}
	if loc := location(d); loc != "" {
		// The colour stops before the space.
		parts = append(parts, termtext.Part{Text: strings.TrimSuffix(loc, " "), SGR: sgr}, termtext.Part{Text: " "})
	}
	if d.Severity == Warning {
		parts = append(parts, termtext.Part{Text: "warning:", SGR: sgr}, termtext.Part{Text: " "})
	}
	if d.Path != "" {
		parts = append(parts, termtext.Part{Text: d.Path + ": "})
	}
	if d.Source != "" {
		parts = append(parts, termtext.Part{Text: d.Source + ": "})
	}
	return append(parts, termtext.Part{Text: d.Message})
}

func location(d Diagnostic) string {
	if d.File == "" {
		return ""
	}
	return fmt.Sprintf("%s:%d:%d: ", d.File, d.Line, d.Column)
}

// ghData and ghProp escape workflow command text the way GitHub's toolkit does.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func ghProp(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
