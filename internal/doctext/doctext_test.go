package doctext

import (
	"slices"
	"strings"
	"testing"
	"unicode"
)

func TestLines(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"empty", "", nil},
		{"a paragraph's lines are one paragraph", "Accept routes advertised by\nother Tailscale nodes.", []string{
			"Accept routes advertised by", "other Tailscale nodes."}},
		{"paragraphs", "\n\nOne.\n\n\n\nTwo.\n\n", []string{"One.", "", "Two."}},
		{"items, wrapped under their text, and what follows", "Mode:\n- \"interactive\": User logs in via browser\n- \"authkey\": key\nUse it.", []string{
			"Mode:", `- "interactive": User logs in`, "  via browser", `- "authkey": key Use it.`}},
		{"an item's indented lines are the item's", "- \"server\": Run it\n            Auto-registers", []string{
			`- "server": Run it`, "  Auto-registers"}},
		{"indented items, numbered items", "List:\n  - a\n  1. b\n  10) c", []string{"List:", "  - a", "  1. b", "  10) c"}},
		{"code under a paragraph stays as written", "Example:\n  x = {\n    - a;\n  };\nAfter.", []string{
			"Example:", "  x = {", "    - a;", "  };", "After."}},
		{"a long word alone", "a " + strings.Repeat("w", 40) + " b", []string{"a", strings.Repeat("w", 40), "b"}},
		{"control characters", "bell\a esc\x1b[2J\r\ntab\tc1\u0085\n\n- x", []string{"bell esc [2J tab c1", "", "- x"}},
	} {
		if got := Lines(tc.in, 30); !slices.Equal(got, tc.want) {
			t.Errorf("%s: Lines(%q) =\n%q\nwant\n%q", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestCode(t *testing.T) {
	if got, want := Code("\n[\n  \"a\"  \n]\x1b\n\n"), []string{"[", `  "a"`, "]"}; !slices.Equal(got, want) {
		t.Errorf("Code = %q, want %q", got, want)
	}
	if got := Code(" \n"); len(got) != 0 {
		t.Errorf("Code of nothing = %q", got)
	}
}

// Whatever the text: every word is kept, in order; no line holds a
// control character or ends in a space; no line is longer than the width
// unless it is code or holds one word; no blank line leads, ends or
// follows another.
func FuzzLines(f *testing.F) {
	for _, s := range []string{"", "a\n- b\n  c\n\n  d", "x\x1b[31m\ty\r\n\n\n- \n1. ", "Example:\n  a = ''\n    - b\n  '';"} {
		f.Add(s, 20)
	}
	f.Fuzz(func(t *testing.T, text string, width int) {
		width = 1 + abs(width)%100
		lines := Lines(text, width)
		asWritten := map[string]bool{} // the text's lines: code is kept so
		for _, l := range strings.Split(clean(text), "\n") {
			asWritten[strings.TrimRight(l, " ")] = true
		}
		var got []string
		for i, l := range lines {
			got = append(got, strings.Fields(l)...)
			if strings.IndexFunc(l, func(r rune) bool { return unicode.IsControl(r) }) >= 0 {
				t.Fatalf("line %q holds a control character", l)
			}
			if len(l) > width && len(strings.Fields(l)) > 1 && !asWritten[l] {
				t.Fatalf("line %q is longer than %d", l, width)
			}
			if strings.HasSuffix(l, " ") {
				t.Fatalf("line %q ends in a space", l)
			}
			if l == "" && (i == 0 || i == len(lines)-1 || lines[i-1] == "") {
				t.Fatalf("a blank line at %d of %q", i, lines)
			}
		}
		want := strings.Fields(strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return ' '
			}
			return r
		}, text))
		if !slices.Equal(got, want) {
			t.Fatalf("words %q, want %q", got, want)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
