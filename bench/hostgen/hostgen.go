// Package hostgen generates packages of valid, varied hosts for benchmarks:
// bench/run.sh (through bench/genhosts) and the Go benchmarks use the same
// hosts.
package hostgen

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"cuelang.org/go/cue/cuecontext"
)

// Write writes a hosts package of n valid hosts to dir, 10 a file, cycling
// through a desktop, a laptop and a server like those of hosts/.
func Write(dir string, n int) error { return write(dir, n, seed) }

// WriteMigrated writes the hosts of Write as MigratedHost gives them: valid
// for v2026.05.01.
func WriteMigrated(dir string, n int) error { return write(dir, n, migrated) }

func write(dir string, n int, d dialect) error {
	files := map[string]*strings.Builder{
		"hosts.cue": {},
	}
	files["hosts.cue"].WriteString(`package hosts

import "axc.dev/axc/schema"

[Name=string]: schema.#Host & {hostname: *Name | _}
`)
	for i := range n {
		name := fmt.Sprintf("hosts_%03d.cue", i/10)
		f := files[name]
		if f == nil {
			f = &strings.Builder{}
			f.WriteString("package hosts\n")
			files[name] = f
		}
		f.WriteString("\n")
		f.WriteString(host(i, d))
	}
	for name, f := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(f.String()), 0o644); err != nil {
			return err
		}
	}
	return writeReferenced(dir, n, d)
}

// WriteJSON writes n valid hosts to dir as JSON files, one host each
// (NAME.json), the hosts of Write: a fleet exported from an inventory.
func WriteJSON(dir string, n int) error {
	ctx := cuecontext.New()
	for i := range n {
		v := ctx.CompileString("{" + Host(i) + "}")
		it, err := v.Fields()
		if err != nil {
			return err
		}
		for it.Next() {
			data, err := it.Value().MarshalJSON()
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dir, it.Selector().Unquoted()+".json"), append(data, '\n'), 0o644); err != nil {
				return err
			}
		}
	}
	return writeReferenced(dir, n, seed)
}

