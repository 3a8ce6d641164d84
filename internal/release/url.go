package release

import (
	"fmt"
	"net/url"
	"strings"
)

// SourceURL is the Source of a Choice made from a flake input's URL, before
// the input's name: "flake.nix input axios".
const SourceURL = "flake.nix input "

// flakeRef is what a flake input's URL says of a GitHub repository: its
// owner/name, and the ref or rev it names, if any.
type flakeRef struct {
	repo     string // owner/name as the URL spells it
	ref, rev string
}

// parseFlakeRef reads the GitHub flake references Nix 2.8 accepts:
// github:OWNER/NAME[/REF-OR-REV][?ref=…&rev=…], git+https (http, ssh,
// git) URLs of github.com/OWNER/NAME[.git][?ref=…&rev=…], and the
// tarballs https://github.com/OWNER/NAME/archive/REF-OR-REV.tar.gz. ok is
// false for anything else (another host, the flake registry, a path).
func parseFlakeRef(s string) (flakeRef, bool) {
	var r flakeRef
	u, err := url.Parse(s)
	if err != nil {
		return r, false
	}
	q := u.Query()
	r.ref, r.rev = q.Get("ref"), q.Get("rev")
	var parts []string
	switch scheme := lowerASCII(u.Scheme); {
	case scheme == "github":
		parts = strings.Split(u.Opaque, "/")
		if u.Opaque == "" {
			parts = strings.Split(strings.TrimPrefix(u.Path, "/"), "/")
		}
		if len(parts) < 2 {
			return r, false
		}
		if len(parts) > 2 {
			// One more component: a ref or a rev (Nix tells them apart
			// by the form of a commit id).
			rest := strings.Join(parts[2:], "/")
			if isHex(lowerASCII(rest)) && len(rest) == 40 {
				r.rev = rest
			} else {
				r.ref = rest
			}
		}
	case strings.HasPrefix(scheme, "git+") || scheme == "https" || scheme == "http":
		if !equalFoldASCII(u.Hostname(), "github.com") {
			return r, false
		}
		parts = strings.Split(strings.Trim(u.Path, "/"), "/")
		if strings.HasPrefix(scheme, "git+") {
			switch strings.TrimPrefix(scheme, "git+") {
			case "https", "http", "ssh", "git":
			default:
				return r, false
			}
			if len(parts) != 2 {
				return r, false
			}
			parts[1] = strings.TrimSuffix(parts[1], ".git")
			break
		}
		// A tarball: OWNER/NAME/archive/REF.tar.gz.
		if len(parts) != 4 || parts[2] != "archive" || !strings.HasSuffix(parts[3], ".tar.gz") {
			return r, false
		}
		rest := strings.TrimSuffix(parts[3], ".tar.gz")
		if isHex(lowerASCII(rest)) && len(rest) == 40 {
			r.rev = rest
		} else {
			r.ref = rest
		}
		parts = parts[:2]
	default:
		return r, false
	}
	if parts[0] == "" || parts[1] == "" {
		return r, false
	}
	r.repo = parts[0] + "/" + parts[1]
	return r, true
}

// FromURL is the release that the flake input name, whose URL is url,
// stands for when no flake.lock pins it: ok is false when url names no
// release's GitHub repository (compared ignoring ASCII case only, as
// lockedRepo does). A rev in the URL is that rev's release; a ref that is
// a release's tag is that release; otherwise (no ref, or a branch) it is
// the newest release of that repository: the newest axios release for
// kcalvelli/axios, even where a newer release moved to kcalvelli/cairn,
// since the author named axios. The Choice's Note says which and why. An
// unknown rev is an error: axc cannot place it among the releases.
func (t *Table) FromURL(name, rawURL string) (c Choice, ok bool, err error) {
	ref, ok := parseFlakeRef(rawURL)
	if !ok {
		return Choice{}, false, nil
	}
	var newest *Release
	for i := len(t.releases) - 1; i >= 0; i-- {
		if equalFoldASCII(t.releases[i].Repo, ref.repo) {
			newest = &t.releases[i]
			break
		}
	}
	if newest == nil {
		return Choice{}, false, nil
	}
	c.Source = SourceURL + name
	said := fmt.Sprintf("input %s is %s", name, rawURL)
	switch {
	case ref.rev != "":
		r, found := t.ByRev(ref.rev)
		if !found || !isHex(lowerASCII(ref.rev)) {
			return Choice{}, true, fmt.Errorf("%s, whose rev %s is no release axc knows; pass --axios TAG (one of %s)",
				said, ref.rev, strings.Join(t.Tags(), ", "))
		}
		c.Release, c.Note = r, fmt.Sprintf("%s, which pins release %s", said, r.Tag)
		return c, true, nil
	case ref.ref != "":
		for _, r := range t.releases {
			if equalFoldASCII(r.Tag, ref.ref) {
				c.Release, c.Note = r, fmt.Sprintf("%s, the tag of release %s", said, r.Tag)
				return c, true, nil
			}
		}
		said += fmt.Sprintf(" (ref %s is no release tag axc knows)", ref.ref)
	}
	c.Release = *newest
	c.Note = fmt.Sprintf("%s: the newest release of %s", said, newest.Repo)
	if n := t.Newest(); n.Rev != newest.Rev {
		c.Note += fmt.Sprintf(" (from %s, releases are %s's)", t.nextAfter(*newest).Tag, n.Repo)
	}
	return c, true, nil
}

// nextAfter is the release after r (r itself when it is the newest).
func (t *Table) nextAfter(r Release) Release {
	for i, x := range t.releases {
		if x.Rev == r.Rev && i+1 < len(t.releases) {
			return t.releases[i+1]
		}
	}
	return r
}
