package schema_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/axc-dev/axc/cmd/axc/cmd"
	"github.com/axc-dev/axc/internal/schemagen"
	"github.com/axc-dev/axc/schema"
)

// releaseTags are the axios releases (axios/releases/README.md, section 1)
// in the order of their history, the pinned commit 96990f9 among them. Each
// has a schema in releases/<tag> and its option files in
// ../testdata/releases/<tag>.
var releaseTags = []string{
	"v2025.11.08", "v2025.11.13", "v2025.11.18", "v2025.11.19", "v2025.11.21",
	"96990f9",
	"v2025.12.04", "v2025.12.11", "v2026.01.13",
	"v2026.03.07", "v2026.03.10", "v2026.03.30", "v2026.05.01",
}

func releaseDir(tag string) string { return filepath.Join("releases", tag) }

// releaseAfter reports whether tag is from release from or later.
func releaseAfter(tag, from string) bool {
	return slices.Index(releaseTags, tag) >= slices.Index(releaseTags, from)
}

// Every directory under releases is a release, and every release has one.
func TestReleaseDirs(t *testing.T) {
	entries, err := os.ReadDir("releases")
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, e := range entries {
		if e.IsDir() {
			dirs = append(dirs, e.Name())
		}
	}
	want := slices.Clone(releaseTags)
	slices.Sort(want)
	if !slices.Equal(dirs, want) {
		t.Fatalf("schema/releases holds %v, want %v", dirs, want)
	}
	for _, tag := range releaseTags {
		for _, f := range []string{schema.HostFile, "checks.cue", "types.cue", schema.GenFile} {
			if _, err := os.Stat(filepath.Join(releaseDir(tag), f)); err != nil {
				t.Error(err)
			}
		}
	}
}

// Drift: axc schema gen on a release's option files, with the contract of
// that release's host.cue, reproduces its options_gen.cue byte for byte.
func TestReleaseGeneratedFilesUpToDate(t *testing.T) {
	for _, tag := range releaseTags {
		t.Run(tag, func(t *testing.T) {
			dir := releaseDir(tag)
			c, err := schema.ReadContract(os.DirFS(dir))
			if err != nil {
				t.Fatal(err)
			}
			data := filepath.Join("..", "testdata", "releases", tag)
			nixos := filepath.Join(data, "nixos-options.json")
			home := filepath.Join(data, "home-options.json")
			got, err := schemagen.Generate(c, readOptions(t, nixos), readOptions(t, home), "nixos-options.json and home-options.json")
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join(dir, schema.GenFile))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Fatalf("%s/%s is stale: run axc schema gen --nixos %s --home %s -o %s", dir, schema.GenFile, nixos, home, dir)
			}
		})
	}
}

// The schema at the root of package schema (what host files import, and
// `cue eval ./hosts` sees in this repository) is the newest release's, file
// for file.
func TestNewestReleaseIsBuiltIn(t *testing.T) {
	newest := releaseDir("v2026.05.01")
	for _, f := range []string{schema.GenFile, "types.cue", schema.HostFile, "checks.cue"} {
		got, err := os.ReadFile(filepath.Join(newest, f))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s/%s differs from schema/%s: copy it", newest, f, f)
		}
	}
}

// ns is the framework's own option namespace in tag.
func ns(tag string) string {
	if releaseAfter(tag, "v2026.05.01") {
		return "cairn"
	}
	return "axios"
}

