package cmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/axc-dev/axc/internal/jsonschema"
)

// exportFormats are the formats schema export writes.
var exportFormats = []string{"jsonschema"}

func newSchemaExportCmd() *cobra.Command {
	var format string
	c := &cobra.Command{
		Use:   "export --format jsonschema",
		Short: "print the host schema of the axios release as JSON Schema",
		Long: `Export prints the schema of the axios release (--axios TAG, else the one the
flake.lock of the current directory pins, else the newest) as a JSON Schema
(draft 2020-12), for editors of JSON and YAML hosts.

The document's root validates one host (the argument of mkSystem, as a
.json or .yaml host file holds it): it is {"$ref": "#/$defs/Host"}, and
$defs holds Host, User (a user, when the release has users) and the
types they name (Nix…). A JSON or YAML user file (users/NAME.yaml) refers
to SCHEMA#/$defs/User.

Kept from the CUE schema: enums, integer ranges, patterns, defaults (the
NixOS default of every option), required fields (but hostname: axc names
a host after its file, web-01.yaml is web-01), closed structs
(additionalProperties: false in #Host and in the namespaces only axios
declares; the rest of extraConfig is open) and {"$nix": "…"} wherever raw
Nix is accepted. Each option's description gives its NixOS type. A string
that matches no pattern is reported with what axc vet says is expected
("Expected an email address (name@example.org) or \"\""): the pattern's
patternErrorMessage, which yaml-language-server and VS Code show.

Not expressed: which modules flag brings an option (the schema admits the
options of every module) and the release's checks: axc vet says both.

Exit codes: 0 written, 2 usage error.`,
		Example: `  axc schema export --format jsonschema > host.schema.json
  axc schema export --format jsonschema --axios v2025.11.08

  # yaml-language-server, in the first line of hosts/web-01.yaml:
  # yaml-language-server: $schema=../host.schema.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch format {
			case "jsonschema":
			case "":
				return usageErrorf("schema export needs --format jsonschema")
			default:
				return usageErrorf("--format %q: want jsonschema", format)
			}
			chk, err := chooseSchema(cmd, []string{"."})
			if err != nil {
				return err
			}
			warn(cmd, chk)
			out, err := jsonschema.Generate(chk.FS, chk.Name)
			if err != nil {
				return fmt.Errorf("internal error: %v", err) // tested: every release exports
			}
			if _, err := cmd.OutOrStdout().Write(out); err != nil {
				return ioError(err)
			}
			return nil
		},
	}
	c.Flags().StringVar(&format, "format", "", "output format: jsonschema")
	c.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return exportFormats, cobra.ShellCompDirectiveNoFileComp
	})
	return c
}
