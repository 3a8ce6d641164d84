package cmd

import (
	"errors"
	"os"

	"github.com/spf13/cobra"

	"github.com/axc-dev/axc/internal/lsp"
)

func newLspCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "lsp",
		Short: "run the language server for editors (LSP over stdin and stdout)",
		Long: `Lsp runs axc's language server: LSP 3.17 over stdin and stdout, for the
host and user files vet reads (.cue, .json, .yaml and .yml files in a
directory named hosts or users). An editor starts it and talks to it; it is
not meant to be run by hand.

Every host or user file open in the editor shows, as it is typed, exactly
the findings axc vet gives for that file, under the release vet would choose
(--axios, else the flake.lock beside or above it): the unsaved text is
checked with the rest of its package read from disk. A change to one file
checks the other open files of its repository again (a user renamed in
users/ shows at the hosts naming it).

With initializationOptions {"nix": true} (and "axiosSource": DIR, as vet's
--axios-source), Nix's own verdict is among the findings too, as with axc
vet --nix (source "axc (nix)"); why Nix cannot judge is said on stderr,
once.

It exits when the editor says exit (with code 1 when it did not say
shutdown first, as LSP asks), or when its input closes.`,
		Example: `  # Neovim (0.8+): vim.lsp.start({ name = "axc", cmd = { "axc", "lsp" } })
  axc lsp`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			// AXC_LSP_TIMING: the server's own latency for bench/lspbench.
			opts := lsp.Options{Check: checkOptions(cmd), Log: cmd.ErrOrStderr(), Nix: nixOptions(), Timing: os.Getenv("AXC_LSP_TIMING") != ""}
			err := lsp.Serve(cmd.Context(), os.Stdin, cmd.OutOrStdout(), opts)
			if errors.Is(err, lsp.ErrExitWithoutShutdown) {
				return &exitError{code: 1} // as LSP asks: nothing to say
			}
			if err != nil {
				return ioError(err)
			}
			return nil
		},
	}
}