// writeReferenced writes the files the hosts' relative paths name (disk
// layouts or hardware configurations, with each host's root file system,
// and secrets directories): axc checks that they exist.
func writeReferenced(dir string, n int, d dialect) error {
	for i := range n {
		name := hostName(i)
		ps := []string{filepath.Join(dir, d.pathDir, name+".nix")}
		if i%3 == 1 {
			ps = append(ps, filepath.Join(dir, "age", name, "README"))
		}
		for _, p := range ps {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(p, []byte("{ }\n"), 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

// hostName is the name of host i.
func hostName(i int) string {
	return fmt.Sprintf("%s-%04d", []string{"desktop", "laptop", "server"}[i%3], i)
}

var zones = []string{"UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "America/Sao_Paulo"}

// Host is host i: a desktop, a laptop or a server, varied so that no two
// hosts are the same value.
func Host(i int) string { return host(i, seed) }

// MigratedHost is host i as its author fixes it for v2026.05.01, the newest
// release, when every finding of `axc vet --axios v2026.05.01` is mended:
// axios.* options renamed cairn.*, the fields and options the release
// dropped removed or moved (diskConfigPath, selfHosted, the MSI and
// Pangolin options), a hardware configuration imported for the root file
// system, and what the Immich server now needs (Tailscale auth keys). The
// same machines, valid for the newer schema: what a fleet costs there when
// nothing fails.
func MigratedHost(i int) string { return host(i, migrated) }

// A dialect is what differs between a host written for the seed release
// (96990f9) and the same host migrated to v2026.05.01.
type dialect struct {
	ns          string // the namespace of axios's own options
	pathField   string // the field naming a file of the machine's
	pathDir     string // where that file is, under the hosts directory
	msiSensors  bool   // hardware.desktop.enableMsiSensors exists
	laptopQuirk bool   // hardware.laptop.enablePangolinQuirks exists
	laptopHome  string // the laptop's homeProfile
	selfHosted  bool   // the server's Immich is in selfHosted, with Caddy (else in cairn)
}

var (
	seed     = dialect{ns: "axios", pathField: "diskConfigPath", pathDir: "disks", msiSensors: true, laptopQuirk: true, laptopHome: "laptop", selfHosted: true}
	migrated = dialect{ns: "cairn", pathField: "hardwareConfigPath", pathDir: "hardware", laptopHome: "standard"}
)

func host(i int, d dialect) string {
	tz := zones[i%len(zones)]
	odd := i%2 == 1
	name := hostName(i)
	path := fmt.Sprintf("%s: \"./%s/%s.nix\"", d.pathField, d.pathDir, name)
	switch i % 3 {
	case 0:
		cpu, gpu, vendor, msi := "amd", "amd", `vendor: "msi"`, true
		if odd {
			cpu, gpu, vendor, msi = "intel", "nvidia", "", false
		}
		sensors := ""
		if d.msiSensors {
			sensors = fmt.Sprintf("\n\t\thardware: desktop: enableMsiSensors: %t", msi)
		}
		return fmt.Sprintf(`%q: {
	formFactor: "desktop"
	hardware: {
		cpu: %q
		gpu: %q
		%s
		hasSSD: true
	}
	modules: {
		desktop:     true
		development: true
		graphics:    true
		gaming:      true
	}
	%s
	extraConfig: {
		%s: system: timeZone: %q
		gaming: enable: true%s
		boot: lanzaboote: enableSecureBoot: true
		services: openssh: enable: true
		boot: kernel: sysctl: "net.core.rmem_max": %d
	}
}
`, name, cpu, gpu, vendor, path, d.ns, tz, sensors, 7500000+i)
	case 1:
		vendor, quirks := `vendor: "system76"`, true
		if odd {
			vendor, quirks = "", false
		}
		quirk := ""
		if d.laptopQuirk {
			quirk = fmt.Sprintf("\n\t\thardware: laptop: enablePangolinQuirks: %t", quirks)
		}
		return fmt.Sprintf(`%q: {
	formFactor: "laptop"
	hardware: {
		cpu: "intel"
		gpu: "intel"
		%s
		hasSSD:   true
		isLaptop: true
	}
	modules: {
		desktop:     true
		development: true
		graphics:    true
		secrets:     true
	}
	homeProfile: %q
	secrets: secretsDir: "./age/%s"
	%s
	extraConfig: {
		%s: system: {
			timeZone: %q
			locale:   "de_DE.UTF-8"
		}
		%s: networking: backend: "iwd"%s
		networking: samba: sharedDirectories: ["Music", "Documents"]
		services: tlp: enable: true
	}
}
`, name, vendor, d.laptopHome, name, path, d.ns, tz, d.ns, quirk)
	default:
		gpu := "intel"
		if odd {
			gpu = "nvidia"
		}
		// The seed release's selfHosted field became the cairn section
		// (Immich without its subdomain; Caddy is gone), and an Immich
		// server registers a Tailscale service: auth keys.
		immich := fmt.Sprintf(`immich: {
			enable:                true
			enableGpuAcceleration: true
			gpuType:               %q
			mediaLocation:         "/srv/photos/%s"
			port:                  %d`, gpu, name, 2283+i%1000)
		services, tailscale := "", ""
		if d.selfHosted {
			services = fmt.Sprintf(`selfHosted: {
		%s
			subdomain:             "photos-%d"
		}
		caddy: extraConfig: """
			header {
				X-Frame-Options DENY
			}
			"""
	}`, immich, i)
		} else {
			services = fmt.Sprintf(`cairn: {
		%s
		}
	}`, immich)
			tailscale = `
		networking: tailscale: {
			authMode:    "authkey"
			authKeyFile: "/run/agenix/tailscale-server-key"
		}`
		}
		return fmt.Sprintf(`%q: {
	system: "x86_64-linux"
	hardware: {
		cpu:    "intel"
		hasSSD: true
	}
	modules: {
		virt:     true
		services: true
		ai:       true
	}
	virt: {
		containers: enable: true
		libvirt: enable:    true
	}
	%s
	%s
	extraConfig: {
		%s: system: timeZone: %q
		networking: tailscale: domain: "tail%04xab.ts.net"%s
		hardware: crashDiagnostics: {
			enable:        true
			rebootOnPanic: %d
		}
		system: memory: oomd: enable: true
		services: openssh: {
			enable: true
			settings: PasswordAuthentication: false
		}
		networking: firewall: allowedTCPPorts: [22, 443, %d]
	}
}
`, name, path, services, d.ns, tz, i, tailscale, 10+i%20, 8000+i%1000)
	}
}
