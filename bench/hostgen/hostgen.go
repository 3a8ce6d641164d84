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
func Write(dir string, n int) error {
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
		f.WriteString(Host(i))
	}
	for name, f := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(f.String()), 0o644); err != nil {
			return err
		}
	}
	return writeReferenced(dir, n)
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
	return writeReferenced(dir, n)
}

// writeReferenced writes the files the hosts' relative paths name (disk
// layouts, with each host's root file system, and secrets directories):
// axc checks that they exist.
func writeReferenced(dir string, n int) error {
	for i := range n {
		name := hostName(i)
		ps := []string{filepath.Join(dir, "disks", name+".nix")}
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
func Host(i int) string {
	tz := zones[i%len(zones)]
	odd := i%2 == 1
	switch i % 3 {
	case 0:
		cpu, gpu, vendor, msi := "amd", "amd", `vendor: "msi"`, true
		if odd {
			cpu, gpu, vendor, msi = "intel", "nvidia", "", false
		}
		name := hostName(i)
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
	diskConfigPath: "./disks/%s.nix"
	extraConfig: {
		axios: system: timeZone: %q
		gaming: enable: true
		hardware: desktop: enableMsiSensors: %t
		boot: lanzaboote: enableSecureBoot: true
		services: openssh: enable: true
		boot: kernel: sysctl: "net.core.rmem_max": %d
	}
}
`, name, cpu, gpu, vendor, name, tz, msi, 7500000+i)
	case 1:
		vendor, quirks := `vendor: "system76"`, true
		if odd {
			vendor, quirks = "", false
		}
		name := hostName(i)
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
	homeProfile: "laptop"
	secrets: secretsDir: "./age/%s"
	diskConfigPath: "./disks/%s.nix"
	extraConfig: {
		axios: system: {
			timeZone: %q
			locale:   "de_DE.UTF-8"
		}
		axios: networking: backend: "iwd"
		hardware: laptop: enablePangolinQuirks: %t
		networking: samba: sharedDirectories: ["Music", "Documents"]
		services: tlp: enable: true
	}
}
`, name, vendor, name, name, tz, quirks)
	default:
		gpu := "intel"
		if odd {
			gpu = "nvidia"
		}
		name := hostName(i)
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
	diskConfigPath: "./disks/%s.nix"
	selfHosted: {
		immich: {
			enable:                true
			enableGpuAcceleration: true
			gpuType:               %q
			mediaLocation:         "/srv/photos/%s"
			port:                  %d
			subdomain:             "photos-%d"
		}
		caddy: extraConfig: """
			header {
				X-Frame-Options DENY
			}
			"""
	}
	extraConfig: {
		axios: system: timeZone: %q
		networking: tailscale: domain: "tail%04xab.ts.net"
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
`, name, name, gpu, name, 2283+i%1000, i, tz, i, 10+i%20, 8000+i%1000)
	}
}
