package schema_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/axc-dev/axc/cmd/axc/cmd"
)

// mkSystemCase is a host (CUE) and what mkSystem defines for it.
type mkSystemCase struct {
	host string
	sets map[string]any
}

// mkSystemHosts are valid hosts of tag that make mkSystem define options
// itself, each with the option values it defines for them, as axios's
// lib/default.nix of each release does (axios/releases/README.md, 3.1 and
// 3.2, and section 2 for the vendors): dotted paths as axc show gives them
// (under extraConfig, or beside the author's values in a copied section).
func mkSystemHosts(tag string) map[string]mkSystemCase {
	hosts := map[string]mkSystemCase{}
	x := ns(tag)
	newHardware := releaseAfter(tag, "v2026.01.13") // mkSystem enables the hardware module, copies cpu and gpu
	services := releaseAfter(tag, "v2025.11.18") && !releaseAfter(tag, "v2026.03.07")

	// validHost: a desktop (no vendor) with desktop, graphics and gaming
	// (and services, pim where the release has them); here with
	// development and an nvidia gpu too.
	sets := map[string]any{
		"extraConfig.desktop.enable":     true,
		"extraConfig.development.enable": true,
		"extraConfig.gaming.enable":      true,
	}
	if services {
		sets["selfHosted.enable"] = true // beside the author's selfHosted section
	}
	if releaseAfter(tag, "v2026.03.07") {
		sets["extraConfig.services.ai.enable"] = true // modules.ai defaults to true
		sets["extraConfig.services.pim.enable"] = true
	} else if releaseAfter(tag, "v2026.01.13") {
		sets["extraConfig.pim.enable"] = true
	}
	if newHardware {
		sets["extraConfig.hardware.desktop.enable"] = true
		sets["extraConfig."+x+".hardware.cpuType"] = "amd"
		sets["extraConfig."+x+".hardware.gpuType"] = "nvidia"
		sets["extraConfig."+x+".hardware.isLaptop"] = false
	}
	hosts["desktop"] = mkSystemCase{strings.TrimSpace(validHost(tag)) + ` & {modules: development: true, hardware: gpu: "nvidia"}`, sets}

	// An msi board: the desktop module, with the vendor's extras in the
	// releases that have them.
	sets = maps.Clone(sets)
	delete(sets, "extraConfig.development.enable")
	delete(sets, "extraConfig."+x+".hardware.gpuType")
	delete(sets, "extraConfig."+x+".hardware.isLaptop")
	if !newHardware {
		sets["extraConfig.hardware.desktop.enable"] = true
		sets["extraConfig.hardware.desktop.enableMsiSensors"] = true
	}
	hosts["msi"] = mkSystemCase{strings.TrimSpace(validHost(tag)) + ` & {hardware: vendor: "msi"}`, sets}

	// A System76 laptop with an intel cpu and gpu, and ai on.
	laptop := strings.Replace(strings.TrimSpace(validHost(tag)), `formFactor: "desktop"`, `formFactor: "laptop"`, 1)
	laptop = strings.Replace(laptop, `cpu: "amd"`, `cpu: "intel"`, 1)
	sets = maps.Clone(sets)
	delete(sets, "extraConfig.hardware.desktop.enable")
	delete(sets, "extraConfig.hardware.desktop.enableMsiSensors")
	sets["extraConfig.services.ai.enable"] = true
	if newHardware {
		sets["extraConfig.hardware.laptop.enable"] = true
		sets["extraConfig."+x+".hardware.cpuType"] = "intel"
		sets["extraConfig."+x+".hardware.gpuType"] = "intel"
		sets["extraConfig."+x+".hardware.isLaptop"] = true
	} else {
		sets["extraConfig.hardware.laptop.enable"] = true
		sets["extraConfig.hardware.laptop.enableSystem76"] = true
		sets["extraConfig.hardware.laptop.enablePangolinQuirks"] = true
	}
	more := `modules: ai: true, hardware: {vendor: "system76", isLaptop: true, gpu: "intel"}`
	if releaseAfter(tag, "v2026.03.07") {
		more += `, modules: syncthing: true, extraConfig: ` + x + `: syncthing: user: "alice"`
		sets["extraConfig."+x+".syncthing.enable"] = true
	}
	if releaseAfter(tag, "v2026.05.01") {
		more += `, modules: companion: true`
		sets["extraConfig.services.companion.enable"] = true
	}
	hosts["system76"] = mkSystemCase{laptop + ` & {` + more + `}`, sets}
	return hosts
}

