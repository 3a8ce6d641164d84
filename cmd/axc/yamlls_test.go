package main

import (
	"context"
	"fmt"
	"sync"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/axc-dev/axc/internal/jsonschema/yamlls"
)

// yamlServer is the pinned yaml-language-server, installed once a test
// process.
var yamlServer = sync.OnceValues(func() (string, error) {
	return yamlls.Install(context.Background(), "")
})

// yamlLanguageServer prints what yaml-language-server says of the YAML
// files at PATH... (relative to $WORK, each naming its schema in a
// modeline): one line a diagnostic, FILE:LINE:COL: MESSAGE. Scripts that
// use it start with [!npm] skip. Usage: yamlls PATH...
func yamlLanguageServer(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: yamlls PATH...")
	}
	server, err := yamlServer()
	ts.Check(err)
	diags, err := yamlls.Check(context.Background(), server, ts.MkAbs("."), args)
	ts.Check(err)
	for _, d := range diags {
		fmt.Fprintln(ts.Stdout(), d)
	}
}
