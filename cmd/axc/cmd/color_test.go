package cmd

import (
	"io"
	"testing"
)

// --color and NO_COLOR: always and never are obeyed (an explicit flag
// over NO_COLOR, as no-color.org asks); auto colours a terminal unless
// NO_COLOR is set to anything but "" or TERM is dumb, and never what is not
// a terminal.
func TestColorFor(t *testing.T) {
	saved := isTerminal
	defer func() { isTerminal = saved }()
	for _, tc := range []struct {
		flag, noColor, term string
		terminal            bool
		want                bool
	}{
		{"auto", "", "xterm", true, true},
		{"auto", "", "xterm", false, false},
		{"auto", "1", "xterm", true, false},
		{"auto", "", "dumb", true, false},
		{"always", "1", "dumb", false, true},
		{"never", "", "xterm", true, false},
		{"", "", "xterm", true, true}, // no flag given: auto
	} {
		t.Setenv("NO_COLOR", tc.noColor)
		t.Setenv("TERM", tc.term)
		isTerminal = func(io.Writer) bool { return tc.terminal }
		root := newRootCmd()
		if tc.flag != "" {
			if err := root.PersistentFlags().Set("color", tc.flag); err != nil {
				t.Fatal(err)
			}
		}
		if got := colorFor(root, io.Discard); got != tc.want {
			t.Errorf("--color=%s NO_COLOR=%q TERM=%s terminal=%v: colour %v, want %v", tc.flag, tc.noColor, tc.term, tc.terminal, got, tc.want)
		}
	}
}
