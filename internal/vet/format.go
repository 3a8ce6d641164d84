package vet

import (
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
	Diagnostics   []Diagnostic   `json:"diagnostics"`
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
func Write(w io.Writer, release string, ds []Diagnostic, format string) error {
	return WriteReport(w, Report{Release: release, Diagnostics: ds}, format)
}

// WriteReport prints the report's diagnostics in format; the json format
// gives the whole report.
func WriteReport(w io.Writer, rep Report, format string) error {
	ds := rep.Diagnostics
	switch format {
	case "text":
		for _, d := range ds {
			prefix := ""
			if d.Severity == Warning {
				prefix = "warning: "
			}
			subject := ""
			if d.Path != "" {
				subject = d.Path + ": "
			}
			// One line a diagnostic, whatever the names in it hold.
			termtext.Printf(w, "%s%s%s%s", location(d), prefix, subject, d.Message)
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
