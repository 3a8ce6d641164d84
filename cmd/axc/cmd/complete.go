package cmd

import (
	"github.com/spf13/cobra"

	"github.com/axc-dev/axc/internal/release"
)

// registerReleaseCompletion completes --axios, a persistent flag of root,
// with the tags of the releases axc knows, on every command.
func registerReleaseCompletion(root *cobra.Command) {
	root.RegisterFlagCompletionFunc("axios", completeReleaseTags)
}

// completeReleaseTags lists the release tags, each described by its
// namespace and date.
func completeReleaseTags(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	table, err := release.Builtin()
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	var tags []string
	for _, r := range table.Releases() {
		tags = append(tags, r.Tag+"\t"+r.Namespace+" "+r.Date)
	}
	return tags, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveKeepOrder
}
