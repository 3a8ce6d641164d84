package vet

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/load/loadtest"
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
	{"c14", `extraConfig: {axios: system: timeZone: "Europe Berlin", fileSystems: "/": device: "/dev/sda1"}`, "extraConfig.axios.system.timeZone", "must not contain spaces"},
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
		tz := `extraConfig: {axios: system: timeZone: "UTC", fileSystems: "/": device: "/dev/sda1"}`
		if c.name == "c14" {
			tz = ""
		}
		fmt.Fprintf(&b, "%s: {\n\t%s\n\t%s\n\thomeProfil: \"laptop\"\n\textraConfig: axios: system: lcoale: \"de_DE.UTF-8\"\n}\n", c.name, c.fields, tz)
	}
	ds := vetSource(t, b.String())
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

// Fix-it advice leads to a host that passes: for every combination of
// vendor, form factor and isLaptop, each "set …" alternative a message
// gives, applied to the host, removes its finding and adds none; and the
// first alternative of every message, applied together, leaves none.
func TestAdviceLeadsToPassingHost(t *testing.T) {
	alternative := regexp.MustCompile(`set ([^()]*?)(?:, or | or |\)$)`)
	assignment := regexp.MustCompile(`([a-zA-Z.]+) = ("[a-z0-9]+"|true|false|null)`)
	apply := func(h map[string]string, advice string) map[string]string {
		fixed := maps.Clone(h)
		for _, a := range assignment.FindAllStringSubmatch(advice, -1) {
			fixed[a[1]] = a[2]
		}
		return fixed
	}
	paths := func(ds []Diagnostic) map[string]bool {
		m := map[string]bool{}
		for _, d := range ds {
			m[d.Path] = true
		}
		return m
	}
	tried := 0
	for _, vendor := range []string{"null", `"msi"`, `"system76"`} {
		for _, ff := range []string{"null", `"desktop"`, `"laptop"`} {
			for _, laptop := range []string{"false", "true"} {
				h := map[string]string{"hardware.vendor": vendor, "formFactor": ff, "hardware.isLaptop": laptop}
				before := vetHost(t, h)
				all := h
				for _, d := range before {
					alts := alternative.FindAllStringSubmatch(d.Message, -1)
					for i, alt := range alts {
						if i == 0 {
							all = apply(all, alt[1])
						}
						tried++
						after := vetHost(t, apply(h, alt[1]))
						for p := range paths(after) {
							if !paths(before)[p] || p == d.Path {
								t.Errorf("host %v: advice %q of %q leaves:\n%s", h, alt[1], d.Message, dump(after, "h"))
								break
							}
						}
					}
				}
				if after := vetHost(t, all); len(after) > 0 {
					t.Errorf("host %v: all the advice applied (%v) leaves:\n%s", h, all, dump(after, "h"))
				}
			}
		}
	}
	if tried < 10 {
		t.Fatalf("only %d pieces of advice tried: the test proves little", tried)
	}
}

// vetHost vets a host with a valid time zone and the given hardware
// fields, null meaning absent.
func vetHost(t *testing.T, h map[string]string) []Diagnostic {
	t.Helper()
	var b strings.Builder
	b.WriteString("package hosts\n\nh: extraConfig: {axios: system: timeZone: \"UTC\", fileSystems: \"/\": device: \"/dev/sda1\"}\n")
	for _, k := range slices.Sorted(maps.Keys(h)) {
		if h[k] != "null" {
			fmt.Fprintf(&b, "h: %s: %s\n", strings.ReplaceAll(k, ".", ": "), h[k])
		}
	}
	return vetSource(t, b.String())
}

// vetSource vets a hosts package of one file, src.
func vetSource(t *testing.T, src string) []Diagnostic {
	l, res := loadSource(t, src)
	return Check(l, res, nil)
}

// loadSource loads a hosts package of one file, src, against the schema of
// the pinned commit 96990f9, which these tests are written for.
func loadSource(t *testing.T, src string) (*load.Loader, *load.Result) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "hosts.cue"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return loadtest.Load(t, "96990f9", dir)
}
