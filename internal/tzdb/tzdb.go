// Package tzdb knows the IANA time zone names of the database Go embeds
// (time/tzdata), so that a zone is judged the same on every machine,
// whatever /usr/share/zoneinfo holds.
package tzdb

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/axc-dev/axc/internal/nearest"
)

//go:generate go test -run TestNamesMatchGoRoot -update .

// shape is the shape of a zone name ("UTC", "Europe/Berlin",
// "America/Argentina/Buenos_Aires", "Etc/GMT+5"): NixOS's time.timeZone
// refuses spaces, and a name with ".." or a leading "/" is a path.
var shape = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$`)

// Valid reports whether name is a zone of the database: of Names, not
// whatever time.LoadLocation finds, which looks in $ZONEINFO and the
// system's zoneinfo directories first (where posix/Europe/Berlin and
// other copies, or an older or newer database, would pass on one machine
// and fail on another).
func Valid(name string) bool {
	if !shape.MatchString(name) || name == "Local" {
		return false
	}
	_, found := slices.BinarySearch(Names, name)
	return found
}

// Closest is the zone a misspelt name most likely means ("Europe/Berln",
// "berlin"), or "".
func Closest(name string) string {
	if best := nearest.Word(name, Names); best != "" {
		return best
	}
	// A city alone: the zone it names.
	for _, n := range Names {
		if _, city, ok := strings.Cut(n, "/"); ok && strings.EqualFold(city[strings.LastIndexByte(city, '/')+1:], name) {
			return n
		}
	}
	return ""
}

// Check says why name is not a zone of the database, naming the one it
// most likely means, or returns nil.
func Check(name string) error {
	if Valid(name) {
		return nil
	}
	if best := Closest(name); best != "" {
		return fmt.Errorf("%q is not an IANA time zone name (did you mean %q?)", name, best)
	}
	return fmt.Errorf("%q is not an IANA time zone name (such as UTC or Europe/Berlin)", name)
}
