package show

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"cuelang.org/go/cue"

	"github.com/axc-dev/axc/internal/load"
	"github.com/axc-dev/axc/internal/load/loadtest"
	"github.com/axc-dev/axc/schema"
)

// For every shipped host: the view holds every value cue export gives, with
// the same origin the author's syntax says; every other value is the
// default of an option whose module the host imports; and no option of a
// module the host leaves out appears.
func TestShippedHosts(t *testing.T) {
	const tag = "v2026.05.01" // what hosts/ is written for
	fsys, err := schema.Release(tag)
	if err != nil {
		t.Fatal(err)
	}
	opts, err := schema.OptionsFrom(fsys)
	if err != nil {
		t.Fatal(err)
	}
	defaults := map[string]string{} // option name (dotted) → default JSON
	for _, o := range opts {
		if o.Set == "nixos" && o.Default != "" && !o.ReadOnly {
			defaults[o.Name] = o.Default
		}
	}
	l, res := loadtest.Load(t, tag, "../../examples/fleet/hosts")
	if len(res.Hosts) != 3 {
		t.Fatalf("loaded %d hosts, want 3", len(res.Hosts))
	}
	var mu sync.Mutex
	res.Each(func(_ int, h *load.Host, v cue.Value) {
		mu.Lock()
		defer mu.Unlock()
		if config, err := schema.MkSystemConfig(v); err != nil || !config.Exists() {
			t.Errorf("%s: no %s", h.Name, schema.MkSystemField)
		}
		view, err := Host(h, v, opts, l.Contract(), nil)
		if err != nil {
			t.Errorf("%s: %v", h.Name, err)
			return
		}
		exported, err := fromValue(v, h, nil)
		if err != nil {
			t.Fatal(err)
		}
		// Every exported leaf is in the view, unchanged.
		for path, n := range exported.leaves() {
			got := lookup(view, path)
			if got == nil || fmt.Sprint(got.Value) != fmt.Sprint(n.Value) || got.Origin != n.Origin {
				t.Errorf("%s.%s: view has %+v, export %+v", h.Name, strings.Join(path, "."), got, n)
			}
		}
		// Every added leaf is an option's default, or a value mkSystem
		// defines, of a module the host imports.
		added, bySystem := 0, 0
		for path, n := range view.leaves() {
			if lookup(exported, path) != nil {
				continue
			}
			added++
			opt := path
			if path[0] == l.Contract().ConfigField {
				opt = path[1:]
			}
			if !exists(v, append([]string{l.Contract().ConfigField}, opt...)) {
				t.Errorf("%s.%s: an option of a module the host does not import", h.Name, strings.Join(path, "."))
			}
			switch n.Origin {
			case MkSystem:
				bySystem++
				continue // its value: schema.TestMkSystem
			case Default:
			default:
				t.Errorf("%s.%s: added value marked %s", h.Name, strings.Join(path, "."), n.Origin)
			}
			want, ok := defaults[strings.Join(opt, ".")]
			if !ok {
				continue // below an attribute set (<name>): checked by the value
			}
			js, _ := json.Marshal(n.Value)
			var a, b any
			json.Unmarshal(js, &a)
			json.Unmarshal([]byte(want), &b)
			if fmt.Sprint(a) != fmt.Sprint(b) {
				t.Errorf("%s.%s = %s, want the option's default %s", h.Name, strings.Join(path, "."), js, want)
			}
		}
		if added < 20 {
			t.Errorf("%s: only %d defaults added", h.Name, added)
		}
		// Every shipped host turns on a flag whose module mkSystem enables.
		if bySystem == 0 {
			t.Errorf("%s: nothing marked as mkSystem's", h.Name)
		}
		// Every value an option gives (every option of the release has a
		// description) says what it is with --doc: below an attribute name
		// and in a host section too.
		docs, err := NewDocs(fsys, opts, l.Contract())
		if err != nil {
			t.Fatal(err)
		}
		for path := range view.leaves() {
			if lookup(exported, path) == nil && docs.Of(path) == "" {
				t.Errorf("%s.%s: no doc", h.Name, strings.Join(path, "."))
			}
		}
		for _, p := range [][]string{{"hardware"}, {"modules"}, {"extraConfig", "cairn", "users", "users", "alice", "isAdmin"}, {"virt", "libvirt", "enable"}} {
			if docs.Of(p) == "" {
				t.Errorf("%s: no doc", strings.Join(p, "."))
			}
		}
		on, _ := v.LookupPath(cue.ParsePath("modules.desktop")).Bool()
		if got := lookup(view, []string{l.Contract().ConfigField, "desktop"}) != nil; got != on {
			t.Errorf("%s: desktop options shown %v, modules.desktop = %v", h.Name, got, on)
		}
	})
}
