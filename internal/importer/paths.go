package importer

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// within reports whether abs is root or below it.
func within(root, abs string) bool {
	rel, err := filepath.Rel(root, abs)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// statDir reports whether abs is a directory.
func statDir(abs string) (bool, error) {
	fi, err := os.Stat(abs)
	if err != nil {
		return false, err
	}
	return fi.IsDir(), nil
}

// relPath is target as a path relative to dir, starting with ./ or ../ as
// Nix path literals and axc's path fields want.
func relPath(dir, target string) string {
	rel, err := filepath.Rel(dir, target)
	if err != nil {
		return filepath.ToSlash(target)
	}
	rel = filepath.ToSlash(rel)
	switch {
	case rel == ".":
		return "./."
	case rel == "..":
		return "../."
	}
	if !strings.HasPrefix(rel, "../") {
		rel = "./" + rel
	}
	return rel
}

// pathLiteral is what axc's path fields accept as a relative path, and
// what can be written as a Nix path literal without interpolation.
var pathLiteral = regexp.MustCompile(`^\.\.?(/[A-Za-z0-9._+-]+)+$`)

// validPathLiteral reports whether p can be written as a Nix path literal.
func validPathLiteral(p string) bool { return pathLiteral.MatchString(p) }
