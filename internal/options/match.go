package options

import "strings"

// Match returns the entries whose name matches query, ignoring case: a
// glob when query has * or ? (* any run of characters, dots included; ?
// one character), else a substring. An empty query matches everything.
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
	if !strings.ContainsAny(query, "*?") {
		return strings.Contains(name, query)
	}
	return glob(query, name)
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
