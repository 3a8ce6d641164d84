package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/axc-dev/axc/cmd/axc/cmd"
)

// Vetting some files of a package reports exactly what vetting the whole
// package reports for the hosts declared in those files, and in the files
// that refer to what they declare (a changed shared value reaches every
// host using it): also when a host is split across files, or uses values
// declared in other files, and whether the package is small (evaluated
// whole) or large (in chunks).
func TestFileScopedVetMatchesWhole(t *testing.T) {
	for _, n := range []int{12, 130} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "hosts")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			files := map[string]*strings.Builder{}
			add := func(file, text string) {
				if files[file] == nil {
					files[file] = &strings.Builder{}
					files[file].WriteString("package hosts\n\n")
				}
				files[file].WriteString(text)
			}
			add("shared.cue", "_tz: extraConfig: {axios: system: timeZone: \"UTC\", fileSystems: \"/\": device: \"/dev/sda1\"}\n#Laptop: {formFactor: \"laptop\", hardware: isLaptop: true}\n")
			for i := range n {
				file := fmt.Sprintf("f%d.cue", i%5)
				name := fmt.Sprintf("h%03d", i)
				switch i % 6 {
				case 0:
					add(file, name+": _tz & {hardware: cpu: \"arm\"}\n")
				case 1:
					add(file, name+": _tz & #Laptop & {homeProfle: \"laptop\"}\n")
				case 2:
					// Split across two files: both parts are vetted.
					add(file, name+": _tz & {modules: gaming: true}\n")
					add("split.cue", name+": hardware: vendor: \"system76\"\n")
				case 3:
					add(file, name+": {hardwre: {}}\n")
				default:
					add(file, name+": _tz\n")
				}
			}
			for name, b := range files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			whole := vetJSON(t, dir)
			for _, f := range []string{"f0.cue", "f3.cue", "split.cue", "shared.cue"} {
				path := filepath.Join(dir, f)
				declared := declaredHosts(t, path)
				var want []string
				for _, d := range whole {
					// Every host uses shared.cue's values.
					if declared[d.Host] || f == "shared.cue" {
						want = append(want, d.String())
					}
				}
				var got []string
				for _, d := range vetJSON(t, path) {
					got = append(got, d.String())
				}
				if !slices.Equal(got, want) {
					t.Errorf("vet %s:\n%s\nwant (whole package, its hosts):\n%s", f, strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
				if len(want) == 0 {
					t.Errorf("vet %s: no findings to compare: the test proves nothing", f)
				}
			}
		})
	}
}

type diag struct {
	File, Host, Path, Message string
	Line, Column              int
}

func (d diag) String() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s", filepath.Base(d.File), d.Line, d.Column, d.Path, d.Message)
}

func vetJSON(t *testing.T, path string) []diag {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := cmd.Run([]string{"--axios", "96990f9", "vet", "--format", "json", path}, &stdout, &stderr); code > 1 {
		t.Fatalf("vet %s: exit %d: %s", path, code, stderr.String())
	}
	var report struct{ Diagnostics []diag }
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		t.Fatal(err)
	}
	return report.Diagnostics
}

var topLabel = regexp.MustCompile(`(?m)^(h[0-9]+):`)

func declaredHosts(t *testing.T, file string) map[string]bool {
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]bool{}
	for _, sub := range topLabel.FindAllStringSubmatch(string(data), -1) {
		m[sub[1]] = true
	}
	return m
}

// FuzzFileScopedVet holds one-file vet to whole-package vet whatever the
// package's other files hold: for a package of a named file (four hosts
// with findings, using a value of a third file) and a fuzzed file, vetting
// the named file reports exactly what vetting the package reports for its
// hosts, and for each other host it reports on (a host of the fuzzed file
// that refers to a named host). Packages that do not load, or that CUE
// refuses as a whole (findings of no host), are left out: the other files
// are scanned, not evaluated, so their own errors are the whole package's
// to report.
//
//	go test ./cmd/axc -run '^$' -fuzz FuzzFileScopedVet
func FuzzFileScopedVet(f *testing.F) {
	for _, seed := range []string{
		`x: _tz & {hardware: {}}`,
		`h01: modules: gaming: true`,
		`[N=string]: {hardware: gpu: "matrox"}`,
		`_tz: extraConfig: axios: system: locale: 3`,
		`y: {s: "}", t: "\(1)"}` + "\nz: {a: \"\"\"\n\t} \"\"\"\n\t\"\"\"}\n",
		`w: {b: #"}"#, c: '}'}`,
		`for n in ["h02"] {(n): hardware: cpu: "arm"}`,
		`h03: _ | {hardwre: {}}`,
		`v: hardware: cpu: "arm"` + "\n" + `u: v`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, other string) {
		dir := filepath.Join(t.TempDir(), "hosts")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		files := map[string]string{
			"named.cue":  "h00: _tz & {hardware: cpu: \"arm\"}\nh01: _tz & {formFactor: \"laptop\"}\nh02: {hardware: {}}\nh03: _tz & {hardware: vendor: \"msi\"}\n",
			"shared.cue": "_tz: extraConfig: {axios: system: timeZone: \"UTC\", fileSystems: \"/\": device: \"/dev/sda1\"}\n",
			"other.cue":  other,
		}
		for name, text := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte("package hosts\n\n"+text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		whole, ok := vetFuzzed(dir)
		if !ok {
			return
		}
		named := filepath.Join(dir, "named.cue")
		for _, d := range whole {
			if d.Host == "" {
				return // the package as a whole is refused
			}
		}
		got, ok := vetFuzzed(named)
		if !ok {
			t.Fatalf("vet of the named file did not run, the package's did\nother.cue:\n%s", other)
		}
		vetted := map[string]bool{"h00": true, "h01": true, "h02": true, "h03": true}
		for _, d := range got {
			vetted[d.Host] = true
		}
		var want []string
		for _, d := range whole {
			if vetted[d.Host] {
				want = append(want, d.String())
			}
		}
		var gotLines []string
		for _, d := range got {
			gotLines = append(gotLines, d.String())
		}
		if !slices.Equal(gotLines, want) {
			t.Fatalf("vet named.cue:\n%s\nwant (whole package, its hosts):\n%s\nother.cue:\n%s", strings.Join(gotLines, "\n"), strings.Join(want, "\n"), other)
		}
	})
}

// vetFuzzed is vetJSON for fuzzed packages: ok is false when vet did not
// get to report findings (exit 2).
func vetFuzzed(path string) (ds []diag, ok bool) {
	var stdout, stderr bytes.Buffer
	if code := cmd.Run([]string{"--axios", "96990f9", "vet", "--format", "json", path}, &stdout, &stderr); code > 1 {
		return nil, false
	}
	var report struct{ Diagnostics []diag }
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		return nil, false
	}
	return report.Diagnostics, true
}
