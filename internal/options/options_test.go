package options

import (
	"bytes"
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"cuelang.org/go/cue"

	"github.com/axc-dev/axc/internal/load/loadtest"
	"github.com/axc-dev/axc/internal/release"
	"github.com/axc-dev/axc/schema"
)

// -update rewrites docs/options from the schema.
var update = flag.Bool("update", false, "rewrite docs/options/*.md")

func releases(t testing.TB) []release.Release {
	t.Helper()
	src, err := fs.ReadFile(schema.Files, schema.ReleasesFile)
	if err != nil {
		t.Fatal(err)
	}
	table, err := release.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	return table.Releases()
}

func tags(t testing.TB) []string {
	var out []string
	for _, r := range releases(t) {
		out = append(out, r.Tag)
	}
	return out
}

func releaseFS(t testing.TB, tag string) fs.FS {
	t.Helper()
	fsys, err := schema.Release(tag)
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}

func readRelease(t testing.TB, tag string) []Entry {
	t.Helper()
	entries, err := Read(releaseFS(t, tag), tags(t), nil)
	if err != nil {
		t.Fatalf("%s: %v", tag, err)
	}
	return entries
}

// Every option of every release is an entry, once, and says which flag
// brings it exactly when the schema's own message says so.
func TestOptionsAndFlags(t *testing.T) {
	for _, tag := range tags(t) {
		fsys := releaseFS(t, tag)
		entries := readRelease(t, tag)
		opts, err := schema.OptionsFrom(fsys)
		if err != nil {
			t.Fatal(err)
		}
		byName := map[string]Entry{}
		for _, e := range entries {
			k := string(e.Kind) + " " + e.Name
			if _, dup := byName[k]; dup {
				t.Errorf("%s: %s twice", tag, k)
			}
			byName[k] = e
			if !slices.Contains(e.Releases, tag) {
				t.Errorf("%s: %s does not list its own release: %v", tag, e.Name, e.Releases)
			}
		}
		gen, _ := fs.ReadFile(fsys, schema.GenFile)
		for _, o := range opts {
			kind := NixOSOption
			if o.Set == "home" {
				kind = HomeOption
			}
			e, ok := byName[string(kind)+" "+o.Name]
			if !ok {
				t.Errorf("%s: option %s missing", tag, o.Name)
				continue
			}
			if e.Type != o.Type || e.ReadOnly != o.ReadOnly {
				t.Errorf("%s: %s: type %q readOnly %v, want %q %v", tag, o.Name, e.Type, e.ReadOnly, o.Type, o.ReadOnly)
			}
			// The generator's message names the flag: "option X does not
			// exist on this host: it comes with modules.F, which is false".
			msg := "option " + o.Name + " does not exist on this host: it comes with modules."
			var wantFlag string
			if i := bytes.Index(gen, []byte(msg)); i >= 0 && kind == NixOSOption {
				rest := string(gen[i+len(msg):])
				wantFlag, _, _ = strings.Cut(rest, ",")
			}
			if e.Flag != wantFlag {
				t.Errorf("%s: %s: flag %q, want %q", tag, o.Name, e.Flag, wantFlag)
			}
		}
	}
}

// Host fields read from the syntax agree with the evaluated schema: the
// same fields, the same defaults, the same required ones, and allowed
// values that the schema accepts (and a value outside them it refuses).
func TestHostFieldsAgreeWithCUE(t *testing.T) {
	for _, tag := range tags(t) {
		l, _ := loadtest.Load(t, tag)
		host := l.HostSchema()
		for _, e := range readRelease(t, tag) {
			if e.Kind != HostField {
				continue
			}
			v, sel := lookupField(host, e.Name)
			if !v.Exists() {
				t.Errorf("%s: host field %s not in the evaluated #Host", tag, e.Name)
				continue
			}
			if req := sel.ConstraintType()&cue.RequiredConstraint != 0; req != e.Required {
				t.Errorf("%s: %s: required %v, want %v", tag, e.Name, e.Required, req)
			}
			regular := sel.ConstraintType()&(cue.OptionalConstraint|cue.RequiredConstraint) == 0
			if d, ok := v.Default(); ok && regular && d.IsConcrete() && v.IncompleteKind() != cue.StructKind {
				js, err := d.MarshalJSON()
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(js, e.Default) {
					t.Errorf("%s: %s: default %s, want %s", tag, e.Name, e.Default, js)
				}
			} else if e.Default != nil && regular {
				t.Errorf("%s: %s: default %s, but CUE has none", tag, e.Name, e.Default)
			}
			for _, val := range e.Values {
				if err := v.Unify(l.Context().CompileBytes(val)).Validate(cue.Concrete(true)); err != nil {
					t.Errorf("%s: %s: listed value %s refused: %v", tag, e.Name, val, err)
				}
			}
			if len(e.Values) > 0 {
				if err := v.Unify(l.Context().CompileString(`"axc-not-a-value"`)).Validate(cue.Concrete(true)); err == nil {
					t.Errorf("%s: %s: values %s are not all it allows", tag, e.Name, e.Values)
				}
			}
		}
	}
}

