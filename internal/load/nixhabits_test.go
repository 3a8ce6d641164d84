package load

import (
	"testing"

	"cuelang.org/go/cue/parser"
)

// TestNixHabits: each Nix spelling of a line gets the CUE line, which
// parses; lines without one get nothing.
func TestNixHabits(t *testing.T) {
	for _, c := range []struct{ line, want, why string }{
		{"\thardware: hasSSD = true;", "hardware: hasSSD: true", "':' not '=', no ';'"},
		{"a.b.c: 1", "a: b: c: 1", "nested fields are a: b: c:"},
		{"extraConfig: cairn.system.timeZone: \"UTC\"", "extraConfig: cairn: system: timeZone: \"UTC\"", "nested fields are a: b: c:"},
		{"hardware = { cpu = \"amd\"; gpu = null; };", "hardware: { cpu: \"amd\", gpu: null }", "':' not '=', no ';'"},
		{"x.y = \"a.b = c;\";", "x: y: \"a.b = c;\"", "nested fields are a: b: c:, ':' not '=', no ';'"},
		{"\"home-manager\" = {};", "\"home-manager\": {}", "':' not '=', no ';'"},
		{"x: y == z;", "x: y == z", "no ';'"},
		{"x: a.b + 1", "", ""},
		{"x: \"a.b: c\"", "", ""},
		{"let x = 1", "", ""},
		{"x: y =~ \"a\"", "", ""},
		{"// a = b;", "", ""},
	} {
		got, _, why := nixHabits(c.line)
		if got != c.want || why != c.why {
			t.Errorf("nixHabits(%q) = %q (%s), want %q (%s)", c.line, got, why, c.want, c.why)
			continue
		}
		if got != "" {
			if _, err := parser.ParseFile("x.cue", "a: {\n"+got+"\n}\n"); err != nil {
				t.Errorf("nixHabits(%q) = %q, which does not parse: %v", c.line, got, err)
			}
		}
	}
}

// FuzzNixHabits: any line is read to its end without a panic (a line of
// a syntax error is anything the author wrote).
func FuzzNixHabits(f *testing.F) {
	for _, s := range []string{"a = 1;", "a.b: c", "\"x\\\"y\" = 1", "a: \"unterminated", "x = ;", "= =", "a.b.c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		nixHabits(line)
	})
}
