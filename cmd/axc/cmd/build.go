package cmd

import "github.com/spf13/cobra"

func newBuildCmd() *cobra.Command {
	return &cobra.Command{Use: "build", Short: "compile hosts to Nix (not yet)", RunE: func(*cobra.Command, []string) error { return usageErrorf("build: not implemented yet") }}
}
