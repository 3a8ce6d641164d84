package cmd

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// colorModes are the values of --color.
var colorModes = []string{"auto", "always", "never"}

// colorMode is --color: auto (the default), always or never.
type colorMode string

func (m *colorMode) String() string {
	if *m == "" {
		return "auto"
	}
	return string(*m)
}

func (m *colorMode) Set(s string) error {
	for _, v := range colorModes {
		if s == v {
			*m = colorMode(s)
			return nil
		}
	}
	return fmt.Errorf("want auto, always or never")
}

func (m *colorMode) Type() string { return "WHEN" }

// addColorFlag adds --color to root, completing its values.
func addColorFlag(root *cobra.Command) {
	m := colorMode("auto")
	root.PersistentFlags().Var(&m, "color", "colour findings: auto (on a terminal, unless NO_COLOR is set), always or never")
	root.RegisterFlagCompletionFunc("color", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return colorModes, cobra.ShellCompDirectiveNoFileComp
	})
}

// isTerminal reports whether w is a terminal: a character device (the
// check needs no dependency; a character device that is no terminal,
// /dev/null, shows the colours to no one). A variable, for tests.
var isTerminal = func(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// colorFor reports whether the text cmd writes to w is coloured:
// --color=always or never as said; auto when w is a terminal, NO_COLOR is
// unset or empty (no-color.org) and TERM is not dumb.
func colorFor(cmd *cobra.Command, w io.Writer) bool {
	switch cmd.Flag("color").Value.String() {
	case "always":
		return true
	case "never":
		return false
	}
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	return isTerminal(w)
}
