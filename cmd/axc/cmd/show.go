package cmd

import (
	"fmt"
	"strings"
	"sync"

	"cuelang.org/go/cue"
	"github.com/spf13/cobra"

	"github.com/axc-dev/axc/internal/check"
	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/nearest"
	"github.com/axc-dev/axc/internal/safeio"
	"github.com/axc-dev/axc/internal/show"
	"github.com/axc-dev/axc/internal/vet"
	"github.com/axc-dev/axc/schema"
)

func newShowCmd() *cobra.Command {
	var format string
	var withDoc bool
	c := &cobra.Command{
		Use:   "show HOST [PATH...]",
		Short: "print a host as axios will see it, every default filled in",
		Long: `Show prints one host (read from PATH as axc vet reads it, default ./hosts)
as axios will see it: the author's values merged with mkSystem's defaults,
the options mkSystem itself defines from the host's fields (desktop.enable
for modules.desktop, the hardware module of the host's vendor, …), and the
default of every option of the modules the host imports (its modules flags,
and the modules every host imports), each value marked as set by the
author, by mkSystem, or a default. The users the host lists are shown as
mkSystem imports them: each one's fields from the users package (the users
directory beside the hosts) where the module build writes for them sets
them, marked as the user's.

It is the full picture, for reading: cue eval ./hosts shows what the author
wrote with mkSystem's own defaults, which is what axc build writes.

The host must vet clean; otherwise its findings are printed (exit 1).
Options whose default is not plain data (computed from other options) and
read-only options are left out.

--format cue (the default) prints CUE with a // set, // mkSystem or
// default comment after each value; --format json prints {release, host,
value, origin}, where origin maps each value's dotted path to "set",
"mkSystem", "user" or "default".

--doc also says what each value is: above it in CUE, as a comment, the doc
of its host field or the description its option's author gives (as plain
text); in JSON, doc maps the dotted paths to the same texts (markdown, as
written).`,
		Example: `  axc show web
  axc show web --doc
  axc show web ./hosts --format json | jq '.origin | to_entries[] | select(.value == "set")'`,
		Args: cobra.MinimumNArgs(1),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveDefault // paths
			}
			return hostNames(cmd), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "cue" && format != "json" {
				return usageErrorf("--format %q: want cue or json", format)
			}
			return showHost(cmd, args[0], args[1:], format, withDoc)
		},
	}
	c.Flags().StringVar(&format, "format", "cue", "output format: cue or json")
	c.Flags().BoolVar(&withDoc, "doc", false, "say what each value is: its host field's doc, its option's description")
	c.RegisterFlagCompletionFunc("format", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"cue", "json"}, cobra.ShellCompDirectiveNoFileComp
	})
	return c
}

func showHost(cmd *cobra.Command, name string, paths []string, format string, withDoc bool) error {
	if len(paths) == 0 {
		paths = defaultHostPaths()
	}
	chk0, err := chooseSchema(cmd, paths)
	if err != nil {
		return err
	}
	l, res, err := loadEntries(paths, chk0, load.Hosts, nil)
	if err != nil {
		return err
	}
	opts, err := schema.OptionsFrom(chk0.FS)
	if err != nil {
		return fmt.Errorf("internal error: %v", err) // tested: every release's options parse
	}
	index := -1
	for i, h := range res.Hosts {
		if h.Name == name {
			index = i
		}
	}
	if index < 0 {
		return noSuchHost(name, paths, res.Hosts)
	}
	users, err := showUsers(chk0, paths)
	if err != nil {
		return err
	}
	chk := vet.NewChecker(l, res)
	var view *show.Node
	var viewErr error
	var once sync.Mutex
	res.Each(func(i int, h *load.Host, v cue.Value) {
		if i != index || !chk.Host(i, h, v) {
			return
		}
		once.Lock()
		defer once.Unlock()
		view, viewErr = show.Host(h, v, opts, l.Contract(), users)
	})
	if view == nil && viewErr == nil {
		var mine []vet.Diagnostic
		for _, d := range chk.Diagnostics() {
			if d.Host == name {
				mine = append(mine, d)
			}
		}
		vet.Write(cmd.OutOrStdout(), chk0.Name, mine, "text", colorFor(cmd, cmd.OutOrStdout()))
		return exitErrorf(exitFindings, "host %s has errors: fix them to see it as axios would", name)
	}
	if viewErr != nil {
		return fmt.Errorf("internal error: %v", viewErr)
	}
	var docs *show.Docs
	if withDoc {
		if docs, err = show.NewDocs(chk0.FS, opts, l.Contract()); err != nil {
			return fmt.Errorf("internal error: %v", err) // tested: every release's host.cue parses
		}
	}
	var out []byte
	if format == "json" {
		out, err = show.JSON(chk0.Name, name, view, docs)
	} else {
		out, err = show.CUE(name, view, docs)
	}
	if err != nil {
		return fmt.Errorf("internal error: %v", err)
	}
	_, err = cmd.OutOrStdout().Write(out)
	return err
}

// showUsers are the views of the users beside the hosts at paths, by
// name: those that vet clean (vet reports the others, and a host listing
// one of them).
func showUsers(chk *check.Schema, paths []string) (map[string]*show.Node, error) {
	in := check.SplitInputs(safeio.Disk, paths)
	if len(in.Users) == 0 {
		return nil, nil
	}
	ul, ures, err := loadEntries(in.Users, chk, load.Users, nil)
	if err != nil {
		return nil, err
	}
	uchk := vet.NewChecker(ul, ures)
	views := make([]*show.Node, len(ures.Hosts))
	errs := make([]error, len(ures.Hosts))
	ures.Each(func(i int, u *load.Host, v cue.Value) {
		if uchk.Host(i, u, v) {
			views[i], errs[i] = show.UserView(u, v)
		}
	})
	out := map[string]*show.Node{}
	for i, u := range ures.Hosts {
		if errs[i] != nil {
			return nil, fmt.Errorf("internal error: user %s: %v", u.Name, errs[i])
		}
		if views[i] != nil {
			out[u.Name] = views[i]
		}
	}
	return out, nil
}

// hostNames are the hosts of ./hosts, for completion.
func hostNames(cmd *cobra.Command) []string {
	chk0, err := chooseSchema(cmd, nil)
	if err != nil {
		return nil
	}
	_, res, err := loadEntries(defaultHostPaths(), chk0, load.Hosts, nil)
	if err != nil {
		return nil
	}
	var names []string
	for _, h := range res.Hosts {
		names = append(names, h.Name)
	}
	return names
}

// noSuchHost says that no host at paths is called name, and which hosts
// there are (the nearest first, when one is close).
func noSuchHost(name string, paths []string, hosts []*load.Host) error {
	where := check.SourceList(".", paths)
	if len(hosts) == 0 {
		return usageErrorf("no host %s in %s: it has no hosts", name, where)
	}
	names := make([]string, len(hosts))
	for i, h := range hosts {
		names[i] = h.Name
	}
	msg := fmt.Sprintf("no host %s in %s", name, where)
	if best := nearest.Word(name, names); best != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", best)
	}
	return usageErrorf("%s; its hosts: %s", msg, strings.Join(names, ", "))
}
