package termtext

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"hosts/web.cue:3:1: ok":    "hosts/web.cue:3:1: ok",
		"a\nb.cue:1:1: forged":     `a\nb.cue:1:1: forged`,
		"\x1b[2Jcleared":           `\x1b[2Jcleared`,
		"over\rwritten":            `over\rwritten`,
		"tab\there":                `tab\there`,
		"rtl \u202eevil\u202c":     `rtl \u202eevil\u202c`,
		"iso \u2066x\u2069":        `iso \u2066x\u2069`,
		"marks \u200e\u200f\u061c": `marks \u200e\u200f\u061c`,
		"zero\u200bwidth":          `zero\u200bwidth`,
		"line\u2028sep\u2029":      `line\u2028sep\u2029`,
		"c1 \u0085\u009b":          `c1 \u0085\u009b`,
		"del\x7f":                  `del\x7f`,
		"bad \xff\xfe utf8":        `bad \xff\xfe utf8`,
		"tag \U000e0041":           `tag \U000e0041`,
		"ünïcødé, 日本, emoji 🙂, \\": "ünïcødé, 日本, emoji 🙂, \\",
		"real \ufffd stays":        "real \ufffd stays",
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWriteLines(t *testing.T) {
	var b bytes.Buffer
	WriteLines(&b, "-a\x1b[2J\n+\tb\u202e\r\nlast")
	if got, want := b.String(), "-a\\x1b[2J\n+\tb\\u202e\\r\nlast"; got != want {
		t.Errorf("WriteLines: %q, want %q", got, want)
	}
	b.Reset()
	Printf(&b, "%s: %s", "a\nb", "c")
	if got, want := b.String(), "a\\nb: c\n"; got != want {
		t.Errorf("Printf: %q, want %q", got, want)
	}
}

// FuzzEscape: any string becomes one line of valid UTF-8 with nothing left
// to escape; escaping again changes nothing; text with nothing to escape is
// unchanged; and a string without backslashes or quotes is read back
// exactly by Go's unquoting (the escapes are Go's), so escaping loses
// nothing.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "plain", "a\nb", "\x1b[2J", "\r\n\t", "\u202e\u2066\u200f", "\xff", "\xe2\x80", "\U000e0001", "\u0085", "a\\nb", `"q"`, "🙂"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Escape(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Escape(%q) = %q: not UTF-8", s, out)
		}
		for _, r := range out {
			if NeedsEscape(r) {
				t.Fatalf("Escape(%q) = %q: holds %U", s, out, r)
			}
		}
		if again := Escape(out); again != out {
			t.Fatalf("Escape not idempotent on %q: %q, then %q", s, out, again)
		}
		clean := utf8.ValidString(s)
		for _, r := range s {
			clean = clean && !NeedsEscape(r)
		}
		if clean && out != s {
			t.Fatalf("Escape(%q) = %q: changed clean text", s, out)
		}
		if !strings.ContainsAny(s, "\\\"") {
			back, err := strconv.Unquote(`"` + out + `"`)
			if err != nil || back != s {
				t.Fatalf("Escape(%q) = %q reads back as %q, %v", s, out, back, err)
			}
		}
	})
}

// A part's text is escaped like any record's: a name holding ESC cannot
// set or reset colours, or start a line; plain output has no sequences.
func TestPrintParts(t *testing.T) {
	parts := []Part{{Text: "a\x1b[0m.cue:1:2:", SGR: BoldRed}, {Text: " "}, {Text: "x\ny"}, {Text: "", SGR: BoldYellow}}
	for _, tc := range []struct {
		color bool
		want  string
	}{
		{false, "a\\x1b[0m.cue:1:2: x\\ny\n"},
		{true, "\x1b[1;31ma\\x1b[0m.cue:1:2:\x1b[0m x\\ny\n"},
	} {
		var b strings.Builder
		if err := PrintParts(&b, tc.color, parts...); err != nil {
			t.Fatal(err)
		}
		if b.String() != tc.want {
			t.Errorf("color %v: %q, want %q", tc.color, b.String(), tc.want)
		}
	}
}