// axc show marks what mkSystem itself defines for a host, in every
// release, and nothing else; each such value, written by the author into
// the host's extraConfig, vets clean (mkSystem only defines options that
// exist on the host, with values their types take); and another value
// there is reported as a conflict.
func TestMkSystem(t *testing.T) {
	for _, tag := range releaseTags {
		for name, c := range mkSystemHosts(tag) {
			t.Run(tag+"/"+name, func(t *testing.T) {
				if code, out := vet(t, tag, map[string]string{"web": c.host}); code != 0 {
					t.Fatalf("the host does not vet clean: exit %d\n%s\nhost:\n%s", code, out, c.host)
				}
				got := mkSystemValues(t, tag, c.host)
				if !maps.EqualFunc(got, c.sets, func(a, b any) bool { return fmt.Sprint(a) == fmt.Sprint(b) }) {
					t.Fatalf("axc show marks as mkSystem's:\n%v\nwant:\n%v", got, c.sets)
				}
				var also []string
				for _, path := range slices.Sorted(maps.Keys(got)) {
					js, _ := json.Marshal(got[path])
					option := strings.ReplaceAll(strings.TrimPrefix(path, "extraConfig."), ".", ": ")
					also = append(also, fmt.Sprintf("extraConfig: %s: %s", option, js))
				}
				host := c.host + " & {" + strings.Join(also, ", ") + "}"
				if code, out := vet(t, tag, map[string]string{"web": host}); code != 0 {
					t.Fatalf("mkSystem's values written by the author do not vet: exit %d\n%s\nhost:\n%s", code, out, host)
				}
				// Another value of the option's type is a conflict NixOS
				// refuses, reported at the author's value.
				for _, path := range slices.Sorted(maps.Keys(got)) {
					option := strings.TrimPrefix(path, "extraConfig.")
					other := `"intel"`
					switch got[path] {
					case true:
						other = "false"
					case false:
						other = "true"
					case "intel":
						other = `"amd"`
					}
					host := fmt.Sprintf("%s & {extraConfig: %s: %s}", c.host, strings.ReplaceAll(option, ".", ": "), other)
					code, out := vet(t, tag, map[string]string{"web": host})
					want := fmt.Sprintf("web.extraConfig.%s: %s = %s conflicts with mkSystem", option, option, other)
					if code != 1 || !strings.Contains(out, want) {
						t.Errorf("%s = %s: exit %d, want 1 with %q:\n%s", option, other, code, want, out)
					}
				}
			})
		}
	}
}

// mkSystemValues runs axc show on host web and returns the values it marks
// as mkSystem's, by dotted path.
func mkSystemValues(t *testing.T, tag, host string) map[string]any {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "hosts.cue"), []byte("package hosts\n\nweb: "+host+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := cmd.Run([]string{"--schema", releaseDir(tag), "show", "web", dir, "--format", "json"}, &out, &errOut); code != 0 {
		t.Fatalf("axc show: exit %d\n%s%s", code, out.String(), errOut.String())
	}
	var view struct {
		Value  map[string]any
		Origin map[string]string
	}
	if err := json.Unmarshal(out.Bytes(), &view); err != nil {
		t.Fatal(err)
	}
	got := map[string]any{}
	for path, origin := range view.Origin {
		if origin != "mkSystem" {
			continue
		}
		var v any = view.Value
		for _, k := range strings.Split(path, ".") {
			v = v.(map[string]any)[k]
		}
		got[path] = v
	}
	return got
}
