// Command revgen writes axc's rev table (internal/release/revs.txt) from a
// git mirror of upstream axios/cairn: see package revgen for what it holds
// and how it decides.
//
//	go run ./tools/revgen -git /work/.mirror/kcalvelli+axios/repo
//
// With -heads (the default: the heads the present table records) it
// regenerates the table from the same history; -heads=mirror takes the
// mirror's branch heads, to extend the table to newer commits.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/axc-dev/axc/internal/release"
	"github.com/axc-dev/axc/internal/release/revgen"
	"github.com/axc-dev/axc/internal/safeio"
)

func main() {
	gitDir := flag.String("git", "", "the git directory of a mirror of github.com/kcalvelli/axios (required)")
	out := flag.String("o", "internal/release/revs.txt", "the table to write")
	heads := flag.String("heads", "", `commits to walk back from, space-separated; "mirror" for the mirror's branch heads; default: those the present table records`)
	flag.Parse()
	if *gitDir == "" || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*gitDir, *out, *heads); err != nil {
		fmt.Fprintln(os.Stderr, "revgen:", err)
		os.Exit(1)
	}
}

func run(gitDir, out, heads string) error {
	g := revgen.Git{Dir: gitDir}
	var hs []string
	switch heads {
	case "mirror":
		var err error
		if hs, err = g.Heads(); err != nil {
			return err
		}
	case "":
		old, err := safeio.ReadFile(out, 16<<20)
		if err != nil {
			return fmt.Errorf("%v (pass -heads=mirror to start a table)", err)
		}
		hs = revgen.HeadsOf(old)
	default:
		hs = strings.Fields(heads)
	}
	t, err := release.Parse(mustReleases())
	if err != nil {
		return err
	}
	data, err := revgen.Generate(g, t, hs)
	if err != nil {
		return err
	}
	return os.WriteFile(out, data, 0o644)
}

func mustReleases() []byte {
	src, err := release.BuiltinSource()
	if err != nil {
		fmt.Fprintln(os.Stderr, "revgen:", err)
		os.Exit(1)
	}
	return src
}
