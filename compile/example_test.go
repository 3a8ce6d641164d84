package compile_test

import (
	"fmt"
	"log"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/axc-dev/axc/compile"
)

// Compile the example fleet: three hosts and two users, checked against
// the release its flake.lock pins, to the files axc build writes there.
func Example() {
	res, err := compile.Compile(compile.Options{Paths: []string{"../examples/fleet/hosts"}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("checked against", res.Release)
	for _, name := range slices.Sorted(maps.Keys(res.Files)) {
		fmt.Println(name)
	}
	// Output:
	// checked against cairn v2026.05.01
	// flake.nix
	// hosts/desktop.nix
	// hosts/laptop.nix
	// hosts/server.nix
	// users/alice.nix
	// users/bob.nix
}

// A host with a mistake gets axc vet's findings, at the author's line, and
// no files.
func ExampleCompile_findings() {
	dir, err := os.MkdirTemp("", "fleet")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	host := `package hosts

web: {
	formFactor: "desktop"
	hardware: cpu: "amd"
	extraConfig: fileSystems: "/": device: "/dev/sda1"
	extraConfig: cairn: system: timeZone: "Europe/Paris"
	modules: desktop: "yes"
}
`
	if err := os.MkdirAll(filepath.Join(dir, "hosts"), 0o755); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "hosts", "web.cue"), []byte(host), 0o644); err != nil {
		log.Fatal(err)
	}
	res, err := compile.Compile(compile.Options{
		Paths:   []string{filepath.Join(dir, "hosts")},
		Release: "v2026.05.01",
		OutDir:  dir,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range res.Diagnostics {
		d.File = filepath.Base(d.File)
		fmt.Println(d)
	}
	fmt.Println("failed:", res.Failed(), "files:", len(res.Files))
	// Output:
	// web.cue:8:20: web.modules.desktop: modules flags must be booleans (true or false), not strings or numbers
	// failed: true files: 0
}
