package importer

import (
	"testing"

	"github.com/axc-dev/axc/schema"
)

// The history is read off the releases' contracts: the host path fields of
// every release, and, for a release with users by configDir, the user
// module field it replaced and where.
func TestHistory(t *testing.T) {
	for _, tc := range []struct {
		tag, field, last, next string
	}{
		{tag: "v2025.11.08"},
		{tag: "v2026.01.13"},
		{tag: "v2026.03.07", field: "userModulePath", last: "v2026.01.13", next: "v2026.03.07"},
		{tag: "v2026.05.01", field: "userModulePath", last: "v2026.01.13", next: "v2026.03.07"},
	} {
		fsys, err := schema.Release(tc.tag)
		if err != nil {
			t.Fatal(err)
		}
		c, err := schema.ReadContract(fsys)
		if err != nil {
			t.Fatal(err)
		}
		h, err := readHistory(tc.tag, c)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"diskConfigPath", "hardwareConfigPath", "userModulePath"} {
			if !h.pathFields[f] {
				t.Errorf("%s: %s is a path field of some release", tc.tag, f)
			}
		}
		switch m := h.module; {
		case tc.field == "" && m != nil:
			t.Errorf("%s: has %s itself, yet an old module field %+v", tc.tag, m.Field, m)
		case tc.field != "" && (m == nil || m.Field != tc.field || m.Last != tc.last || m.Next != tc.next || m.User == nil):
			t.Errorf("%s: old module field %+v, want %s up to %s, replaced in %s", tc.tag, m, tc.field, tc.last, tc.next)
		}
	}
}
