package cmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/axc-dev/axc/internal/release"
)

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "print axc's version and the axios releases it knows",
		Long: `Version prints axc's version, then every axios (later cairn) release axc
has a schema for, oldest first, with its commit: the values --axios takes.
Then the coverage of its table of upstream commits: a flake.lock pinning one
that has a release's mkSystem and options exactly is checked as that release; any other
commit is checked against a stand-in release, with a warning that says what
differs.`,
		Example: `  axc version`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			table, err := release.Builtin()
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "axc version %s\nreleases:\n", version())
			for _, r := range table.Releases() {
				fmt.Fprintf(w, "  %-5s %-12s %s %s\n", r.Namespace, r.Tag, r.Short(), r.Date)
			}
			cov := table.Coverage()
			rels := table.Releases()
			fmt.Fprintf(w, "upstream commits axc knows: %d since %s besides the releases:\n", cov.Commits, rels[0].Tag)
			fmt.Fprintf(w, "  %d have a release's mkSystem and options exactly, %d are checked against a stand-in\n", cov.Exact, cov.Commits-cov.Exact)
			return nil
		},
	}
}
