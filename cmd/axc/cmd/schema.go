package cmd

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/axc-dev/axc/internal/atomicfile"
	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/safeio"
	"github.com/axc-dev/axc/internal/schemagen"
	"github.com/axc-dev/axc/schema"
)

func newSchemaCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "schema",
		Short: "work with the axios schema",
	}
	c.AddCommand(newSchemaGenCmd(), newSchemaExportCmd())
	return c
}

func newSchemaGenCmd() *cobra.Command {
	var nixosFile, homeFile, outDir string
	c := &cobra.Command{
		Use:   "gen --nixos FILE --home FILE -o DIR",
		Short: "generate the option schema from options.json files",
		Long: `Gen turns the options.json files that NixOS's nixosOptionsDoc writes for the
axios NixOS and home-manager modules into CUE: DIR/` + schema.GenFile + `, with
every option's type as a constraint, its NixOS type string, default and
example in an @option attribute, its description (its author's markdown) as
the field's doc comment, axios-only namespaces closed and options gated by
the modules flag that imports them. The examples that are plain data are
also in #OptionExample, by option name, for the checks' messages that
suggest a value ("e.g. \(#OptionExample["cairn.system.timeZone"])").

Which flag imports which axios module directory, and which namespaces only
axios declares, are read from the attributes of #Host in DIR/` + schema.HostFile + `
(the built-in one when DIR has none): a new module is a CUE edit there,
then gen.

An option type axc does not know is an error naming the option and the type
string: it is never widened to "anything".`,
		Example: `  axc schema gen --nixos nixos-options.json --home home-options.json -o schema`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if nixosFile == "" || homeFile == "" || outDir == "" {
				return usageErrorf("schema gen needs --nixos, --home and -o")
			}
			var opts [2][]*schemagen.Option
			for i, f := range []string{nixosFile, homeFile} {
				data, err := safeio.ReadFile(f, schemagen.MaxOptionsFileSize)
				if err != nil {
					return ioErrorf("%s: %s", f, safeio.Reason(err))
				}
				o, err := schemagen.ReadOptions(f, data)
				if err != nil {
					return exitErr(exitFindings, err)
				}
				opts[i] = o
			}
			// The host contract (which flag imports which module, which
			// namespaces are axios's) is the schema's own, in DIR: the
			// embedded one when DIR has none.
			var fsys fs.FS = schema.Files
			if _, err := os.Stat(filepath.Join(outDir, schema.HostFile)); err == nil {
				fsys = safeio.DirFS(outDir, load.MaxFileSize)
			}
			contract, err := schema.ReadContract(fsys)
			if se := (*safeio.Error)(nil); errors.As(err, &se) {
				return ioError(se) // a file that cannot be read, not a bad schema
			}
			if err != nil {
				return exitErr(exitFindings, err)
			}
			src, err := schemagen.Generate(contract, opts[0], opts[1], filepath.Base(nixosFile)+" and "+filepath.Base(homeFile))
			if err != nil {
				return exitErr(exitFindings, err)
			}
			if err := atomicfile.Write(filepath.Join(outDir, schema.GenFile), src); err != nil {
				return ioError(err)
			}
			return nil
		},
	}
	c.Flags().StringVar(&nixosFile, "nixos", "", "options.json of the axios NixOS modules")
	c.Flags().StringVar(&homeFile, "home", "", "options.json of the axios home-manager modules")
	c.Flags().StringVarP(&outDir, "out", "o", "", "directory to write "+schema.GenFile+" to")
	c.MarkFlagFilename("nixos", "json")
	c.MarkFlagFilename("home", "json")
	c.MarkFlagDirname("out")
	return c
}