// lookupField finds a dotted field of v, optional and required ones too.
func lookupField(v cue.Value, name string) (cue.Value, cue.Selector) {
	var sel cue.Selector
	for _, part := range strings.Split(name, ".") {
		it, err := v.Fields(cue.Optional(true))
		if err != nil {
			return cue.Value{}, sel
		}
		found := false
		for it.Next() {
			if it.Selector().LabelType() == cue.StringLabel && it.Selector().Unquoted() == part {
				v, sel, found = it.Value(), it.Selector(), true
				break
			}
		}
		if !found {
			return cue.Value{}, sel
		}
	}
	return v, sel
}

// Every option of the newest release that exists in an older one too says
// so, and one that does not, does not.
func TestReleases(t *testing.T) {
	all := tags(t)
	newest := all[len(all)-1]
	optsOf := map[string][]schema.Option{}
	for _, tag := range all {
		opts, err := schema.OptionsFrom(releaseFS(t, tag))
		if err != nil {
			t.Fatal(err)
		}
		optsOf[tag] = opts
	}
	for _, e := range readRelease(t, newest) {
		if e.Kind == HostField {
			continue
		}
		for _, tag := range all {
			has := slices.ContainsFunc(optsOf[tag], func(o schema.Option) bool {
				return o.Name == e.Name && (o.Set == "home") == (e.Kind == HomeOption)
			})
			if has != slices.Contains(e.Releases, tag) {
				t.Errorf("%s: in %s: %v, but releases are %v", e.Name, tag, has, e.Releases)
			}
		}
	}
}

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		name, query string
		want        bool
	}{
		{"cairn.immich.pwa.enable", "pwa", true},
		{"cairn.immich.pwa.enable", "PWA", true},
		{"cairn.immich.pwa.enable", "pwax", false},
		{"cairn.immich.pwa.enable", "", true},
		{"cairn.immich.pwa.enable", "cairn.*.enable", true},
		{"cairn.immich.pwa.enable", "cairn.*", true},
		{"cairn.immich.pwa.enable", "*.enable", true},
		// A glob matches any run of whole components.
		{"cairn.immich.pwa.enable", "immich*", true},
		{"cairn.immich.pwa.enable", "immich.*", true},
		{"cairn.immich.pwa.enable", "mmich*", false},
		{"cairn.immich.pwa.enable", "immich.pw", true},
		{"cairn.immich.pwa.enable", "immich.pw?", true},
		{"cairn.immich.pwa.enable", "immich.pw??", false},
		{"cairn.immich.pwa.enable", "pwa", true},
		{"cairn.immich.pwa.enable", "pw?", true},
		{"cairn.immich.pwa.enable", "pw?.ena*", true},
		{"networking.tailscale.authMode", "tailscale.auth*", true},
		{"networking.tailscale.authMode", "TAILSCALE.AUTH*", true},
		{"networking.tailscale.authMode", "tailscale.auth?", false},
		{"networking.tailscale.authMode", "*.authMode", true},
		{"networking.tailscale.authMode", "ailscale.*", false},
		{"cairn.immich.pwa.enable", "*immich*", true},
		{"cairn.immich.pwa.enable", "cairn.immich.pwa.enabl?", true},
		{"cairn.immich.pwa.enable", "cairn.immich.pwa.enable?", false},
		{"cairn.immich.pwa.enable", "c*i*p*e", true},
		{"hardware.cpu", "hardware.???", true},
		{"hardware.cpu", "hardware.??", false},
	} {
		if got := Matches(c.name, c.query); got != c.want {
			t.Errorf("Matches(%q, %q) = %v, want %v", c.name, c.query, got, c.want)
		}
	}
}

