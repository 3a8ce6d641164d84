package vet

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/axc-dev/axc/internal/load/loadtest"
	"github.com/axc-dev/axc/internal/release"
	"github.com/axc-dev/axc/schema"
)

// A wrong value among the fields mkSystem reads (a flag, the hardware,
// the form factor) does not hide the host's conflicts with mkSystem: in
// every release, a host whose modules.desktop makes mkSystem define
// desktop.enable = true and whose extraConfig says false has that
// conflict reported beside each wrong input in turn. (CUE makes the whole
// of _mkSystem an error when one of its inputs is: vet evaluates it again
// from the valid ones.)
func TestMkSystemConflictBesideWrongInput(t *testing.T) {
	tab, err := release.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, tag := range tab.Tags() {
		t.Run(tag, func(t *testing.T) {
			fsys, err := schema.Release(tag)
			if err != nil {
				t.Fatal(err)
			}
			contract, err := schema.ReadContract(fsys)
			if err != nil {
				t.Fatal(err)
			}
			wrong := []string{
				`hardware: cpu: 1`,
				`hardware: gpu: "nvidea"`,
				`hardware: vendor: "acer"`,
				`hardware: isLaptop: "no"`,
				`formFactor: "tablet"`,
			}
			for _, f := range contract.Flags {
				if f.Name != "desktop" {
					wrong = append(wrong, fmt.Sprintf("modules: %s: \"yes\"", f.Name))
				}
			}
			var src strings.Builder
			src.WriteString("package hosts\n\n")
			for i, w := range wrong {
				fmt.Fprintf(&src, "h%d: {\n\thardware: {}\n\tmodules: desktop: true\n\t%s\n\t%s: {\n\t\tdesktop: enable: false\n\t\tfileSystems: \"/\": device: \"/dev/sda1\"\n\t}\n}\n", i, w, contract.ConfigField)
			}
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "hosts.cue"), []byte(src.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			l, res := loadtest.Load(t, tag, dir)
			ds := Check(l, res, nil)
			for i, w := range wrong {
				host := fmt.Sprintf("h%d", i)
				wrongReported, conflict := false, false
				for _, d := range ds {
					if d.Host != host {
						continue
					}
					conflict = conflict || d.Path == host+"."+contract.ConfigField+".desktop.enable" && strings.Contains(d.Message, "conflicts with mkSystem")
					wrongReported = wrongReported || d.Severity == Error && !strings.Contains(d.Message, "conflicts with mkSystem")
				}
				if !wrongReported || !conflict {
					t.Errorf("%s (%s): wrong value reported %v, conflict reported %v; got:\n%s", host, w, wrongReported, conflict, dump(ds, host))
				}
			}
		})
	}
}
