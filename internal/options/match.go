package options

import (
	"fmt"
	"strings"
)

// Match returns the entries whose name matches query, ignoring case: a
// glob when query has * or ? (* any run of characters, dots included; ?
// one character) that matches any part of the dotted name made of whole
// components ('tailscale.auth*' matches networking.tailscale.authMode), else
// a substring. An empty query matches everything.
func Match(entries []Entry, query string) []Entry {
	var out []Entry
	for _, e := range entries {
		if Matches(e.Name, query) {
			out = append(out, e)
		}
	}
	return out
}

// Matches reports whether name matches query, as Match says.
func Matches(name, query string) bool {
	name, query = strings.ToLower(name), strings.ToLower(query)
	if !IsGlob(query) {
		return strings.Contains(name, query)
	}
	// Every run of whole components: from each component's start to each
	// later component's end. Names have a handful of components.
	for start := 0; start <= len(name); {
		for end := start; end <= len(name); {
			next := strings.IndexByte(name[end:], '.')
			if next < 0 {
				end = len(name)
			} else {
				end += next
			}
			if glob(query, name[start:end]) {
				return true
			}
			end++
		}
		next := strings.IndexByte(name[start:], '.')
		if next < 0 {
			break
		}
		start += next + 1
	}
	return false
}

// IsGlob reports whether query is a glob rather than a substring.
func IsGlob(query string) bool { return strings.ContainsAny(query, "*?") }

// Complete lists the shell completions of typed, a QUERY being written:
// the names that start with it, and the parts of names that do, from the
// start of a component on (tailscale.auth completes to tailscale.authMode,
// which matches networking.tailscale.authMode), so that every completion
// starts with what was typed: bash and PowerShell keep no other. Each
// comes with its description: what it is, and its type. A glob completes
// to the names it matches (only shells that match more than prefixes
// keep them).
func Complete(entries []Entry, typed string) []string {
	var out []string
	describe := func(e *Entry) string { return string(e.Kind) + ": " + e.Type }
	if IsGlob(typed) {
		for i := range entries {
			if Matches(entries[i].Name, typed+"*") {
				out = append(out, entries[i].Name+"\t"+describe(&entries[i]))
			}
		}
		return out
	}
	var order []string
	of := map[string][]*Entry{}
	for i := range entries {
		e := &entries[i]
		seen := map[string]bool{}
		for start := 0; start < len(e.Name); {
			tail := e.Name[start:]
			if len(tail) >= len(typed) && strings.EqualFold(tail[:len(typed)], typed) {
				c := typed + tail[len(typed):]
				if !seen[c] {
					seen[c] = true
					if of[c] == nil {
						order = append(order, c)
					}
					of[c] = append(of[c], e)
				}
			}
			next := strings.IndexByte(tail, '.')
			if next < 0 || typed == "" {
				break // all of a name for nothing typed, not all its parts
			}
			start += next + 1
		}
	}
	for _, c := range order {
		es := of[c]
		switch {
		case len(es) > 1:
			out = append(out, fmt.Sprintf("%s\tpart of %d names", c, len(es)))
		case strings.EqualFold(c, es[0].Name):
			out = append(out, c+"\t"+describe(es[0]))
		default:
			out = append(out, c+"\t"+string(es[0].Kind)+" "+es[0].Name+": "+es[0].Type)
		}
	}
	return out
}

// glob matches s against pattern, * and ? its only special characters.
// Backtracking to the last * keeps it linear in practice.
func glob(pattern, s string) bool {
	p, i := []rune(pattern), []rune(s)
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(i) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == i[si]):
			pi++
			si++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}
