package cmd

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/axc-dev/axc/internal/check"
	"github.com/axc-dev/axc/internal/vet"
)

// nixFindings are Nix's findings on the hosts of out (check.Nix); why
// Nix could not judge is said on stderr, as warnings.
func nixFindings(cmd *cobra.Command, out *check.Compiled, axiosSource string) ([]vet.Diagnostic, *vet.NixRun, error) {
	o := nixOptions()
	o.Source = axiosSource
	res, err := check.Nix(context.Background(), out, o)
	if err != nil {
		return nil, nil, checkError(err)
	}
	for _, w := range res.Warnings {
		checkOptions(cmd).Warn(w)
	}
	if res.Summary != "" {
		summary(cmd, "%s", res.Summary)
	}
	run := &vet.NixRun{Source: res.Source, Hosts: res.Hosts, Cached: res.Cached, Warnings: res.Warnings}
	if run.Warnings == nil {
		run.Warnings = []string{}
	}
	return res.Diagnostics, run, nil
}

// nixOptions are where Nix's verdicts are cached (cacheDir's nix), for
// vet --nix and the language server.
func nixOptions() check.NixOptions {
	return check.NixOptions{AxcVersion: Version + " " + Revision, CacheDir: cacheDir("nix")}
}
