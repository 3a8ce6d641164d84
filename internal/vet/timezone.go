package vet

import (
	"fmt"
	"strings"

	"cuelang.org/go/cue"

	"github.com/axc-dev/axc/internal/load"
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
	out := [][]string{{config, "time", "timeZone"}}
	opts, err := schema.OptionsFrom(l.SchemaFS())
	if err != nil {
		return out
	}
	for _, o := range opts {
		if o.Set == "nixos" && strings.HasSuffix(o.Name, ".timeZone") && strings.Contains(o.Type, "string") {
			out = append(out, append([]string{config}, strings.Split(o.Name, ".")...))
		}
	}
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
