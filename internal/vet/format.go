package vet

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/axc-dev/axc/internal/termtext"
)

// Formats are the output formats of Write.
var Formats = []string{"text", "json", "github"}

// Report is what vet says of a run: the schema checked against (an axios
// release, "axios 96990f9") and the diagnostics.
type Report struct {
	Release     string       `json:"release"`
	Diagnostics []Diagnostic `json:"diagnostics"`
}

// Write prints ds in format; the json format names the release checked.
func Write(w io.Writer, release string, ds []Diagnostic, format string) error {
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
		return enc.Encode(Report{Release: release, Diagnostics: ds})
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