// validHost is a host that passes in tag, using the host fields of that
// release.
func validHost(tag string) string {
	var b strings.Builder
	b.WriteString("{\n\tformFactor: \"desktop\"\n\thardware: {cpu: \"amd\", hasSSD: true}\n")
	b.WriteString("\textraConfig: " + ns(tag) + ": system: timeZone: \"Europe/Berlin\"\n")
	b.WriteString("\tmodules: {desktop: true, graphics: true, gaming: true}\n")
	if releaseAfter(tag, "v2025.11.18") && !releaseAfter(tag, "v2026.03.07") {
		b.WriteString("\tmodules: services: true\n")
		b.WriteString("\tselfHosted: immich: {enable: true, enableGpuAcceleration: true, gpuType: \"amd\"}\n")
		b.WriteString("\textraConfig: networking: tailscale: domain: \"tail1234ab.ts.net\"\n")
	}
	if !releaseAfter(tag, "v2026.03.07") {
		b.WriteString("\thomeProfile: \"workstation\"\n")
		b.WriteString("\tuserModulePath: \"/etc/nixos/user.nix\"\n")
	} else {
		b.WriteString("\thomeProfile: \"standard\"\n")
		// Users are declared in a users package (tested with the
		// commands); a host with none may still give configDir.
		b.WriteString("\tconfigDir: \"/etc/nixos\"\n")
	}
	if releaseAfter(tag, "v2025.12.11") {
		b.WriteString("\thardwareConfigPath: \"/etc/nixos/hardware.nix\"\n")
	}
	if releaseAfter(tag, "v2026.01.13") {
		b.WriteString("\tmodules: pim: true\n")
		if releaseAfter(tag, "v2026.03.07") {
			b.WriteString("\textraConfig: services: pim: role: \"client\"\n")
		} else {
			b.WriteString("\textraConfig: pim: emailClient: \"geary\"\n")
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// vet runs axc vet with the schema of tag on a package of hosts and
// returns its exit code and output.
func vet(t *testing.T, tag string, hosts map[string]string) (int, string) {
	t.Helper()
	dir := t.TempDir()
	var src strings.Builder
	src.WriteString("package hosts\n\n")
	names := make([]string, 0, len(hosts))
	for name := range hosts {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		src.WriteString(name + ": " + hosts[name] + "\n")
	}
	if err := os.WriteFile(filepath.Join(dir, "hosts.cue"), []byte(src.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code := cmd.Run([]string{"--schema", releaseDir(tag), "vet", "-q", dir}, &out, &errOut)
	return code, out.String() + errOut.String()
}

// A valid host of each release vets clean with that release's schema.
func TestReleaseValidHost(t *testing.T) {
	for _, tag := range releaseTags {
		t.Run(tag, func(t *testing.T) {
			host := validHost(tag)
			if code, out := vet(t, tag, map[string]string{"web": host}); code != 0 {
				t.Fatalf("exit %d\n%s\nhost:\n%s", code, out, host)
			}
		})
	}
}

// Fields a release does not read are rejected (mkSystem would ignore them).
func TestReleaseIgnoredFields(t *testing.T) {
	tz := func(tag string) string {
		return "extraConfig: " + ns(tag) + ": system: timeZone: \"Europe/Berlin\", hardware: {}"
	}
	cases := []struct{ tag, field string }{
		{"v2025.11.08", `selfHosted: enable: true`},
		{"v2025.11.13", `modules: services: true`},
		{"v2025.12.04", `hardwareConfigPath: "/etc/nixos/hw.nix"`},
		{"v2026.01.13", `diskConfigPath: "/etc/nixos/disks.nix"`},
		{"v2026.01.13", `configDir: "/etc/nixos"`},
		{"v2026.03.07", `userModulePath: "/etc/nixos/user.nix"`},
		{"v2026.03.07", `selfHosted: enable: true`},
		{"v2026.03.07", `modules: c64: true`},
		{"v2026.03.30", `cairn: {}`},
		{"v2026.05.01", `axios: {}`},
		{"v2026.05.01", `modules: installer: true`},
	}
	for _, c := range cases {
		t.Run(c.tag+"/"+c.field, func(t *testing.T) {
			code, out := vet(t, c.tag, map[string]string{"h": "{" + tz(c.tag) + ", " + c.field + "}"})
			if code != 1 || !strings.Contains(out, "unknown field") {
				t.Fatalf("exit %d, want 1 with an unknown field:\n%s", code, out)
			}
		})
	}
}

type failing struct {
	name, host string
	want       []string // every one must be in a line about the host
}

// mChecks are hosts failing each of mkSystem's checks (M) of tag. M1
// (hostname absent) cannot be written: a host's hostname defaults to its
// name.
func mChecks(tag string) []failing {
	tz := "extraConfig: " + ns(tag) + ": system: timeZone: \"Europe/Berlin\""
	h := func(s string) string { return "{" + tz + ", " + s + "}" }
	late := releaseAfter(tag, "v2026.03.07")
	fs := []failing{
		{"m2", h(`hardware: cpu: "arm"`), []string{`"arm" is not one of "amd", "intel"`}},
		{"m3", h(`hardware: gpu: "matrox"`), []string{`"matrox" is not one of "amd", "nvidia", "intel"`}},
		{"m5", h(`hardware: {}, formFactor: "server"`), []string{`"server" is not one of "desktop", "laptop"`}},
		{"m7", h(`hardware: isLaptop: true`), []string{`hardware.isLaptop = true needs formFactor = "laptop"`}},
		{"m8", h(`hardware: isLaptop: true, formFactor: "desktop"`), []string{`formFactor = "desktop" needs hardware.isLaptop = false`}},
		{"m9", h(`hardware: vendor: "system76", formFactor: "desktop"`), []string{`hardware.vendor = "system76" needs formFactor = "laptop"`}},
		{"m10", h(`hardware: vendor: "msi"`), []string{`hardware.vendor = "msi" needs formFactor = "desktop"`}},
		{"m12", h(`hardware: {}, modules: gaming: true`), []string{`modules.gaming = true needs modules.graphics = true`}},
	}
	if !releaseAfter(tag, "v2026.01.13") {
		fs = append(fs, failing{"m4", h(`hardware: vendor: "dell"`), []string{`"dell" is not one of "msi", "system76"`}})
	}
	if !late {
		fs = append(fs,
			failing{"m6", h(`hardware: {}, homeProfile: "standard"`), []string{`"standard" is not one of "workstation", "laptop"`}},
			failing{"m11", h(`hardware: {}, modules: {ai: true, networking: false}`), []string{`modules.ai = true needs modules.networking = true`}},
			failing{"m13", h(`hardware: {}, modules: {desktop: true, networking: false}`), []string{`modules.desktop = true needs modules.networking = true`}},
		)
	} else {
		// M11 and M13 are hidden by E3: without networking, evaluation
		// fails before mkSystem's assertions run.
		e3 := "modules.networking = false does not evaluate in this release"
		fs = append(fs,
			failing{"m6", h(`hardware: {}, homeProfile: "workstation"`), []string{`"workstation" is not one of "standard", "normie"`}},
			failing{"m11", h(`hardware: {}, modules: {ai: true, networking: false}`), []string{e3}},
			failing{"m13", h(`hardware: {}, modules: {desktop: true, networking: false}`), []string{e3}},
			// M14 holds by construction (axc build passes configDir); a
			// user must be declared in the users package.
			failing{"m14", h(`hardware: {}, users: ["alice"]`), []string{`unknown user "alice"`}},
		)
	}
	return fs
}

// Each M check of a release reports its message.
func TestReleaseMChecks(t *testing.T) {
	for _, tag := range []string{"v2025.11.08", "96990f9", "v2026.01.13", "v2026.03.07", "v2026.05.01"} {
		t.Run(tag, func(t *testing.T) {
			checkFailing(t, tag, mChecks(tag))
		})
	}
}

// Module assertions (A) and hard errors (E) of the releases that changed
// them.
func TestReleaseAEChecks(t *testing.T) {
	tz := func(tag string) string {
		return "extraConfig: " + ns(tag) + ": system: timeZone: \"Europe/Berlin\", hardware: {}"
	}
	h := func(tag, s string) string { return "{" + tz(tag) + ", " + s + "}" }
	authkey := `extraConfig: networking: tailscale: {authMode: "authkey", authKeyFile: "/run/k"}`
	cases := map[string][]failing{
		"v2025.11.08": {
			{"a1", `{hardware: {}}`, []string{"required when modules.system = true"}},
			{"crash", h("v2025.11.08", `extraConfig: hardware: crashDiagnostics: enable: true`), []string{"hardware.crashDiagnostics.* is declared by no module of"}},
			{"selfhosted", h("v2025.11.08", `extraConfig: selfHosted: enable: true`), []string{"selfHosted.* is declared by no module of"}},
		},
		"96990f9": {
			{"a2", h("96990f9", `modules: services: true`), []string{"modules.services = true needs extraConfig.networking.tailscale.domain"}},
			{"a3", h("96990f9", `modules: services: true, extraConfig: networking: tailscale: domain: "d", selfHosted: {enable: false, immich: enable: true}`), []string{"selfHosted.immich.enable = true needs selfHosted.enable = true"}},
			{"a4", h("96990f9", `modules: services: true, extraConfig: networking: tailscale: domain: "d", selfHosted: immich: {enable: true, enableGpuAcceleration: true}`), []string{"needs selfHosted.immich.gpuType"}},
		},
		"v2025.12.04": {
			{"e2", h("v2025.12.04", `modules: ai: true`), []string{"modules.ai = true needs modules.services = true"}},
			{"a5", h("v2025.12.04", `modules: {ai: true}, extraConfig: services: ai: local: ollamaReverseProxy: enable: true`), []string{"ollamaReverseProxy.enable = true needs selfHosted.enable"}},
			{"e5", h("v2025.12.04", `modules: {ai: true, services: true}, extraConfig: services: ai: local: {enable: true, ollamaReverseProxy: enable: true}`), []string{"needs services.ai.local.ollamaReverseProxy.domain or networking.tailscale.domain"}},
		},
		"v2025.12.11": {
			{"a2", h("v2025.12.11", `extraConfig: selfHosted: enable: true`), []string{"selfHosted.enable = true needs extraConfig.networking.tailscale.domain"}},
			{"ai", h("v2025.12.11", `modules: ai: true`), nil},
		},
		"v2026.01.13": {
			{"a6", h("v2026.01.13", `modules: graphics: true, hardware: gpu: "nvidia", extraConfig: axios: hardware: enableGPURecovery: true`), []string{`enableGPURecovery = true needs axios.hardware.gpuType = "amd"`}},
			{"vendor", h("v2026.01.13", `hardware: vendor: "dell", formFactor: "desktop", extraConfig: hardware: desktop: enable: true`), []string{"hardware.desktop does not exist on this host"}},
		},
		"v2026.03.07": {
			{"e4", h("v2026.03.07", `modules: users: false`), []string{"modules.users = false does not evaluate"}},
			{"a7", h("v2026.03.07", `extraConfig: services: ai: local: {enable: true, role: "client"}`), []string{"needs services.ai.local.tailnetDomain"}},
			{"a8", h("v2026.03.07", `extraConfig: services: ai: local: enable: true`), []string{`needs networking.tailscale.authMode = "authkey"`}},
			{"a9", h("v2026.03.07", `extraConfig: networking: tailscale: authMode: "authkey"`), []string{"needs networking.tailscale.authKeyFile"}},
			{"a10", h("v2026.03.07", `extraConfig: networking: tailscale: services: web: {enable: true, backend: "http://localhost:8080"}`), []string{"an enabled networking.tailscale.services entry (web)"}},
			{"a11", h("v2026.03.07", authkey+`, extraConfig: networking: tailscale: services: web: {enable: true, backend: "http://localhost:8080", loopbackProxy: enable: true}`), []string{"loopbackProxy.enable (web) needs networking.tailscale.domain"}},
			{"a12", h("v2026.03.07", `modules: services: true, axios: immich: {enable: true, role: "client", pwa: enable: true}`), []string{"needs axios.immich.pwa.tailnetDomain"}},
			{"a13", h("v2026.03.07", authkey+`, extraConfig: networking: tailscale: domain: "d", extraConfig: axios: immich: {enable: true, enableGpuAcceleration: true}`), []string{"needs axios.immich.gpuType"}},
			{"a14", h("v2026.03.07", authkey+`, extraConfig: axios: immich: enable: true`), []string{"needs networking.tailscale.domain"}},
			{"a15", h("v2026.03.07", `extraConfig: networking: tailscale: domain: "d", extraConfig: axios: immich: enable: true`), []string{`needs networking.tailscale.authMode = "authkey"`}},
			{"a16", h("v2026.03.07", `modules: pim: true, extraConfig: services: pim: {role: "client", pwa: enable: true}`), []string{"needs services.pim.pwa.tailnetDomain"}},
			{"a17", h("v2026.03.07", authkey+`, modules: pim: true`), []string{"needs services.pim.user"}},
			{"a18", h("v2026.03.07", authkey+`, modules: {pim: true, ai: false}, extraConfig: services: pim: user: "alice"`), []string{"needs services.ai.enable"}},
			{"a19", h("v2026.03.07", `modules: pim: true, extraConfig: services: pim: user: "alice"`), []string{`needs networking.tailscale.authMode = "authkey"`}},
			{"a20", h("v2026.03.07", `modules: syncthing: true`), []string{"needs axios.syncthing.user"}},
			{"a21", h("v2026.03.07", `modules: syncthing: true, extraConfig: axios: syncthing: {user: "alice", devices: phone: id: "X"}`), []string{"devices without addresses (phone)"}},
			{"a22", h("v2026.03.07", `modules: syncthing: true, extraConfig: axios: syncthing: {user: "alice", folders: {music: {}, games: {}}}`), []string{"folders.games is not a known folder"}},
			{"selfhosted", h("v2026.03.07", `extraConfig: selfHosted: immich: enable: true`), []string{"selfHosted.* is declared by no module of"}},
			{"installer", h("v2026.03.07", `extraConfig: axios: installer: enable: true`), []string{"only the installer ISO imports modules/installer"}},
		},
		"v2026.05.01": {
			{"e6", h("v2026.05.01", authkey+`, extraConfig: services: ai: local: enable: true`), []string{"needs services.ai.local.model"}},
			{"axiosns", `{hardware: {}, extraConfig: {axios: system: timeZone: "Europe/Berlin", fileSystems: "/": device: "/dev/sda1"}}`, []string{"rename extraConfig.axios to extraConfig.cairn"}},
			{"companion", h("v2026.05.01", `extraConfig: services: companion: enable: true`), []string{"it comes with modules.companion"}},
			{"a20", h("v2026.05.01", `modules: syncthing: true`), []string{"needs cairn.syncthing.user"}},
		},
	}
	for tag, fs := range cases {
		t.Run(tag, func(t *testing.T) { checkFailing(t, tag, fs) })
	}
}

// checkFailing vets the hosts of fs together: exit 1, and each host's
// wanted messages are reported (a host without wanted messages must pass).
func checkFailing(t *testing.T, tag string, fs []failing) {
	t.Helper()
	hosts := map[string]string{}
	for _, f := range fs {
		hosts[f.name] = f.host
	}
	code, out := vet(t, tag, hosts)
	if code != 1 {
		t.Fatalf("exit %d, want 1:\n%s", code, out)
	}
	lines := strings.Split(out, "\n")
	for _, f := range fs {
		var mine []string
		for _, l := range lines {
			if strings.Contains(l, ": "+f.name+".") {
				mine = append(mine, l)
			}
		}
		if len(f.want) == 0 && len(mine) > 0 {
			t.Errorf("%s: want no finding, got:\n%s", f.name, strings.Join(mine, "\n"))
		}
		for _, w := range f.want {
			if !slices.ContainsFunc(mine, func(l string) bool { return strings.Contains(l, w) }) {
				t.Errorf("%s: no finding contains %q; got:\n%s", f.name, w, strings.Join(mine, "\n"))
			}
		}
	}
}
