package schema

import (
	"regexp"
	"strings"
)

// PathOptions are the options of one set whose type is a path (an
// "absolute path", or a list of them): a relative value there is a Nix path
// literal in the generated files, and an imported path stays a path.
type PathOptions struct {
	res []*regexp.Regexp
}

// NewPathOptions picks the path options of set ("nixos", "home") from opts.
func NewPathOptions(opts []Option, set string) *PathOptions {
	p := &PathOptions{}
	for _, o := range opts {
		if o.Set != set || !strings.Contains(o.Type, "absolute path") {
			continue
		}
		parts := strings.Split(o.Name, ".")
		for i, part := range parts {
			if part == "<name>" {
				parts[i] = `[^\x00]*`
			} else {
				parts[i] = regexp.QuoteMeta(part)
			}
		}
		// A list of paths: its items are paths too.
		p.res = append(p.res, regexp.MustCompile(`^`+strings.Join(parts, `\x00`)+`(\x00[0-9]+)?$`))
	}
	return p
}

// Match reports whether the option at path (its elements, attribute names
// where the option has <name>, a list index last for a list's item) takes a
// path.
func (p *PathOptions) Match(path []string) bool {
	key := strings.Join(path, "\x00")
	for _, re := range p.res {
		if re.MatchString(key) {
			return true
		}
	}
	return false
}
