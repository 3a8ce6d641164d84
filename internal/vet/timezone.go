package vet

import (
	"fmt"
	"io/fs"
	"strings"

	"cuelang.org/go/cue"

	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/memo"
	"github.com/axc-dev/axc/internal/tzdb"
	"github.com/axc-dev/axc/schema"
)

// NixOS accepts any time zone without a space; a name that is not in the
// IANA database leaves /etc/localtime pointing at nothing, and the machine
// runs on UTC. A time zone the database does not know is a warning, with
// the zone the author most likely meant.

// timeZoneOptions are the paths below a host of the options that take a
// time zone: the release's own (its system.timeZone), and NixOS's
// time.timeZone.
func timeZoneOptions(l *load.Loader) [][]string {
	config := l.Contract().ConfigField
	src, err := fs.ReadFile(l.SchemaFS(), schema.GenFile)
	if err != nil {
		return [][]string{{config, "time", "timeZone"}}
	}
	return zoneOptionsOf(config, src)
}

// knownZoneOptions keeps zoneOptionsOf of the last few schemas, by the
// config field and the text of the generated schema file: the language
// server makes a checker for every check, and scanning the options each
// time was a fiftieth of a check of one host of a large package. The
// paths are only read.
var knownZoneOptions memo.ByText[[][]string]

// zoneOptionsOf is timeZoneOptions for the config field config and the
// generated schema file src.
func zoneOptionsOf(config string, src []byte) [][]string {
	out, _ := knownZoneOptions.Get(config+"\x00"+string(src), func() ([][]string, error) {
		out := [][]string{{config, "time", "timeZone"}}
		if opts, err := schema.ScanOptions(src); err == nil {
			for _, o := range opts {
				if o.Set == "nixos" && strings.HasSuffix(o.Name, ".timeZone") && strings.Contains(o.Type, "string") {
					out = append(out, append([]string{config}, strings.Split(o.Name, ".")...))
				}
			}
		}
		return out, nil
	})
	return out
}

// timeZones warns about time zones of v, at paths, that the database does
// not know.
func timeZones(v cue.Value, paths [][]string) []finding {
	var fs []finding
	for _, p := range paths {
		zone, err := v.LookupPath(selectorPath(p)).String()
		if err != nil || zone == "" || strings.ContainsRune(zone, ' ') {
			continue // not set, raw Nix, or an error of the option's own
		}
		if err := tzdb.Check(zone); err != nil {
			fs = append(fs, finding{path: p, msg: fmt.Sprintf("%v: NixOS accepts it, and the machine then runs on UTC", err), sev: Warning})
		}
	}
	return fs
}

// zoneHint names the zone the author most likely meant by a time zone
// NixOS refuses ("America/Los Angeles"), or "".
func zoneHint(idx *load.FieldIndex, path []string) string {
	if got, ok := writtenString(idx.Node(path)); ok {
		if best := tzdb.Closest(got); best != "" {
			return fmt.Sprintf(" (did you mean %q?)", best)
		}
	}
	return ""
}
