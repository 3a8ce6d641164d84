package load

import (
	"os"
	"path/filepath"
	"testing"

	"cuelang.org/go/cue"
)

// FuzzDirectInstance holds, for any hosts file, the two ways of putting a
// package together (directly, and by cue/load) and the two ways of
// evaluating it (whole against the full schema, and in chunks of one host
// against the lean schema, seen again with the full one when not valid)
// to each other: the same errors, hosts, values and messages. A file
// beside it gives the package the pattern and a second declaration.
//
//	go test ./internal/load -run '^$' -fuzz FuzzDirectInstance
func FuzzDirectInstance(f *testing.F) {
	for _, src := range []string{
		"web: {formFactor: \"desktop\", hardware: cpu: \"amd\", extraConfig: {axios: system: timeZone: \"UTC\", fileSystems: \"/\": device: \"/dev/sda1\"}}\n",
		"web: {hardware: cpu: \"arm\", modules: gaming: true}\ndb: {hardwre: {}}\n",
		"web: {formFactor: \"laptop\", hardware: isLaptop: true, homeProfile: \"laptop\"}\nweb: system: 1\n",
		"import \"strings\"\n\nweb: {extraConfig: axios: system: timeZone: strings.ToUpper(\"utc\")}\n",
		"import \"axc.dev/axc/schema\"\n\n_laptop: schema.#Host & {formFactor: \"laptop\"}\na: _laptop & {hardware: isLaptop: true}\nb: _laptop\n",
		"@if(never)\n\nweb: {}\n",
		"import \"example.com/other\"\n\nweb: other.x\n",
		"for n in [\"a\", \"b\"] {(n): {}}\n",
		"web: {extraConfig: services: openssh: enable: \"yes\"}\nweb2: {modules: virt: true, virt: libvirt: enable: 1}\n",
		"web: {\n",
		"let tz = \"UTC\"\na: {}\nb: {}\nc: {}\nd: extraConfig: axios: system: timeZone: tz\n",
		"a: {}\nb: {}\nc: {}\nd: nosuch\n",
		"import \"strings\"\n\na: {}\nb: {}\nd: extraConfig: axios: system: timeZone: strings.ToUpper(\"utc\")\n",
	} {
		f.Add([]byte(src))
	}
	pinned := pinnedSchema(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 4096 {
			return
		}
		dir := t.TempDir()
		mustWrite(t, filepath.Join(dir, "hosts.cue"), "package hosts\n\nimport \"axc.dev/axc/schema\"\n\n[Name=string]: schema.#Host & {hostname: *Name | _}\n")
		if err := os.WriteFile(filepath.Join(dir, "fuzz.cue"), append([]byte("package hosts\n\n"), src...), 0o644); err != nil {
			t.Fatal(err)
		}
		p := testPackage{name: "fuzz", dir: dir, schema: pinned, kind: Hosts}
		oldSize, oldMin := chunkSize, lazyMin
		defer func() { chunkSize, lazyMin = oldSize, oldMin }()

		chunkSize, lazyMin = 1<<30, 1<<30 // whole, by Load
		viaLoader := loadSummary(t, p, false, (*Result).Each)
		viaDirect := loadSummary(t, p, true, (*Result).Each)
		if viaDirect != viaLoader {
			t.Fatalf("loaded directly:\n%s\nwith cue/load:\n%s", viaDirect, viaLoader)
		}
		chunkSize, lazyMin = 1, 1
		lean := loadSummary(t, p, true, func(r *Result, fn func(int, *Host, cue.Value)) {
			r.EachLean(func(i int, h *Host, v cue.Value) bool {
				fn(i, h, v)
				return v.Validate(cue.Concrete(true)) == nil
			})
		})
		if lean != viaDirect {
			t.Fatalf("in chunks, lean first:\n%s\nwhole:\n%s", lean, viaDirect)
		}
	})
}