func TestRanges(t *testing.T) {
	tags := []string{"a", "b", "c", "d", "e"}
	for _, c := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"a"}, "a"},
		{[]string{"a", "b", "c", "d", "e"}, "a to e"},
		{[]string{"a", "b", "d"}, "a to b, d"},
		{[]string{"b", "d", "e"}, "b, d to e"},
	} {
		if got := Ranges(c.in, tags); got != c.want {
			t.Errorf("Ranges(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

// docs/options/<release>.md is what Markdown writes for each release, and
// holds no page of a release axc does not know.
func TestDocs(t *testing.T) {
	dir := filepath.Join("..", "..", filepath.FromSlash(DocsDir))
	if *update {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]bool{}
	for _, r := range releases(t) {
		name := r.Tag + ".md"
		want[name] = true
		got := Markdown(r.Namespace+" "+r.Tag, r.Tag, readRelease(t, r.Tag))
		path := filepath.Join(dir, name)
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		old, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%v (run go test ./internal/options -run TestDocs -update)", err)
			continue
		}
		if !bytes.Equal(old, got) {
			t.Errorf("%s is stale: run go test ./internal/options -run TestDocs -update", path)
		}
	}
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !want[f.Name()] {
			t.Errorf("%s: no release %s (remove it)", filepath.Join(dir, f.Name()), strings.TrimSuffix(f.Name(), ".md"))
		}
	}
}

// WriteJSON writes an array, empty or not.
func TestWriteJSON(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, nil); err != nil {
		t.Fatal(err)
	}
	var got []Entry
	if err := json.Unmarshal(b.Bytes(), &got); err != nil || got == nil {
		t.Fatalf("WriteJSON(nil) = %q (%v)", b.String(), err)
	}
}

// Completion offers names that start with what was typed, and the parts of
// names that do, each starting with what was typed (bash keeps no other).
func TestComplete(t *testing.T) {
	entries := []Entry{
		{Name: "hardware.cpu", Kind: HostField, Type: "string"},
		{Name: "cairn.hardware.cpuType", Kind: NixOSOption, Type: "null or string"},
		{Name: "networking.tailscale.authMode", Kind: NixOSOption, Type: "string"},
		{Name: "a.enable", Kind: NixOSOption, Type: "boolean"},
		{Name: "b.enable", Kind: HomeOption, Type: "boolean"},
	}
	for _, tc := range []struct {
		typed string
		want  []string
	}{
		{"", []string{"hardware.cpu\thost field: string", "cairn.hardware.cpuType\toption: null or string", "networking.tailscale.authMode\toption: string", "a.enable\toption: boolean", "b.enable\thome option: boolean"}},
		{"hardware.c", []string{"hardware.cpu\thost field: string", "hardware.cpuType\toption cairn.hardware.cpuType: null or string"}},
		{"tailscale.auth", []string{"tailscale.authMode\toption networking.tailscale.authMode: string"}},
		{"AUTHm", []string{"AUTHmode\toption networking.tailscale.authMode: string"}},
		{"enab", []string{"enable\tpart of 2 names"}},
		{"ailscale", nil},
		{"*.enable", []string{"a.enable\toption: boolean", "b.enable\thome option: boolean"}},
	} {
		got := Complete(entries, tc.typed)
		if !slices.Equal(got, tc.want) {
			t.Errorf("Complete(%q) =\n%q\nwant\n%q", tc.typed, got, tc.want)
		}
		for _, c := range got {
			if !IsGlob(tc.typed) && !strings.HasPrefix(c, tc.typed) {
				t.Errorf("Complete(%q): %q does not start with it", tc.typed, c)
			}
		}
	}
}

// Every entry of every release says what its author says of it: each
// option's doc and example are the @option attribute's and doc comment's.
func TestDocsAndExamples(t *testing.T) {
	for _, tag := range tags(t) {
		opts, err := schema.OptionsFrom(releaseFS(t, tag))
		if err != nil {
			t.Fatal(err)
		}
		byName := map[string]schema.Option{}
		for _, o := range opts {
			byName[o.Set+" "+o.Name] = o
		}
		docs := 0
		for _, e := range readRelease(t, tag) {
			set := map[Kind]string{NixOSOption: "nixos", HomeOption: "home"}[e.Kind]
			if set == "" {
				continue
			}
			o := byName[set+" "+e.Name]
			if e.Doc != o.Doc || string(e.Example) != o.Example || e.ExampleText != o.ExampleText {
				t.Errorf("%s: %s: doc %q example %s %q, want %q %s %q", tag, e.Name, e.Doc, e.Example, e.ExampleText, o.Doc, o.Example, o.ExampleText)
			}
			if e.Doc != "" {
				docs++
			}
		}
		if docs != len(opts) {
			t.Errorf("%s: %d options have a doc, want all %d (every option file has descriptions)", tag, docs, len(opts))
		}
	}
}
