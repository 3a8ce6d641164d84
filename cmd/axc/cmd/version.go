package cmd

import (
	"fmt"
	"io/fs"

	"github.com/spf13/cobra"

	"axc.dev/axc/internal/release"
	"axc.dev/axc/schema"
)

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "print axc's version and the axios releases it knows",
		Long: `Version prints axc's version, then every axios (later cairn) release axc
has a schema for, oldest first, with its commit: the values --axios takes.`,
		Example: `  axc version`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			src, err := fs.ReadFile(schema.Files, schema.ReleasesFile)
			if err != nil {
				return err
			}
			table, err := release.Parse(src)
			if err != nil {
				return fmt.Errorf("internal error: %v", err)
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "axc version %s\nreleases:\n", version())
			for _, r := range table.Releases() {
				fmt.Fprintf(w, "  %-5s %-12s %s %s\n", r.Namespace, r.Tag, r.Short(), r.Date)
			}
			return nil
		},
	}
}
