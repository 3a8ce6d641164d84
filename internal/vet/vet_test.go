package vet

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"axc.dev/axc/internal/load"
)

// checkHosts has, for every one of axios's 17 checks, a host that fails
// it: its fields, the path it is reported at, and a piece of the message.
var checkHosts = []struct {
	name, fields, path, msg string
}{
	{"c01", `hostname: "-bad-"`, "hostname", "is not a valid host name"},
	{"c02", `hardware: cpu: "arm"`, "hardware.cpu", `is not one of "amd", "intel"`},
	{"c03", `hardware: gpu: "arm"`, "hardware.gpu", "is not one of"},
	{"c04", `hardware: vendor: "asus"`, "hardware.vendor", "is not one of"},
	{"c05", `formFactor: "server"`, "formFactor", "is not one of"},
	{"c06", `homeProfile: "gaming"`, "homeProfile", "is not one of"},
	{"c07", `hardware: isLaptop: true`, "hardware.isLaptop", "needs formFactor"},
	{"c08", `formFactor: "desktop", hardware: isLaptop: true`, "formFactor", "needs hardware.isLaptop = false"},
	{"c09", `hardware: vendor: "system76"`, "hardware.vendor", "needs formFactor"},
	{"c10", `hardware: vendor: "msi", formFactor: "laptop"`, "hardware.vendor", "needs formFactor"},
	{"c11", `modules: {ai: true, networking: false}`, "modules.ai", "needs modules.networking"},
	{"c12", `modules: gaming: true`, "modules.gaming", "needs modules.graphics"},
	{"c13", `modules: {desktop: true, networking: false}`, "modules.desktop", "needs modules.networking"},
	{"c14", `extraConfig: axios: system: timeZone: "Europe Berlin"`, "extraConfig.axios.system.timeZone", "must not contain spaces"},
	{"c15", `modules: services: true`, "modules.services", "needs extraConfig.networking.tailscale.domain"},
	{"c16", `modules: services: true, extraConfig: networking: tailscale: domain: "t.ts.net", selfHosted: {enable: false, immich: enable: true}`, "selfHosted.immich.enable", "needs selfHosted.enable"},
	{"c17", `modules: services: true, extraConfig: networking: tailscale: domain: "t.ts.net", selfHosted: immich: enableGpuAcceleration: true`, "selfHosted.immich.enableGpuAcceleration", "needs selfHosted.immich.gpuType"},
}

// Every check failing, plus a top-level typo and an option typo in the same
// host: all three are reported. CUE leaves closedness errors out when other
// errors exist; vet must not.
func TestNoMasking(t *testing.T) {
	var b strings.Builder
	b.WriteString("package hosts\n\n")
	for _, c := range checkHosts {
		tz := `extraConfig: axios: system: timeZone: "UTC"`
		if c.name == "c14" {
			tz = ""
		}
		fmt.Fprintf(&b, "%s: {\n\t%s\n\t%s\n\thomeProfil: \"laptop\"\n\textraConfig: axios: system: lcoale: \"de_DE.UTF-8\"\n}\n", c.name, c.fields, tz)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "hosts.cue"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := load.New()
	if err != nil {
		t.Fatal(err)
	}
	res, err := l.Load([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	ds := Check(l, res, nil)
	for _, c := range checkHosts {
		want := map[string]string{
			c.name + "." + c.path:                       c.msg,
			c.name + ".homeProfil":                      "unknown field homeProfil (did you mean homeProfile?)",
			c.name + ".extraConfig.axios.system.lcoale": "unknown option axios.system.lcoale (did you mean locale?)",
		}
		for path, msg := range want {
			found := false
			for _, d := range ds {
				if d.Path == path && strings.Contains(d.Message, msg) && d.Line > 0 {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: no diagnostic at %s saying %q; got:\n%s", c.name, path, msg, dump(ds, c.name))
			}
		}
	}
}

func dump(ds []Diagnostic, host string) string {
	var b strings.Builder
	for _, d := range ds {
		if d.Host == host {
			fmt.Fprintf(&b, "\t%s:%d:%d: %s: %s\n", d.File, d.Line, d.Column, d.Path, d.Message)
		}
	}
	return b.String()
}
