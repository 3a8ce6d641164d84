package cmd

import "github.com/axc-dev/axc/internal/manpage"

// ManPages are axc's man pages (section 1) by file name, made from the
// commands' help: docs/man holds them (TestManPages keeps it exact) and the
// flake installs them.
func ManPages() map[string][]byte { return manpage.Pages(newRootCmd(), "1") }
