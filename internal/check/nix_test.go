package check

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/nixeval"
	"github.com/axc-dev/axc/internal/safeio"
	"github.com/axc-dev/axc/internal/vet"
	"github.com/axc-dev/axc/schema"
)

// Nix's errors are placed where the author set the option it names: in
// extraConfig, or in a section mkSystem copies; an option the author set
// only part of the path of is named whole, placed at what they wrote; one
// they did not set, or an error naming none, is at the host. One finding
// per host, option and kind.
func TestNixDiagnostics(t *testing.T) {
	dir := t.TempDir()
	src := `package hosts

web: {
	hardware: {}
	modules: virt: true
	virt: libvirt: enable: true
	extraConfig: {
		programs: tuner: level: "high"
		services: openssh: {}
	}
}
`
	if err := os.WriteFile(filepath.Join(dir, "hosts.cue"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	chk, err := ChooseSchema(Options{Axios: "96990f9"}, []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	_, res, err := LoadEntries(safeio.Disk, nil, []string{dir}, chk.FS, load.Hosts, nil)
	if err != nil || len(res.Hosts) != 1 {
		t.Fatalf("load: %v, %d hosts", err, len(res.Hosts))
	}
	contract, err := schema.ReadContract(chk.FS)
	if err != nil {
		t.Fatal(err)
	}
	h := res.Hosts[0]
	opt := func(kind string, o ...string) nixeval.Error {
		return nixeval.Error{Kind: kind, Msg: kind + " " + o[len(o)-1], Option: o}
	}
	errs := []nixeval.Error{
		opt(nixeval.KindType, "programs", "tuner", "level"),
		opt(nixeval.KindType, "programs", "tuner", "level"), // the same again
		opt(nixeval.KindUnknownOption, "virt", "libvirt", "enable"),
		opt(nixeval.KindOption, "services", "openssh", "ports"),  // the author wrote services.openssh
		opt(nixeval.KindUnknownOption, "networking", "hostName"), // not written
		{Kind: nixeval.KindAssertion, Msg: "a laptop needs …"},
	}
	var got [][3]any
	for _, d := range nixDiagnostics(h, errs, contract) {
		if d.Source != vet.SourceNix || d.Severity != vet.Error || d.Host != "web" {
			t.Errorf("%+v: not an error of Nix at host web", d)
		}
		got = append(got, [3]any{d.Line, d.Column, d.Path})
	}
	want := [][3]any{
		{8, 27, "web.extraConfig.programs.tuner.level"},
		{6, 17, "web.virt.libvirt.enable"},
		{9, 13, "web.extraConfig.services.openssh.ports"},
		{3, 1, "web"},
		{3, 1, "web"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("placed at\n%v\nwant\n%v", got, want)
	}
}
