package cmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/axc-dev/axc/internal/check"
	"github.com/axc-dev/axc/internal/crossrel"
	"github.com/axc-dev/axc/internal/options"
	"github.com/axc-dev/axc/internal/release"
)

func newOptionsCmd() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "options [QUERY]",
		Short: "list the options and host fields of the axios release",
		Long: `Options lists the host fields and options of the axios release checked
(--axios TAG, else the one the flake.lock of the current directory pins,
else the newest) whose dotted name matches QUERY: a substring, or a glob in
which * matches any run of characters (dots too) and ? one character, and
which matches any part of the name made of whole components
('tailscale.auth*' finds networking.tailscale.authMode). Case is ignored;
with no QUERY, everything is listed. When nothing matches a name that
another release has, the message says so (renamed cairn.system.timeZone in
v2026.05.01), as axc vet does.

For each: its type (an option's NixOS type, a host field's CUE type), its
default, the values it allows, the example its author gives, what brings it
onto a host (a modules flag, a condition such as the hardware vendor, or
every host), the releases that have it, and its doc: an option's
description, in its author's words (markdown, shown as plain text), a host
field's doc comment. Options are set in extraConfig (or in the host's
section of the same name), home options in a user's home.

--json prints a JSON array of objects with the fields name, kind ("host
field", "option", "home option"), type, default (JSON, when a literal),
defaultText, example (JSON, when a literal), exampleText (Nix), required,
readOnly, values, min, max, flag, condition, from, releases and doc
(markdown).

Shell completion of QUERY offers the names that start with what was typed,
and the parts of names that do: tailscale.auth completes to
tailscale.authMode, which finds networking.tailscale.authMode.

Exit codes: 0 listed, 1 nothing matches, 2 usage error.`,
		Example: `  axc options immich
  axc options 'cairn.*.enable'
  axc options 'tailscale.auth*'
  axc options --axios v2025.11.08 --json | jq -r '.[].name'`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: completeOptionNames,
		RunE: func(cmd *cobra.Command, args []string) error {
			chk, tags, err := optionsSchema(cmd)
			if err != nil {
				return err
			}
			warn(cmd, chk)
			entries, err := options.Read(chk.FS, tags, nil)
			if err != nil {
				return fmt.Errorf("internal error: %v", err) // tested: every release reads
			}
			query := ""
			if len(args) == 1 {
				query = args[0]
			}
			matched := options.Match(entries, query)
			if len(matched) == 0 {
				return exitErrorf(exitFindings, "%s", noMatch(chk, tags, query))
			}
			w := cmd.OutOrStdout()
			if asJSON {
				err = options.WriteJSON(w, matched)
			} else {
				err = options.WriteText(w, matched, tags)
			}
			if err != nil {
				return ioError(err)
			}
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print a JSON array")
	return c
}

// optionsSchema is the schema options describes, and every release's tag:
// the release is the one of the current directory's flake.lock (options
// reads no hosts).
func optionsSchema(cmd *cobra.Command) (*check.Schema, []string, error) {
	chk, err := chooseSchema(cmd, []string{"."})
	if err != nil {
		return nil, nil, err
	}
	table := chk.Table
	if table == nil { // --schema DIR
		if table, err = release.Builtin(); err != nil {
			return nil, nil, err
		}
	}
	return chk, table.Tags(), nil
}

// noMatch says that nothing matches query, and which releases have a
// match: for a name another release has, as vet says it of an unknown
// name (renamed cairn.system.timeZone in v2026.05.01).
func noMatch(chk *check.Schema, tags []string, query string) string {
	msg := fmt.Sprintf("no option or host field of %s matches %q", chk.Name, query)
	if why := otherReleases(chk, query); why != "" {
		return msg + " (" + why + ")"
	}
	if have, err := options.ReleasesMatching(query, tags, nil); err == nil && len(have) > 0 {
		msg += " (some of " + options.Ranges(have, tags) + " do: see --axios)"
	}
	return msg
}

// otherReleases says how other releases have the name query, as an option
// or a host field, or "" (a glob, or a name no release has).
func otherReleases(chk *check.Schema, query string) string {
	if chk.Release == nil || query == "" || options.IsGlob(query) {
		return ""
	}
	idx, err := crossrel.Build(chk.Table, nil)
	if err != nil {
		return ""
	}
	path := strings.Split(query, ".")
	asOption := idx.Explain(chk.Release.Tag, crossrel.Option, path)
	asField := idx.Explain(chk.Release.Tag, crossrel.Field, path)
	// One says all when it starts with the other (a host section's
	// options: the option's says what it became).
	switch {
	case strings.HasPrefix(asOption, asField):
		return asOption
	case strings.HasPrefix(asField, asOption):
		return asField
	}
	return "as an option: " + asOption + "; as a host field: " + asField
}

// completeOptionNames completes QUERY with the names of the release's
// options and host fields that start with it, and with the parts of names
// that do (from a component on): tailscale.auth completes to
// tailscale.authMode, which QUERY matches in networking.tailscale.authMode.
// Every completion starts with what was typed, so that every shell keeps
// it (bash and PowerShell drop the others).
func completeOptionNames(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	chk, _, err := optionsSchema(cmd)
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	entries, err := options.Read(chk.FS, nil, nil) // no releases: only names
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	return options.Complete(entries, toComplete), cobra.ShellCompDirectiveNoFileComp
}
